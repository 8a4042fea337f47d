"""Fixtures for every test in the project (apps and tests/)."""

import pytest
from rest_framework.test import APIClient

from regulator.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user_with_role(db):
    """Make a signed-in-able user holding the given roles: user_with_role(Role.CASE_EXAMINER)."""

    def make(*roles: Role, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


@pytest.fixture
def officer(user_with_role):
    return user_with_role(Role.REGISTRATION_OFFICER)
