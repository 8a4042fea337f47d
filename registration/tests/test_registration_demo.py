"""seed_demo gives a newcomer working registration queues at once, and --register-only skips them."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from registration.clocks import renewal_window
from registration.models import Appeal, Application, Call, CPDRecord, EmailEnquiry, MisuseOfTitleCase, Renewal
from registration.selectors import course_was_approved_on
from regulator.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_the_demo_has_applications_at_every_status_and_the_other_registration_work():
    call_command("seed_demo", registrants=300, no_progress=True, stdout=io.StringIO())
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"draft", "received", "awaiting_applicant", "approved", "refused", "withdrawn"}
    assert Application.objects.filter(kind="restoration").exists()
    assert Appeal.objects.exists() and MisuseOfTitleCase.objects.filter(status="completed").exists()
    assert Call.objects.exists() and EmailEnquiry.objects.filter(responded_at__isnull=False).exists()
    assert CPDRecord.objects.count() >= 80
    assert Renewal.objects.exists() == renewal_window().is_open(timezone.localdate())
    registrant = User.objects.get(username="registrant")
    assert registrant.check_password("demo-password-2026") and registrant.registrant.register_entry
    # education_qa.demo runs before the registration work: UK graduates name courses approved when they qualified.
    uk = Application.objects.filter(kind="new", route="uk").select_related("approved_course")
    assert uk.count() >= 20 and not uk.filter(approved_course__isnull=True).exists()
    assert all(course_was_approved_on(course_id=a.approved_course_id, on=a.qualified_on) for a in uk)
    assert uk.filter(status="approved").exists()


def test_register_only_skips_the_registration_work():
    call_command("seed_demo", registrants=100, register_only=True, no_progress=True, stdout=io.StringIO())
    assert not Application.objects.exists() and not Call.objects.exists()
