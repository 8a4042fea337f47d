"""Liveness and readiness: what load balancers and docker-compose's healthchecks ask."""

import pytest

from regulator.tests.test_outbox import CLOSED_PORT, real_broker

pytestmark = pytest.mark.django_db(transaction=True)


def test_liveness_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readiness_checks_the_database_the_cache_the_broker_and_the_storage(client):
    with real_broker():
        response = client.get("/readyz/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    checks = response.json()
    assert len(checks) == 4 and set(checks.values()) == {"OK"}
    names = " ".join(checks)
    for name in ("Database", "Cache", "Broker", "Storage"):
        assert name in names
    assert response["Cache-Control"] in ("no-store", "no-cache") or "no-cache" in response["Cache-Control"]


def test_readiness_is_503_with_the_broker_down(client):
    with real_broker(CLOSED_PORT):
        response = client.get("/readyz/?format=json")
    assert response.status_code == 503 and response["Retry-After"]
    assert [v for k, v in response.json().items() if "Broker" in k] == ["Unavailable: broker unreachable"]


def test_readiness_answers_when_the_calling_thread_runs_an_event_loop(client):
    """django-health-check's view is async; ours runs it on a thread of its own, so it answers whatever the
    serving thread has running (the browser tests' Playwright keeps a loop in the main thread)."""
    import asyncio

    async def ask():
        return client.get("/readyz/?format=json")

    from concurrent.futures import ThreadPoolExecutor

    # The loop runs on a thread of the test's own: the main thread may already run Playwright's loop, and a
    # second loop cannot be started where one is running.
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(asyncio.run, ask()).result(timeout=60)
    assert response.status_code == 200, response.content
