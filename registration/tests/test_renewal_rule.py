"""Who must renew (docs/renewal-rule.md): at the end of the window, everyone on the full register who
has not renewed is removed, except those who joined or were restored after the window opened; the
officer sees a preview (how many, who, a CSV) and confirms by typing the number."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from registration import services
from registration.models import EntryStatus, Register, RenewalWindowClosure
from registration.selectors import renewal_window_preview
from registration.tests.helpers import applicant, at
from regulator.errors import RuleViolation
from regulator.models import AuditEvent
from tests.factories import make_entry

pytestmark = [pytest.mark.dates, pytest.mark.django_db]
D = dt.date.fromisoformat
AFTER_THE_CLOSE = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)  # the 2026 window ran 1 September to 30 November


def _entry(registered_on: str, until: str | None = "2026-11-30"):
    _, registrant = applicant()
    return services.register_entry_create(
        registrant=registrant,
        route="uk",
        town="Leeds",
        actor=None,
        registered_on=D(registered_on),
        registered_until=D(until) if until else None,
    )


@pytest.mark.parametrize(
    ("registered_on", "until", "removed"),
    [
        pytest.param("2024-01-10", "2026-11-30", True, id="registered-for-years-not-renewed"),
        pytest.param("2026-08-31", "2026-11-30", True, id="registered-the-day-before-the-window-opened"),
        pytest.param("2026-09-01", "2026-11-30", False, id="registered-the-day-the-window-opened"),
        pytest.param("2026-11-27", "2026-11-30", False, id="registered-three-days-before-the-close"),
        pytest.param("2024-01-10", "2027-11-30", False, id="renewed"),
        pytest.param("2024-01-10", None, True, id="no-registration-year-recorded"),
    ],
)
def test_who_is_removed_for_not_renewing(registered_on, until, removed):
    entry = _entry(registered_on, until)
    counts = services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01"))
    entry.refresh_from_db()
    assert (entry.status == EntryStatus.REMOVED) is removed
    assert counts["removed"] == int(removed)


def test_someone_restored_after_the_window_opened_is_not_removed_that_year():
    entry = _entry("2020-01-10", "2026-11-30")
    services.register_entry_remove(entry=entry, removal_reason="voluntary", actor=None, on=D("2025-05-01"))
    entry.refresh_from_db()
    services.register_entry_restore(entry=entry, actor=None, on=D("2026-10-15"))
    services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01"))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED


def test_the_temporary_register_is_not_removed_for_not_renewing():
    temporary = make_entry(register=Register.TEMPORARY)
    services.renewal_window_close(year_ends=D("2026-11-30"), actor=None, now=at("2026-12-01"))
    temporary.refresh_from_db()
    assert temporary.status == EntryStatus.REGISTERED


@time_machine.travel(AFTER_THE_CLOSE, tick=False)
def test_the_preview_names_the_window_that_closed_and_counts_who_the_removal_takes():
    lapsed = _entry("2024-01-10")
    _entry("2026-11-27")  # joined three days before the close: not counted
    preview = renewal_window_preview()
    assert (preview.window.opens, preview.window.closes) == (D("2026-09-01"), D("2026-11-30"))
    assert preview.current.closes == D("2027-11-30")
    assert preview.count == 1 and preview.confirmation == "remove 1"
    assert list(preview.entries()) == [lapsed]


@time_machine.travel(AFTER_THE_CLOSE, tick=False)
@pytest.mark.parametrize("typed", ["", "remove", "remove 2", "yes", "remove 10"])
def test_the_removal_is_refused_without_the_typed_number(typed, officer):
    _entry("2024-01-10")
    with pytest.raises(RuleViolation) as refused:
        services.renewal_window_closure_request(actor=officer, confirmation=typed)
    assert refused.value.field == "confirmation" and '"remove 1"' in refused.value.message
    assert not RenewalWindowClosure.objects.exists()


@time_machine.travel(AFTER_THE_CLOSE, tick=False)
def test_the_confirmation_is_kept_on_the_audit_trail(officer, django_capture_on_commit_callbacks):
    entry = _entry("2024-01-10")
    with django_capture_on_commit_callbacks(execute=True):
        closure = services.renewal_window_closure_request(actor=officer, confirmation="Remove 1")
    audit = AuditEvent.objects.get(action="renewal_window_closure.requested", object_id=str(closure.pk))
    assert audit.after["confirmation"] == "Remove 1" and audit.after["to_remove"] == 1
    assert audit.actor == officer
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REMOVED


@time_machine.travel(AFTER_THE_CLOSE, tick=False)
def test_the_page_previews_lists_downloads_and_asks_for_the_number(client, officer, django_capture_on_commit_callbacks):
    lapsed = _entry("2024-01-10")
    joined = _entry("2026-11-27")
    client.force_login(officer)
    url = reverse("registration-work:renewal_window")
    page = client.get(url).content.decode()
    assert "1 September 2026 to 30 November 2026" in page
    assert "1 person will be removed for failure to renew" in page
    assert lapsed.registration_number in page and joined.registration_number not in page
    assert "To confirm, type <strong>remove 1</strong>" in page
    download = client.get(reverse("registration-work:renewal_window_preview"))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert rows[0][0] == "registration_number" and [r[0] for r in rows[1:]] == [lapsed.registration_number]
    refused = client.post(url, {"action": "close-window", "confirmation": "yes"})
    assert refused.status_code == 400 and "To confirm, type" in refused.content.decode()
    assert not RenewalWindowClosure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"action": "close-window", "confirmation": "remove 1"})
    assert done.status_code == 302
    lapsed.refresh_from_db()
    joined.refresh_from_db()
    assert lapsed.status == EntryStatus.REMOVED and joined.status == EntryStatus.REGISTERED


def test_the_preview_download_is_for_registration_officers_only(client, user_with_role):
    client.force_login(user_with_role("ftp_case_handler"))
    assert client.get(reverse("registration-work:renewal_window_preview")).status_code in (403, 404)
