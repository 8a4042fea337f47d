"""The optional read replica: the public register reads it; writes, transactions and a browser that just
changed something read the primary. The "replica" alias is a second connection to the same test database."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from regulator.db_routers import PIN_COOKIE, PublicRegisterReplicaRouter
from tests.factories import make_entry

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica_on(settings):
    settings.DATABASE_REPLICA_ENABLED = True


def queries_on_each(client, method, path, **kwargs):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(path, **kwargs)
    return response, len(primary), len(replica)


def test_the_public_register_reads_the_replica(client, replica_on):
    make_entry(given_name="Grace", family_name="Hopper")
    response, primary, replica = queries_on_each(client, "get", "/api/v1/register/?q=Hopper")
    assert response.status_code == 200 and "Hopper" in str(response.json()["results"][0])
    assert replica > 0 and primary == 0


def test_a_browser_that_just_changed_something_reads_the_primary(client, replica_on):
    make_entry(given_name="Grace", family_name="Hopper")
    response = client.post("/sign-in/", {"username": "nobody", "password": "wrong"})
    assert PIN_COOKIE in response.cookies
    _, primary, replica = queries_on_each(client, "get", "/api/v1/register/?q=Hopper")
    assert primary > 0 and replica == 0


def test_other_pages_and_everything_without_a_replica_read_the_primary(client, settings):
    make_entry(given_name="Grace", family_name="Hopper")
    _, primary, replica = queries_on_each(client, "get", "/api/v1/register/?q=Hopper")  # replica not enabled
    assert primary > 0 and replica == 0
    settings.DATABASE_REPLICA_ENABLED = True
    _, primary, replica = queries_on_each(client, "get", "/account/")
    assert replica == 0


def test_writes_and_migrations_go_to_the_primary_only():
    router = PublicRegisterReplicaRouter()
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "registration") is False
    assert router.allow_migrate("default", "registration") is True
