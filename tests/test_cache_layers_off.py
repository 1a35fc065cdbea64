"""CACHE_LAYERS_OFF leaves chosen cache layers out (benchmarks measure what each pays); a wrong name is refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caching.fragments import cached

pytestmark = pytest.mark.django_db


def test_fragments_off_builds_every_time(settings, empty_cache):
    settings.CACHE_LAYERS_OFF = frozenset({"fragments"})
    built = []
    for _ in range(2):
        cached("probe", lambda: built.append(1) or "value")
    assert len(built) == 2


@pytest.mark.parametrize(("off", "queries_on_a_second_visit"), [(set(), 0), ({"anonymous_pages"}, 1)])
def test_anonymous_pages_off_runs_the_view(client, settings, loaded_small, off, queries_on_a_second_visit):
    settings.CACHE_LAYERS_OFF = frozenset(off)
    client.get("/roadmaps/first/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/roadmaps/first/").status_code == 200
    assert len(queries) == queries_on_a_second_visit  # the view's one query, or a replay's none


def test_a_layer_that_does_not_exist_is_refused(settings):
    settings.CACHE_LAYERS_OFF = frozenset({"pages"})
    with pytest.raises(ImproperlyConfigured, match="CACHE_LAYERS_OFF names no cache layer: pages"):
        cached("probe", lambda: 1)


@pytest.fixture
def loaded_small(small_content):
    small_content.load()
