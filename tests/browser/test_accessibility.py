"""axe-core over every page type, as the person who uses it: no serious or critical violations.

To check a new page type, add a line to PAGES: (name, who signs in, how to build the path).
Each builder makes the records the page shows and returns its path.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from complaints.tests.factories import make_complaint, make_request
from education_qa.tests.factories import make_course
from fitness_to_practise.models import Order
from fitness_to_practise.tests.factories import open_case, raise_concern
from registration.tests.helpers import applicant, cpd, draft, received
from regulator.roles import Role
from tests.factories import UserFactory, make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _entry_with_order():
    entry = make_entry(given_name="Sally", family_name="Sutton")
    today = timezone.localdate()
    Order.objects.create(
        case=open_case(entry=entry),
        entry=entry,
        kind=Order.Kind.CONDITIONS,
        made_by=Order.MadeBy.HEARING,
        made_at=timezone.now(),
        starts_on=today,
        ends_on=today + dt.timedelta(days=365),
    )
    return entry


def _registrant_with_entry(user):
    from registration import services

    services.register_entry_create(registrant=user.registrant, route="uk", town="Leeds", actor=None)
    cpd(user.registrant, on=timezone.localdate())
    return user


PUBLIC = None
PAGES = [
    ("home", PUBLIC, lambda ctx: "/"),
    ("register search", PUBLIC, lambda ctx: (_entry_with_order(), "/register/?q=Sally+Sutton")[1]),
    ("register search, no results", PUBLIC, lambda ctx: "/register/?q=Nobody+Atall"),
    ("register search, bad input", PUBLIC, lambda ctx: "/register/?q=SW12ab"),
    ("register entry", PUBLIC, lambda ctx: f"/register/{_entry_with_order().registration_number}/"),
    ("employer check", PUBLIC, lambda ctx: "/register/check/"),
    ("raise a concern", PUBLIC, lambda ctx: "/raise-a-concern/"),
    ("sign in", PUBLIC, lambda ctx: "/sign-in/"),
    ("sign up", PUBLIC, lambda ctx: "/account/sign-up/"),
    ("accessibility statement", PUBLIC, lambda ctx: "/accessibility/"),
    ("privacy notice", PUBLIC, lambda ctx: "/privacy/"),
    ("cookies", PUBLIC, lambda ctx: "/cookies/"),
    ("contact", PUBLIC, lambda ctx: "/contact/"),
    ("page not found", PUBLIC, lambda ctx: "/no-such-page/"),
    ("registrant account", "registrant", lambda ctx: (_registrant_with_entry(ctx["user"]), "/account/")[1]),
    ("record CPD", "registrant", lambda ctx: "/account/cpd/new/"),
    ("renewal", "registrant", lambda ctx: (_registrant_with_entry(ctx["user"]), "/account/renew/")[1]),
    ("apply", "registrant", lambda ctx: "/account/apply/"),
    ("application task list", "registrant", lambda ctx: f"/account/applications/{draft(ctx['user']).pk}/"),
    (
        "application answers",
        "registrant",
        lambda ctx: f"/account/applications/{draft(ctx['user'], pay=False).pk}/?step=answers",
    ),
    ("check your answers", "registrant", lambda ctx: f"/account/applications/{draft(ctx['user']).pk}/?step=check"),
    ("application queue", Role.REGISTRATION_OFFICER, lambda ctx: (received(), "/registration/applications/")[1]),
    ("application page", Role.REGISTRATION_OFFICER, lambda ctx: f"/registration/applications/{received().pk}/"),
    ("renewal window", Role.REGISTRATION_OFFICER, lambda ctx: "/registration/renewal-window/"),
    ("appeals", Role.REGISTRATION_OFFICER, lambda ctx: "/registration/appeals/"),
    ("misuse of title", Role.REGISTRATION_OFFICER, lambda ctx: "/registration/misuse-of-title/"),
    ("contact centre", Role.REGISTRATION_OFFICER, lambda ctx: "/registration/contact/"),
    ("FTP case queue", Role.FTP_CASE_HANDLER, lambda ctx: (open_case(), "/ftp/")[1]),
    ("FTP concerns", Role.FTP_CASE_HANDLER, lambda ctx: (raise_concern(), "/ftp/concerns/")[1]),
    ("FTP concern", Role.FTP_CASE_HANDLER, lambda ctx: f"/ftp/concerns/{raise_concern().pk}/"),
    ("FTP staff concern form", Role.FTP_CASE_HANDLER, lambda ctx: "/ftp/concerns/new/"),
    ("FTP case", Role.FTP_CASE_HANDLER, lambda ctx: f"/ftp/cases/{open_case().pk}/"),
    ("education courses", Role.EDUCATION_QA_OFFICER, lambda ctx: (make_course(), "/education/")[1]),
    ("education course", Role.EDUCATION_QA_OFFICER, lambda ctx: f"/education/courses/{make_course().pk}/"),
    ("complaints", Role.COMPLAINTS_OFFICER, lambda ctx: (make_complaint(), "/complaints/")[1]),
    ("complaint", Role.COMPLAINTS_OFFICER, lambda ctx: f"/complaints/{make_complaint().pk}/"),
    ("information request", Role.COMPLAINTS_OFFICER, lambda ctx: f"/information-requests/{make_request().pk}/"),
    ("dashboard", Role.EXECUTIVE, lambda ctx: "/dashboard/"),
]


def _sign_in(page, live_server, user) -> None:
    """Put a signed-in session's cookie into the browser (the sign-in page has its own check)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_type_has_no_serious_or_critical_accessibility_violations(page, live_server, axe, name, who, path):
    ctx = {}
    if who == "registrant":
        ctx["user"], _ = applicant()
    elif who is not None:
        ctx["user"] = UserFactory(roles=[who])
    url = path(ctx)
    if "user" in ctx:
        _sign_in(page, live_server, ctx["user"])
    page.goto(url)
    axe(page, name)


def test_a_form_sent_back_with_errors_has_no_serious_or_critical_violations(page, axe):
    page.goto("/raise-a-concern/")
    page.get_by_role("button", name="Send the concern").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe(page, "raise a concern, with errors")
