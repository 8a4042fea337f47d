"""Orders on the public register: shown (type and dates) the day they are made, gone the day they end,
removal removes the entry; nothing else of a case is public. Reviews and expiry by the Celery sweep."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fitness_to_practise import services
from fitness_to_practise.models import CaseEvent, Hearing, InterimOrderState, Order, State
from registration.selectors import register_entry_public
from regulator.working_days import add_calendar_months

from .factories import case_in_state, open_case

pytestmark = pytest.mark.dates

REASON = "The panel's reasons."


def _public(client, entry):
    return client.get(f"/api/v1/register/{entry.registration_number}/").json()


@pytest.mark.django_db
def test_an_interim_suspension_shows_on_the_public_register_the_moment_it_is_made(client):
    case = case_in_state(State.INVESTIGATION, interim="need_identified")
    assert _public(client, case.entry)["orders"] == []
    services.interim_order_decide(
        case_id=case.pk, version=case.version, actor=None, reason=REASON, sanction="suspension", months=18
    )
    today = timezone.localdate()
    body = _public(client, case.entry)
    assert body["orders"] == [
        {
            "type": "interim_suspension",
            "label": "Interim suspension order",
            "start": today.isoformat(),
            "end": add_calendar_months(today, 18).isoformat(),
        }
    ]
    page = client.get(f"/register/{case.entry.registration_number}/").content.decode()
    assert "Interim suspension order" in page
    search = client.get("/register/", {"q": case.entry.registration_number}).content.decode()
    assert "Interim suspension order" in search
    # Nothing else of the case reaches the public: no reference, no reason, no concern.
    for text in (case.reference, REASON, "did not visit the child"):
        assert text not in page and text not in str(body)


@pytest.mark.django_db
def test_an_order_leaves_the_public_register_on_the_day_it_ends(client):
    case = case_in_state(State.INVESTIGATION, interim="need_identified")
    start = dt.datetime(2026, 1, 15, 11, tzinfo=dt.UTC)
    services.interim_order_decide(
        case_id=case.pk, version=case.version, actor=None, reason=REASON, sanction="conditions", months=6, at=start
    )
    order = Order.objects.get(case=case)
    assert order.starts_on == dt.date(2026, 1, 15) and order.ends_on == dt.date(2026, 7, 15)
    in_force = Order.objects.in_force
    assert list(in_force(dt.date(2026, 1, 14))) == []
    assert list(in_force(dt.date(2026, 1, 15))) == [order]
    assert list(in_force(dt.date(2026, 7, 14))) == [order]
    assert list(in_force(dt.date(2026, 7, 15))) == []
    # The register reads today's date: an order that ended yesterday is not shown.
    Order.objects.filter(pk=order.pk).update(starts_on=dt.date(2025, 1, 1), ends_on=timezone.localdate())
    assert register_entry_public(case.entry.registration_number).orders_in_force == []


@pytest.mark.django_db
def test_a_removal_order_removes_the_entry_from_the_register(client):
    case = case_in_state(State.HEARING)
    services.hearing_conclude(
        case_id=case.pk,
        version=case.version,
        hearing_id=case.hearings.get().pk,
        actor=None,
        reason=REASON,
        impaired=True,
        sanction="removal",
    )
    case.refresh_from_db()
    assert case.state == State.CLOSED
    body = _public(client, case.entry)
    assert body["status"] == "removed" and body["removal_reason"] == "order"
    assert [o["type"] for o in body["orders"]] == ["removal"] and body["orders"][0]["end"] is None


@pytest.mark.django_db
def test_a_final_order_replaces_the_interim_order():
    case = case_in_state(State.HEARING, interim="in_force")
    services.hearing_conclude(
        case_id=case.pk,
        version=case.version,
        hearing_id=case.hearings.get().pk,
        actor=None,
        reason=REASON,
        impaired=True,
        sanction="conditions",
        months=12,
    )
    case.refresh_from_db()
    today = timezone.localdate()
    assert [o.kind for o in Order.objects.in_force(today).filter(case=case)] == ["conditions"]
    assert case.interim_order_state == InterimOrderState.NONE
    assert case.state == State.ORDER_MONITORING


@pytest.mark.django_db
def test_the_employer_check_csv_lists_orders_in_force(client):
    case = case_in_state(State.INVESTIGATION, interim="in_force")
    response = client.post("/register/check/", {"numbers": case.entry.registration_number, "download": ""})
    text = response.content.decode()
    assert text.splitlines()[0].endswith(",orders")
    assert "Interim suspension order from" in text


@pytest.mark.django_db
def test_the_public_search_makes_the_same_number_of_queries_with_orders(client, django_assert_num_queries):
    from tests.factories import make_entry

    for i in range(3):
        make_entry(given_name="Ordered", family_name=f"Person{i}", town="Leeds")
    client.get("/register/", {"town": "Leeds"})  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/register/", {"town": "Leeds"})
    for i in range(3):
        case_in_state(State.INVESTIGATION, interim="in_force", entry=make_entry(given_name="More", family_name=f"X{i}"))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/api/v1/register/", {"town": "Leeds"})


# --- Reviews and expiry ---


@pytest.mark.django_db
def test_the_sweep_lists_a_review_before_it_falls_due_once_and_records_orders_that_ended():
    case = case_in_state(State.ORDER_MONITORING)
    order = case.orders.get()
    today = timezone.localdate()
    assert services.orders_sweep(today=today)["reviews_scheduled"] == 0
    later = order.review_due_on - dt.timedelta(days=services.REVIEW_LISTING_NOTICE_DAYS)
    assert services.orders_sweep(today=later)["reviews_scheduled"] == 1
    assert services.orders_sweep(today=later)["reviews_scheduled"] == 0
    review = Hearing.objects.get(case=case, kind="order_review")
    assert review.starts_on == order.review_due_on
    assert CaseEvent.objects.filter(case=case, kind="order_review_scheduled").count() == 1
    counts = services.orders_sweep(today=order.ends_on)
    assert counts["orders_ended"] == 1
    case.refresh_from_db()
    assert case.state == State.CLOSED
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))[-2:] == [
        "order_expired",
        "case_closed",
    ]


@pytest.mark.django_db
def test_an_interim_order_that_ends_ends_the_interim_order_state():
    case = case_in_state(State.INVESTIGATION, interim="in_force")
    order = case.orders.get()
    services.orders_sweep(today=order.ends_on)
    case.refresh_from_db()
    assert case.interim_order_state == InterimOrderState.NONE and case.state == State.INVESTIGATION


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_do_not_both_run():
    open_case()
    held = threading.Event()
    release = threading.Event()
    results = {}

    def hold_lock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services.SWEEP_LOCK_KEY])
            held.set()
            release.wait(10)
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services.SWEEP_LOCK_KEY])
        connection.close()

    thread = threading.Thread(target=hold_lock)
    thread.start()
    held.wait(10)
    results["second"] = services.orders_sweep()
    release.set()
    thread.join()
    assert results["second"]["skipped"] == 1
    assert services.orders_sweep()["skipped"] == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_on_a_real_worker_against_redis(settings):
    from celery.contrib.testing.worker import start_worker

    from fitness_to_practise.tasks import orders_sweep
    from regulator.celery import app

    case = case_in_state(State.INVESTIGATION, interim="in_force")
    Order.objects.filter(case=case).update(starts_on=dt.date(2025, 1, 1), ends_on=timezone.localdate())
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            orders_sweep.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                case.refresh_from_db()
                if case.interim_order_state == InterimOrderState.NONE:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert case.interim_order_state == InterimOrderState.NONE
    assert CaseEvent.objects.filter(case=case, kind="order_expired").exists()
