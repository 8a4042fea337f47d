"""The operators' commands in docs/runbook.md: create an administrator, re-send a failed letter, re-run a
sweep for a day."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from regulator.models import AuditEvent, Notification, User
from regulator.roles import Role, has_role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_create_admin_takes_a_password_from_the_environment_checks_it_and_audits(monkeypatch, settings):
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        run("create_admin", "--username", "ops", "--email", "ops@example.org", "--password-env", "ADMIN_PASSWORD")
    monkeypatch.setenv("ADMIN_PASSWORD", "a-long-and-Unguessable-passphrase-7")
    settings.ADMIN_ENROLMENT_HOOK = "regulator.tests.test_operator_commands.enrol"
    out = run("create_admin", "--username", "ops", "--email", "ops@example.org", "--password-env", "ADMIN_PASSWORD")
    user = User.objects.get(username="ops")
    assert has_role(user, Role.ADMINISTRATOR) and user.check_password("a-long-and-Unguessable-passphrase-7")
    assert "Created administrator ops" in out and "enrol ops at /2fa/" in out
    assert AuditEvent.objects.filter(action="user.administrator_created", object_id=str(user.pk)).exists()


def enrol(user):
    return f"enrol {user.username} at /2fa/"


def test_resend_sends_a_failed_letter_and_leaves_a_sent_one(settings):
    from regulator import notifications

    row = notifications.notification_prepare(
        template="registration_decision_letter",
        to="ada@example.org",
        personalisation={"full_name": "Ada", "subject": "Approved", "body": "Welcome"},
        reference="registration-letter:9",
    )
    Notification.objects.filter(pk=row.pk).update(status="failed", error="SMTP down")
    assert "1 sent" in run("resend_notification", "registration-letter:9")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Approved"
    assert "sent already" in run("resend_notification", str(row.pk))
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError):
        run("resend_notification")


def test_rerun_sweep_sends_the_reminders_of_a_past_day_once():
    import time_machine

    from regulator.tests.test_notifications import registered

    person = registered("late@example.org")
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC), tick=False):
        assert "renewal-reminders for 2026-11-16: 1" in run("rerun_sweep", "renewal-reminders", "--day", "2026-11-16")
        assert "renewal-reminders for 2026-11-16: 0" in run("rerun_sweep", "renewal-reminders", "--day", "2026-11-16")
        with pytest.raises(CommandError, match="not come"):
            run("rerun_sweep", "renewal-reminders", "--day", "2026-11-27")
    assert [m.to for m in mail.outbox] == [[person.email]]
