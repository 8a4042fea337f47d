"""The audit trail records who, when, what changed and why, and nothing can change or remove it."""

import pytest
from django.db import DatabaseError, connection, transaction

from regulator.audit import audit_record, audit_trail_for
from regulator.models import AppendOnlyError, AuditEvent
from tests.factories import UserFactory, make_entry

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_before_after_and_reason_as_a_diff():
    officer = UserFactory(username="rita")
    entry = make_entry(actor=officer)
    event = audit_record(
        actor=officer,
        action="register_entry.details_changed",
        obj=entry,
        before={"town": "Leeds", "register": "full"},
        after={"town": "York", "register": "full"},
        reason="Moved job",
    )
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.reason) == (officer, "rita", "Moved job")
    assert event.before == {"town": "Leeds"} and event.after == {"town": "York"}
    assert [e.action for e in audit_trail_for(entry)] == ["register_entry.created", "register_entry.details_changed"]


def test_system_jobs_are_recorded_under_their_label():
    event = audit_record(actor="renewal-window-close", action="job.ran", object_type="job", object_id="1")
    assert event.actor is None and event.actor_label == "renewal-window-close"


def test_an_audit_event_cannot_be_saved_again_updated_or_deleted_through_the_orm():
    event = audit_record(actor=None, action="x", object_type="t", object_id="1")
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE regulator_auditevent SET reason = 'rewritten'",
        "DELETE FROM regulator_auditevent",
    ],
)
def test_the_database_itself_refuses_to_change_the_audit_trail(statement):
    audit_record(actor=None, action="x", object_type="t", object_id="1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.filter(reason="").count() == 1
