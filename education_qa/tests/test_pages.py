"""The officers' and providers' pages: access by role, queues with pinned query counts, item pages
with timelines, and changes made through the forms (errors shown, never a 500)."""

import datetime as dt

import pytest
from django.urls import reverse

from education_qa import services
from education_qa.models import ApprovalRequest, CourseStatus, MonitoringReturn

from .factories import make_course, make_provider, provider_user, request_at

pytestmark = pytest.mark.django_db

# A date the monitoring bound allows, whatever today is.
DUE_SOON = (dt.date.today() + dt.timedelta(days=90)).isoformat()


@pytest.fixture
def world():
    north, south = make_provider("Northern University"), make_provider("Southern University")
    courses = [make_course(p) for p in (north, south) for _ in range(3)]
    req = request_at(ApprovalRequest.Status.INSPECTED)
    request_at(ApprovalRequest.Status.DECIDED)  # the queue shows an outcome tag too
    enquiry = services.enquiry_receive(enquirer="A student", subject="Fees", actor=None)
    concern = services.concern_receive(course=courses[0], raised_by="A student", summary="Placements", actor=None)
    cycle = services.monitoring_cycle_open(
        year=2020, due_on=dt.date(2020, 12, 18), actor=None, opened_on=dt.date(2020, 10, 1)
    )
    return {
        "north": north,
        "south": south,
        "courses": courses,
        "request": req,
        "enquiry": enquiry,
        "concern": concern,
        "cycle": cycle,
    }


def officer_pages(w):
    ret = w["cycle"].returns.first()
    return [
        reverse("education:courses"),
        reverse("education:course-new"),
        reverse("education:providers"),
        reverse("education:provider-new"),
        reverse("education:course", args=[w["courses"][0].pk]),
        reverse("education:requests"),
        reverse("education:request", args=[w["request"].pk]),
        reverse("education:monitoring"),
        reverse("education:return", args=[ret.pk]),
        reverse("education:enquiries"),
        reverse("education:enquiry-new"),
        reverse("education:enquiry", args=[w["enquiry"].pk]),
        reverse("education:concerns"),
        reverse("education:concern-new"),
        reverse("education:concern", args=[w["concern"].pk]),
    ]


def test_officer_pages_refuse_anonymous_and_other_roles_and_open_for_officers(client, user_with_role, world):
    pages = officer_pages(world)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url
    client.force_login(user_with_role("complaints_officer"))
    assert all(client.get(url).status_code == 403 for url in pages)
    client.force_login(provider_user(world["north"]))
    assert all(client.get(url).status_code == 403 for url in pages)
    client.force_login(user_with_role("education_qa_officer"))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"govuk-template" in response.content


@pytest.mark.parametrize("name", ["courses", "providers", "requests", "monitoring", "enquiries", "concerns"])
def test_queues_take_a_fixed_number_of_queries_whatever_the_rows(
    client, user_with_role, world, name, django_assert_max_num_queries
):
    client.force_login(user_with_role("education_qa_officer"))
    url = reverse(f"education:{name}")
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for provider in (world["north"], world["south"]):
        for _ in range(10):
            course = make_course(provider)
            services.enquiry_receive(enquirer="x", subject="y", actor=None, course=course)
            services.concern_receive(course=course, raised_by="x", summary="y", actor=None)
            request_at(ApprovalRequest.Status.INSPECTION_SCHEDULED)
    with django_assert_max_num_queries(14) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_course_queue_filters_without_javascript(client, user_with_role, world):
    make_course(world["north"], status=CourseStatus.HISTORIC, name="Old BA")
    client.force_login(user_with_role("education_qa_officer"))
    response = client.get(reverse("education:courses"), {"status": "historic"})
    assert b"Old BA" in response.content and response.context["count"] == 1


def test_an_officer_records_the_outcome_with_a_condition_through_the_page(client, user_with_role, world):
    client.force_login(user_with_role("education_qa_officer"))
    req = world["request"]
    url = reverse("education:request", args=[req.pk])
    response = client.post(
        url,
        {
            "decide-action": "decide",
            "decide-version": req.version,
            "decide-outcome": "approved_with_conditions",
            "decide-on": "2020-06-01",
        },
    )
    assert response.status_code == 400 and b"Set at least one condition" in response.content
    response = client.post(
        url,
        {
            "decide-action": "decide",
            "decide-version": req.version,
            "decide-outcome": "approved_with_conditions",
            "decide-on": "2020-06-01",
            "decide-condition_1": "Placements",
            "decide-condition_1_due": "2020-09-01",
        },
    )
    assert response.status_code == 302
    page = client.get(url)
    assert b"Placements" in page.content and b"moj-timeline" in page.content
    assert ApprovalRequest.objects.get(pk=req.pk).outcome == "approved_with_conditions"
    stale = client.post(url, {"withdraw-action": "withdraw", "withdraw-version": req.version})
    assert stale.status_code == 409  # no longer an open request: the form is not offered


def test_a_stale_form_gets_a_409_with_the_reason(client, user_with_role, world):
    client.force_login(user_with_role("education_qa_officer"))
    course = world["courses"][0]
    url = reverse("education:course", args=[course.pk])
    response = client.post(
        url,
        {
            "withdraw_approval-action": "withdraw_approval",
            "withdraw_approval-version": course.version - 1,
            "withdraw_approval-reason": "Inspection failed",
        },
    )
    assert response.status_code == 409 and b"changed by someone else since you opened it" in response.content


def test_a_provider_sees_only_its_own_returns_and_submits_through_the_page(client, world):
    client.force_login(provider_user(world["north"]))
    response = client.get(reverse("provider:returns"))
    assert response.status_code == 200
    names = {r.course.provider.name for r in response.context["rows"]}
    assert names == {"Northern University"}
    others = world["cycle"].returns.exclude(course__provider=world["north"])
    for ret in others:
        assert client.get(reverse("provider:return", args=[ret.pk])).status_code == 404
        assert client.post(reverse("provider:return", args=[ret.pk]), {"submit-action": "submit"}).status_code == 404
    own = world["cycle"].returns.filter(course__provider=world["north"]).first()
    url = reverse("provider:return", args=[own.pk])
    response = client.post(
        url,
        {
            "submit-action": "submit",
            "submit-version": own.version,
            "submit-students_enrolled": "30",
            "submit-meets_standards": "0",
        },
    )
    assert response.status_code == 400 and b"Explain which standards" in response.content
    response = client.post(
        url,
        {
            "submit-action": "submit",
            "submit-version": own.version,
            "submit-students_enrolled": "30",
            "submit-meets_standards": "1",
        },
    )
    assert response.status_code == 302
    assert MonitoringReturn.objects.get(pk=own.pk).status == "submitted"


def test_the_provider_queue_takes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(provider_user(world["north"]))
    url = reverse("provider:returns")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(10):
        make_course(world["north"])
    services.monitoring_cycle_open(year=2021, due_on=(dt.date.today() + dt.timedelta(days=90)), actor=None)
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(url).context["rows"]) > 6
    assert len(few) == len(many)


def test_provider_pages_refuse_officers_and_anonymous(client, user_with_role, world):
    url = reverse("provider:returns")
    assert client.get(url).status_code == 302
    client.force_login(user_with_role("complaints_officer"))
    assert client.get(url).status_code == 403


def test_an_officer_opens_a_cycle_and_chases_from_the_monitoring_page(
    client, user_with_role, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(user_with_role("education_qa_officer"))
    url = reverse("education:monitoring")
    response = client.post(
        url,
        {
            "open_cycle-action": "open_cycle",
            "open_cycle-year": "2020",
            "open_cycle-due_on": DUE_SOON,
        },
    )
    assert response.status_code == 409 and b"open already" in response.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"chase-cycle": world["cycle"].pk})
    providers = world["cycle"].returns.values("course__provider").distinct().count()
    assert response.status_code == 302 and len(mailoutbox) == providers == 3


def test_the_navigation_shows_each_role_its_section(client, user_with_role, world):
    client.force_login(user_with_role("education_qa_officer"))
    assert b"Education QA" in client.get("/").content
    client.force_login(provider_user(world["south"]))
    content = client.get("/").content
    assert b"Monitoring returns" in content and b"Education QA" not in content


def test_administrators_can_look_at_education_records_in_the_admin_but_not_change_them(client, user_with_role, world):
    client.force_login(user_with_role("administrator", is_staff=True))
    course = world["courses"][0]
    assert client.get("/admin/education_qa/course/").status_code == 200
    assert client.get(f"/admin/education_qa/course/{course.pk}/change/").status_code == 200
    assert client.post(f"/admin/education_qa/course/{course.pk}/change/", {"name": "Renamed"}).status_code == 403
    assert client.get("/admin/education_qa/course/add/").status_code == 403
    assert client.get("/admin/complaints/complaint/").status_code == 200


def test_an_officer_adds_a_provider_and_a_duplicate_name_is_refused_on_the_field(client, user_with_role, world):
    client.force_login(user_with_role("education_qa_officer"))
    data = {"name": "Eastern University", "town": "Norwich", "contact_email": "q@east.example"}
    assert client.post(reverse("education:provider-new"), data).status_code == 302
    response = client.post(reverse("education:provider-new"), {**data, "name": "eastern university"})
    assert response.status_code == 400 and b"already exists" in response.content


@pytest.mark.parametrize("cycle_id", ["not-a-number", "", "1.5"])
def test_chasing_a_cycle_that_is_not_an_id_is_a_404_not_a_500(client, user_with_role, world, mailoutbox, cycle_id):
    client.force_login(user_with_role("education_qa_officer"))
    response = client.post(reverse("education:monitoring"), {"chase-cycle": cycle_id})
    assert response.status_code == 404
    assert mailoutbox == []
