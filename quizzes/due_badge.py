"""The due count in the site menu. It is on every signed-in page, so it costs no query while it cannot change.

It is kept in the cache under the learner's state version (which every write of theirs replaces: a review, a
quiz, a change of time zone) and the content version (a question withdrawn), until the moment it changes by
itself: the next card falls due, or local midnight, when cards reviewed today may count again. A learner's
cached page that shows it ends then too (`page_changes_at`), so a replayed page never shows a stale count.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from caching.learner_pages import page_changes_at
from caching.versions import content_version

from .models import Card
from .reviews import is_due_now
from .scheduling import start_of_local_day

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DueBadge:
    count: int  # what the review page's due queue holds now
    changes_at: datetime.datetime


def due_badge(learner, *, now: datetime.datetime | None = None) -> DueBadge:
    """The learner's due count and when it next changes on its own (one query when not cached)."""
    now = now or timezone.now()
    key = f"due-badge:{learner.pk}:{learner.state_version}:{content_version()}"
    try:
        badge = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down costs the query, never the page
        log.warning("cache unavailable: due badge not looked up", exc_info=True)
        badge = None
    if badge is not None and badge.changes_at > now:
        return badge
    counts = Card.objects.filter(learner=learner, question__active=True).aggregate(
        due_now=Count("pk", filter=is_due_now(learner, now)), upcoming=Min("due", filter=Q(due__gt=now))
    )
    midnight = start_of_local_day(learner, now) + datetime.timedelta(days=1)
    badge = DueBadge(count=counts["due_now"], changes_at=min(filter(None, [counts["upcoming"], midnight])))
    try:
        cache.set(key, badge, timeout=max(1, int((badge.changes_at - now).total_seconds())))
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: due badge not stored", exc_info=True)
    return badge


def review_menu(request) -> dict:
    """Context processor: `due_badge` for the site menu, read (and its query run) only by a page that shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def read() -> DueBadge:
        badge = due_badge(user)
        page_changes_at(request, badge.changes_at)
        return badge

    return {"due_badge": SimpleLazyObject(read)}
