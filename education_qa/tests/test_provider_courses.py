"""A provider sees its own courses and their approvals and conditions, never another provider's
(decision 0304: another provider's course is 404, its existence not disclosed)."""

import datetime as dt

import pytest
from django.urls import reverse

from education_qa.tests.factories import make_course, make_provider, provider_user

pytestmark = pytest.mark.django_db


def test_a_provider_sees_its_own_courses_and_approvals_only(client):
    north, south = make_provider("Northern University"), make_provider("Southern University")
    mine = make_course(north, name="BA Social Work (North)", approved_on=dt.date(2019, 9, 1))
    theirs = make_course(south, name="BA Social Work (South)")
    client.force_login(provider_user(north))
    listing = client.get(reverse("provider:courses")).content.decode()
    assert "BA Social Work (North)" in listing and "BA Social Work (South)" not in listing
    assert "1 result" in listing
    page = client.get(reverse("provider:course", args=[mine.pk]))
    assert page.status_code == 200 and "Approvals" in page.content.decode()
    assert client.get(reverse("provider:course", args=[theirs.pk])).status_code == 404


def test_the_provider_pages_are_for_providers_only(client, user_with_role):
    course = make_course()
    client.force_login(user_with_role("complaints_officer"))
    assert client.get(reverse("provider:courses")).status_code in (403, 404)
    assert client.get(reverse("provider:course", args=[course.pk])).status_code in (403, 404)


def test_a_course_past_its_reapproval_is_flagged(client, user_with_role):
    overdue = make_course(name="Old approval", approved_on=dt.date.today().replace(year=dt.date.today().year - 6))
    client.force_login(user_with_role("education_qa_officer"))
    listing = client.get(reverse("education:courses")).content.decode()
    assert "Reapproval overdue" in listing
    flagged = client.get(reverse("education:courses"), {"overdue": "true"}).content.decode()
    assert overdue.name in flagged
