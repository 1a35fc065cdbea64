"""Reviews go to the least loaded day of FSRS's fuzz interval, avoid light weekdays and a pause when they can,
and what fell due during a pause comes back spread over the days after it (fixed clocks)."""

import datetime
from collections import Counter

import pytest

from quizzes.balancing import DueLoads, balanced_due, fuzz_range, spread_after_pause, weekday_mask
from quizzes.models import Card, Question

pytestmark = pytest.mark.django_db

# A Thursday, 09:00 UTC; alice's zone is UTC.
AT = datetime.datetime(2026, 12, 3, 9, tzinfo=datetime.UTC)


def day(n):
    return (AT + datetime.timedelta(days=n)).date()


def cards_due_on(learner, questions, days):
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=AT + datetime.timedelta(days=d), stability=5, difficulty=5, state=2)
        for q, d in zip(questions, days, strict=False)
    )


def test_the_fuzz_interval_is_fsrs_own():
    assert fuzz_range(2, 365) == (2, 2)
    assert fuzz_range(10, 365) == (8, 12)
    assert fuzz_range(100, 365) == (93, 107)


def test_a_review_goes_to_the_least_loaded_day_of_its_interval(quiz_content, alice, settings):
    settings.FSRS_ENABLE_FUZZING = False
    questions = list(Question.objects.all())
    cards_due_on(alice, questions, [10, 10, 9])  # days 8, 11 and 12 are free, 9 and 10 are not
    due = balanced_due(learner=alice, at=AT, due=AT + datetime.timedelta(days=10), loads=DueLoads(alice))
    assert (due - AT).days in {8, 11, 12} and (due - AT).days == 11  # the free day nearest FSRS's own choice


def test_light_weekdays_are_avoided_when_the_interval_allows(quiz_content, alice, settings):
    settings.FSRS_ENABLE_FUZZING = False
    alice.light_weekdays = weekday_mask(["sat", "sun"])
    # From Thursday, 10 days is a Sunday; the interval 8-12 days runs Friday to Tuesday.
    due = balanced_due(learner=alice, at=AT, due=AT + datetime.timedelta(days=10), loads=DueLoads(alice))
    assert due.date().weekday() not in (5, 6)


def test_a_pause_is_avoided_and_what_fell_due_in_it_is_spread_after(quiz_content, alice):
    questions = list(Question.objects.all())
    cards_due_on(alice, questions, [0, 1, 2, 3])
    alice.reviews_paused_until = day(3)  # Thursday to Sunday
    moved = spread_after_pause(learner=alice, now=AT)
    assert moved == 4
    days = Counter(c.due.date() for c in Card.objects.filter(learner=alice))
    assert min(days) > day(3)  # nothing due during the pause
    assert max(days.values()) == 1 and len(days) == 4  # one a day over the four days after, not a flood


def test_quiz_cards_with_the_same_interval_spread_over_its_days(quiz_content, alice, settings):
    settings.FSRS_ENABLE_FUZZING = False
    loads = DueLoads(alice)
    dues = []
    for _ in range(5):
        due = balanced_due(learner=alice, at=AT, due=AT + datetime.timedelta(days=10), loads=loads)
        loads.counts()  # read once, then kept up to date in memory
        loads.move(None, due)
        dues.append((due - AT).days)
    assert sorted(dues) == [8, 9, 10, 11, 12]
