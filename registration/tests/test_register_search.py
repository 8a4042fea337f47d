"""The public search: by name (any order, accents, case, misspellings), by number, by town;
bad input gets a clear answer, never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registration.models import Register
from tests.factories import make_entry

pytestmark = pytest.mark.django_db
API = "/api/v1/register/"


def numbers(response):
    assert response.status_code == 200, response.content
    return [r["registration_number"] for r in response.json()["results"]]


@pytest.fixture
def register():
    return {
        "john": make_entry(given_name="John", family_name="Smith", town="Leeds"),
        "jon": make_entry(given_name="Jon", family_name="Smyth", town="York"),
        "zoe": make_entry(given_name="Zoë", family_name="Brontë", town="Haworth"),
        "mary": make_entry(given_name="Mary", family_name="O'Brien", town="Leeds"),
        "other": make_entry(given_name="Priya", family_name="Patel", town="Leicester"),
    }


def test_jon_smyth_is_found_for_john_smith(api_client, register):
    found = numbers(api_client.get(API, {"q": "John Smith"}))
    assert found[0] == register["john"].registration_number  # the exact match first
    assert register["jon"].registration_number in found
    assert register["other"].registration_number not in found


def test_john_smith_is_found_for_jon_smyth(api_client, register):
    found = numbers(api_client.get(API, {"q": "jon smyth"}))
    assert found[0] == register["jon"].registration_number
    assert register["john"].registration_number in found


def test_names_match_in_any_order_and_any_case(api_client, register):
    assert numbers(api_client.get(API, {"q": "SMITH john"}))[0] == register["john"].registration_number


def test_accents_are_ignored_both_ways(api_client, register):
    assert numbers(api_client.get(API, {"q": "zoe bronte"})) == [register["zoe"].registration_number]
    assert numbers(api_client.get(API, {"q": "Zoë Brontë"})) == [register["zoe"].registration_number]


def test_apostrophes_do_not_matter(api_client, register):
    assert numbers(api_client.get(API, {"q": "mary obrien"})) == [register["mary"].registration_number]


@pytest.mark.parametrize("form", ["{n}", "{n_lower}", "{digits}", "SW {digits}", " {n} "])
def test_a_registration_number_is_found_with_or_without_sw(api_client, register, form):
    n = register["john"].registration_number
    q = form.format(n=n, n_lower=n.lower(), digits=n[2:])
    assert numbers(api_client.get(API, {"q": q})) == [n]


def test_town_search_lists_everyone_working_there_by_name(api_client, register):
    assert numbers(api_client.get(API, {"town": "leeds"})) == [
        register["mary"].registration_number,
        register["john"].registration_number,
    ]  # O'Brien, then Smith


def test_name_and_town_together_narrow_the_search(api_client, register):
    assert numbers(api_client.get(API, {"q": "smith", "town": "York"})) == [register["jon"].registration_number]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({}, "q", "Enter a name, registration number or town"),
        ({"q": "   "}, "q", "Enter a name, registration number or town"),
        ({"q": "x" * 300}, "q", "100 characters"),
        ({"q": "SW12X4"}, "q", "SW followed by digits"),
        ({"q": "12-34-56"}, "q", "SW followed by digits"),
        ({"q": "!!!"}, "q", "Enter a name"),
        ({"town": "???"}, "town", "Enter a town"),
    ],
)
def test_bad_searches_get_a_400_naming_the_field_and_the_reason(api_client, register, params, field, message):
    response = api_client.get(API, params)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


@pytest.mark.parametrize(
    "q",
    ["'; DROP TABLE registration_registerentry; --", "<script>alert(1)</script>", "smith%", "_", "\\", "a' OR '1'='1"],
)
def test_sql_and_html_in_the_query_are_just_text(api_client, client, register, q):
    response = api_client.get(API, {"q": q})
    assert response.status_code in (200, 400)  # a result, or "enter a name using letters"
    if response.status_code == 400:
        assert "q" in response.json()
    assert api_client.get(f"{API}{register['john'].registration_number}/").status_code == 200  # table intact
    page = client.get("/register/", {"q": q})
    assert page.status_code == 200
    assert b"<script>alert(1)" not in page.content


def test_a_page_far_past_the_end_gets_a_clear_answer(api_client, client, register):
    response = api_client.get(API, {"q": "smith", "page": 10_000})
    assert response.status_code == 404
    assert "Invalid page" in response.json()["detail"]
    page = client.get("/register/", {"q": "smith", "page": 10_000})
    assert page.status_code == 200
    assert b"There are no more results" in page.content
    assert client.get("/register/", {"q": "smith", "page": "abc"}).status_code == 200


def test_results_are_paginated(api_client):
    for i in range(25):
        make_entry(given_name=f"Anne{chr(97 + i)}", family_name="Walker", town="Bath")
    first = api_client.get(API, {"town": "bath"}).json()
    assert first["count"] == 25 and len(first["results"]) == 20 and first["next"]
    second = api_client.get(API, {"town": "bath", "page": 2}).json()
    assert len(second["results"]) == 5


def test_the_search_runs_in_a_constant_number_of_queries(api_client, register):
    for i in range(30):
        make_entry(given_name="Sam", family_name=f"Smithson{chr(97 + i % 26)}", town="Leeds")
    with CaptureQueriesContext(connection) as small:
        api_client.get(API, {"town": "leeds", "page_size": 2})
    with CaptureQueriesContext(connection) as large:
        api_client.get(API, {"town": "leeds", "page_size": 30})
    assert len(small) == len(large) <= 4


def test_search_page_shows_results_with_status_and_register(client, register):
    make_entry(given_name="Tom", family_name="Temp", town="Leeds", register=Register.TEMPORARY)
    response = client.get("/register/", {"q": "tom temp"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tom Temp" in content and "Temporary register" in content and "Registered" in content


def test_entry_page_and_api_by_number(api_client, client, register):
    n = register["zoe"].registration_number
    assert client.get(f"/register/{n}/").status_code == 200
    assert api_client.get(f"{API}{n}/").json()["family_name"] == "Brontë"
    assert client.get("/register/SW999999999/").status_code == 404
    assert api_client.get(f"{API}not-a-number/").status_code == 404


def test_a_search_whose_first_page_holds_every_match_does_not_count_separately(api_client, register):
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(API, {"q": register["john"].registration_number})
    assert response.json()["count"] == 1
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_counts_past_the_cap_are_shown_as_the_cap_and_flagged(api_client, client, monkeypatch):
    monkeypatch.setattr("registration.pagination.COUNT_CAP", 3)
    for i in range(6):
        make_entry(given_name=f"Kim{chr(97 + i)}", family_name="Lee", town="Ely")
    body = api_client.get(API, {"town": "ely", "page_size": 2}).json()
    assert body["count"] == 3 and body["count_capped"] is True
    assert api_client.get(API, {"town": "ely", "page_size": 2, "page": 3}).status_code == 404
    page = client.get("/register/", {"town": "ely"})
    assert b"3+ results" in page.content


def test_a_name_added_after_its_neighbours_were_cached_is_found_exactly_at_once(api_client, register):
    assert numbers(api_client.get(API, {"q": "john zwicky"})) == []  # caches "zwicky": no such name yet
    newcomer = make_entry(given_name="John", family_name="Zwicky", town="Leeds")
    assert numbers(api_client.get(API, {"q": "john zwicky"})) == [newcomer.registration_number]


def test_a_search_with_no_match_says_so_and_suggests_what_to_try(client, register):
    response = client.get("/register/", {"q": "Quentin Xylophone"})
    assert b"0 results" in response.content
    assert b"No social worker on the register matches your search" in response.content
