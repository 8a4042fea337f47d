"""The history import: every file type lands as ordinary records, every bad row is reported with
its line and nothing is written, a failure mid-write leaves nothing, a re-import changes nothing."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from education_qa.models import Course, CourseProvider, EducationEvent
from fitness_to_practise.models import CaseEvent, Concern, FitnessToPractiseCase, Order
from interchange.importer import import_history
from registration.models import (
    Annotation,
    Application,
    ApplicationEvent,
    Call,
    CPDRecord,
    EmailEnquiry,
    RegisterEntry,
    RegisterEvent,
    Registrant,
)

from .folders import SMALL, write_folder

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

ALL_MODELS = [
    Registrant,
    RegisterEntry,
    RegisterEvent,
    Annotation,
    CPDRecord,
    Application,
    ApplicationEvent,
    Call,
    EmailEnquiry,
    FitnessToPractiseCase,
    CaseEvent,
    Concern,
    Order,
    CourseProvider,
    Course,
    EducationEvent,
    Complaint,
]


def nothing_written():
    return all(not model.objects.exists() for model in ALL_MODELS)


def test_a_small_folder_of_every_file_type_becomes_ordinary_records(tmp_path):
    report = import_history(write_folder(tmp_path, SMALL), write=True)
    assert report.ok, report.errors
    assert report.totals() == {"new": 32, "unchanged": 0, "conflicting": 0}
    ann = RegisterEntry.objects.get(registration_number="SW10001")
    assert (ann.route, ann.origin, ann.register, ann.status) == ("uk", "hcpc", "full", "registered")
    assert list(ann.annotations.values_list("kind", "starts_on", "ends_on")) == [("amhp", dt.date(2018, 1, 1), None)]
    bob = RegisterEntry.objects.get(registration_number="SW10002")
    assert (bob.status, bob.removal_reason, bob.status_changed_on) == (
        "removed",
        "failure_to_renew",
        dt.date(2020, 3, 1),
    )
    assert RegisterEntry.objects.get(registration_number="SW10003").register == "temporary"
    # The review keyed before the identification on the same day still follows it.
    case = FitnessToPractiseCase.objects.get(reference="HC-1")
    assert (case.state, case.interim_order_state, case.referrer) == ("triage_decision", "in_force", "employer")
    assert case.opened_at == dt.datetime(2020, 1, 7, 14, tzinfo=dt.UTC)
    order = Order.objects.get(case=case)
    assert (order.kind, order.starts_on, order.ends_on) == (
        "interim_suspension",
        dt.date(2020, 1, 9),
        dt.date(2021, 7, 9),
    )
    assert order.review_due_on == dt.date(2020, 7, 9)
    concern = Concern.objects.get(reference="HC-2")
    assert (concern.status, concern.what_happened, concern.referrer_name) == ("awaiting_pre_triage", None, None)
    waiting = Application.objects.get(reference="APP-1")
    assert (waiting.status, waiting.registrant.user, waiting.received_at) == (
        "awaiting_applicant",
        None,
        dt.datetime(2020, 1, 6, 9, tzinfo=dt.UTC),
    )
    approved = Application.objects.get(reference="APP-2")
    assert approved.status == "approved" and approved.registrant == ann.registrant
    assert Call.objects.count() == 4 and Call.objects.filter(outcome="hung_up_before_queue").count() == 3
    assert EmailEnquiry.objects.get().responded_at.hour == 9
    assert Complaint.objects.get().status == "closed" and Complaint.objects.get().summary is None
    cpd = CPDRecord.objects.get()
    assert (cpd.description, cpd.peer_reflection, cpd.kind) == (None, True, "course")
    course = Course.objects.get(reference="CO1")
    assert (course.provider.reference, course.status, course.places) == ("P1", "approved", None)


def test_importing_the_same_folder_again_changes_nothing_and_says_so(tmp_path):
    folder = write_folder(tmp_path, SMALL)
    import_history(folder, write=True)
    before = {model: model.objects.count() for model in ALL_MODELS}
    again = import_history(folder, write=True)
    assert again.ok, again.errors
    assert again.totals() == {"new": 0, "unchanged": 32, "conflicting": 0}
    assert {model: model.objects.count() for model in ALL_MODELS} == before


def test_a_third_identical_call_in_a_reimport_is_one_new_call(tmp_path):
    folder = write_folder(tmp_path / "a", {"calls.csv": SMALL["calls.csv"]})
    import_history(folder, write=True)
    more = SMALL["calls.csv"] + "2020-01-06T09:00:00+00:00,0,hung_up_before_queue\n"
    report = import_history(write_folder(tmp_path / "b", {"calls.csv": more}), write=True)
    assert report.counts["calls.csv"] == {"new": 1, "unchanged": 4, "conflicting": 0}
    assert Call.objects.count() == 5


def test_a_row_contradicting_what_is_held_is_refused_never_overwritten(tmp_path):
    import_history(write_folder(tmp_path / "a", {"registrants.csv": SMALL["registrants.csv"]}), write=True)
    changed = SMALL["registrants.csv"].replace("Ann,Smith,Leeds", "Ann,Smith,Bradford")
    report = import_history(write_folder(tmp_path / "b", {"registrants.csv": changed}), write=True)
    assert report.errors == ["registrants.csv:2: registration_number: SW10001 is already held with different values"]
    assert report.counts["registrants.csv"] == {"new": 0, "unchanged": 2, "conflicting": 1}
    assert RegisterEntry.objects.get(registration_number="SW10001").town == "Leeds"


def _with(file, text):
    return {**SMALL, file: text}


BAD = [
    (
        "unknown column",
        _with("complaints.csv", "reference,received_at,closed_at,notes\n"),
        "complaints.csv:1: notes: unknown column",
    ),
    (
        "missing column",
        _with("complaints.csv", "reference,received_at\nC-1,2020-01-06\n"),
        "complaints.csv:1: closed_at: missing column",
    ),
    (
        "missing value",
        _with("providers.csv", "reference,name,town\nP1,,Leeds\n"),
        "providers.csv:2: name: missing value",
    ),
    (
        "bad date",
        _with("course_events.csv", "reference,event,on,detail\nCO1,approved,2019-02-30,\n"),
        "course_events.csv:2: on: not a date YYYY-MM-DD ('2019-02-30')",
    ),
    (
        "time without offset",
        _with("emails.csv", "received_at,responded_at\n2020-01-06T15:00:00,\n"),
        "emails.csv:2: received_at: a time needs an offset",
    ),
    (
        "bad boolean",
        _with("cpd_records.csv", SMALL["cpd_records.csv"].replace("true", "yes")),
        "cpd_records.csv:2: peer_reflection: must be true or false ('yes')",
    ),
    (
        "unknown choice",
        _with("cases.csv", SMALL["cases.csv"].replace("employer", "neighbour")),
        "cases.csv:2: referrer: must be one of",
    ),
    (
        "event for an unknown case",
        _with("case_events.csv", SMALL["case_events.csv"] + "HC-9,concern_received,2020-02-01,\n"),
        "case_events.csv:8: reference: HC-9 is not in cases.csv nor already held",
    ),
    (
        "registration number nowhere",
        _with("cases.csv", SMALL["cases.csv"].replace("SW10001", "SW99999")),
        "cases.csv:2: registration_number: SW99999 is neither in registrants.csv nor on the register",
    ),
    (
        "duplicate",
        _with("complaints.csv", SMALL["complaints.csv"] + "C-1,2020-01-07,\n"),
        "complaints.csv:3: reference: C-1 appears twice (first on line 2)",
    ),
    (
        "decision before the concern",
        _with(
            "case_events.csv",
            SMALL["case_events.csv"].replace(
                "HC-1,concern_received,2020-01-06T09:00:00+00:00", "HC-1,concern_received,2020-01-08T09:00:00+00:00"
            ),
        ),
        "case_events.csv:4: event: initial_review_completed cannot follow nothing",
    ),
    (
        "approval before receipt on an earlier day",
        _with("application_events.csv", SMALL["application_events.csv"].replace("2015-03-20T09", "2015-03-01T09")),
        "application_events.csv:4: event: approved cannot follow nothing",
    ),
    (
        "queue time on a call that never queued",
        _with("calls.csv", SMALL["calls.csv"].replace(",,hung", ",12,hung")),
        "calls.csv:2: queue_seconds: must be 0 or empty for a call hung up before queueing",
    ),
    (
        "email answered a day before it came",
        _with("emails.csv", "received_at,responded_at\n2020-01-06T15:00:00+00:00,2020-01-05T09:00:00+00:00\n"),
        "emails.csv:2: responded_at: is before received_at",
    ),
    (
        "order detail not an order",
        _with("case_events.csv", SMALL["case_events.csv"].replace("suspension:18", "ban")),
        "case_events.csv:6: detail: the order made",
    ),
    (
        "status against its history",
        _with(
            "register_events.csv",
            SMALL["register_events.csv"].replace("SW10002,removed,2020-03-01,failure_to_renew\n", ""),
        ),
        "registrants.csv:3: status: SW10002 is removed",
    ),
    (
        "a file that is not of the format",
        _with("notes.csv", "a,b\n"),
        "notes.csv:-: -: not a file of the interchange format",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_every_kind_of_bad_row_is_reported_with_its_line_and_nothing_is_written(tmp_path, files, expected):
    report = import_history(write_folder(tmp_path, files), write=True)
    assert not report.ok
    assert any(e.startswith(expected) for e in report.errors), report.errors
    assert nothing_written()


def test_every_bad_row_is_counted_though_the_list_is_capped(tmp_path):
    rows = "".join(f"C-{n},2020-01-0x,\n" for n in range(1500))
    report = import_history(
        write_folder(tmp_path, {"complaints.csv": "reference,received_at,closed_at\n" + rows}), write=False
    )
    assert report.error_count == 1500 and len(report.errors) == 1000
    assert report.summary_lines(50)[-1] == "... and 1450 more (1500 errors in all)"


def test_a_dry_run_writes_nothing(tmp_path):
    report = import_history(write_folder(tmp_path, SMALL), write=False)
    assert report.ok and report.totals()["new"] == 32
    assert nothing_written()


def test_a_failure_halfway_through_the_write_leaves_the_database_as_it_was(tmp_path):
    """The database refuses the case events (written after registrants, cases, applications...)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_case_events() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;"
            "CREATE TRIGGER refuse_case_events BEFORE INSERT ON fitness_to_practise_caseevent "
            "FOR EACH ROW EXECUTE FUNCTION refuse_case_events();"
        )
    with pytest.raises(DatabaseError, match="disk full"):
        import_history(write_folder(tmp_path, SMALL), write=True)
    assert nothing_written()


def test_an_imported_order_in_force_shows_on_the_public_register(tmp_path, client):
    today = timezone.localdate()
    made = dt.datetime.combine(today - dt.timedelta(days=40), dt.time(10), tzinfo=dt.UTC)
    files = {
        "registrants.csv": SMALL["registrants.csv"],
        "cases.csv": "reference,origin,registration_number,referrer\nHC-1,hcpc,SW10001,police\n",
        "case_events.csv": "reference,event,at,detail\n"
        f"HC-1,concern_received,{(made - dt.timedelta(days=5)).isoformat()},\n"
        f"HC-1,social_worker_identified,{(made - dt.timedelta(days=4)).isoformat()},\n"
        f"HC-1,interim_order_need_identified,{(made - dt.timedelta(days=3)).isoformat()},\n"
        f"HC-1,interim_order_decision,{made.isoformat()},conditions:12\n",
    }
    assert import_history(write_folder(tmp_path, files), write=True).ok
    assert Order.objects.in_force(today).filter(entry__registration_number="SW10001").exists()
    page = client.get(reverse("register:entry", args=["SW10001"]))
    assert "Interim conditions of practice order" in page.content.decode()


def test_the_officers_calls_and_emails_uploads_read_as_the_format_says():
    """Through the officers' own import: 0 seconds on a call hung up before queueing, two identical
    calls are two calls, an email answered the same day with an earlier clock time is answered."""
    from registration import services

    calls = services.calls_import(text=SMALL["calls.csv"], actor=None)
    assert (calls.errors, calls.created, Call.objects.count()) == ([], 4, 4)
    assert services.calls_import(text=SMALL["calls.csv"], actor=None).created == 0
    emails = services.emails_import(text=SMALL["emails.csv"], actor=None)
    assert (emails.errors, emails.created) == ([], 1)


def test_imported_work_sits_in_the_officers_queues_and_pages_say_not_recorded(tmp_path, client, user_with_role):
    from regulator.roles import Role

    assert import_history(write_folder(tmp_path, SMALL), write=True).ok
    client.force_login(user_with_role(Role.REGISTRATION_OFFICER))
    assert "APP-1" in client.get(reverse("registration-work:queue")).content.decode()
    client.force_login(user_with_role(Role.FTP_CASE_HANDLER))
    assert "HC-1" in client.get(reverse("fitness_to_practise:cases")).content.decode()
    concerns = client.get(reverse("fitness_to_practise:concerns")).content.decode()
    assert "HC-2" in concerns and "Not recorded" in concerns and "channel not recorded" in concerns
    concern = client.get(
        reverse("fitness_to_practise:concern", args=[Concern.objects.get(reference="HC-2").pk])
    ).content.decode()
    assert "name not recorded" in concern and "Not recorded" in concern
    case = client.get(
        reverse("fitness_to_practise:case", args=[FitnessToPractiseCase.objects.get(reference="HC-1").pk])
    ).content.decode()
    assert "Employer (transferred; name not recorded)" in case


def test_a_new_cpd_record_still_needs_its_text_though_transferred_ones_have_none(api_client):
    """The text is nullable for transferred records only: the API answers 400, never a 500."""
    from registration.tests.helpers import applicant

    user, _ = applicant()
    api_client.force_authenticate(user)
    response = api_client.post("/api/v1/account/cpd/", {"kind": "course", "done_on": "2026-01-05"}, format="json")
    assert response.status_code == 400
    assert {"description", "learning", "impact"} <= set(
        response.json()["errors"] if "errors" in response.json() else response.json()
    )
