"""What cached entries are keyed on: the content version (any content change bumps it) and the release id.

The content version lives in Redis, so a bump reaches every process at once. The release id names the code that
renders cached HTML: a deploy must not replay pages built by the one before (they link to its hashed static
files, and their markup may differ). It comes from the environment (RELEASE_ID, set when the image is built),
else from git, else "unreleased"; the static files' manifest is folded in, since cached HTML links to
`site.<hash>.css`. Under DEBUG every process start is a release of its own, so a developer's edits show.
"""

import functools
import hashlib
import logging
import os
import subprocess
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

VERSION_KEY = "content-version"


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        # add(): two processes starting at once agree on the first version written.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version() -> bool:
    """Call after any change to roadmaps, sections, topics, resources or questions. False when Redis could not
    be reached: caching/redis_backend.py then empties the cache when Redis answers again, in every process that
    wrote to it meanwhile, since Redis may come back holding the old version."""
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
def release_id() -> str:
    """The running release, read once a process (see the module docstring)."""
    release = os.environ.get("RELEASE_ID", "").strip() or _git_commit()
    if not release:
        release = "unreleased"
        if not settings.DEBUG:
            log.warning("RELEASE_ID is not set and there is no git checkout: cached pages outlive a deploy")
    if settings.DEBUG:
        release += f"-{os.getpid()}-{time.monotonic_ns()}"
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        release += "-" + hashlib.blake2b(manifest.read_bytes(), digest_size=6).hexdigest()
    return release


def _git_commit() -> str:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
