"""No 500 from any input: deep JSON, huge numbers, and the officers' CSV imports with 128 KB fields,
5,000-digit numbers and +23:59 offsets; error reports stay small."""

import io

import pytest

from registration.services import calls_import, emails_import
from regulator.bounded import MAX_REPORTED_ERRORS, BoundedErrorList, instant_with_offset, whole_number

pytestmark = pytest.mark.django_db

HEADER_CALLS = "received_at,queue_seconds,outcome\n"


def test_json_nested_a_thousand_deep_is_a_400(client):
    body = "[" * 1000 + "]" * 1000
    response = client.post("/api/v1/register/check/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_a_5000_digit_json_number_is_a_400(client):
    response = client.post("/api/v1/concerns/", '{"a": ' + "9" * 5000 + "}", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "row",
    [
        "2020-04-03T10:15:00+01:00," + "9" * 5000 + ",answered",
        "x" * (128 * 1024 + 10) + ",10,answered",
        "0001-01-01T00:00:00+23:59,10,answered",
        "9999-12-31T23:59:59-23:59,10,answered",
        '"2020-04-03T10:15:00+01:00,10,answered',  # an unclosed quote
    ],
)
def test_a_bad_field_in_the_calls_import_is_a_row_error(row):
    result = calls_import(text=HEADER_CALLS + row + "\n", actor=None)
    assert not result.ok and result.created == 0
    assert all(len(error) < 300 for error in result.errors)


def test_an_odd_offset_in_the_emails_import_is_a_row_error():
    result = emails_import(text="received_at,responded_at\n0001-01-01T00:10:00+23:59,\n", actor=None)
    assert not result.ok


def test_a_file_of_bad_rows_reports_the_first_hundred_and_counts_the_rest():
    rows = "".join("not-a-date,10,answered\n" for _ in range(20_000))
    result = calls_import(text=HEADER_CALLS + rows, actor=None)
    assert len(result.errors) == MAX_REPORTED_ERRORS + 1
    assert result.errors[-1] == f"… and {20_000 - MAX_REPORTED_ERRORS:,} more problems"
    assert sum(len(e) for e in result.errors) < 50_000


def test_the_import_api_answers_a_bounded_400(client, officer):
    client.force_login(officer)
    rows = "".join("x" * 1000 + ",10,answered\n" for _ in range(1000))
    upload = io.BytesIO((HEADER_CALLS + rows).encode())
    upload.name = "calls.csv"
    response = client.post("/api/v1/calls/import/", {"file": upload})
    assert response.status_code == 400
    assert len(response.content) < 60_000


def test_the_shared_field_readers():
    assert whole_number("12", maximum=100) == 12
    assert whole_number("9" * 5000, maximum=100) is None
    assert whole_number("١٢", maximum=100) is None  # Arabic-Indic digits are digits to str.isdigit
    with pytest.raises(ValueError, match="outside the calendar"):
        instant_with_offset("0001-01-01T00:00:00+23:59")
    errors = BoundedErrorList(limit=2)
    for n in range(5):
        errors.append(str(n))
    assert errors == ["0", "1", "… and 3 more problems"] and errors.total == 5
