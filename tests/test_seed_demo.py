"""seed_demo builds a realistic register, in the regulator's proportions, that the search can use."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from registration.models import NameToken, RegisterEntry, RegisterEvent
from registration.services import issue_registration_number

pytestmark = pytest.mark.django_db  # the test of the day the demo is made carries `dates`


def seed(n: int, **options) -> str:
    out = io.StringIO()
    call_command("seed_demo", registrants=n, no_progress=True, stdout=out, **options)
    return out.getvalue()


def test_the_demo_register_has_the_regulators_proportions():
    output = seed(2000, register_only=True)
    assert "2,000 registrants" in output
    entries = RegisterEntry.objects.all()
    assert entries.count() == 2000
    routes = dict(entries.values_list("route").annotate(n=Count("id")))
    assert 0.85 < routes["not_recorded"] / 2000 < 0.95  # most transferred from the HCPC
    assert set(routes) >= {"uk", "overseas", "eea"}
    temporary = entries.filter(register="temporary").count() / 2000
    removed = entries.filter(status="removed").exclude(removal_reason="temporary_ended").count() / 2000
    assert 0.06 < temporary < 0.14 and 0.02 < removed < 0.08
    assert entries.filter(origin="hcpc").count() == routes["not_recorded"]
    assert RegisterEvent.objects.filter(kind="removed").count() == entries.filter(status="removed").count()
    # Temporary registrations whose end date has passed have ended, each with its register event.
    today = timezone.localdate()
    assert not entries.filter(register="temporary", status="registered", temporary_until__lte=today).exists()
    assert all(re.fullmatch(r"SW\d+", n) for n in entries.values_list("registration_number", flat=True)[:50])


def test_the_demo_register_is_searchable_and_new_numbers_never_clash(client):
    seed(300, register_only=True)
    entry = RegisterEntry.objects.select_related("registrant").order_by("id")[17]
    assert NameToken.objects.filter(token=entry.search_family).exists()
    response = client.get("/api/v1/register/", {"q": f"{entry.registrant.family_name} {entry.registrant.given_name}"})
    assert entry.registration_number in [r["registration_number"] for r in response.json()["results"]]
    highest = max(int(n[2:]) for n in RegisterEntry.objects.values_list("registration_number", flat=True))
    assert int(issue_registration_number()[2:]) > highest


def test_if_empty_leaves_an_existing_register_alone_and_lists_the_sign_ins():
    seed(50, register_only=True)
    output = seed(50, if_empty=True)
    assert RegisterEntry.objects.count() == 50
    assert "left as it is" in output and "registration.officer" in output


@pytest.mark.dates
def test_nothing_in_the_demo_happens_after_the_moment_it_is_made():
    """On any day (the guard reruns this on every stress day), every event is dated by now."""
    from django.apps import apps
    from django.db.models import Max
    from django.utils import timezone

    seed(300)
    now, today = timezone.now(), timezone.localdate()
    for label in (
        "registration.RegisterEvent",
        "registration.ApplicationEvent",
        "registration.AppealEvent",
        "registration.MisuseOfTitleEvent",
        "education_qa.EducationEvent",
        "fitness_to_practise.CaseEvent",
        "complaints.ComplaintEvent",
        "complaints.InformationRequestEvent",
    ):
        model = apps.get_model(label)
        fields = {f.name for f in model._meta.get_fields()}
        latest = model.objects.aggregate(**{name: Max(name) for name in ("at", "on") if name in fields})
        assert latest.get("at") is None or latest["at"] <= now, (label, latest)
        assert latest.get("on") is None or latest["on"] <= today, (label, latest)
    assert not RegisterEntry.objects.filter(status_changed_on__gt=today).exists()


@pytest.mark.parametrize(("day", "status"), [("2027-10-01", 201), ("2027-09-01", 201), ("2027-12-01", 409)])
def test_the_demo_registrant_can_renew_on_any_day_the_window_is_open(time_machine, day, status):
    """The demo made on a day inside the window lets its registrant renew; outside, the answer says why not."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    time_machine.move_to(
        dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), ZoneInfo("Europe/London")), tick=False
    )
    seed(100)
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="registrant"))
    answer = client.post("/api/v1/account/renewals/", {"declarations_confirmed": True, "payment_token": "success"})
    assert answer.status_code == status, answer.content
