"""Rate limits on expensive or abusable writes: starting a quiz and creating an API token.

One mechanism for both doors to the same action: the REST API (a DRF throttle class) and the HTML form
(`rate_limited_page`). Both count against the same cache key, so a learner cannot double the allowance
by switching between them. Rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and are overridable by
environment variables (see config/settings.py). Sign-in, sign-up and password reset are throttled by
allauth (ACCOUNT_RATE_LIMITS).
"""

import math
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

QUIZ_START = "quiz-start"
TOKEN_CREATE = "token-create"


LOCK_SECONDS = 5  # far longer than a count takes; the lock of a process that died meanwhile expires
LOCK_WAIT_SECONDS = 2.0


@contextmanager
def counter_lock(key: str):
    """Holds `key`'s lock (an atomic add: SET NX EX in Redis) while the count is read and written back; yields
    False if it could not be had in LOCK_WAIT_SECONDS. The lock's key keeps the counter's prefix, so that
    while Redis is down it lives where the counter does (caching/redis_backend.py)."""
    lock_key = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not cache.add(lock_key, 1, LOCK_SECONDS):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.005)
    try:
        yield True
    finally:
        cache.delete(lock_key)


class WriteThrottle(ScopedRateThrottle):
    """A scoped throttle that counts only writes: reading a token list is never limited.

    DRF reads the learner's list of recent requests, then writes it back with this one added: requests at
    the same moment all read the same list, and 11 tokens were created against 10/hour. The count is done
    under a lock per learner and scope instead; a request that cannot get the lock is refused (fail closed).
    """

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - DRF's name; read per call so settings overrides apply
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        self.scope = getattr(view, self.scope_attr, None)
        key = self.get_cache_key(request, view) if self.scope else None
        if key is None:
            return super().allow_request(request, view)
        with counter_lock(key) as locked:
            if locked:
                return super().allow_request(request, view)
        self.history = []
        self.num_requests, self.duration = self.parse_rate(self.get_rate())
        return False


class _PageView:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def wait_before(request, *, scope: str) -> int | None:
    """Counts this request against `scope`; the seconds to wait if it is over the limit, else None."""
    throttle = WriteThrottle()
    if throttle.allow_request(request, _PageView(scope)):
        return None
    return math.ceil(throttle.wait() or 1)


def rate_limited_page(request, *, wait: int):
    return render(request, "429.html", {"wait_minutes": max(1, math.ceil(wait / 60))}, status=429)


def sign_in_refused_page(request):
    return render(request, "429.html", {"heading": "Too many failed sign-in attempts", "sign_in": True}, status=429)
