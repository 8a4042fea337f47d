"""Bad input gets a clear answer across the project: never a 500, never an HTML page from the API."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/appeals/null,null/", "/api/v1/ftp/cases/-1/", "/api/v1/no-such-thing/"])
def test_a_malformed_or_unknown_api_address_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_page_is_still_the_govuk_page_not_found(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]
    assert b"Page not found" in response.content


def test_the_schema_documents_event_histories_as_the_unpaginated_lists_they_are(client):
    # Found by schemathesis: the events actions answer a list, but the schema promised a page object.
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/complaints/{id}/events/",
        "/api/v1/information-requests/{id}/events/",
        "/api/v1/education/approval-requests/{id}/events/",
    ):
        body = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path


def test_the_schema_documents_the_refusals_an_operation_can_give(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    action = paths["/api/v1/ftp/cases/{id}/refer-to-investigation/"]["post"]["responses"]
    assert {"400", "403", "404", "409"} <= set(action)
    assert set(paths["/api/v1/register/"]["get"]["responses"]) == {"200", "400", "404"}
