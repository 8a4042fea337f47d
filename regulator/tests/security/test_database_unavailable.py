"""The database unavailable: 503 with a retry message on pages and the API, never a 500, and the app
recovers by itself. The fault is real: the test's own database connections are terminated in PostgreSQL
(pg_terminate_backend on this test database's backends only, never the shared server's others)."""

import contextlib
import os
import threading
import time

import psycopg
import pytest
from django.db import connection
from django.test import Client

from fitness_to_practise.models import Concern

pytestmark = pytest.mark.django_db(transaction=True)


def terminate_this_databases_connections(except_pid=None) -> int:
    """Ends every backend connected to this test database (its own name only), as a restart would."""
    name = connection.settings_dict["NAME"]
    params = {
        k: v
        for k, v in {
            "host": connection.settings_dict["HOST"],
            "port": connection.settings_dict["PORT"] or None,
            "user": connection.settings_dict["USER"],
            "dbname": "postgres",
        }.items()
        if v
    }
    with psycopg.connect(**params, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND pid <> COALESCE(%s, 0)",
            [name, except_pid],
        ).fetchall()
    return len(rows)


def test_a_page_and_the_api_answer_503_when_the_connection_is_lost_then_recover(officer, settings, monkeypatch):
    """Through the real WSGI handler (Django's test client keeps its connection across requests on purpose;
    the handler closes a broken one at the end of the request, which is how the app recovers by itself)."""
    from django.core.wsgi import get_wsgi_application
    from werkzeug.test import Client as WSGIClient

    settings.ALLOWED_HOSTS = ["localhost"]
    # A connection kept between requests (as in production), without the health check: the request after
    # the cut meets the dead connection, answers 503, and the handler drops it.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    signed_in = Client()
    signed_in.force_login(officer)
    browser = WSGIClient(get_wsgi_application())
    browser.set_cookie("sessionid", signed_in.cookies["sessionid"].value, domain="localhost")
    assert browser.get("/registration/applications/").status_code == 200
    for path in ("/registration/applications/", "/api/v1/applications/"):
        connection.ensure_connection()
        assert terminate_this_databases_connections() >= 1
        response = browser.get(path)
        assert response.status_code == 503, (path, response.status_code)
        assert response.headers["Retry-After"] == "5"
        assert b"Try again in a few seconds" in response.data
        assert browser.get(path).status_code == 200  # a fresh connection: recovered by itself
    connection.close()


CONCERN = {
    "referrer_type": "public",
    "referrer_name": "Pat",
    "social_worker_name": "Jane Doe",
    "what_happened": "A burst of writes while the database drops its connections.",
}


def test_a_burst_of_writes_while_the_database_drops_connections_gets_201_or_503_and_nothing_half_written(
    monkeypatch,
):
    """Four writers post concerns while the connections are cut every 50 ms: each answer is a 201 whose
    concern exists whole, or a 503; never a 500."""
    from fitness_to_practise import concern_limits

    # The public concern form's limits (concern_limits) would refuse a burst from one address: lift them.
    monkeypatch.setattr(concern_limits, "PER_SENDER_RATE", "100000/h")
    monkeypatch.setattr(concern_limits, "PER_ADDRESS_RATE", "100000/h")
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(n):
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.8.0.{n}")
        for _ in range(15):
            response = client.post("/api/v1/concerns/", CONCERN, content_type="application/json")
            reference = response.json().get("reference", "") if response.status_code == 201 else ""
            with lock:
                answers.append((response.status_code, reference))
        from django.db import connection as thread_connection

        thread_connection.close()

    def cutter():
        while not stop.is_set():
            with contextlib.suppress(psycopg.Error):
                terminate_this_databases_connections()
            time.sleep(0.05)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    knife = threading.Thread(target=cutter)
    knife.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    knife.join()
    connection.close()
    codes = {code for code, _ in answers}
    assert codes <= {201, 503}, codes
    assert 503 in codes or len(answers) == 60  # the knife may miss on a fast machine; never a 500
    made = [ref for code, ref in answers if code == 201]
    stored = set(Concern.objects.filter(reference__in=made).values_list("reference", flat=True))
    assert stored == set(made)
    # Nothing half-written: every concern stored was answered 201 (a 503 rolled back whole).
    assert Concern.objects.count() == len(made)


@pytest.mark.skipif(
    not os.environ.get("REGULATOR_FAULT_RESTART_COMMAND"),
    reason="restarts PostgreSQL itself: set REGULATOR_FAULT_RESTART_COMMAND on a machine of your own",
)
def test_a_real_postgresql_restart_during_a_burst_of_writes(monkeypatch):
    """The same burst while PostgreSQL really restarts (e.g. REGULATOR_FAULT_RESTART_COMMAND='pg_ctlcluster
    17 main restart'). Not run on a shared server: it would break everyone else's tests."""
    import subprocess

    from fitness_to_practise import concern_limits

    # The public concern form's limits (concern_limits) would refuse a burst from one address: lift them.
    monkeypatch.setattr(concern_limits, "PER_SENDER_RATE", "100000/h")
    monkeypatch.setattr(concern_limits, "PER_ADDRESS_RATE", "100000/h")
    answers = []

    def writer(n):
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.7.0.{n}")
        for _ in range(50):
            response = client.post("/api/v1/concerns/", CONCERN, content_type="application/json")
            answers.append((response.status_code, response.json().get("reference", "")))
            time.sleep(0.02)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    subprocess.run(os.environ["REGULATOR_FAULT_RESTART_COMMAND"].split(), check=True)  # noqa: S603
    for t in threads:
        t.join()
    codes = {code for code, _ in answers}
    assert codes <= {201, 503}
    made = [ref for code, ref in answers if code == 201]
    assert Concern.objects.filter(reference__in=made).count() == len(made) == Concern.objects.count()
