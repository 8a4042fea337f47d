"""Employers check up to 100 registration numbers at once and can download the result as CSV."""

import csv
import io

import pytest

from tests.factories import make_entry

pytestmark = pytest.mark.django_db
API = "/api/v1/register/check/"


def test_numbers_are_reported_found_or_not_in_the_order_given(api_client):
    a, b = make_entry(family_name="Ames"), make_entry(family_name="Bell")
    response = api_client.post(
        API, {"numbers": [b.registration_number, "SW1", a.registration_number[2:]]}, format="json"
    )
    assert response.status_code == 200
    rows = response.json()
    assert [r["found"] for r in rows] == [True, False, True]
    assert rows[0]["entry"]["family_name"] == "Bell" and rows[1]["entry"] is None


def test_more_than_100_numbers_are_refused_with_the_reason(api_client):
    response = api_client.post(API, {"numbers": [f"SW{i}" for i in range(101)]}, format="json")
    assert response.status_code == 400
    assert "numbers" in response.json()


def test_the_result_downloads_as_csv(api_client):
    entry = make_entry(given_name="Ann", family_name="Cole", town="Derby")
    response = api_client.post(API + "?download=csv", {"numbers": [entry.registration_number, "SW42"]}, format="json")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "Ann Cole" and rows[0]["found"] == "yes" and rows[0]["town"] == "Derby"
    assert rows[1]["found"] == "no"


def test_spreadsheet_formulae_in_names_are_neutralised_in_the_csv(api_client):
    entry = make_entry(given_name="=HYPERLINK(1)", family_name="Evil")
    response = api_client.post(API + "?download=csv", {"numbers": [entry.registration_number]}, format="json")
    assert "'=HYPERLINK(1) Evil" in response.content.decode()


def test_the_check_page_shows_a_table_and_downloads_csv(client):
    entry = make_entry(given_name="Ann", family_name="Cole")
    page = client.post("/register/check/", {"numbers": f"{entry.registration_number}\nSW42", "check": ""})
    assert page.status_code == 200 and b"1 of 2 found" in page.content
    download = client.post("/register/check/", {"numbers": entry.registration_number, "download": ""})
    assert download["Content-Disposition"].startswith("attachment")


def test_the_check_page_explains_an_empty_or_oversized_list(client):
    assert b"Enter at least one registration number" in client.post("/register/check/", {"numbers": ""}).content
    many = "\n".join(f"SW{i}" for i in range(150))
    assert b"100 registration numbers or fewer" in client.post("/register/check/", {"numbers": many}).content


def test_the_schema_documents_the_csv_answer_of_the_register_check(client):
    # Found by schemathesis: `?download=csv` answered text/csv, which the schema did not mention.
    responses = client.get("/api/schema/?format=json").json()["paths"]["/api/v1/register/check/"]["post"]["responses"]
    assert set(responses["200"]["content"]) == {"application/json", "text/csv"}
