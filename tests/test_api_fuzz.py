"""Schemathesis against the API's own schema, in-process: whatever a caller sends, never a server error.

Bounded for CI (a few examples per operation, fixed seed, no deadline); the full run against a server as
every demo role is in docs/decisions/0600-api-fuzzing.md.
"""

import base64
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from complaints.tests.factories import make_complaint, make_request
from education_qa.tests.factories import make_course
from fitness_to_practise.tests.factories import case_in_state
from registration.services import email_enquiry_receive, misuse_of_title_open
from registration.tests.helpers import applicant, received
from regulator.roles import Role
from tests.factories import make_entry

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

PASSWORD = "fuzz-password-2026"
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
schema.config.phases.update(phases=["examples", "fuzzing"])
BOUNDED = settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

# The public register; a registrant's own records; a representative set of each team's lists, records, transitions.
PUBLIC = r"^/api/v1/register/"
SIGNED_IN = {
    Role.REGISTRANT: r"^/api/v1/account/(cpd|applications)/",
    Role.REGISTRATION_OFFICER: r"^/api/v1/(applications|appeals|email-enquiries|misuse-of-title-cases)/",
    Role.FTP_CASE_HANDLER: r"^/api/v1/ftp/cases/(\{id\}/)?(refer-to-investigation/|request-evidence/)?$",
    Role.EDUCATION_QA_OFFICER: r"^/api/v1/(courses|providers)/",
    Role.COMPLAINTS_OFFICER: r"^/api/v1/(complaints|information-requests)/",
    Role.EXECUTIVE: r"^/api/v1/metrics/",  # the board's metric tables: any from/to is a 400, never a 500
}


@pytest.fixture
def _keep_the_test_connection():
    """Calls go through the real WSGI handler, which closes the connection after each request; the test's
    transaction lives on it, so keep it open (as django.test.Client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, user_with_role, _keep_the_test_connection):
    """Staff of each team, and one record of each kind fuzzed, so that detail paths can name a real one."""
    entry = make_entry()
    ids = {
        "/api/v1/register/{number}/": entry.registration_number,
        "/api/v1/ftp/cases/": case_in_state("investigation", entry=entry).pk,
        "/api/v1/courses/": make_course().pk,
        "/api/v1/complaints/": make_complaint().pk,
        "/api/v1/information-requests/": make_request().pk,
        "/api/v1/applications/": received(now=timezone.now()).pk,
        "/api/v1/email-enquiries/": email_enquiry_receive(received_at=timezone.now(), actor=None).pk,
        "/api/v1/misuse-of-title-cases/": misuse_of_title_open(
            subject_name="A Person", details="Advert", actor=None
        ).pk,
    }
    users = {role: user_with_role(role) for role in SIGNED_IN if role != Role.REGISTRANT}
    users[Role.REGISTRANT] = applicant()[0]
    for role in SIGNED_IN:
        users[role].set_password(PASSWORD)
        users[role].save()
    return users, ids


def _call_as_generated_and_on_a_real_record(case, ids, **kwargs):
    """The generated path (mostly ids that do not exist), then the same request on a record that does."""
    case.call_and_validate(checks=[not_a_server_error], **kwargs)
    name = next(iter(case.path_parameters or {}), None)
    real = next((value for prefix, value in ids.items() if case.operation.path.startswith(prefix)), None)
    if name and real is not None:
        case.path_parameters[name] = real
        case.call_and_validate(checks=[not_a_server_error], **kwargs)


def _token(user) -> dict[str, str]:
    """Other systems call the API with a scoped token (HTTP Basic is off); read and write, to fuzz the writes."""
    from regulator.models import ApiToken
    from regulator.security.tokens import api_token_issue

    _, secret = api_token_issue(user=user, name="Fuzzing", scope=ApiToken.Scope.READ_WRITE, actor=user)
    return {"Authorization": f"Bearer {secret}"}


# Malformed credentials an anonymous caller might send: none may be a server error, none may let them in.
MALFORMED = [
    {"Authorization": "Basic " + base64.b64encode(b"off\x00icer:pass").decode()},
    {"Authorization": "Basic %%%not-base64"},
    {"Authorization": "Bearer "},
    {"Authorization": "Bearer swr_%00"},
    {"Authorization": "Bearer " + "x" * 5000},
    {"Authorization": "Token abc"},
    {"Cookie": "sessionid=%00; csrftoken=" + "y" * 5000},
]


@schema.include(path_regex=PUBLIC).parametrize()
@BOUNDED
def test_the_public_register_never_answers_with_a_server_error(case, world):
    _call_as_generated_and_on_a_real_record(case, world[1])


@schema.include(path_regex="|".join(SIGNED_IN.values())).parametrize()
@BOUNDED
def test_signed_in_callers_never_get_a_server_error(case, world):
    role = next(role for role, paths in SIGNED_IN.items() if re.match(paths, case.operation.path))
    _call_as_generated_and_on_a_real_record(case, world[1], headers=_token(world[0][role]))


@schema.include(path_regex=r"^/api/v1/(register|concerns|applications|ftp/cases|complaints)/").parametrize()
@BOUNDED
def test_anonymous_callers_with_malformed_credentials_never_get_a_server_error_nor_in(case, world):
    for headers in MALFORMED:
        response = case.call(headers=headers)
        assert response.status_code < 500, (headers, response.status_code)
        if not case.operation.path.startswith(("/api/v1/register/", "/api/v1/concerns/")):
            assert response.status_code in {401, 403, 404, 405}, (case.operation.path, response.status_code)
