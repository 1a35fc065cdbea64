"""Where in its fuzz interval a review goes: the least loaded of the learner's days, avoiding its light weekdays
and a holiday pause when the interval allows; and spreading what fell due during a pause over the days after.

FSRS spreads reviews by adding random "fuzz" to each interval (so cards learnt together do not stay together);
Ascent keeps FSRS's fuzz interval, the same formula as py-fsrs, but picks the day in it instead of drawing one.
"""

import datetime
import math
import random
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate
from fsrs.scheduler import FUZZ_RANGES

from .models import Card

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SPREAD_DAYS = 14  # what fell due during a pause resumes over at most this many days


def light_weekdays(learner) -> set[int]:
    return {day for day in range(7) if learner.light_weekdays & (1 << day)}


def weekday_mask(names) -> int:
    return sum(1 << WEEKDAYS.index(name) for name in set(names))


def fuzz_range(interval_days: int, maximum_interval: int) -> tuple[int, int]:
    """py-fsrs's own bounds (Scheduler._get_fuzzed_interval): none below 2.5 days."""
    if interval_days < 2.5:
        return interval_days, interval_days
    delta = 1.0
    for part in FUZZ_RANGES:
        delta += part["factor"] * max(min(float(interval_days), part["end"]) - part["start"], 0.0)
    low, high = max(2, round(interval_days - delta)), min(round(interval_days + delta), maximum_interval)
    return min(low, high), high


def paused_on(learner, day: datetime.date) -> bool:
    return learner.reviews_paused_until is not None and day <= learner.reviews_paused_until


class DueLoads:
    """The learner's cards due on each local day, read once (one grouped query) when a review first needs it,
    then kept up to date as the request places cards."""

    def __init__(self, learner):
        self.learner, self.zone, self._counts = learner, zoneinfo.ZoneInfo(learner.time_zone), None

    def counts(self) -> Counter:
        if self._counts is None:
            rows = (
                Card.objects.filter(learner=self.learner)
                .annotate(day=TruncDate("due", tzinfo=self.zone))
                .values("day").annotate(n=Count("id")).values_list("day", "n")
            )
            self._counts = Counter(dict(rows))
        return self._counts

    def move(self, old: datetime.datetime | None, new: datetime.datetime) -> None:
        if self._counts is not None:
            if old is not None:
                self._counts[old.astimezone(self.zone).date()] -= 1
            self._counts[new.astimezone(self.zone).date()] += 1


def balanced_due(*, learner, at: datetime.datetime, due: datetime.datetime, loads: DueLoads) -> datetime.datetime:
    """The due moment FSRS chose, moved to the best day of its fuzz interval (the same time of day)."""
    interval = (due - at).days
    low, high = fuzz_range(interval, learner.maximum_interval)
    if low == high:
        return due
    light = light_weekdays(learner)
    counts = loads.counts()

    def cost(days: int) -> tuple:
        day = (at + datetime.timedelta(days=days)).astimezone(loads.zone).date()
        avoided = paused_on(learner, day) or day.weekday() in light
        return (avoided, counts.get(day, 0))

    options = list(range(low, high + 1))
    best = min(cost(days) for days in options)
    ties = [days for days in options if cost(days) == best]
    if getattr(settings, "FSRS_ENABLE_FUZZING", True):
        chosen = random.choice(ties)  # keeps FSRS's spread among equally good days
    else:
        chosen = min(ties, key=lambda days: (abs(days - interval), days))
    return at + datetime.timedelta(days=chosen)


def spread_after_pause(*, learner, now: datetime.datetime) -> int:
    """Cards due by the end of the learner's pause come back over the days after it, evenly, most overdue first,
    skipping light weekdays where possible; returns how many moved."""
    until = learner.reviews_paused_until
    if until is None:
        return 0
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), zone)
    cards = list(Card.objects.filter(learner=learner, due__lt=end).order_by("due", "id"))
    if not cards:
        return 0
    pause_days = max(1, (until - now.astimezone(zone).date()).days + 1)
    days = min(MAX_SPREAD_DAYS, pause_days)
    light = light_weekdays(learner)
    targets, day = [], until + datetime.timedelta(days=1)
    while len(targets) < days:
        if day.weekday() not in light or len(light) == 7:
            targets.append(day)
        day += datetime.timedelta(days=1)
    per_day = math.ceil(len(cards) / len(targets))
    for i, card in enumerate(cards):
        target = targets[i // per_day]
        card.due = datetime.datetime.combine(target, card.due.astimezone(zone).time(), zone)
    Card.objects.bulk_update(cards, ["due"])
    return len(cards)
