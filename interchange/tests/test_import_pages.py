"""The administrator's import pages: upload a zip, read the check, confirm, watch the job; nobody
else may use them."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interchange.models import ImportJob
from registration.models import Call, RegisterEntry
from regulator.roles import Role

from .folders import SMALL

pytestmark = pytest.mark.django_db  # the pages; the dated rules are test_import_history's


def zipped(files) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"history/{name}", text)
    return SimpleUploadedFile("history.zip", buffer.getvalue(), content_type="application/zip")


@pytest.fixture
def administrator(user_with_role):
    return user_with_role(Role.ADMINISTRATOR)


def test_an_administrator_uploads_checks_confirms_and_the_job_imports(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interchange:imports"), {"archive": zipped(SMALL)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "checked"
    page = client.get(reverse("interchange:job", args=[job.pk])).content.decode()
    assert "Confirm and import" in page and "registrants.csv" in page and not RegisterEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("interchange:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.import_report["counts"]["calls.csv"]["new"] == 4
    assert RegisterEntry.objects.count() == 3 and Call.objects.count() == 4
    assert 'http-equiv="refresh"' not in client.get(reverse("interchange:job", args=[job.pk])).content.decode()
    # A second confirmation is refused: the job has run.
    assert client.post(reverse("interchange:confirm", args=[job.pk])).status_code == 409


def test_a_folder_with_problems_is_shown_with_them_and_cannot_be_confirmed(
    client, administrator, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    bad = {**SMALL, "providers.csv": "reference,name,town\nP1,,Leeds\n"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("interchange:imports"), {"archive": zipped(bad)})
    job = ImportJob.objects.get()
    page = client.get(reverse("interchange:job", args=[job.pk])).content.decode()
    assert job.status == "refused" and "providers.csv:2: name: missing value" in page
    assert "Confirm and import" not in page
    assert client.post(reverse("interchange:confirm", args=[job.pk])).status_code == 409
    assert not RegisterEntry.objects.exists()


def test_a_running_job_page_refreshes_itself_without_javascript(client, administrator):
    client.force_login(administrator)
    job = ImportJob.objects.create(
        status="running",
        folder="/nowhere",
        original_name="h.zip",
        uploaded_by=administrator,
        uploaded_at="2026-01-05T10:00:00Z",
        bytes_total=200,
        bytes_done=50,
        rows_done=1000,
    )
    page = client.get(reverse("interchange:job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page and 'value="25"' in page and "Reload it now" in page


def test_a_zip_with_other_files_is_refused_with_the_reason(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("interchange:imports"), {"archive": zipped({"notes.txt": "x"})})
    assert response.status_code == 400 and "Not files of the format: notes.txt" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", [None, Role.REGISTRATION_OFFICER, Role.EXECUTIVE])
def test_only_administrators_may_import_history(client, user_with_role, administrator, role):
    job = ImportJob.objects.create(
        status="checked",
        folder="/nowhere",
        original_name="h.zip",
        uploaded_by=administrator,
        uploaded_at="2026-01-05T10:00:00Z",
    )
    if role:
        client.force_login(user_with_role(role))
    for response in (
        client.get(reverse("interchange:imports")),
        client.post(reverse("interchange:imports"), {"archive": zipped(SMALL)}),
        client.get(reverse("interchange:job", args=[job.pk])),
        client.post(reverse("interchange:confirm", args=[job.pk])),
    ):
        assert response.status_code == (403 if role else 302)
    job.refresh_from_db()
    assert job.status == "checked" and ImportJob.objects.count() == 1
