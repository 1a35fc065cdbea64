"""Fragments of pages built from content (roadmap plans, outlines, maps, a learner's year), kept in Redis.

Invalidation: an entry holds the content version it was built in (caching/versions.py); any content change bumps
it, so every entry misses at once, in every process. Keys embed the release id, so a deploy starts from fresh
entries too. A cache that is down (Redis stopped) never breaks a page: the value is built as if it had missed.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .layers import is_on
from .versions import VERSION_KEY, content_version, release_id

log = logging.getLogger(__name__)
T = TypeVar("T")

TIMEOUT = 60 * 60 * 24


def cached_many(keys: list[str], build: Callable[[list[str]], dict[str, T]]) -> dict[str, T]:
    """The value of each key in the current content version and release; `build` makes the missing ones
    (all at once, so that a cold cache costs the same queries for one key or many) and they are stored.

    Each entry says which content version it was built in; the version is read first, then the entries in one
    more round trip. A value is stored under the version read before it was built: content that changed meanwhile
    makes it miss. (Each process used to keep a copy of the entries it read, too: bench/load showed no gain from it
    once whole signed-in pages were replayed, bench/RESULTS.md 2026-12-04, so it went.)
    """
    if not is_on("fragments"):
        return build(list(keys))
    release = release_id()
    full_keys = {key: f"{key}:{release}" for key in keys}
    try:
        version = cache.get(VERSION_KEY) or content_version()
        values = {}
        found = cache.get_many(list(full_keys.values()))
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: building %s", ", ".join(keys), exc_info=True)
        return build(list(keys))
    for key in keys:
        entry = found.get(full_keys[key])
        if entry is not None and entry["version"] == version:
            values[key] = entry["value"]
    missing = [key for key in keys if key not in values]
    if missing:
        built = build(missing)
        values |= built
        try:
            cache.set_many({full_keys[key]: {"version": version, "value": value} for key, value in built.items()},
                           timeout=TIMEOUT)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: not storing %s", ", ".join(missing), exc_info=True)
    return values


def cached(key: str, build: Callable[[], T]) -> T:
    """The value for `key` in the current content version and release, built and stored on a miss."""
    return cached_many([key], lambda missing: {key: build()})[key]
