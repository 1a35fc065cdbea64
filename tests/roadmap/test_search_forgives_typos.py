"""Search forgives typos (pg_trgm against the content's own words) and matches word beginnings."""

import pytest

from roadmap.models import SearchTerm
from roadmap.search import query_words, refresh_search_vectors, search_resources, search_topics

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(content):
    content.topic(
        "neural-networks", title="Neural Networks", summary="Layers of weighted sums and nonlinearities.",
        body="Training runs backpropagation to get every weight's gradient.",
    )
    content.topic("metrics", title="Classification Metrics", summary="Precision and recall.", body="Short.")
    content.topic("recaps", title="Weekly Recap", summary="What the week covered.", body="A recap.")
    content.topic("unrelated", title="Gardening", summary="Plants.", body="Soil and water.")
    content.roadmap("r", [("Deep Learning", ["neural-networks", "metrics", "recaps", "unrelated"])])
    content.load()
    return content


def slugs(query):
    return list(search_topics(query).values_list("slug", flat=True))


def test_a_misspelt_word_finds_the_topic(networks):
    assert slugs("neural netwrk") == ["neural-networks"]
    assert slugs("nueral networks") == ["neural-networks"]


def test_a_word_beginning_finds_the_whole_word(networks):
    assert slugs("backprop") == ["neural-networks"]
    assert slugs("classif metr") == ["metrics"]


def test_a_correctly_spelt_word_is_not_widened_to_near_spellings(networks):
    # "recall" begins a content word, so "recap" (trigram-near) is not added as an alternative.
    assert slugs("recall") == ["metrics"]


def test_every_word_must_match(networks):
    assert slugs("neural gardening") == []
    assert slugs("quantum chromodynamics") == []


def test_resources_forgive_typos_too(networks):
    titles = list(search_resources("vidoe neural").values_list("title", flat=True))
    assert titles == ["Video on neural-networks"]


def test_the_vocabulary_follows_content_changes(networks):
    assert not SearchTerm.objects.filter(word="xylophon").exists()
    networks.topic("music", title="Xylophones", summary="Struck bars.", body="Mallets.")
    networks.roadmap("r", [("Deep Learning", ["neural-networks", "metrics", "recaps", "unrelated", "music"])])
    networks.load()
    assert SearchTerm.objects.filter(word="xylophon").exists()
    assert slugs("xylofones") == ["music"]
    refresh_search_vectors(topic_ids=[])  # an empty change leaves the vocabulary alone
    assert SearchTerm.objects.filter(word="xylophon").exists()


def test_odd_words_never_reach_tsquery_syntax():
    assert query_words("'\"&|!():* back_prop <b>") == ["back", "prop", "b"]
    assert len(query_words("word " * 100)) == 8
    assert query_words("a" * 5000) == ["a" * 40]


def test_search_page_and_api_forgive_typos_within_their_budgets(client, networks, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        html = client.get("/search/", {"q": "neural netwrk"}).content.decode()
    assert 'href="/topics/neural-networks/"' in html
    with django_assert_max_num_queries(3):
        body = client.get("/api/topics/", {"search": "backprop"}).json()
    assert [t["slug"] for t in body["results"]] == ["neural-networks"]
