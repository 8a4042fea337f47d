"""Nothing private ever reaches the public: no date of birth, address, email, nationality or gender.

Checked over every field of every public serializer, and over the rendered public pages and API
responses for an entry whose private values are known."""

import datetime as dt

import pytest
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from tests.factories import make_entry
from tests.routes import url_patterns

PRIVATE_FIELD_NAMES = {
    "date_of_birth",
    "home_address",
    "email",
    "nationality",
    "gender",
    "user",
    "registrant_id",
    "address",
    "dob",
    "phone",
    "telephone",
    "route",
}


def public_api_views():
    """Every API view anyone may call without signing in."""
    views = []
    for route, pattern in url_patterns():
        view = getattr(pattern.callback, "cls", None)
        if view and AllowAny in getattr(view, "permission_classes", []) and route.startswith("api/v1/"):
            views.append(view)
    return views


def serializer_field_names(serializer_class, seen=None):
    seen = seen or set()
    if serializer_class in seen:
        return set()
    seen.add(serializer_class)
    names = set()
    for name, field in serializer_class().fields.items():
        names.add(name)
        if hasattr(field, "source") and field.source and field.source != "*":
            names.update(field.source.split("."))
        child = getattr(field, "child", field)
        if isinstance(child, serializers.BaseSerializer):
            names |= serializer_field_names(type(child), seen)
    return names


def test_there_are_public_api_views_to_check():
    assert len(public_api_views()) >= 3


@pytest.mark.parametrize("view", public_api_views(), ids=lambda v: v.__name__)
def test_no_public_serializer_exposes_a_private_field(view):
    serializer_class = getattr(view, "serializer_class", None)
    from drf_spectacular.generators import SchemaGenerator  # noqa: F401  (the schema names the rest)

    classes = [serializer_class] if serializer_class else []
    for name in ("request", "responses"):
        schema = getattr(getattr(view, "post", None), "kwargs", {}).get(name)
        if isinstance(schema, serializers.BaseSerializer):
            classes.append(type(schema))
    from registration.api import serializers as register_serializers

    classes += [register_serializers.RegisterCheckResultSerializer]
    for cls in classes:
        leaked = serializer_field_names(cls) & PRIVATE_FIELD_NAMES
        assert not leaked, f"{cls.__name__} exposes {leaked}"


@pytest.mark.django_db
def test_public_pages_and_responses_never_show_private_values(client, api_client):
    entry = make_entry(
        given_name="Pat",
        family_name="Private",
        town="Leeds",
        date_of_birth=dt.date(1977, 7, 7),
        email="secret.person@example.org",
        home_address="99 Hidden Lane",
        nationality="Narnian",
        gender="other",
    )
    number = entry.registration_number
    private_values = ["1977-07-07", "7 July 1977", "secret.person", "99 Hidden Lane", "Narnian", "other"]
    responses = [
        client.get("/register/", {"q": "pat private"}),
        client.get(f"/register/{number}/"),
        client.post("/register/check/", {"numbers": number, "check": ""}),
        client.post("/register/check/", {"numbers": number, "download": ""}),
        api_client.get("/api/v1/register/", {"q": "pat private"}),
        api_client.get(f"/api/v1/register/{number}/"),
        api_client.post("/api/v1/register/check/", {"numbers": [number]}, format="json"),
        api_client.post("/api/v1/register/check/?download=csv", {"numbers": [number]}, format="json"),
    ]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode()
        assert "Private" in body  # the entry is really there
        for value in private_values:
            if value == "other":
                assert '"gender"' not in body and ">Other<" not in body
            else:
                assert value not in body, f"{value!r} leaked in {response.request['PATH_INFO']}"


@pytest.mark.django_db
def test_the_hand_written_public_representation_has_exactly_the_declared_fields():
    from registration.api.serializers import PublicRegisterEntrySerializer
    from registration.selectors import register_entry_public

    entry = make_entry(given_name="Ann", family_name="Bee")
    from registration.services import annotation_add

    annotation_add(entry=entry, kind="amhp", starts_on=dt.date(2020, 1, 1), actor=None)
    data = PublicRegisterEntrySerializer(register_entry_public(entry.registration_number)).data
    assert set(data) == set(PublicRegisterEntrySerializer.Meta.fields)
    assert set(data["annotations"][0]) == set(PublicRegisterEntrySerializer().fields["annotations"].child.fields)
