"""Annual renewal with CPD, the end of the window, reminders, the temporary register."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection

from registration import services
from registration.clocks import renewal_window
from registration.models import EntryStatus, Register, RegisterEntry, RegisterEvent, Renewal
from registration.reminders import renewal_reminders_send
from registration.services.renewals import WINDOW_CLOSE_LOCK
from registration.tests.helpers import applicant, at, cpd
from regulator.errors import InvalidTransition, RuleViolation
from regulator.models import AuditEvent
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date.fromisoformat


def registered(until="2026-11-30", **kwargs):
    """A registered social worker with a sign-in, registered until the end of the 2025-26 year."""
    user, registrant = applicant(**kwargs)
    entry = services.register_entry_create(
        registrant=registrant,
        route="uk",
        town="Leeds",
        actor=None,
        registered_on=D("2024-01-10"),
        registered_until=D(until),
    )
    return user, registrant, entry


def renew(user, registrant, when="2026-10-01", token="success", declarations=True):  # noqa: S107
    return services.renewal_submit(
        registrant=registrant, actor=user, declarations_confirmed=declarations, payment_token=token, now=at(when)
    )


def test_the_window_is_1_september_to_30_november_by_default():
    window = renewal_window(D("2026-10-01"))
    assert (window.opens, window.closes, window.next_year_ends) == (D("2026-09-01"), D("2026-11-30"), D("2027-11-30"))


def test_renewal_with_two_cpd_records_one_with_peer_reflection_extends_the_registration():
    user, registrant, entry = registered()
    cpd(registrant, on=D("2026-02-01"))
    cpd(registrant, on=D("2026-05-01"), peer=True)
    renewal = renew(user, registrant)
    entry.refresh_from_db()
    assert entry.registered_until == D("2027-11-30") == renewal.renewed_until
    assert entry.events.filter(kind=RegisterEvent.Kind.RENEWED).count() == 1
    assert AuditEvent.objects.filter(action="register_entry.renewed", object_id=str(entry.pk)).exists()


@pytest.mark.parametrize(
    ("records", "why"),
    [
        ([("2026-02-01", True)], "only one record"),
        ([("2026-02-01", False), ("2026-03-01", False)], "no peer reflection"),
        ([("2025-11-30", True), ("2026-03-01", False)], "one record dated in the year before"),
    ],
)
def test_renewal_is_refused_unless_the_cpd_rule_is_met(records, why):
    user, registrant, _ = registered()
    for on, peer in records:
        cpd(registrant, on=D(on), peer=peer)
    with pytest.raises(RuleViolation) as caught:
        renew(user, registrant)
    assert caught.value.field == "cpd", why
    assert not Renewal.objects.exists()


def test_the_cpd_rule_is_configurable(settings):
    settings.REGISTRATION_CPD_MINIMUM_RECORDS = 1
    settings.REGISTRATION_CPD_MINIMUM_WITH_PEER_REFLECTION = 0
    user, registrant, _ = registered()
    cpd(registrant, on=D("2026-02-01"))
    assert renew(user, registrant)


@pytest.mark.parametrize("when", ["2026-08-31", "2026-12-01"])
def test_renewal_is_refused_outside_the_window(when):
    user, registrant, _ = registered()
    cpd(registrant, on=D("2026-02-01"))
    cpd(registrant, on=D("2026-03-01"), peer=True)
    with pytest.raises(InvalidTransition):
        renew(user, registrant, when=when)


def test_renewing_twice_is_refused_and_nothing_is_duplicated():
    user, registrant, entry = registered()
    cpd(registrant, on=D("2026-02-01"))
    cpd(registrant, on=D("2026-03-01"), peer=True)
    renew(user, registrant)
    with pytest.raises(InvalidTransition, match="already renewed"):
        renew(user, registrant, when="2026-10-02")
    assert Renewal.objects.count() == 1 and entry.events.filter(kind="renewed").count() == 1


def test_a_declined_payment_or_missing_declarations_renews_nothing():
    user, registrant, entry = registered()
    cpd(registrant, on=D("2026-02-01"))
    cpd(registrant, on=D("2026-03-01"), peer=True)
    with pytest.raises(RuleViolation) as caught:
        renew(user, registrant, token="fail")
    assert caught.value.field == "payment"
    with pytest.raises(RuleViolation) as caught:
        renew(user, registrant, declarations=False)
    assert caught.value.field == "declarations_confirmed"
    entry.refresh_from_db()
    assert entry.registered_until == D("2026-11-30") and not Renewal.objects.exists()


def test_cpd_needs_who_and_when_for_peer_reflection():
    _, registrant, _ = registered()
    with pytest.raises(RuleViolation) as caught:
        services.cpd_record_add(
            registrant=registrant,
            actor=None,
            kind="course",
            done_on=D("2026-02-01"),
            description="d",
            learning="l",
            impact="i",
            peer_reflection=True,
            today=D("2026-03-01"),
        )
    assert caught.value.field == "peer_name"


def test_the_end_of_the_window_removes_everyone_who_has_not_renewed_and_running_twice_changes_nothing():
    renewed_user, renewed_registrant, renewed_entry = registered()
    cpd(renewed_registrant, on=D("2026-02-01"))
    cpd(renewed_registrant, on=D("2026-03-01"), peer=True)
    renew(renewed_user, renewed_registrant)
    _, _, lapsed = registered()
    temporary = make_entry(register=Register.TEMPORARY)
    first = services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01", 1))
    assert first == {"removed": 1, "added_to_temporary": 0, "renewed": 1, "skipped": 0}
    lapsed.refresh_from_db()
    assert lapsed.status == EntryStatus.REMOVED and lapsed.removal_reason == "failure_to_renew"
    assert lapsed.status_changed_on == D("2026-12-01")
    assert lapsed.events.filter(kind="removed", detail="failure_to_renew").count() == 1
    assert AuditEvent.objects.filter(action="register_entry.removed", object_id=str(lapsed.pk)).count() == 1
    second = services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-02"))
    assert second["removed"] == 0
    assert RegisterEvent.objects.filter(kind="removed").count() == 1
    renewed_entry.refresh_from_db()
    temporary.refresh_from_db()
    assert renewed_entry.status == temporary.status == EntryStatus.REGISTERED


def test_the_window_cannot_be_closed_before_it_has_closed():
    with pytest.raises(InvalidTransition):
        services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-11-30", 23))


def test_with_emergency_powers_those_removed_are_added_to_the_temporary_register(settings):
    settings.REGISTRATION_EMERGENCY_POWERS = True
    _, _, lapsed = registered()
    counts = services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01"))
    assert counts["removed"] == counts["added_to_temporary"] == 1
    lapsed.refresh_from_db()
    assert (lapsed.register, lapsed.status, lapsed.temporary_until) == ("temporary", "registered", D("2027-12-01"))
    assert list(lapsed.events.values_list("kind", flat=True)) == ["registered", "removed", "moved_to_temporary"]


@pytest.mark.django_db(transaction=True)
def test_a_second_sweep_running_at_the_same_time_skips():
    registered()
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WINDOW_CLOSE_LOCK])
            counts = services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01"))
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert counts["skipped"] == 1 and RegisterEntry.objects.filter(status="removed").count() == 0
    assert connection.vendor == "postgresql"


def test_reminders_go_only_to_those_who_have_not_renewed_on_reminder_days():
    renewed_user, renewed_registrant, _ = registered()
    cpd(renewed_registrant, on=D("2026-02-01"))
    cpd(renewed_registrant, on=D("2026-03-01"), peer=True)
    renew(renewed_user, renewed_registrant)
    _, waiting, _ = registered()
    assert renewal_reminders_send(today=D("2026-11-01")) == 0  # not a reminder day
    assert renewal_reminders_send(today=D("2026-11-16")) == 1  # 14 days before the close
    assert mail.outbox[0].to == [waiting.email] and "30 November 2026" in mail.outbox[0].body
    assert renewal_reminders_send(today=D("2026-11-16")) == 0  # run again the same day: nothing twice
    assert len(mail.outbox) == 1


def test_temporary_register_bulk_add_and_remove_with_reason_and_end_date():
    removed = [make_entry() for _ in range(2)]
    for entry in removed:
        services.register_entry_remove(entry=entry, removal_reason="failure_to_renew", actor=None)
    numbers = [e.registration_number for e in removed] + ["SW1"]
    counts = services.temporary_register_add(
        registration_numbers=numbers,
        until=(dt.date.today() + dt.timedelta(days=90)),
        reason="Emergency powers",
        actor=None,
    )
    assert counts == {"added": 2, "not_eligible": 1}
    assert set(RegisterEntry.objects.filter(register="temporary").values_list("temporary_until", flat=True)) == {
        (dt.date.today() + dt.timedelta(days=90))
    }
    counts = services.temporary_register_remove(registration_numbers=numbers, reason="Powers ended", actor=None)
    assert counts == {"removed": 2, "not_on_temporary_register": 1}
    assert set(RegisterEntry.objects.values_list("removal_reason", flat=True)) == {"temporary_ended"}


@pytest.mark.django_db(transaction=True)
def test_two_renewals_of_the_same_entry_at_once_renew_it_exactly_once():
    """Two real connections submit the same person's renewal together: one renews, one is refused."""
    import threading

    from django.db import connection as default_connection

    user, registrant, entry = registered()
    cpd(registrant, on=D("2026-02-01"))
    cpd(registrant, on=D("2026-03-01"), peer=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            renew(user, registrant)
            outcomes.append("renewed")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            default_connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "renewed"]
    assert Renewal.objects.count() == 1 and entry.events.filter(kind="renewed").count() == 1
