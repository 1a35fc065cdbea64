"""Fragments of pages built from content (roadmap plans, outlines, maps, a learner's year), kept in Redis and in
a small per-process LRU.

Invalidation: an entry holds the content version it was built in (caching/versions.py); any content change bumps
it, so every entry misses at once, in every process. Keys embed the release id, so a deploy starts from fresh
entries too. A cache that is down (Redis stopped) never breaks a page: the value is built as if it had missed.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .layers import is_on
from .versions import VERSION_KEY, content_version, release_id

log = logging.getLogger(__name__)
T = TypeVar("T")

TIMEOUT = 60 * 60 * 24
# An entry never changes once built (new content or code gives new entries), so each process also keeps the
# ones it used last: a hit then costs one small round trip for the version instead of the entries' bytes and
# their unpickling (1.3 ms of a signed-in roadmap page for the roadmap plans alone). Values are shared
# between requests: callers read them, never change them.
LOCAL_ENTRIES = 512
_local: OrderedDict[str, tuple[str, object]] = OrderedDict()
_local_lock = threading.Lock()


def cached_many(keys: list[str], build: Callable[[list[str]], dict[str, T]]) -> dict[str, T]:
    """The value of each key in the current content version and release; `build` makes the missing ones
    (all at once, so that a cold cache costs the same queries for one key or many) and they are stored.

    Each entry says which content version it was built in; the version is read first, then what this
    process does not hold in that version comes from the cache in one more round trip. A value is stored
    under the version read before it was built: content that changed meanwhile makes it miss.
    """
    if not is_on("fragments"):
        return build(list(keys))
    release = release_id()
    full_keys = {key: f"{key}:{release}" for key in keys}
    try:
        version = cache.get(VERSION_KEY) or content_version()
        values = _local_values(full_keys, version)
        remote = [full_keys[key] for key in keys if key not in values]
        found = cache.get_many(remote) if remote else {}
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: building %s", ", ".join(keys), exc_info=True)
        return build(list(keys))
    for key in keys:
        entry = found.get(full_keys[key])
        if entry is not None and entry["version"] == version:
            values[key] = entry["value"]
            _keep_local(full_keys[key], version, entry["value"])
    missing = [key for key in keys if key not in values]
    if missing:
        built = build(missing)
        values |= built
        for key, value in built.items():
            _keep_local(full_keys[key], version, value)
        try:
            cache.set_many({full_keys[key]: {"version": version, "value": value} for key, value in built.items()},
                           timeout=TIMEOUT)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: not storing %s", ", ".join(missing), exc_info=True)
    return values


def _local_values(full_keys: dict[str, str], version: str) -> dict:
    values = {}
    if not is_on("local_fragments"):
        return values
    with _local_lock:
        for key, full_key in full_keys.items():
            held = _local.get(full_key)
            if held is not None and held[0] == version:
                _local.move_to_end(full_key)
                values[key] = held[1]
    return values


def _keep_local(full_key: str, version: str, value) -> None:
    if not is_on("local_fragments"):
        return
    with _local_lock:
        _local[full_key] = (version, value)
        _local.move_to_end(full_key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def cached(key: str, build: Callable[[], T]) -> T:
    """The value for `key` in the current content version and release, built and stored on a miss."""
    return cached_many([key], lambda missing: {key: build()})[key]
