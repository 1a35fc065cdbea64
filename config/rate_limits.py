"""Rate limits on expensive or abusable writes: starting a quiz and creating an API token.

One mechanism for both doors to the same action: the REST API (a DRF throttle class) and the HTML form
(`rate_limited_page`). Both count against the same cache key, so a learner cannot double the allowance
by switching between them. Rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and are overridable by
environment variables (see config/settings.py). Sign-in, sign-up and password reset are throttled by
allauth (ACCOUNT_RATE_LIMITS).
"""

import math

from django.shortcuts import render
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

QUIZ_START = "quiz-start"
TOKEN_CREATE = "token-create"


class WriteThrottle(ScopedRateThrottle):
    """A scoped throttle that counts only writes: reading a token list is never limited."""

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - DRF's name; read per call so settings overrides apply
        return api_settings.DEFAULT_THROTTLE_RATES

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


class _PageView:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def wait_before(request, *, scope: str) -> int | None:
    """Counts this request against `scope`; the seconds to wait if it is over the limit, else None."""
    throttle = WriteThrottle()
    if throttle.allow_request(request, _PageView(scope)):
        return None
    return math.ceil(throttle.wait() or 1)


def rate_limited_page(request, *, wait: int | None = None, heading: str = "Too many requests"):
    wait_minutes = None if wait is None else max(1, math.ceil(wait / 60))
    return render(request, "429.html", {"wait_minutes": wait_minutes, "heading": heading}, status=429)
