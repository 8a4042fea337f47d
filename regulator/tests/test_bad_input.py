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
