"""The read-only REST API: shapes, pagination, search, 404s and query budgets."""

import pytest

from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


def test_roadmap_list(api, loaded):
    body = api.get("/api/roadmaps/").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first == {
        "slug": "first",
        "title": "First",
        "summary": "A roadmap for tests.",
        "source_author": "Test Author",
        "source_url": "https://example.com/source",
        "topic_count": 3,
        "total_hours": 6,
    }


def test_roadmap_detail_has_sections_with_topics_in_order(api, loaded):
    body = api.get("/api/roadmaps/first/").json()
    assert [s["title"] for s in body["sections"]] == ["Maths", "Optimisation"]
    assert [t["slug"] for t in body["sections"][0]["topics"]] == ["vectors", "matrices"]
    assert set(body["sections"][0]["topics"][0]) == {"slug", "title", "summary", "level", "estimated_hours"}


def test_topic_detail(api, loaded):
    body = api.get("/api/topics/matrices/").json()
    assert body["prerequisites"] == ["vectors"]
    assert body["leads_to"] == ["gradient-descent"]
    assert body["roadmaps"] == ["first", "second"]
    [resource] = body["resources"]
    assert resource == {
        "id": resource["id"], "title": "Video on matrices", "url": "https://example.com/matrices", "kind": "video",
        "cost": "free", "author": "",
    }
    assert "<p>" in body["body_html"]


def test_topic_search(api, loaded):
    body = api.get("/api/topics/", {"search": "gradient"}).json()
    assert [t["slug"] for t in body["results"]] == ["gradient-descent"]
    assert api.get("/api/topics/").json()["count"] == 3


def test_unknown_slug_is_404_json(api, loaded):
    for url in ["/api/roadmaps/nope/", "/api/topics/nope/"]:
        response = api.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


def test_lists_are_paginated(api):
    build_roadmap(topics=120)
    body = api.get("/api/topics/").json()
    assert body["count"] == 120 and len(body["results"]) == 50 and body["next"]


def test_api_is_read_only(api, loaded):
    assert api.post("/api/roadmaps/", {}, format="json").status_code == 405
    assert api.delete("/api/topics/vectors/").status_code == 405


@pytest.mark.parametrize("topics", [10, 500])
def test_query_budgets_do_not_grow(api, django_assert_max_num_queries, topics):
    build_roadmap(topics=topics)
    with django_assert_max_num_queries(2):
        api.get("/api/roadmaps/")
    with django_assert_max_num_queries(3):
        api.get("/api/roadmaps/big/")
    with django_assert_max_num_queries(5):
        api.get("/api/topics/big-topic-3/")
    with django_assert_max_num_queries(2):
        api.get("/api/topics/", {"search": "topic"})


def test_schema_is_valid_and_lists_every_endpoint(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].endswith("json") else None
    if schema is None:
        import yaml

        schema = yaml.safe_load(response.content)
    for path in ["/api/roadmaps/", "/api/roadmaps/{slug}/", "/api/topics/", "/api/topics/{slug}/"]:
        assert path in schema["paths"]


def test_docs_page_is_served_without_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower()
    assert "cdn.jsdelivr" not in html
