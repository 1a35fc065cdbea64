"""The public pages: home, roadmap, topic and search, with query budgets that do not grow with content."""

import pytest

from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


def test_home_lists_roadmaps_as_cards(client, loaded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "First" in html and "Second" in html
    assert "Test Author" in html
    assert '<dd>3</dd>' in html  # topics in the first roadmap


def test_roadmap_page_has_map_and_list(client, loaded):
    html = client.get("/roadmaps/first/").content.decode()
    assert '<svg class="roadmap-map"' in html
    assert html.count('class="map-node') == 3
    assert 'data-from=' in html  # prerequisite arrows
    assert '<ol class="outline">' in html
    assert 'href="/topics/vectors/?roadmap=first"' in html
    assert 'href="https://example.com/source"' in html


def test_topic_page(client, loaded):
    response = client.get("/topics/matrices/?roadmap=second")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Matrices</h1>" in html
    assert "Video on matrices" in html  # resource
    assert 'href="/topics/vectors/"' in html  # prerequisite
    assert 'href="/topics/gradient-descent/"' in html  # leads to
    # previous/next follow the roadmap named in ?roadmap=
    assert 'rel="next" href="/topics/gradient-descent/?roadmap=second"' in html
    assert 'rel="prev"' not in html
    assert "First" in html and "Second" in html  # the roadmaps it belongs to


def test_topic_page_defaults_to_the_first_roadmap(client, loaded):
    html = client.get("/topics/matrices/").content.decode()
    assert 'rel="prev" href="/topics/vectors/?roadmap=first"' in html


def test_unknown_slugs_are_404(client, loaded):
    assert client.get("/roadmaps/nope/").status_code == 404
    assert client.get("/topics/nope/").status_code == 404


def test_search_finds_topics_and_resources(client, loaded):
    html = client.get("/search/", {"q": "gradient"}).content.decode()
    assert 'href="/topics/gradient-descent/"' in html
    assert "Video on gradient-descent" in html


def test_search_without_matches(client, loaded):
    html = client.get("/search/", {"q": "quantum chromodynamics"}).content.decode()
    assert "No topic matches" in html


def test_search_handles_odd_input(client, loaded):
    for query in ["", "   ", "'\"&|!():*", "a" * 5000, "<script>alert(1)</script>"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.parametrize("topics", [10, 500])
def test_query_budgets_do_not_grow(client, django_assert_max_num_queries, topics):
    build_roadmap(topics=topics)
    with django_assert_max_num_queries(1):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/roadmaps/big/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/topics/big-topic-5/?roadmap=big").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/search/", {"q": "topic"}).status_code == 200


def test_search_ranks_title_and_summary_matches_first(client, content):
    content.topic("imbalanced", title="Imbalanced Data", body="precision recall " * 40)
    content.topic("metrics", title="Classification Metrics", summary="Precision, recall and F1.", body="Short.")
    content.topic("unrelated", title="Unrelated", body="Nothing to see.")
    content.roadmap("r", [("S", ["imbalanced", "metrics", "unrelated"])])
    content.load()
    html = client.get("/search/", {"q": "precision recall"}).content.decode()
    assert html.index('href="/topics/metrics/"') < html.index('href="/topics/imbalanced/"')
    assert 'href="/topics/unrelated/"' not in html
    # Resources are listed only when they match.
    assert "Video on unrelated" not in html
