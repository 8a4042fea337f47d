"""UK graduates name a course that was approved on the day they qualified (education QA's history).

The applicant's drafts qualify on 30 June 2026 (registration.tests.helpers.draft).
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from education_qa import services as education
from education_qa.models import ApprovalRequest, CourseStatus
from education_qa.tests.factories import make_course, make_proposed_course, make_provider, request_at
from registration import services
from registration.models import Application, ApplicationEvent, ApplicationRoute, ApplicationStatus, RegisterEntry
from registration.services.applications import application_problems
from registration.tests.helpers import applicant, draft, received
from regulator.errors import RuleViolation
from regulator.models import AuditEvent
from regulator.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

QUALIFIED_ON = dt.date(2026, 6, 30)
REFUSAL = "was not approved on 30 June 2026: choose a course that was approved when you qualified"


def approved_only_later():
    """Proposed in March 2026, approved after an inspection on 15 August 2026."""
    course = make_proposed_course(on=dt.date(2026, 3, 2))
    request_at(ApprovalRequest.Status.DECIDED, course=course, received_on=dt.date(2026, 7, 1))
    course.refresh_from_db()
    assert course.status == CourseStatus.APPROVED and course.approved_on == dt.date(2026, 8, 15)
    return course


def withdrawn_before():
    course = make_course(approved_on=dt.date(2019, 9, 1))
    return education.course_withdraw_approval(
        course=course, actor=None, reason="Conditions not met", on=dt.date(2025, 5, 1)
    )


def never_approved():
    return make_course(status=CourseStatus.NOT_APPROVED)


NOT_APPROVED_ON_THE_DAY = pytest.mark.parametrize(
    "make_unapproved",
    [approved_only_later, withdrawn_before, never_approved],
    ids=["approved-only-later", "withdrawn-before", "never-approved"],
)


def snapshot_counts():
    return (AuditEvent.objects.count(), ApplicationEvent.objects.count(), RegisterEntry.objects.count())


def name_course_behind_the_rules(application, course):
    """A draft or application whose course was recorded before the rule (or by a bulk load): only the
    submit and approve checks stand between it and the register."""
    Application.objects.filter(pk=application.pk).update(approved_course=course)
    application.refresh_from_db()
    return application


# The services -------------------------------------------------------------------------------


def test_a_course_approved_on_the_day_the_graduate_qualified_is_accepted_through_to_approval(officer):
    user, _ = applicant()
    course = make_course(approved_on=dt.date(2019, 9, 1))
    application = draft(user, course=course)
    assert application.approved_course == course and application.qualified_on == QUALIFIED_ON
    services.application_submit(application=application, actor=user, version=None)
    services.application_approve(application=application, actor=officer, version=None)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.registration_number


def test_a_course_withdrawn_after_the_graduate_qualified_still_counts(officer):
    """History, not today's status: the course was approved on 30 June 2026, withdrawn on 1 September."""
    user, _ = applicant()
    course = make_course(approved_on=dt.date(2019, 9, 1))
    education.course_withdraw_approval(course=course, actor=None, reason="Closed", on=dt.date(2026, 9, 1))
    course.refresh_from_db()
    assert course.status == CourseStatus.WITHDRAWN
    application = draft(user, course=course)
    services.application_submit(application=application, actor=user, version=None)
    services.application_approve(application=application, actor=officer, version=None)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


@NOT_APPROVED_ON_THE_DAY
def test_saving_a_course_not_approved_on_the_qualification_date_is_refused_and_nothing_is_saved(make_unapproved):
    user, _ = applicant()
    application = draft(user, pay=False)
    good_course, version = application.approved_course, application.version
    course = make_unapproved()
    counts = snapshot_counts()
    with pytest.raises(RuleViolation) as caught:
        services.application_update_draft(
            application=application, actor=user, version=version, approved_course=course, town="York"
        )
    assert caught.value.field == "approved_course"
    assert caught.value.message == f"{course} {REFUSAL}"
    application.refresh_from_db()
    assert (application.approved_course, application.town, application.version) == (good_course, "Leeds", version)
    assert snapshot_counts() == counts


def test_changing_the_qualification_date_to_before_the_course_was_approved_is_refused():
    user, _ = applicant()
    course = make_course(approved_on=dt.date(2019, 9, 1))
    application = draft(user, course=course, pay=False)
    with pytest.raises(RuleViolation) as caught:
        services.application_update_draft(
            application=application, actor=user, version=None, qualified_on=dt.date(2019, 6, 30)
        )
    assert caught.value.field == "approved_course" and "was not approved on 30 June 2019" in caught.value.message
    application.refresh_from_db()
    assert application.qualified_on == QUALIFIED_ON


@NOT_APPROVED_ON_THE_DAY
def test_submitting_with_a_course_not_approved_on_the_qualification_date_is_refused_atomically(make_unapproved):
    user, _ = applicant()
    application = name_course_behind_the_rules(draft(user), make_unapproved())
    version, counts = application.version, snapshot_counts()
    with pytest.raises(RuleViolation) as caught:
        services.application_submit(application=application, actor=user, version=version)
    assert caught.value.field == "approved_course" and REFUSAL in caught.value.message
    application.refresh_from_db()
    assert (application.status, application.received_at, application.version) == ("draft", None, version)
    assert snapshot_counts() == counts
    assert application_problems(application)["approved_course"].endswith(REFUSAL)


@NOT_APPROVED_ON_THE_DAY
def test_approving_with_a_course_not_approved_on_the_qualification_date_is_refused_atomically(officer, make_unapproved):
    application = name_course_behind_the_rules(received(), make_unapproved())
    version, counts = application.version, snapshot_counts()
    with pytest.raises(RuleViolation) as caught:
        services.application_approve(application=application, actor=officer, version=version)
    assert caught.value.field == "approved_course" and REFUSAL in caught.value.message
    application.refresh_from_db()
    assert (application.status, application.registration_number, application.version) == ("received", "", version)
    assert snapshot_counts() == counts


def test_a_uk_application_transferred_with_only_a_free_text_course_can_still_be_approved(officer):
    application = received()
    Application.objects.filter(pk=application.pk).update(
        approved_course=None, course="BSc Social Work, University of Leeds (HCPC record)", origin="hcpc"
    )
    services.application_approve(application=application, actor=officer, version=None)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_a_new_uk_application_cannot_be_sent_without_choosing_an_approved_course():
    user, registrant = applicant()
    application = services.application_start(registrant=registrant, kind="new", route="uk", actor=user)
    services.application_update_draft(
        application=application, actor=user, version=None, course="BA Social Work, somewhere"
    )
    assert application_problems(application)["approved_course"] == "Choose the approved course you completed"


@pytest.mark.parametrize("route", [ApplicationRoute.OVERSEAS, ApplicationRoute.EEA, ApplicationRoute.SWISS])
def test_only_uk_graduates_name_an_approved_course(route):
    user, _ = applicant()
    application = draft(user, route=route, pay=False)
    with pytest.raises(RuleViolation) as caught:
        services.application_update_draft(
            application=application, actor=user, version=None, approved_course=make_course()
        )
    assert caught.value.field == "approved_course" and "Only UK graduates" in caught.value.message


# The API ------------------------------------------------------------------------------------


@NOT_APPROVED_ON_THE_DAY
def test_the_api_answers_400_naming_the_course_field_and_the_reason(api_client, make_unapproved):
    user, _ = applicant()
    application = draft(user)
    course = make_unapproved()
    api_client.force_authenticate(user)
    url = f"/api/v1/account/applications/{application.pk}/"
    response = api_client.patch(url, {"approved_course": course.pk, "town": "York"}, format="json")
    assert response.status_code == 400
    assert response.json()["approved_course"] == [f"{course} {REFUSAL}"]
    application.refresh_from_db()
    assert application.town == "Leeds"
    name_course_behind_the_rules(application, course)
    submitted = api_client.post(url + "submit/", {}, format="json")
    assert submitted.status_code == 400 and REFUSAL in submitted.json()["approved_course"][0]
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_api_accepts_a_course_id_approved_on_the_day_and_refuses_an_unknown_one(api_client):
    user, _ = applicant()
    application = draft(user, pay=False)
    course = make_course(approved_on=dt.date(2020, 1, 6))
    api_client.force_authenticate(user)
    url = f"/api/v1/account/applications/{application.pk}/"
    saved = api_client.patch(url, {"approved_course": course.pk}, format="json")
    assert saved.status_code == 200 and saved.json()["approved_course"] == course.pk
    unknown = api_client.patch(url, {"approved_course": 987654}, format="json")
    assert unknown.status_code == 400 and "approved_course" in unknown.json()


def test_the_officer_api_refuses_approval_with_400_and_shows_the_course_check(api_client, officer):
    application = name_course_behind_the_rules(received(), withdrawn_before())
    api_client.force_authenticate(officer)
    url = f"/api/v1/applications/{application.pk}/"
    detail = api_client.get(url).json()
    check = detail["approved_course_check"]
    assert check["id"] == application.approved_course_id and check["approved_on_qualification"] is False
    assert check["provider"] == application.approved_course.provider.name
    refused = api_client.post(url + "approve/", {"version": detail["version"]}, format="json")
    assert refused.status_code == 400 and REFUSAL in refused.json()["approved_course"][0]
    application.refresh_from_db()
    assert application.status == "received"


def test_setting_a_course_on_someone_elses_application_is_a_404_and_changes_nothing(api_client, user_with_role):
    owner, _ = applicant()
    theirs = draft(owner, pay=False)
    before = theirs.approved_course_id
    other, _ = applicant("Ben", "Other")
    api_client.force_authenticate(other)
    url = f"/api/v1/account/applications/{theirs.pk}/"
    assert api_client.patch(url, {"approved_course": make_course().pk}, format="json").status_code == 404
    api_client.force_authenticate(None)
    assert api_client.patch(url, {"approved_course": before}, format="json").status_code in (401, 403)
    api_client.force_authenticate(user_with_role(Role.EDUCATION_QA_OFFICER))
    assert api_client.patch(url, {"approved_course": before}, format="json").status_code == 403
    assert api_client.get(f"/api/v1/applications/{theirs.pk}/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.approved_course_id == before


# The pages ----------------------------------------------------------------------------------


def test_the_apply_page_offers_the_courses_approved_on_the_saved_date_grouped_by_provider(client):
    user, _ = applicant()
    leeds = make_provider("University of Leeds")
    approved = make_course(leeds, name="BA (Hons) Social Work", approved_on=dt.date(2019, 9, 1))
    later = approved_only_later()
    application = draft(user, course=approved, pay=False)
    client.force_login(user)
    html = client.get(reverse("account:application", args=[application.pk]), {"step": "answers"}).content.decode()
    assert '<optgroup label="University of Leeds">' in html
    assert re.search(rf'<option value="{approved.pk}" selected>BA \(Hons\) Social Work \(Full time\)</option>', html)
    assert f'<option value="{later.pk}"' not in html
    assert "Courses approved on 30 June 2026" in html
    # The saved date comes back in the GOV.UK date input's three boxes (saving again keeps it).
    assert 'name="answers-qualified_on_0" value="30"' in html and 'name="answers-qualified_on_2" value="2026"' in html


def test_the_apply_page_asks_for_the_qualification_date_before_listing_courses(client):
    user, registrant = applicant()
    make_course()
    application = services.application_start(registrant=registrant, kind="new", route="uk", actor=user)
    client.force_login(user)
    page = client.get(reverse("account:application", args=[application.pk]), {"step": "answers"})
    form = page.context["answers_form"]
    assert list(form.fields["approved_course"].choices) == [
        ("", "Enter the date you qualified and save your answers first")
    ]
    assert "course" not in form.fields  # the free text is for transferred records only


@NOT_APPROVED_ON_THE_DAY
def test_the_apply_page_shows_the_refusal_on_the_course_field_and_saves_nothing(client, make_unapproved):
    user, _ = applicant()
    application = draft(user, pay=False)
    course = make_unapproved()
    client.force_login(user)
    response = client.post(
        reverse("account:application", args=[application.pk]),
        {
            "action": "answers",
            "answers-version": application.version,
            "answers-town": "York",
            "answers-qualification": "BA (Hons) Social Work",
            "answers-awarding_institution": "University of Leeds",
            "answers-qualified_on": "2026-06-30",
            "answers-approved_course": course.pk,
            "answers-character_declaration": "on",
            "answers-health_declaration": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["answers_form"].errors["approved_course"] == [f"{course} {REFUSAL}"]
    assert "govuk-error-summary" in response.content.decode()
    application.refresh_from_db()
    assert application.town == "Leeds"


def test_sending_from_the_page_with_an_unapproved_course_puts_the_reason_on_the_course_field(client):
    user, _ = applicant()
    application = name_course_behind_the_rules(draft(user), never_approved())
    client.force_login(user)
    response = client.post(reverse("account:application", args=[application.pk]), {"action": "submit"})
    assert response.status_code == 200
    assert REFUSAL in response.context["answers_form"].errors["approved_course"][0]
    application.refresh_from_db()
    assert application.status == "draft"


def test_the_officer_page_shows_the_course_its_provider_and_whether_it_was_approved_then(client, officer):
    good = received()
    bad = name_course_behind_the_rules(received(), withdrawn_before())
    client.force_login(officer)
    html = client.get(reverse("registration-work:application", args=[good.pk])).content.decode()
    assert good.approved_course.name in html and good.approved_course.provider.name in html
    assert "Approved on 30 June 2026" in html
    html = client.get(reverse("registration-work:application", args=[bad.pk])).content.decode()
    assert "Not approved on 30 June 2026" in html
    response = client.post(
        reverse("registration-work:application", args=[bad.pk]), {"action": "approve", "version": bad.version}
    )
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == "received"


def test_the_officer_page_is_still_refused_to_registrants_and_other_roles(client, user_with_role):
    application = received()
    url = reverse("registration-work:application", args=[application.pk])
    assert client.get(url).status_code == 302
    client.force_login(user_with_role(Role.REGISTRANT))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role(Role.EDUCATION_QA_OFFICER))
    assert client.get(url).status_code == 403


def test_the_course_list_costs_the_same_queries_for_2_or_20_approved_courses(client, django_assert_num_queries):
    """One query for the list, whatever the number of courses and providers (no query per course)."""
    user, _ = applicant()
    application = draft(user, pay=False)
    client.force_login(user)
    url = reverse("account:application", args=[application.pk]) + "?step=answers"
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(19):
        make_course(make_provider())
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("<optgroup") == 20
