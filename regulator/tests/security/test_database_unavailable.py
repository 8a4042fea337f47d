"""The database unavailable: 503 with a retry message on pages and the API, never a 500, and the app
recovers by itself. The faults are real: the test's own database connections are terminated in PostgreSQL
(pg_terminate_backend on this test database's backends only, never the shared server's others), and a
server of the test's own is restarted under a burst of writes."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

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


def _server_binaries() -> Path | None:
    """The machine's PostgreSQL server programs (initdb, pg_ctl): Debian keeps them out of PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@pytest.fixture
def private_postgres(monkeypatch):
    """A PostgreSQL server of the test's own (initdb in a temporary folder, a free port) holding a copy of
    this test database, with Django's connections pointed at it: it can be restarted without touching the
    shared server that everyone else's tests use. Yields a function that restarts it."""
    bindir = _server_binaries()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) on this machine")
    root = Path(tempfile.mkdtemp(prefix="regulator-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root: the server runs as the postgres account
        as_postgres = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    data, log = root / "data", root / "server.log"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40"

    def pg_ctl(*args):
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", *args],  # noqa: S603
                       check=True, capture_output=True, timeout=60)

    subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",  # noqa: S603
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
    pg_ctl("-o", options, "start")
    try:
        shared = connection.settings_dict
        source = [f"--host={shared['HOST'] or '127.0.0.1'}", f"--port={shared['PORT'] or 5432}",
                  f"--username={shared['USER'] or 'postgres'}"]
        target = ["--host=127.0.0.1", f"--port={port}", "--username=postgres"]
        subprocess.run([str(bindir / "createdb"), *target, shared["NAME"]], check=True, timeout=60)  # noqa: S603
        dump = subprocess.run([str(bindir / "pg_dump"), *source, "--no-owner", shared["NAME"]],  # noqa: S603
                              check=True, capture_output=True, timeout=120).stdout
        subprocess.run([str(bindir / "psql"), *target, "-q", "-v", "ON_ERROR_STOP=1", shared["NAME"]],  # noqa: S603
                       input=dump, check=True, capture_output=True, timeout=120)
        connection.close()
        # Every connection Django opens from now on (each writer thread's too) reads this same dict.
        monkeypatch.setitem(shared, "HOST", "127.0.0.1")
        monkeypatch.setitem(shared, "PORT", str(port))
        yield lambda: pg_ctl("-m", "fast", "restart", "-o", options)
    finally:
        connection.close()  # before the monkeypatch puts the shared server back
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],  # noqa: S603
                       capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def test_a_real_postgresql_restart_during_a_burst_of_writes(private_postgres, monkeypatch, settings):
    """Four writers post concerns while the server they write to really restarts (pg_ctl restart, on a
    server of the test's own): every answer is a 201 or a 503 with its retry message, never a 500;
    every 201's concern is stored whole with its audit event, no 503 left anything behind, and writes
    succeed again after the restart without anything being reset."""
    from fitness_to_practise import concern_limits
    from regulator.models import AuditEvent

    # The public concern form's limits (concern_limits) would refuse a burst from one address: lift them.
    monkeypatch.setattr(concern_limits, "PER_SENDER_RATE", "100000/h")
    monkeypatch.setattr(concern_limits, "PER_ADDRESS_RATE", "100000/h")
    from django.core.wsgi import get_wsgi_application
    from werkzeug.test import Client as WSGIClient

    # Through the real WSGI handler, which drops a broken connection at the end of each request as it
    # does in production (Django's test client keeps it on purpose).
    settings.ALLOWED_HOSTS = ["localhost"]
    application = get_wsgi_application()
    answers: list[tuple[float, int, str, bytes]] = []
    lock = threading.Lock()
    restarted = threading.Event()

    def writer(n):
        from django.db import connection as thread_connection

        client = WSGIClient(application)
        after = 0
        while after < 10:  # until ten writes after the restart have been answered
            response = client.post("/api/v1/concerns/", json=CONCERN, environ_overrides={"REMOTE_ADDR": f"10.7.0.{n}"})
            reference = response.json.get("reference", "") if response.status_code == 201 else ""
            with lock:
                answers.append((time.monotonic(), response.status_code, reference, response.data[:200]))
            after += restarted.is_set()
            time.sleep(0.01)
        thread_connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    private_postgres()
    restarted.set()
    for t in threads:
        t.join(timeout=120)
    codes = [code for _, code, _, _ in answers]
    assert set(codes) <= {201, 503}, sorted(set(codes))
    assert 503 in codes, "no write met the restart"
    assert all(b"Try again" in body or b"try again" in body for _, code, _, body in answers if code == 503)
    assert codes[-4:] == [201] * 4  # recovered by itself: the last writes of every writer succeed
    made = [ref for _, code, ref, _ in answers if code == 201]
    stored = set(Concern.objects.filter(reference__in=made).values_list("reference", flat=True))
    assert stored == set(made) and Concern.objects.count() == len(made)  # a 503 left nothing behind
    concerns = Concern.objects.values_list("pk", flat=True)
    audited = set(AuditEvent.objects.filter(object_type__endswith="concern", object_id__in=[str(pk) for pk in concerns])
                  .values_list("object_id", flat=True))
    assert audited == {str(pk) for pk in concerns}  # every stored concern has its event
