"""Two-factor authentication: every staff role and the administrator must set it up and give a code at
each sign-in; registrants may opt in; recovery codes work once. (The browser test is test_browser.py.)"""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from regulator.models import AuditEvent
from regulator.roles import STAFF_ROLES, Role
from tests.two_factor import code_for

pytestmark = [pytest.mark.django_db, pytest.mark.real_two_factor]

PASSWORD = "a-Good-password-1"


def password_sign_in(client, user):
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client):
    client.get("/two-factor/set-up/")
    device = TOTPDevice.objects.get(confirmed=False)
    return device, client.post("/two-factor/set-up/", {"code": code_for(device)})


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_every_staff_role_must_set_up_two_factor_before_anything_else(client, user_with_role, role):
    user = user_with_role(role)
    password_sign_in(client, user)
    page = client.get("/registration/applications/")
    assert page.status_code == 302 and page["Location"].startswith("/two-factor/")
    assert client.get("/api/v1/applications/").status_code == 403
    assert client.get("/two-factor/", follow=True).redirect_chain[-1][0].startswith("/two-factor/set-up/")


def test_a_staff_member_sets_up_an_app_then_gives_a_code_at_every_sign_in(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    password_sign_in(client, officer)
    device, done = set_up(client)
    assert done.status_code == 200 and b"Your recovery codes" in done.content
    codes = done.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/registration/applications/").status_code == 200
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled", actor=officer).exists()

    client.logout()
    password_sign_in(client, officer)
    assert client.get("/registration/applications/")["Location"].startswith("/two-factor/?next=")
    # A recovery code works once.
    assert client.post("/two-factor/", {"code": codes[0], "next": "/registration/applications/"}).status_code == 302
    assert client.get("/registration/applications/").status_code == 200
    client.logout()
    password_sign_in(client, officer)
    assert client.post("/two-factor/", {"code": codes[0]}).status_code == 200  # used already
    assert AuditEvent.objects.filter(action="user.signed_in", actor=officer).count() == 1


def test_a_wrong_code_is_refused(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    password_sign_in(client, officer)
    wrong = client.post("/two-factor/set-up/", {"code": "000000"})
    assert wrong.status_code == 200 and b"The code is not right" in wrong.content
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert client.get("/registration/applications/")["Location"].startswith("/two-factor/")


def test_giving_the_second_factor_gives_the_session_a_new_key(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    password_sign_in(client, officer)
    before = client.session.session_key
    set_up(client)
    assert client.session.session_key != before


def test_a_registrant_need_not_but_may_opt_in_and_then_must_give_a_code(client, user_with_role):
    registrant = user_with_role(Role.REGISTRANT)
    password_sign_in(client, registrant)
    assert client.get("/account/").status_code in {200, 404}  # no second factor asked
    _, done = set_up(client)
    assert done.status_code == 200
    client.logout()
    password_sign_in(client, registrant)
    assert client.get("/account/")["Location"].startswith("/two-factor/")


def test_the_admin_needs_the_second_factor_too(client, user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR, is_staff=True)
    client.post("/admin/login/", {"username": admin.username, "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/two-factor/")


def test_the_next_address_after_the_second_factor_stays_on_this_site(client, user_with_role):
    officer = user_with_role(Role.REGISTRATION_OFFICER)
    password_sign_in(client, officer)
    device, _ = set_up(client)
    client.logout()
    password_sign_in(client, officer)
    import time

    response = client.post(
        "/two-factor/", {"code": code_for(device, at=int(time.time()) + 30), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
