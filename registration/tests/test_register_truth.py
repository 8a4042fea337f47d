"""What the public and employers read on the register is true: a restricted social worker's status
says so in words and colour with the order's dates, ended orders stay as long as the rule publishes
them, temporary registration ends on its end date, and misspelt names are found on SQLite as on
PostgreSQL."""

import datetime as dt
import random

import pytest
import time_machine
from django.utils import timezone

from fitness_to_practise.models import Order
from fitness_to_practise.tests.factories import open_case
from registration import name_vocabulary, selectors
from registration.checks import check_numbers, rows_as_csv
from registration.demo import load_register
from registration.models import RegisterEntry, RegisterEvent
from registration.register_status import ENDED_ORDER_PUBLISHED_YEARS
from registration.services import temporary_registrations_end
from regulator.models import AuditEvent
from tests.factories import make_entry

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

TODAY = dt.date(2026, 6, 15)


def order_on(entry, kind, *, starts_on, ends_on):
    case = open_case(entry=entry)
    made_by = Order.MadeBy.INTERIM_ORDER_HEARING if kind.startswith("interim") else Order.MadeBy.HEARING
    return Order.objects.create(
        case=case, entry=entry, kind=kind, made_by=made_by, made_at=timezone.now(), starts_on=starts_on, ends_on=ends_on
    )


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("kind", "words", "colour"),
    [
        (Order.Kind.SUSPENSION, "Registered: suspended", "red"),
        (Order.Kind.CONDITIONS, "Registered: conditions of practice", "orange"),
        (Order.Kind.INTERIM_SUSPENSION, "Registered: interim suspension", "red"),
        (Order.Kind.INTERIM_CONDITIONS, "Registered: interim conditions of practice", "orange"),
    ],
)
def test_a_restricted_social_worker_reads_as_restricted_in_words_and_colour_with_the_orders_dates(
    client, frozen, kind, words, colour
):
    entry = make_entry(given_name="Sally", family_name="Suspended")
    order_on(entry, kind, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 11, 1))
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert f'<strong class="govuk-tag govuk-tag--{colour}">{words}</strong>' in page
    assert "from 1 May 2026 to 31 October 2026" in page  # ends_on is the first day out of force
    assert 'govuk-tag--green">Registered<' not in page
    results = client.get("/register/", {"q": "Sally Suspended"}).content.decode()
    assert f'govuk-tag--{colour}">{words}</strong>' in results
    assert "from 1 May 2026 to 31 October 2026" in results


def test_suspension_outranks_conditions_when_both_are_in_force(client, frozen):
    entry = make_entry()
    order_on(entry, Order.Kind.CONDITIONS, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1))
    order_on(entry, Order.Kind.INTERIM_SUSPENSION, starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 12, 1))
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert "Registered: interim suspension" in page
    assert "Conditions of practice order from 1 January 2026 to 31 December 2026" in page  # still listed


def test_an_unrestricted_social_worker_reads_registered_in_green(client, frozen):
    entry = make_entry()
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert 'govuk-tag--green">Registered</strong>' in page


def test_the_employer_checks_table_shows_every_order_in_force_on_screen(client, frozen):
    suspended, clear = make_entry(), make_entry()
    order_on(suspended, Order.Kind.SUSPENSION, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2027, 3, 1))
    order_on(suspended, Order.Kind.WARNING, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 1, 1))
    response = client.post(
        "/register/check/", {"numbers": f"{suspended.registration_number}\n{clear.registration_number}", "check": ""}
    )
    page = response.content.decode()
    assert "Orders in force" in page
    assert "Registered: suspended" in page
    assert "Suspension order from 1 March 2026 to 28 February 2027" in page
    assert "Warning from 1 January 2026 to 31 December 2027" in page
    rows = rows_as_csv(check_numbers([suspended.registration_number]))
    assert "Registered: suspended" in rows


def test_the_employer_check_keeps_a_constant_number_of_queries(client, frozen, django_assert_max_num_queries):
    entries = [make_entry() for _ in range(6)]
    for entry in entries[:3]:
        order_on(entry, Order.Kind.CONDITIONS, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1))
    numbers = "\n".join(e.registration_number for e in entries)
    with django_assert_max_num_queries(6):
        client.post("/register/check/", {"numbers": numbers, "check": ""})


def test_an_ended_final_order_stays_in_the_published_history_for_five_years_and_an_interim_one_does_not(client, frozen):
    entry = make_entry()
    order_on(entry, Order.Kind.CONDITIONS, starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2024, 1, 1))
    order_on(entry, Order.Kind.SUSPENSION, starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 6, 15))  # 5 years
    order_on(entry, Order.Kind.INTERIM_SUSPENSION, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 7, 1))
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert ENDED_ORDER_PUBLISHED_YEARS == 5
    assert "Ended orders" in page
    assert "Conditions of practice order from 1 January 2023 to 31 December 2023 (ended)" in page
    assert "Suspension order" not in page  # ended five years ago today: no longer published
    assert "Interim suspension order" not in page  # interim orders leave the register when they end
    assert 'govuk-tag--green">Registered</strong>' in page  # nothing in force now


def test_the_public_api_gives_the_status_in_words(api_client, frozen):
    entry = make_entry()
    order_on(entry, Order.Kind.CONDITIONS, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 1, 1))
    body = api_client.get(f"/api/v1/register/{entry.registration_number}/").json()
    assert body["status_in_words"] == "Registered: conditions of practice"


# --- Temporary registration ends on its end date ---------------------------------------------------


def temporary_entry(until):
    entry = make_entry(register="temporary")
    RegisterEntry.objects.filter(pk=entry.pk).update(temporary_until=until)
    return entry


def test_temporary_registration_ends_on_its_end_date_with_its_register_event(frozen):
    ended = temporary_entry(dt.date(2026, 6, 15))
    later = temporary_entry(dt.date(2026, 6, 16))
    assert temporary_registrations_end() == {"removed": 1, "skipped": 0}
    ended.refresh_from_db()
    later.refresh_from_db()
    assert (ended.status, ended.removal_reason, ended.status_changed_on) == (
        "removed",
        "temporary_ended",
        dt.date(2026, 6, 15),
    )
    event = RegisterEvent.objects.get(entry=ended, kind="removed")
    assert (event.on, event.detail) == (dt.date(2026, 6, 15), "temporary_ended")
    assert AuditEvent.objects.filter(action="register_entry.removed", object_id=str(ended.pk)).count() == 1
    assert later.status == "registered"


def test_ending_temporary_registrations_twice_changes_nothing_the_second_time(frozen):
    temporary_entry(dt.date(2022, 3, 24))
    assert temporary_registrations_end()["removed"] == 1
    assert temporary_registrations_end()["removed"] == 0
    assert RegisterEvent.objects.filter(kind="removed").count() == 1


def test_the_entry_says_temporary_registration_ended_even_before_the_job_has_run(client, frozen):
    entry = temporary_entry(dt.date(2026, 6, 15))
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert "Removed: temporary registration ended" in page
    assert "temporary registration ended on 15 June 2026" in page
    temporary_registrations_end()
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert "Removed: temporary registration ended" in page
    assert 'govuk-tag--green">Registered<' not in page


def test_a_current_temporary_entry_says_when_it_ends(client, frozen):
    entry = temporary_entry(dt.date(2026, 9, 1))
    page = client.get(f"/register/{entry.registration_number}/").content.decode()
    assert 'govuk-tag--green">Registered</strong>' in page
    assert "temporary registration ends on 1 September 2026" in page


def test_the_beat_schedule_runs_the_temporary_register_job_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["registration-end-temporary-registrations"]
    assert entry["task"] == "registration.tasks.end_temporary_registrations"


# --- Misspelt names on the default run (SQLite) as on PostgreSQL ------------------------------------


def test_pg_trgm_similarity_is_the_same_in_memory(django_db_setup, db):
    from django.db import connection

    pairs = [("jenifer", "jennifer"), ("ker", "kerr"), ("smyth", "smith"), ("o brien", "obrien"), ("al", "ali")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            expected = cursor.fetchone()[0]
            got = name_vocabulary.similarity(name_vocabulary.trigrams(a), name_vocabulary.trigrams(b))
            assert got == pytest.approx(expected, abs=1e-6), (a, b)


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(len(word))
    edit = rng.choice(["drop", "double", "swap"])
    if edit == "drop" and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if edit == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def _search(q: str, *, in_memory: bool, settings) -> list[str]:
    settings.REGISTER_NAME_VOCABULARY_IN_MEMORY = in_memory
    selectors._neighbours.clear()
    entries = selectors.register_search(selectors.parse_search(q))
    return list(entries.values_list("registration_number", flat=True)[:20])


def test_misspelt_names_find_the_same_entries_in_memory_as_with_pg_trgm_on_the_demo_register(settings):
    load_register(1500, random.Random(7), progress=False)
    rng = random.Random(11)
    people = list(RegisterEntry.objects.order_by("id").values_list("search_given", "search_family")[:: 1500 // 60])
    queries = ["jenifer ker", "jon smyth"]
    for given, family in people:
        queries.append(f"{_misspell(given, rng)} {_misspell(family, rng)}")
        queries.append(_misspell(family, rng))
    compared = 0
    for q in queries:
        on_postgresql = _search(q, in_memory=False, settings=settings)
        in_memory = _search(q, in_memory=True, settings=settings)
        assert in_memory == on_postgresql, q
        compared += bool(on_postgresql)
    assert compared > len(queries) // 2  # most misspellings do find someone: the comparison means something


def test_jenifer_ker_finds_jennifer_kerr_on_the_in_memory_path(client, settings):
    settings.REGISTER_NAME_VOCABULARY_IN_MEMORY = True
    entry = make_entry(given_name="Jennifer", family_name="Kerr")
    make_entry(given_name="Priya", family_name="Patel")
    page = client.get("/register/", {"q": "Jenifer Ker"}).content.decode()
    assert "1 result" in page and entry.registration_number in page
