import json
import random

import pytest

from fitness_to_practise import demo, subject_access
from fitness_to_practise.models import FitnessToPractiseCase, Order, State
from registration import demo as register_demo
from regulator.demo import DemoContext

from .factories import open_case

pytestmark = pytest.mark.dates


class _Out:
    def write(self, text):
        pass


@pytest.mark.django_db
def test_the_demo_has_cases_at_every_stage_of_both_origins_with_orders_in_force_and_sign_ins():
    context = DemoContext(registrants=400, rng=random.Random(1), stdout=_Out(), progress=False)
    register_demo.seed(context)
    demo.seed(context)
    states = set(FitnessToPractiseCase.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert set(FitnessToPractiseCase.objects.values_list("origin", flat=True)) == {"swe", "hcpc"}
    from django.utils import timezone

    assert Order.objects.in_force(timezone.localdate()).exists()
    usernames = {username for _, username, _ in context.sign_ins}
    assert {"ftp.handler", "case.examiner", "adjudications.officer", "ftp.registrant"} <= usernames


@pytest.mark.django_db
def test_subject_access_exports_the_registrants_ftp_records_and_nobody_elses():
    mine = open_case()
    theirs = open_case()
    exported = subject_access.export(mine.entry.registrant)
    json.dumps(exported)  # serialisable
    assert [c["reference"] for c in exported["ftp_cases"]] == [mine.reference]
    assert {e["case_id"] for e in exported["ftp_case_events"]} == {mine.pk}
    assert theirs.reference not in json.dumps(exported)
    assert len(exported["ftp_letters"]) == 1
