"""One idempotent send per person and message, the templates declared in one place, the backends
(GOV.UK Notify's real client against a local stand-in for its API, Django email, development)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

from registration import services
from registration.reminders import renewal_reminders_send
from registration.tests.helpers import applicant
from regulator import notifications
from regulator.models import Notification
from regulator.notifications import PermanentFailure, Template, TemporaryFailure
from regulator.roles import Role

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
FAIL_FOR: set[str] = set()


class FlakyBackend(LocmemBackend):
    """Django's test mailbox, refusing the addresses in FAIL_FOR as an SMTP server that went away would."""

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & FAIL_FOR:
                raise ConnectionRefusedError("SMTP server went away")
        return super().send_messages(messages)


def send(reference="test:1", to="ada@example.org", **personalisation):
    return notifications.notification_send(
        template="renewal_reminder",
        to=to,
        personalisation=personalisation or {"given_name": "Ada", "registration_number": "SW1", "closes_on": "today"},
        reference=reference,
    )


def test_a_message_with_the_same_reference_is_sent_once():
    assert send() is True
    assert send() is False
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    assert "Dear Ada" in mail.outbox[0].body and "(SW1)" in mail.outbox[0].body
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.backend) == ("sent", 1, "email") and row.sent_at is not None


def test_a_message_must_carry_exactly_the_personalisation_its_template_declares():
    with pytest.raises(ValueError, match="missing"):
        send(given_name="Ada")
    with pytest.raises(ValueError, match="placeholders"):
        Template(name="x", subject="((a))", body="((b))", personalisation=("a",))
    assert not Notification.objects.exists()


def test_every_template_declares_the_placeholders_it_uses():
    for template in notifications.TEMPLATES.values():  # each was checked when declared; this names them
        assert template.personalisation, template.name


def registered(email):
    _, registrant = applicant()
    registrant.email = email
    registrant.save(update_fields=["email"])
    services.register_entry_create(
        registrant=registrant,
        route="uk",
        town="Leeds",
        actor=None,
        registered_on=D("2024-01-10"),
        registered_until=D("2026-11-30"),
    )
    return registrant


def test_reminders_that_fail_halfway_are_sent_on_the_rerun_and_nobody_gets_two(settings):
    settings.EMAIL_BACKEND = "regulator.tests.test_notifications.FlakyBackend"
    people = [registered(f"person{n}@example.org") for n in range(4)]
    FAIL_FOR.add(people[2].email)
    try:
        with pytest.raises(TemporaryFailure):
            renewal_reminders_send(today=D("2026-11-16"))
        assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[1].email]
        statuses = dict(Notification.objects.values_list("to", "status"))
        assert statuses[people[2].email] == "failed" and statuses[people[3].email] == "pending"
    finally:
        FAIL_FOR.clear()
    assert renewal_reminders_send(today=D("2026-11-16")) == 2  # only the two who had none
    assert renewal_reminders_send(today=D("2026-11-16")) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Notification.objects.filter(status="sent").count() == 4


def test_a_message_left_sending_by_a_dead_worker_is_not_sent_again_unless_forced():
    row = notifications.notification_prepare(
        template="renewal_reminder",
        to="ada@example.org",
        personalisation={"given_name": "Ada", "registration_number": "SW1", "closes_on": "today"},
        reference="r:1",
    )
    Notification.objects.filter(pk=row.pk).update(status="sending")
    assert notifications.notification_deliver(notification_id=row.pk) is False
    assert notifications.notification_deliver(notification_id=row.pk, force=True) is True
    assert len(mail.outbox) == 1


# --- GOV.UK Notify: the real client against a local stand-in for its API ------------------------------

SERVICE_ID, SECRET = "6f6c1d5e-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000002"


class FakeNotify(BaseHTTPRequestHandler):
    received: list = []
    answer = (201, {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        token = self.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
        FakeNotify.received.append((self.path, claims["iss"], body))
        status, payload = FakeNotify.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def notify(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNotify.received = []
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.NOTIFY_API_KEY = f"test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.NOTIFY_TEMPLATE_IDS = {"renewal_reminder": "0b7e0a9e-0000-4000-8000-000000000003"}
    notifications._backend.cache_clear()
    yield FakeNotify
    notifications._backend.cache_clear()
    server.shutdown()


def test_notify_is_sent_the_template_id_the_personalisation_and_our_reference(notify):
    assert send(reference="renewal-reminder:2026-11-16:SW1") is True
    path, issuer, body = notify.received[0]
    assert path == "/v2/notifications/email" and issuer == SERVICE_ID
    assert body["template_id"] == "0b7e0a9e-0000-4000-8000-000000000003"
    assert body["email_address"] == "ada@example.org" and body["reference"] == "renewal-reminder:2026-11-16:SW1"
    assert body["personalisation"] == {"given_name": "Ada", "registration_number": "SW1", "closes_on": "today"}
    row = Notification.objects.get()
    assert (row.status, row.backend, row.provider_id) == ("sent", "notify", "740e5834-3a29-46b4-9a6f-16142fde533a")
    assert mail.outbox == []


def test_notify_down_is_a_temporary_failure_and_a_refusal_a_permanent_one(notify):
    notify.answer = (500, {"errors": [{"error": "Exception", "message": "Internal server error"}]})
    with pytest.raises(TemporaryFailure):
        send(reference="a")
    notify.answer = (400, {"errors": [{"error": "ValidationError", "message": "email_address Not a valid email"}]})
    with pytest.raises(PermanentFailure):
        send(reference="b")
    assert set(Notification.objects.values_list("status", flat=True)) == {"failed"}
    notify.answer = (201, {"id": "740e5834-3a29-46b4-9a6f-16142fde533a"})
    assert send(reference="a") is True  # the retry of the failed one goes through


# --- the development backend and its page --------------------------------------------------------------


def test_the_development_backend_keeps_messages_on_a_page_only_administrators_see(
    settings, client, user_with_role, django_assert_max_num_queries
):
    settings.NOTIFICATIONS_BACKEND = "development"
    for n in range(30):
        send(reference=f"dev:{n}", to=f"person{n}@example.org")
    assert mail.outbox == []
    url = reverse("sent-messages")
    assert client.get(url).status_code == 302  # anonymous: to sign in
    for role in (Role.REGISTRATION_OFFICER, Role.EXECUTIVE, Role.REGISTRANT):
        client.force_login(user_with_role(role))
        assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "person29@example.org" in text and "Renew your social work registration" in text
    assert client.get(url, {"status": "failed"}).content.decode().count("person") == 0
