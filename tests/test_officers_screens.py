"""Officers' screens in the regulator's words: names not codes or usernames, sentences, a page for
every case, bulk actions confirmed, filters kept after an action, sorting on the server."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fitness_to_practise import services as ftp
from fitness_to_practise.models import State
from fitness_to_practise.tests.factories import case_in_state
from registration import services as registration
from registration.models import Application
from registration.tests.helpers import received
from regulator.models import AuditEvent
from regulator.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(user_with_role):
    return user_with_role(Role.FTP_CASE_HANDLER)


@pytest.fixture
def adjudications(user_with_role):
    return user_with_role(Role.ADJUDICATIONS_OFFICER)


# --- Misuse of title: a case page with its timeline and outcome ---


def test_a_misuse_of_title_case_has_a_page_with_its_timeline_and_outcome(client, officer):
    case = registration.misuse_of_title_open(
        subject_name="Pat Example", details="Advert as a social worker", actor=officer
    )
    client.force_login(officer)
    page = reverse("registration-work:misuse_of_title_case", args=[case.pk])
    listing = client.get(reverse("registration-work:misuse_of_title")).content.decode()
    assert page in listing and "1 case" in listing
    started = client.post(
        reverse("registration-work:misuse_of_title"),
        {"action": "start-work", "case": case.pk, "version": case.version},
        follow=True,
    )
    assert started.redirect_chain[-1][0] == page
    assert f"Misuse of title case {case.reference}: work has started." in started.content.decode()
    case.refresh_from_db()
    done = client.post(
        reverse("registration-work:misuse_of_title"),
        {"action": "complete", "case": case.pk, "version": case.version, "outcome": "Advert removed after our letter"},
        follow=True,
    ).content.decode()
    assert "Advert removed after our letter" in done and "Completed" in done and "Work started" in done
    assert (
        "Advert removed after our letter" in client.get(reverse("registration-work:misuse_of_title")).content.decode()
    )


def test_a_misuse_of_title_case_page_is_for_registration_officers_only(client, officer, user_with_role):
    case = registration.misuse_of_title_open(subject_name="Pat Example", details="Advert", actor=officer)
    client.force_login(user_with_role(Role.FTP_CASE_HANDLER))
    assert client.get(reverse("registration-work:misuse_of_title_case", args=[case.pk])).status_code in (403, 404)


# --- Bulk assignment: shown, then confirmed; the queue's filters kept ---


def _open_applications(n):
    return [received() for _ in range(n)]


def test_bulk_assignment_shows_what_it_will_do_before_doing_it(client, officer, user_with_role):
    other = user_with_role(Role.REGISTRATION_OFFICER, first_name="Olu", last_name="Adeyemi")
    apps = _open_applications(3)
    client.force_login(officer)
    url = reverse("registration-work:queue")
    chosen = {"applications": [a.pk for a in apps], "officer": other.pk, "filters": "status=open&sort=due"}
    preview = client.post(url, chosen)
    body = preview.content.decode()
    assert preview.status_code == 200 and "Assign 3 applications to Olu Adeyemi?" in body
    assert all(a.reference in body for a in apps)
    assert not Application.objects.filter(assigned_to=other).exists()
    done = client.post(url, {**chosen, "confirmed": "3"})
    assert done.status_code == 302 and done["Location"] == f"{url}?status=open&sort=due"
    assert Application.objects.filter(assigned_to=other).count() == 3
    audit = AuditEvent.objects.filter(action="application.assigned", object_id=str(apps[0].pk)).latest("id")
    assert "confirmed" in audit.reason


def test_bulk_assignment_confirmed_for_a_different_number_is_refused(client, officer):
    apps = _open_applications(2)
    client.force_login(officer)
    response = client.post(
        reverse("registration-work:queue"),
        {"applications": [a.pk for a in apps], "officer": officer.pk, "confirmed": "5"},
        follow=True,
    )
    assert "You confirmed 5 applications but chose 2" in response.content.decode()
    assert not Application.objects.filter(assigned_to=officer).exists()


# --- FTP: names, sentences, the investigator's own queue ---


def test_the_assign_form_offers_people_with_the_role_by_name(client, handler, user_with_role):
    user_with_role(Role.FTP_CASE_HANDLER, first_name="Ivy", last_name="Investigator", username="ftp.ivy")
    user_with_role(Role.CASE_EXAMINER, first_name="Cara", last_name="Examiner", username="ce.cara")
    case = case_in_state(State.INVESTIGATION)
    client.force_login(handler)
    form = client.get(f"/ftp/cases/{case.pk}/assign/").content.decode()
    assert '<option value="ftp.ivy">Ivy Investigator</option>' in form
    assert "Cara Examiner" not in form  # not a case handler
    assert "(username)" not in form


def test_assigning_says_what_happened_and_the_timeline_names_people(client, handler, user_with_role):
    ivy = user_with_role(Role.FTP_CASE_HANDLER, first_name="Ivy", last_name="Investigator", username="ftp.ivy")
    case = case_in_state(State.INVESTIGATION)
    client.force_login(handler)
    response = client.post(
        f"/ftp/cases/{case.pk}/assign/",
        {"version": case.version, "investigator": "ftp.ivy", "external_firm": "Kingsley Napley LLP"},
        follow=True,
    )
    page = response.content.decode()
    assert "The case&#x27;s assignment is updated." in page or "The case's assignment is updated." in page
    assert "Investigator: Ivy Investigator" in page and "handler:" not in page and "ftp.ivy" not in page
    # The firm is its own row, not run into the investigator's name.
    assert 'id="case-external-firm">Kingsley Napley LLP<' in page
    assert 'id="case-investigator">Ivy Investigator<' in page
    assert ivy.pk


def test_a_user_without_the_role_cannot_be_assigned(handler, user_with_role):
    examiner = user_with_role(Role.CASE_EXAMINER, username="ce.only")
    case = case_in_state(State.INVESTIGATION)
    from fitness_to_practise.actions import ACTIONS_BY_SLUG
    from regulator.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        ACTIONS_BY_SLUG["assign"].call(case, handler, {"version": case.version, "handler": examiner.username})
    assert refused.value.field == "handler"


def test_an_investigators_assigned_to_me_counts_the_cases_they_investigate(client, handler, user_with_role):
    ivy = user_with_role(Role.FTP_CASE_HANDLER, first_name="Ivy", last_name="Investigator")
    cases = [case_in_state(State.INVESTIGATION) for _ in range(2)]
    for case in cases:
        ftp.case_assign(case_id=case.pk, version=case.version, actor=handler, investigator=ivy)
    case_in_state(State.INVESTIGATION)  # someone else's
    client.force_login(ivy)
    page = client.get("/ftp/", {"assigned": "me"}).content.decode()
    assert "2 cases" in page
    assert all(c.reference in page for c in cases)


def test_the_timeline_reads_in_words(client, adjudications):
    case = case_in_state(State.HEARING)
    hearing = case.hearings.get()
    ftp.hearing_conclude(
        case_id=case.pk,
        version=case.version,
        hearing_id=hearing.pk,
        actor=adjudications,
        reason="Misconduct found.",
        impaired=True,
        sanction="suspension",
        months=6,
    )
    client.force_login(adjudications)
    page = client.get(f"/ftp/cases/{case.pk}/").content.decode()
    assert "Suspension for 6 months" in page and "suspension:6" not in page


def test_an_action_that_cannot_apply_is_not_offered_and_its_link_says_why(client, adjudications):
    case = case_in_state(State.HEARING)
    case.hearings.all().delete()
    client.force_login(adjudications)
    page = client.get(f"/ftp/cases/{case.pk}/").content.decode()
    assert "/adjourn-hearing/" not in page and "/conclude-hearing/" not in page and "/list-hearing/" in page
    response = client.get(f"/ftp/cases/{case.pk}/conclude-hearing/", follow=True)
    assert (
        f"Record the hearing&#x27;s outcome cannot be done on case {case.reference} now." in response.content.decode()
    )


# --- Queues sort on the server, over every result ---


def test_a_queue_sorts_every_result_on_the_server_not_only_the_page(client, user_with_role):
    from complaints import services as complaints

    officer = user_with_role(Role.COMPLAINTS_OFFICER)
    today = timezone.localdate()
    for n in range(30):
        complaints.complaint_receive(
            complainant_name=f"Person {n:02d}",
            category="customer_service",
            summary="Late",
            actor=None,
            received_on=today - dt.timedelta(days=n % 20),
        )
    client.force_login(officer)
    page = client.get("/complaints/", {"sort": "-complainant"}).content.decode()
    assert "30 results" in page
    assert page.index("Person 29") < page.index("Person 28") and "Person 00" not in page  # on page 2
    assert 'aria-sort="descending"' in page
    ascending = client.get("/complaints/", {"sort": "complainant"}).content.decode()
    assert "Person 00" in ascending and "Person 29" not in ascending
    assert "csrfmiddlewaretoken" not in page.split('<form method="get"')[1].split("</form>")[0]


def test_assigning_from_the_queue_returns_to_it_with_its_filters(client, handler):
    case = case_in_state(State.INVESTIGATION)
    client.force_login(handler)
    queue = "/ftp/?stage=investigation&assigned=none"
    assert 'name="next" value="/ftp/?stage=investigation&amp;assigned=none"' in client.get(queue).content.decode()
    response = client.post(
        f"/ftp/cases/{case.pk}/assign/", {"version": case.version, "handler": handler.username, "next": queue}
    )
    assert response.status_code == 302 and response["Location"] == queue
    elsewhere = client.post(
        f"/ftp/cases/{case.pk}/assign/",
        {"version": case.version + 1, "handler": handler.username, "next": "https://evil.example/"},
    )
    assert elsewhere["Location"] == f"/ftp/cases/{case.pk}/"


def test_the_emails_list_is_paged_and_searchable(client, officer):
    for n in range(30):
        registration.email_enquiry_receive(
            received_at=timezone.now() - dt.timedelta(hours=n), actor=officer, subject=f"Subject {n:02d}"
        )
    registration.email_enquiry_receive(received_at=timezone.now(), actor=officer, subject="Renewal fee refund")
    client.force_login(officer)
    page = client.get(reverse("registration-work:contact")).content.decode()
    assert "31 emails" in page and page.count("Mark answered") == 25
    found = client.get(reverse("registration-work:contact"), {"q": "refund"}).content.decode()
    assert "1 email matching" in found and "Renewal fee refund" in found and "Subject 01" not in found
