"""The shared first and last step of every state change: lock, check version and state, save."""

import datetime as dt

import pytest

from registration.models import RegisterEntry
from regulator.errors import InvalidTransition, RuleViolation, StaleState
from regulator.transitions import check_event_date, lock_for_change, save_new_version, today
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_a_caller_who_read_an_older_version_is_told_it_changed_under_them():
    entry = make_entry()
    with pytest.raises(StaleState, match="changed by someone else since you opened it"):
        lock_for_change(RegisterEntry, entry.pk, version=entry.version - 1)


def test_a_state_that_does_not_allow_the_action_is_refused_with_the_state_named():
    entry = make_entry()
    with pytest.raises(InvalidTransition, match="is registered, so it cannot be restored"):
        lock_for_change(RegisterEntry, entry.pk, version=entry.version, allowed=["removed"], action="restored")


def test_the_current_version_in_an_allowed_state_is_locked_and_returned():
    entry = make_entry()
    locked = lock_for_change(RegisterEntry, entry.pk, version=entry.version, allowed=["registered"])
    assert locked.pk == entry.pk
    save_new_version(locked, ["town"])
    entry.refresh_from_db()
    assert entry.version == locked.version == 2


def test_event_dates_cannot_be_in_the_future_or_before_what_they_follow():
    with pytest.raises(RuleViolation, match="future"):
        check_event_date(today() + dt.timedelta(days=1))
    with pytest.raises(RuleViolation, match="cannot be before 2 March 2020") as error:
        check_event_date(dt.date(2020, 3, 1), not_before=dt.date(2020, 3, 2), field="closed_on")
    assert error.value.field == "closed_on"
    check_event_date(dt.date(2020, 3, 2), not_before=dt.date(2020, 3, 2))
