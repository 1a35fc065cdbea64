"""cached_many: entries per content version, held in Redis and in each process's memory."""

import uuid

import pytest
from django.core.cache import cache

from caching import fragments
from caching.fragments import cached, cached_many
from caching.versions import VERSION_KEY, release_id


@pytest.fixture(autouse=True)
def empty_caches():
    cache.clear()
    fragments._local.clear()
    yield
    fragments._local.clear()


def counting_build(value="built"):
    calls = []

    def build():
        calls.append(1)
        return f"{value} {len(calls)}"

    return build, calls


def test_a_hit_in_this_process_does_not_read_the_entry_from_redis():
    build, calls = counting_build()
    assert cached("thing", build) == "built 1"
    cache.delete(f"thing:{release_id()}")  # the entry is gone from Redis, the version is not
    assert cached("thing", build) == "built 1"
    assert len(calls) == 1


def test_a_version_bumped_by_another_process_makes_the_local_copy_miss():
    build, calls = counting_build()
    cached("thing", build)
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)  # what bump_content_version does elsewhere
    assert cached("thing", build) == "built 2"


def test_an_entry_another_process_built_is_read_from_redis_and_kept():
    build, calls = counting_build()
    cached("thing", build)
    fragments._local.clear()  # another process: nothing held locally
    assert cached("thing", build) == "built 1"
    assert len(fragments._local) == 1


def test_a_cleared_cache_starts_a_new_version():
    build, calls = counting_build()
    cached("thing", build)
    cache.clear()
    assert cached("thing", build) == "built 2"


def test_the_local_copies_are_bounded(monkeypatch):
    monkeypatch.setattr(fragments, "LOCAL_ENTRIES", 3)
    cached_many([f"k{i}" for i in range(5)], lambda missing: {key: key for key in missing})
    assert len(fragments._local) == 3
    # The least recently used go first: k0 and k1.
    assert not any(key.startswith(("k0:", "k1:")) for key in fragments._local)
