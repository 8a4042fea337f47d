"""Access is denied by default: anonymous users and the wrong roles are refused."""

import pytest
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from regulator.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_users_cannot_reach_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_staff_user_without_the_administrator_role_cannot_use_the_admin(client):
    officer = UserFactory(is_staff=True, roles=[Role.REGISTRATION_OFFICER])
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302  # back to the admin sign-in: not allowed in


def test_an_administrator_can_use_the_admin(client):
    admin_user = UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR])
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_an_api_view_that_names_no_permission_serves_nobody():
    class Unconfigured(APIView):
        def get(self, request):
            return None

    user = UserFactory(is_superuser=True)
    request = APIRequestFactory().get("/")
    request.user = user
    from rest_framework.test import force_authenticate

    force_authenticate(request, user=user)
    assert Unconfigured.as_view()(request).status_code == 403


def test_sign_in_page_signs_a_user_in_by_email(client):
    UserFactory(username="jane", email="jane@example.org")
    response = client.post("/sign-in/", {"username": "jane@example.org", "password": "a-Good-password-1"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "jane"


def test_wrong_password_gets_a_clear_error_not_a_500(client):
    UserFactory(username="jane")
    response = client.post("/sign-in/", {"username": "jane", "password": "wrong"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
