"""Register changes go through services that check the state and write the event and the audit."""

import re

import pytest

from registration.models import EntryStatus, RegisterEvent, RemovalReason
from registration.services import issue_registration_number, register_entry_remove, register_entry_restore
from regulator.errors import InvalidTransition
from regulator.models import AuditEvent
from tests.factories import UserFactory, make_entry

pytestmark = pytest.mark.django_db


def test_registration_numbers_are_sw_and_digits_and_never_repeat():
    issued = {issue_registration_number() for _ in range(50)}
    assert len(issued) == 50
    assert all(re.fullmatch(r"SW\d+", n) for n in issued)


def test_removing_an_entry_records_the_dated_event_and_the_audit():
    officer = UserFactory()
    entry = make_entry(actor=officer)
    register_entry_remove(entry=entry, removal_reason=RemovalReason.VOLUNTARY, actor=officer, reason="Retired")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED and entry.removal_reason == "voluntary"
    event = entry.events.get(kind=RegisterEvent.Kind.REMOVED)
    assert event.actor == officer and event.reason == "Retired"
    assert AuditEvent.objects.filter(action="register_entry.removed", object_id=str(entry.pk)).exists()


def test_a_removed_entry_cannot_be_removed_again_and_nothing_is_written():
    entry = make_entry()
    register_entry_remove(entry=entry, removal_reason=RemovalReason.VOLUNTARY, actor=None)
    events_before, audits_before = RegisterEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(InvalidTransition):
        register_entry_remove(entry=entry, removal_reason=RemovalReason.VOLUNTARY, actor=None)
    assert (RegisterEvent.objects.count(), AuditEvent.objects.count()) == (events_before, audits_before)


def test_a_registered_entry_cannot_be_restored():
    with pytest.raises(InvalidTransition):
        register_entry_restore(entry=make_entry(), actor=None)


def test_restoring_a_removed_entry_puts_it_back_on_the_register():
    entry = make_entry()
    register_entry_remove(entry=entry, removal_reason=RemovalReason.FAILURE_TO_RENEW, actor=None)
    register_entry_restore(entry=entry, actor=None, reason="Restoration approved")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED and entry.removal_reason == ""
    assert list(entry.events.values_list("kind", flat=True)) == ["registered", "removed", "restored"]
