"""Caching of rendered content, invalidated by a content version that every content change bumps.

Keys embed the version, so bumping it makes every cached page miss at once, in every process. A cache
that is down (Redis stopped) never breaks a page: the value is built as if it had missed.
"""

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

log = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "content-version"
TIMEOUT = 60 * 60 * 24


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        # add(): two processes starting at once agree on the first version written.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> bool:
    """Call after any change to roadmaps, sections, topics or resources. False when Redis could not be
    reached: config/cache.py then empties the cache when Redis answers again, in every process that wrote
    to it meanwhile, since Redis may come back holding the old version."""
    try:
        cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)
    except Exception:  # noqa: BLE001 - a failing cache must not fail the content change behind it
        log.warning("cache error while bumping the content version", exc_info=True)
        return False
    if getattr(cache, "degraded", False):  # only this process's fallback cache has the new version
        log.warning("cache unavailable: content version bumped in this process only")
        return False
    return True


def cached(key: str, build: Callable[[], T]) -> T:
    """The value for `key` in the current content version, built and stored on a miss."""
    try:
        full_key = f"{key}:{content_version()}"
        value = cache.get(full_key)
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: building %s", key, exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(full_key, value, timeout=TIMEOUT)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: not storing %s", key, exc_info=True)
    return value
