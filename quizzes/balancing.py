"""Where in its fuzz interval a review goes: the least loaded of the learner's days, avoiding its light weekdays
and a holiday pause when the interval allows; and the learner's days off: setting light weekdays and a pause
(`change_days_off`, checked first), which spreads what falls due during the pause over the days after it.

FSRS spreads reviews by adding random "fuzz" to each interval (so cards learnt together do not stay together);
Ascent keeps FSRS's fuzz interval, the same formula as py-fsrs, but picks the day in it instead of drawing one.
"""

import datetime
import math
import random
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from fsrs.scheduler import FUZZ_RANGES

from .models import Card
from .reminders import refresh_next_reminder

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SPREAD_DAYS = 14  # what fell due during a pause resumes over at most this many days
MAX_PAUSE_DAYS = 90  # a holiday, not a way to stop reviewing for good (turning reminders off is that)
KEEP = object()  # change_days_off: leave this setting as it is


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


def weekday_names(learner) -> list[str]:
    return [WEEKDAYS[day] for day in sorted(light_weekdays(learner))]


def paused_on(learner, day: datetime.date) -> bool:
    return learner.reviews_paused_until is not None and day <= learner.reviews_paused_until


def reviews_paused(learner, now: datetime.datetime) -> bool:
    """Whether the learner's holiday pause covers its local today."""
    return paused_on(learner, now.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date())


def pause_ends_at(learner) -> datetime.datetime | None:
    """The learner's local midnight after the last paused day."""
    if learner.reviews_paused_until is None:
        return None
    day = learner.reviews_paused_until + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(), zoneinfo.ZoneInfo(learner.time_zone))


_DUE_DAYS = (f'SELECT (due AT TIME ZONE %s)::date, count(*) FROM "{Card._meta.db_table}"'
             " WHERE learner_id = %s GROUP BY 1")


class DueLoads:
    """The learner's cards due on each local day, read once (one grouped query) when a review first needs it,
    then kept up to date as the request places cards."""

    def __init__(self, learner):
        self.learner, self.zone, self._counts = learner, zoneinfo.ZoneInfo(learner.time_zone), None

    def counts(self) -> Counter:
        if self._counts is None:
            if connection.vendor == "postgresql":  # the ORM's query as written; a write's budget is its CPU
                with connection.cursor() as cursor:
                    cursor.execute(_DUE_DAYS, [self.zone.key, self.learner.pk])
                    rows = cursor.fetchall()
            else:
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
    """Cards due by the end of the learner's pause come back over the days after it, most overdue first, skipping
    light weekdays where possible: as many days as the pause lasts (at most MAX_SPREAD_DAYS), each filled up to
    the same cap with the cards already due on it counted, so no day of the return is a flood. Returns how many
    cards moved."""
    end = pause_ends_at(learner)
    if end is None:
        return 0
    zone = end.tzinfo
    cards = list(Card.objects.filter(learner=learner, due__lt=end).order_by("due", "id"))
    if not cards:
        return 0
    until = learner.reviews_paused_until
    days = min(MAX_SPREAD_DAYS, max(1, (until - now.astimezone(zone).date()).days + 1))
    light = light_weekdays(learner)
    targets, day = [], until + datetime.timedelta(days=1)
    while len(targets) < days:
        if day.weekday() not in light or len(light) == 7:
            targets.append(day)
        day += datetime.timedelta(days=1)
    last = datetime.datetime.combine(targets[-1] + datetime.timedelta(days=1), datetime.time(), zone)
    already = Counter(dict(
        Card.objects.filter(learner=learner, due__gte=end, due__lt=last)
        .annotate(day=TruncDate("due", tzinfo=zone)).values("day").annotate(n=Count("id")).values_list("day", "n")
    ))
    cap = return_cap(moving=len(cards), already=[already.get(target, 0) for target in targets])
    queue = iter(cards)
    for target in targets:
        for _ in range(max(0, cap - already.get(target, 0))):
            card = next(queue, None)
            if card is None:
                break
            card.due = datetime.datetime.combine(target, card.due.astimezone(zone).time(), zone)
    Card.objects.bulk_update(cards, ["due"])
    return len(cards)


def return_cap(*, moving: int, already: list[int]) -> int:
    """The lowest number of cards a day such that topping every day up to it takes `moving` more cards."""
    cap = math.ceil((moving + sum(already)) / len(already))
    while sum(max(0, cap - n) for n in already) < moving:
        cap += 1
    return cap


class DaysOffRefused(ValueError):
    """A light-weekday or pause setting that cannot be used; `field` names the setting."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def check_days_off(*, learner, light=KEEP, until=KEEP, now: datetime.datetime) -> None:
    """Raises DaysOffRefused for the first setting that is not usable (nothing is saved then)."""
    if light is not KEEP:
        unknown = sorted(set(light) - set(WEEKDAYS))
        if unknown:
            raise DaysOffRefused("light_weekdays", f"“{unknown[0]}” is not a weekday: use {', '.join(WEEKDAYS)}.")
        if set(light) == set(WEEKDAYS):
            raise DaysOffRefused("light_weekdays", "Keep at least one weekday that is not light.")
    if until is not KEEP and until is not None:
        today = now.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()
        if until < today:
            raise DaysOffRefused("reviews_paused_until", f"{until:%Y-%m-%d} is in the past: pause until today "
                                                         "or a later day.")
        if until > today + datetime.timedelta(days=MAX_PAUSE_DAYS):
            raise DaysOffRefused("reviews_paused_until", f"A pause lasts at most {MAX_PAUSE_DAYS} days: until "
                                 f"{today + datetime.timedelta(days=MAX_PAUSE_DAYS):%Y-%m-%d} at the latest.")


def change_days_off(*, learner, light=KEEP, until=KEEP, now: datetime.datetime | None = None) -> int:
    """Sets the learner's light weekdays (names) and/or its pause (the last paused local date, or None to resume),
    after checking both. A pause set or changed spreads what falls due in it over the days after, and moves the
    next reminder past it. Returns how many cards moved."""
    now = now or timezone.now()
    check_days_off(learner=learner, light=light, until=until, now=now)
    changes = {}
    if light is not KEEP:
        changes["light_weekdays"] = weekday_mask(light)
    if until is not KEEP and not (until is None and learner.reviews_paused_until is None):
        changes["reviews_paused_until"] = until
    if not changes:
        return 0
    with transaction.atomic():
        for name, value in changes.items():
            setattr(learner, name, value)
        learner.save(update_fields=list(changes))
        if "reviews_paused_until" not in changes:
            return 0
        refresh_next_reminder(learner, now=now)
        return spread_after_pause(learner=learner, now=now)


def pause_reviews(*, learner, until: datetime.date, now: datetime.datetime | None = None) -> int:
    return change_days_off(learner=learner, until=until, now=now)


def resume_reviews(*, learner, now: datetime.datetime | None = None) -> None:
    """Ends the pause now: what is due shows again, and today's reminder can go out."""
    change_days_off(learner=learner, until=None, now=now)
