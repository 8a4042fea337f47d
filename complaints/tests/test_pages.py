"""Complaints and information request pages: access by role, queues with pinned query counts and
clocks, changes through the forms, and the access-checked export download."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint, SubjectAccessExport
from tests.factories import make_entry

from .factories import closed_complaint, make_complaint, make_request

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
D = dt.date


@pytest.fixture
def officer(user_with_role):
    return user_with_role("complaints_officer", first_name="Cara", last_name="Officer")


@pytest.fixture
def world(officer):
    complaint = make_complaint(received_on=D(2020, 4, 2))
    closed_complaint(officer, received_on=D(2020, 4, 2), closed_on=D(2020, 5, 5))
    sar = make_request("sar", received_on=timezone.localdate(), registrant=make_entry().registrant)
    return {"complaint": complaint, "sar": sar}


def pages(w):
    return [
        reverse("complaints:complaints"),
        reverse("complaints:complaint-new"),
        reverse("complaints:complaint", args=[w["complaint"].pk]),
        reverse("complaints:requests"),
        reverse("complaints:request-new"),
        reverse("complaints:request", args=[w["sar"].pk]),
    ]


def test_pages_refuse_anonymous_and_other_roles_and_open_for_complaints_officers(
    client, user_with_role, officer, world
):
    urls = pages(world)
    assert all(client.get(u).status_code == 302 for u in urls)
    for role in ("education_qa_officer", "registration_officer", "registrant"):
        client.force_login(user_with_role(role))
        assert all(client.get(u).status_code == 403 for u in urls), role
    client.force_login(officer)
    assert all(client.get(u).status_code == 200 for u in urls)


@pytest.mark.parametrize("name", ["complaints", "requests"])
def test_queues_take_a_fixed_number_of_queries_whatever_the_rows(
    client, officer, world, name, django_assert_max_num_queries
):
    client.force_login(officer)
    url = reverse(f"complaints:{name}")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(15):
        closed_complaint(officer, received_on=D(2021, 3, 1 + i), closed_on=D(2021, 4, 1))
        make_request("foi", received_on=D(2021, 3, 1 + i))
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(few) == len(many)


def test_the_queue_shows_the_due_date_and_the_breach(client, officer, world):
    client.force_login(officer)
    response = client.get(reverse("complaints:complaints"))
    rows = {r.pk: r for r in response.context["rows"]}
    assert rows[world["complaint"].pk].due_on == D(2020, 5, 4) and rows[world["complaint"].pk].in_breach
    assert b"Past 20 days" in response.content


def test_an_officer_works_a_complaint_through_the_page(client, officer, world):
    client.force_login(officer)
    c = world["complaint"]
    url = reverse("complaints:complaint", args=[c.pk])
    assert client.post(url, {"assign-action": "assign", "assign-officer": officer.pk}).status_code == 302
    response = client.post(
        url, {"respond-action": "respond", "respond-response": "Refunded", "respond-on": "2020-04-01"}
    )
    assert response.status_code == 400 and b"cannot be before" in response.content
    assert (
        client.post(
            url, {"respond-action": "respond", "respond-response": "Refunded", "respond-on": "2020-04-20"}
        ).status_code
        == 302
    )
    assert client.post(url, {"close-action": "close", "close-on": "2020-04-21"}).status_code == 302
    assert client.post(url, {"assign-action": "assign", "assign-officer": officer.pk}).status_code == 409
    page = client.get(url)
    assert b"Closed (stage 1)" in page.content and Complaint.objects.get(pk=c.pk).status == "closed"


def test_recording_a_complaint_links_the_registrant_by_number(client, officer):
    client.force_login(officer)
    entry = make_entry()
    response = client.post(
        reverse("complaints:complaint-new"),
        {
            "complainant_name": "Jo",
            "category": "fees",
            "summary": "Charged twice",
            "registration_number": entry.registration_number.lower(),
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get(complainant_name="Jo").registrant == entry.registrant
    response = client.post(
        reverse("complaints:complaint-new"),
        {"complainant_name": "Jo", "category": "fees", "summary": "x", "registration_number": "SW1"},
    )
    assert response.status_code == 200 and b"No one on the register" in response.content


def test_the_export_is_queued_from_the_page_and_downloaded_only_by_complaints_officers(
    client, officer, world, user_with_role, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(officer)
    url = reverse("complaints:request", args=[world["sar"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"export-action": "export"}).status_code == 302
    export = SubjectAccessExport.objects.get(request=world["sar"])
    download = reverse("complaints:export-download", args=[export.pk])
    assert download.encode() in client.get(url).content
    response = client.get(download)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    client.force_login(user_with_role("registration_officer"))
    assert client.get(download).status_code == 403
    client.logout()
    assert client.get(download).status_code == 302


def test_export_files_live_outside_every_folder_the_web_server_serves(settings):
    from complaints.services import export_folder

    folder = export_folder().resolve()
    # STATIC_ROOT is unset in tests (static files come from the apps); production's is staticfiles/.
    production_static_root = settings.BASE_DIR / "staticfiles"
    for served in (settings.WHITENOISE_ROOT, production_static_root, *settings.STATICFILES_DIRS):
        assert not folder.is_relative_to(served), served
