"""seed_demo builds a realistic register, in the regulator's proportions, that the search can use."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from registration.models import NameToken, RegisterEntry, RegisterEvent
from registration.services import issue_registration_number

pytestmark = pytest.mark.django_db


def seed(n: int, **options) -> str:
    out = io.StringIO()
    call_command("seed_demo", registrants=n, no_progress=True, stdout=out, **options)
    return out.getvalue()


def test_the_demo_register_has_the_regulators_proportions():
    output = seed(2000, register_only=True)
    assert "2,000 registrants" in output
    entries = RegisterEntry.objects.all()
    assert entries.count() == 2000
    routes = dict(entries.values_list("route").annotate(n=Count("id")))
    assert 0.85 < routes["not_recorded"] / 2000 < 0.95  # most transferred from the HCPC
    assert set(routes) >= {"uk", "overseas", "eea"}
    temporary = entries.filter(register="temporary").count() / 2000
    removed = entries.filter(status="removed").count() / 2000
    assert 0.06 < temporary < 0.14 and 0.02 < removed < 0.08
    assert entries.filter(origin="hcpc").count() == routes["not_recorded"]
    assert RegisterEvent.objects.filter(kind="removed").count() == entries.filter(status="removed").count()
    assert all(re.fullmatch(r"SW\d+", n) for n in entries.values_list("registration_number", flat=True)[:50])


def test_the_demo_register_is_searchable_and_new_numbers_never_clash(client):
    seed(300, register_only=True)
    entry = RegisterEntry.objects.select_related("registrant").order_by("id")[17]
    assert NameToken.objects.filter(token=entry.search_family).exists()
    response = client.get("/api/v1/register/", {"q": f"{entry.registrant.family_name} {entry.registrant.given_name}"})
    assert entry.registration_number in [r["registration_number"] for r in response.json()["results"]]
    highest = max(int(n[2:]) for n in RegisterEntry.objects.values_list("registration_number", flat=True))
    assert int(issue_registration_number()[2:]) > highest


def test_if_empty_leaves_an_existing_register_alone_and_lists_the_sign_ins():
    seed(50, register_only=True)
    output = seed(50, if_empty=True)
    assert RegisterEntry.objects.count() == 50
    assert "left as it is" in output and "registration.officer" in output
