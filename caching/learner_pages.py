"""A signed-in learner's pages, cached whole until something they show changes.

The roadmap, topic and dashboard pages read a learner's statuses, notes, quizzes and cards: 6 to 15 queries
and a render, where a replay costs one cache round trip. An entry is keyed on the learner's `state_version`,
which every successful write of theirs replaces (`LearnerWritesMiddleware`, and the admin when a staff
member changes their account or their attempts), so a change shows at once, on every device. It also holds
the content version it was rendered in, so an admin's edit to content shows at once too, as on the public
pages (caching/anonymous_pages.py).

Time changes pages as well: a card falls due, a new local day starts, memory fades. A view says when what
it shows next changes with `page_changes_at()`; an entry is never used past that, nor past MAX_AGE (the
drift of memory strength, a point or so of a percent in ten minutes). Relative times ("3 minutes ago") are
rewritten in the browser from their `<time datetime>`, so a replayed page does not show them stale.

The version lives in the learner's row, which every signed-in request reads anyway (the session's user):
it costs no extra round trip and survives Redis restarting. Never cached: anything but a GET of a 200 to a
signed-in learner, a request with messages waiting to be shown, a request without a CSRF cookie yet (the
page would set it), a response that sets a cookie itself, a query string with a parameter the page does not
read (as for the public pages). The CSRF secret is part of the key: a page's forms carry a token made from
the secret of the browser they were rendered for.
"""

import contextvars
import datetime
import functools
import hashlib
import logging
import secrets

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.utils import timezone

from . import anonymous_pages
from .layers import is_on
from .versions import release_id

log = logging.getLogger(__name__)

MAX_AGE = datetime.timedelta(minutes=10)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def learner_state_changed(*, learner_id: int) -> None:
    """Every cached page of this learner is stale from now on (a new random version, see the model)."""
    get_user_model().objects.filter(pk=learner_id).update(state_version=secrets.randbits(62))


# The learners whose new version the current request already wrote inside one of its own statements.
_changed_by_request: contextvars.ContextVar[frozenset] = contextvars.ContextVar("learner_state_changed_by_request",
                                                                                 default=frozenset())


class StateChange:
    """`learner_state_changed` as part of a write's own statement, to save the request its own UPDATE.

    A write that sends one statement (quizzes' reviews and quizzes) puts `sql` with `params` among its
    common table expressions; once that statement has succeeded it calls `written()`, and the middleware
    then leaves the version as that statement set it."""

    def __init__(self, *, learner_id: int):
        self.learner_id = learner_id
        table = get_user_model()._meta.db_table
        self.sql = f'UPDATE "{table}" SET "state_version" = %s WHERE "id" = %s'
        self.params = [secrets.randbits(62), learner_id]

    def written(self) -> None:
        _changed_by_request.set(_changed_by_request.get() | {self.learner_id})


class LearnerWritesMiddleware:
    """After any write request of a signed-in learner that succeeded, their cached pages are stale.

    One place instead of every view and API endpoint that writes: a new endpoint cannot forget it. It runs
    after the view has committed; a write whose response is an error changed nothing (the rule for every
    endpoint). `request.user` is read on the way out, so a learner signed in by an API token (DRF sets it
    on the request) counts as well as one signed in by a session. A write that changed the version in its own
    statement (`StateChange`) saves the request this UPDATE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = _changed_by_request.set(frozenset())
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS and response.status_code < 400:
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated and user.pk not in _changed_by_request.get():
                    learner_state_changed(learner_id=user.pk)
        finally:
            _changed_by_request.reset(reset)
        return response


def page_changes_at(request, when: datetime.datetime | None) -> None:
    """Called by a cached view: what it shows changes at `when` (a card falls due, a new local day)."""
    if when is not None and hasattr(request, "learner_page_stale_at"):
        request.learner_page_stale_at = min(request.learner_page_stale_at, when)


def _page_key(request) -> str | None:
    user = request.user
    csrf_secret = request.META.get("CSRF_COOKIE")
    if request.method != "GET" or not user.is_authenticated or not csrf_secret or len(get_messages(request)):
        return None
    query = anonymous_pages.keyed_query(request)  # the same bound as the public pages': made-up parameters pass
    if query is None:
        return None
    where = f"{request.get_host()}{request.path}?{query} {csrf_secret}"
    digest = hashlib.blake2b(where.encode(), digest_size=16).hexdigest()
    return f"learner-page:{release_id()}:{user.pk}:{user.state_version}:{digest}"


def _store(request, key: str, version: str, response, now: datetime.datetime) -> None:
    stale_at = request.learner_page_stale_at
    if (response.status_code != 200 or response.streaming or response.cookies or stale_at <= now
            or "no-store" in response.get("Cache-Control", "") or len(get_messages(request))):
        return
    anonymous_pages.store(key, version, response, timeout=max(1, int((stale_at - now).total_seconds())),
                     stale_at=stale_at)


def cache_learner_page(view):
    """Replays a signed-in learner's page while nothing it shows has changed; anonymous visits pass through."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _page_key(request) if is_on("learner_pages") else None
        if key is None:
            return view(request, *args, **kwargs)
        try:
            version, response = anonymous_pages.lookup(key)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: learner page not looked up", exc_info=True)
            return view(request, *args, **kwargs)
        now = timezone.now()
        if response is not None:
            # No new CSRF token: the page's was made from this browser's secret, which is in the key.
            return response
        request.learner_page_stale_at = now + MAX_AGE
        response = view(request, *args, **kwargs)
        _store(request, key, version, response, now)
        return response

    return wrapper
