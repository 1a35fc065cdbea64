"""Activity days, heatmap and streaks are counted in the learner's own time zone."""

import datetime
from datetime import UTC

import pytest

from learning.activity import activity_days, heatmap, record_activity, streaks
from learning.models import ActivityKind

D = datetime.date
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_streaks_of_a_set_of_days():
    days = {D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3), D(2026, 1, 10), D(2026, 1, 11)}
    assert streaks(days, today=D(2026, 1, 11)) == (2, 3)
    assert streaks(days, today=D(2026, 1, 12)) == (2, 3)  # today not yet active: yesterday's streak lives on
    assert streaks(days, today=D(2026, 1, 13)) == (0, 3)  # a whole day missed
    assert streaks(set(), today=D(2026, 1, 1)) == (0, 0)


def test_midnight_splits_days_in_the_learners_zone(alice):
    alice.time_zone = "Europe/Berlin"  # UTC+1 in winter
    alice.save()
    record_activity(learner=alice, kind=ActivityKind.PROGRESS, at=at(2026, 1, 5, 22, 30))  # 23:30 local
    record_activity(learner=alice, kind=ActivityKind.PROGRESS, at=at(2026, 1, 5, 23, 30))  # 00:30 local, next day
    assert activity_days(alice) == {D(2026, 1, 5): 1, D(2026, 1, 6): 1}


def test_the_same_moments_are_one_day_in_utc(bob):
    record_activity(learner=bob, kind=ActivityKind.PROGRESS, at=at(2026, 1, 5, 22, 30))
    record_activity(learner=bob, kind=ActivityKind.PROGRESS, at=at(2026, 1, 5, 23, 30))
    assert activity_days(bob) == {D(2026, 1, 5): 2}


@pytest.mark.parametrize(
    ("zone", "expected_day"),
    [("Pacific/Kiritimati", D(2026, 3, 2)), ("Pacific/Honolulu", D(2026, 3, 1)), ("UTC", D(2026, 3, 1))],
)
def test_far_zones_put_one_moment_on_their_own_day(alice, zone, expected_day):
    alice.time_zone = zone  # UTC+14 and UTC-10
    alice.save()
    record_activity(learner=alice, kind=ActivityKind.QUIZ, at=at(2026, 3, 1, 12, 0))
    assert set(activity_days(alice)) == {expected_day}


def test_streak_across_a_dst_change(alice):
    alice.time_zone = "America/New_York"  # clocks go forward on 2026-03-08
    alice.save()
    for day in (7, 8, 9):
        record_activity(learner=alice, kind=ActivityKind.REVIEW, at=at(2026, 3, day, 4, 30))  # 23:30 / 00:30 local
    # 04:30 UTC is 23:30 EST on the 6th, 7th; and 00:30 EDT on the 9th: days 6, 7 and 9.
    assert set(activity_days(alice)) == {D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 9)}
    now = at(2026, 3, 9, 12, 0)
    grid = heatmap(alice, now=now)
    assert (grid.current_streak, grid.longest_streak) == (1, 2)


def test_heatmap_spans_a_year_ending_today(alice):
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    now = at(2026, 6, 30, 20, 0)  # already 1 July in Tokyo
    record_activity(learner=alice, kind=ActivityKind.PROGRESS, at=now)
    grid = heatmap(alice, now=now)
    assert grid.cells[-1].day == D(2026, 7, 1) and grid.cells[-1].actions == 1 and grid.cells[-1].level == 4
    assert grid.cells[0].day.weekday() == 0  # weeks start on Monday
    assert 365 <= len(grid.cells) <= 371
    assert grid.active_days == 1 and grid.current_streak == 1


def test_heatmap_cells_say_what_the_date_and_pluralize_filters_would():
    from django.template import engines

    from learning.activity import cells_svg, heatmap_of

    today = D(2026, 7, 1)
    per_day = {today: 1, D(2026, 6, 30): 2, D(2026, 1, 1): 7}
    grid = heatmap_of(per_day, today)
    with_filters = engines["django"].from_string(
        '{% for cell in cells %}<rect x="{{ cell.x }}" y="{{ cell.y }}" width="11" height="11" rx="2" '
        'class="level-{{ cell.level }}"><title>{{ cell.day|date:"D j M Y" }}: {{ cell.actions }} '
        'action{{ cell.actions|pluralize }}</title></rect>{% endfor %}'
    ).render({"cells": grid.cells})
    assert cells_svg(grid.cells) == with_filters
    assert "Wed 1 Jul 2026: 1 action</title>" in with_filters and "Tue 30 Jun 2026: 2 actions" in with_filters
