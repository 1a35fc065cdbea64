"""Addresses no route or query can use: a NUL character anywhere is a 400 (PostgreSQL text cannot hold one, and it
used to reach a query as a 500); an /api/ URL that matches no route answers JSON like every other API error; a page
number that is not one is a 404. All three were found by tests/test_api_fuzzing.py."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/api/reviews/due/?topic=vec%00tors", "/api/attempts/?topic=%00", "/api/topics/?search=a%00b",
    "/api/me/?x%00=1", "/api/notes/%00/",
])
def test_a_nul_character_in_an_api_address_is_a_json_400(api, alice, url):
    api.force_authenticate(alice)
    response = api.get(url)
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/search/?q=vec%00tors", "/reminders/unsubscribe/a%00b/"])
def test_a_nul_character_in_a_page_address_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_an_api_url_without_a_route_is_a_json_404(api, alice):
    api.force_authenticate(alice)
    for url in ["/api/attempts/abc/", "/api/nothing-here/", "/api/reviews/1.5/answer/"]:
        response = api.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found."}


def test_a_page_url_without_a_route_is_still_the_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("page", ["", "last", "0", "two", "1.5"])
def test_a_page_number_that_is_not_one_is_a_404(api, small_content, page):
    small_content.load()
    response = api.get("/api/topics/", {"page": page})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Invalid page")


def test_page_numbers_still_work(api, small_content):
    small_content.load()
    assert api.get("/api/topics/").json()["count"] == 3
    assert api.get("/api/topics/", {"page": 1}).status_code == 200
