"""Caching of rendered content, invalidated by a content version that every content change bumps.

Entries carry the version they were built in, so bumping it makes every cached page miss at once, in every
process. Keys embed the code version, a digest of the code, templates and static-file names that render
them, so a deploy starts from fresh entries too. A cache that is down (Redis stopped) never breaks a page:
the value is built as if it had missed.
"""

import functools
import hashlib
import logging
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)
T = TypeVar("T")

VERSION_KEY = "content-version"
TIMEOUT = 60 * 60 * 24
# An entry never changes once built (new content or code gives new entries), so each process also keeps the
# ones it used last: a hit then costs one small round trip for the version instead of the entries' bytes and
# their unpickling (1.3 ms of a signed-in roadmap page for the roadmap plans alone). Values are shared
# between requests: callers read them, never change them.
LOCAL_ENTRIES = 512
_local: OrderedDict[str, tuple[str, object]] = OrderedDict()
_local_lock = threading.Lock()


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


@functools.cache
def code_version() -> str:
    """A digest of the project's code and templates and of the static files' hashed names (once a process):
    cached HTML links to `site.<hash>.css`, which a deploy with new CSS removes."""
    digest = hashlib.blake2b(digest_size=6)
    for app in ("accounts", "config", "quizzes", "roadmap", "templates"):
        for path in sorted((settings.BASE_DIR / app).rglob("*")):
            if path.suffix in {".py", ".html", ".txt"}:
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def cached_many(keys: list[str], build: Callable[[list[str]], dict[str, T]]) -> dict[str, T]:
    """The value of each key in the current content and code version; `build` makes the missing ones
    (all at once, so that a cold cache costs the same queries for one key or many) and they are stored.

    Each entry says which content version it was built in; the version is read first, then what this
    process does not hold in that version comes from the cache in one more round trip. A value is stored
    under the version read before it was built: content that changed meanwhile makes it miss.
    """
    code = code_version()
    full_keys = {key: f"{key}:{code}" for key in keys}
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
    with _local_lock:
        for key, full_key in full_keys.items():
            held = _local.get(full_key)
            if held is not None and held[0] == version:
                _local.move_to_end(full_key)
                values[key] = held[1]
    return values


def _keep_local(full_key: str, version: str, value) -> None:
    with _local_lock:
        _local[full_key] = (version, value)
        _local.move_to_end(full_key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def cached(key: str, build: Callable[[], T]) -> T:
    """The value for `key` in the current content and code version, built and stored on a miss."""
    return cached_many([key], lambda missing: {key: build()})[key]
