import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits live in the cache: each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def handler(user_with_role):
    return user_with_role("ftp_case_handler")


@pytest.fixture
def examiner(user_with_role):
    return user_with_role("case_examiner")


@pytest.fixture
def adjudications(user_with_role):
    return user_with_role("adjudications_officer")
