"""cached_many: entries per content version, held in Redis."""

import uuid

import pytest
from django.core.cache import cache

from caching.fragments import cached
from caching.versions import VERSION_KEY


@pytest.fixture(autouse=True)
def empty_caches():
    cache.clear()


def counting_build(value="built"):
    calls = []

    def build():
        calls.append(1)
        return f"{value} {len(calls)}"

    return build, calls


def test_a_version_bumped_by_another_process_makes_the_entry_miss():
    build, calls = counting_build()
    cached("thing", build)
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)  # what bump_content_version does elsewhere
    assert cached("thing", build) == "built 2"


def test_an_entry_built_before_is_read_from_redis():
    build, calls = counting_build()
    cached("thing", build)
    assert cached("thing", build) == "built 1"
    assert len(calls) == 1


def test_a_cleared_cache_starts_a_new_version():
    build, calls = counting_build()
    cached("thing", build)
    cache.clear()
    assert cached("thing", build) == "built 2"
