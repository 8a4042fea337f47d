"""Subject access: everything registration holds about the person, and nothing about anyone else."""

import datetime as dt
import json

import pytest

from registration import services
from registration.subject_access import export
from registration.tests.helpers import applicant, cpd, received

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_records_and_nobody_elses(officer):
    user, registrant = applicant(given_name="Nia", family_name="Owusu")
    application = received(user)
    services.application_approve(application=application, actor=officer, version=None)
    cpd(registrant, on=dt.date.today())
    other_user, other = applicant(given_name="Zed", family_name="Other")
    received(other_user)
    cpd(other, on=dt.date.today())
    data = export(registrant)
    text = json.dumps(data)
    assert data["applications"][0]["reference"] == application.reference
    assert len(data["cpd_records"]) == 1 and len(data["register_entry"]) == 1
    assert {e["event"] for e in data["application_events"]} == {"received", "approved"}
    assert len(data["payments"]) == 1 and data["letters"]
    assert "Zed" not in text and other.email not in text
