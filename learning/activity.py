"""The learner's activity log: recent actions, the year-long heatmap and daily streaks.

Days are counted in the learner's own time zone: an answer at 23:30 and one at 00:30 local time are on
two days, wherever the server is.
"""

import datetime
import hashlib
import zoneinfo
from dataclasses import dataclass

from django.db.models import CharField, Count, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, TruncDate
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from caching.fragments import cached
from quizzes.events import card_reviewed, quiz_submitted
from quizzes.models import Question
from quizzes.question_rules import prompt_as_text

from .models import Activity, ActivityKind

HEATMAP_WEEKS = 53


def record_activity(*, learner, kind: ActivityKind, topic_id: int | None = None, detail: str = "", at=None) -> None:
    Activity.objects.create(
        learner=learner, kind=kind, topic_id=topic_id, detail=detail[:200], at=at or timezone.now()
    )


def activity_row(*, learner, kind: ActivityKind, topic_id: int | None = None, detail: str = "", at=None) -> Activity:
    """An unsaved entry, for a sender that writes it with its own statements (quizzes/events.py)."""
    return Activity(learner_id=learner.pk, kind=kind, topic_id=topic_id, detail=detail[:200], at=at or timezone.now())


@receiver(quiz_submitted)
def _journal_quiz(sender, *, learner, topic_id, detail, at, **_):
    return activity_row(learner=learner, kind=ActivityKind.QUIZ, topic_id=topic_id, detail=detail, at=at)


@receiver(card_reviewed)
def _journal_review(sender, *, learner, topic_id, detail, at, **_):
    return activity_row(learner=learner, kind=ActivityKind.REVIEW, topic_id=topic_id, detail=detail, at=at)


REVIEW_OUTCOMES = ("right", "missed")  # a review's detail: "right: <question key>" (quizzes/reviews.py)
PROMPT_WORDS = 12


def recent_activity(learner, *, limit: int = 10) -> list[Activity]:
    """The latest actions, each with `shown_detail`: a review's detail names its question by key, which
    learners never see, so it shows the start of the question's prompt, as plain text, instead.

    The prompt comes in the same query (a subquery on the topic's few questions), not in one per row.
    """
    named_by_detail = Q()
    for outcome in REVIEW_OUTCOMES:
        named_by_detail |= Q(detail=Concat(Value(f"{outcome}: "), F("key")))
    prompt_html = (
        Question.objects.filter(topic_id=OuterRef("topic_id"))
        .annotate(detail=ExpressionWrapper(OuterRef("detail"), output_field=CharField()))
        .filter(named_by_detail)
        .values("prompt_html")[:1]
    )
    activities = list(
        learner.activities.select_related("topic").annotate(question_prompt_html=Subquery(prompt_html))
        .order_by("-at")[:limit]
    )
    for activity in activities:
        activity.shown_detail = activity.detail
        if activity.kind == ActivityKind.REVIEW and activity.question_prompt_html:
            outcome = activity.detail.split(":", 1)[0]
            prompt = prompt_as_text(activity.question_prompt_html)
            activity.shown_detail = f"{outcome}: {Truncator(prompt).words(PROMPT_WORDS)}"
    return activities


def local_today(learner, now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()


def activity_days(learner) -> dict[datetime.date, int]:
    """Actions per local day, over the learner's whole history (one grouped query)."""
    rows = (
        learner.activities.annotate(day=TruncDate("at", tzinfo=zoneinfo.ZoneInfo(learner.time_zone)))
        .values("day")
        .annotate(actions=Count("id"))
        .values_list("day", "actions")
    )
    return dict(rows)


def streaks(days: set[datetime.date], today: datetime.date) -> tuple[int, int]:
    """(current, longest) runs of consecutive active days.

    The current streak is still alive on a day the learner has not acted yet: it counts back from
    today if today is active, else from yesterday.
    """
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == datetime.timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - datetime.timedelta(days=1)
    while day in days:
        current += 1
        day -= datetime.timedelta(days=1)
    return current, longest


@dataclass
class HeatmapCell:
    day: datetime.date
    actions: int
    level: int  # 0 (none) to 4 (busiest)
    x: int
    y: int


@dataclass
class Heatmap:
    cells: list[HeatmapCell]
    months: list[tuple[int, str]]  # (x, label) for the month labels
    active_days: int
    current_streak: int
    longest_streak: int
    width: int
    height: int
    left: int  # the weekday labels' column, left of the first week

    @property
    def weeks_width(self) -> int:
        return self.width - self.left


CELL, GAP, TOP, LEFT = 11, 3, 16, 28
MONTH_LABEL_WIDTH = 24  # "Dec" at 9px: a label starts at its month's first week, so the last one needs room


def heatmap(learner, now: datetime.datetime | None = None) -> Heatmap:
    """A GitHub-style grid of the last 53 weeks, Monday at the top, today in the last column."""
    return heatmap_of(activity_days(learner), local_today(learner, now))


def heatmap_of(per_day: dict[datetime.date, int], today: datetime.date) -> Heatmap:
    """The heatmap of actions per local day (from `activity_days`), ending `today`."""
    current, longest = streaks(set(per_day), today)
    start = today - datetime.timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    busiest = max((n for d, n in per_day.items() if d >= start), default=0)
    cells, months = [], []
    day = start
    while day <= today:
        week, weekday = divmod((day - start).days, 7)
        actions = per_day.get(day, 0)
        level = 0 if not actions else min(4, 1 + (3 * actions) // max(busiest, 1))
        x = LEFT + week * (CELL + GAP)
        cells.append(HeatmapCell(day=day, actions=actions, level=level, x=x, y=TOP + weekday * (CELL + GAP)))
        if day.day == 1 or day == start:
            months.append((x, day.strftime("%b")))
        day += datetime.timedelta(days=1)
    if len(months) > 1 and months[1][0] - months[0][0] < 3 * (CELL + GAP):
        months.pop(0)  # the partial first month's label would collide with the next
    return Heatmap(
        cells=cells,
        months=months,
        active_days=sum(1 for c in cells if c.actions),
        current_streak=current,
        longest_streak=longest,
        width=LEFT + (HEATMAP_WEEKS - 1) * (CELL + GAP) + max(CELL, MONTH_LABEL_WIDTH),
        height=TOP + 7 * (CELL + GAP),
        left=LEFT - 2,  # a label's first glyph may reach a pixel left of its x: the weeks' view starts 2px early
    )


def year_html(learner, now: datetime.datetime | None = None) -> str:
    """The dashboard's year: streaks and the heatmap, rendered (one query, and the render on a cache miss).

    The 371 cells cost more to render than the rest of the dashboard, so the fragment is cached under a
    digest of everything it shows: the learner's actions per local day, their local today, time zone and
    language. Any new action, a new day or a new time zone makes a new key, so nothing needs invalidating;
    two learners with the same history share an entry that holds nothing but that history.
    """
    today, per_day = local_today(learner, now), activity_days(learner)
    shown = repr((today, learner.time_zone, translation.get_language(), sorted(per_day.items())))
    key = f"year:{hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()}"
    def render():
        heatmap = heatmap_of(per_day, today)
        return render_to_string("includes/_year.html", {
            "heatmap": heatmap, "cells_svg": cells_svg(heatmap.cells), "time_zone": learner.time_zone,
        })

    return cached(key, render)


def cells_svg(cells: list[HeatmapCell]) -> str:
    """The 371 cells as SVG, built here: through the template loop they took 30 ms, the rest of the
    dashboard 10. Each cell's title is the date as `|date:"D j M Y"` writes it."""
    weekdays = [escape(WEEKDAYS_ABBR[i]) for i in range(7)]
    months = {number: escape(str(name).title()) for number, name in MONTHS_3.items()}
    return mark_safe("".join(
        f'<rect x="{cell.x}" y="{cell.y}" width="11" height="11" rx="2" class="level-{cell.level}"><title>'
        f'{weekdays[cell.day.weekday()]} {cell.day.day} {months[cell.day.month]} {cell.day.year}: '
        f'{cell.actions} action{"" if cell.actions == 1 else "s"}</title></rect>'
        for cell in cells
    ))
