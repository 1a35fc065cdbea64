"""A holiday pause: what falls due in it comes back spread over the days after it, no day above the cap (the
cards already due then counted), and while it lasts the due queues show nothing (fixed clocks)."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from quizzes.balancing import change_days_off, pause_reviews, resume_reviews, return_cap, weekday_mask
from quizzes.due_badge import due_badge
from quizzes.models import Card, Question
from quizzes.reviews import due_count, next_due
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db

# Friday 4 December 2026, 09:00 UTC; alice's zone is UTC.
NOW = datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC)
TODAY = NOW.date()


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def questions(small_content):
    small_content.questions("vectors", quiz_with_more_questions(76))
    small_content.load()
    return list(Question.objects.order_by("pk"))


def cards_due(learner, questions, days):
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=NOW + datetime.timedelta(days=d, hours=2), stability=5, difficulty=5,
             state=2)
        for q, d in zip(questions, days, strict=True)
    )


def due_per_day(learner):
    return Counter(c.due.date() for c in Card.objects.filter(learner=learner))


def test_sixty_cards_due_in_a_week_long_pause_return_over_the_week_after_without_a_flood(questions, alice):
    # 60 cards due in the pause (some overdue already), 10 already due on the first day back and 6 on the third.
    in_pause = [d % 7 - 1 for d in range(60)]  # days -1 (overdue) to 5
    after = [7] * 10 + [9] * 6
    cards_due(alice, questions[:76], in_pause + after)
    moved = pause_reviews(learner=alice, until=day(6), now=NOW)  # Friday to Thursday: 7 days
    assert moved == 60
    loads = due_per_day(alice)
    assert all(d > day(6) for d in loads)  # nothing due in the pause
    back = [day(7 + i) for i in range(7)]
    assert set(loads) == set(back)  # over the 7 days after it, none later
    cap = return_cap(moving=60, already=[10, 0, 6, 0, 0, 0, 0])
    assert cap == 11  # (60 + 16) / 7 rounded up
    assert max(loads.values()) <= cap  # no day above it
    assert loads[day(7)] == 11 and loads[day(9)] == 11  # the days that had cards got fewer moved onto them
    assert sum(loads.values()) == 76


def test_with_nothing_else_due_sixty_cards_come_back_nine_a_day(questions, alice):
    cards_due(alice, questions[:60], [d % 7 for d in range(60)])
    pause_reviews(learner=alice, until=day(6), now=NOW)
    loads = due_per_day(alice)
    assert [loads[day(7 + i)] for i in range(7)] == [9, 9, 9, 9, 9, 9, 6]  # as README says


def test_the_most_overdue_come_back_first(questions, alice):
    cards_due(alice, questions[:6], [-3, -2, -1, 0, 1, 2])
    pause_reviews(learner=alice, until=day(2), now=NOW)
    by_age = [c.due.date() for c in Card.objects.filter(learner=alice).order_by("question_id")]
    assert by_age == sorted(by_age)  # earlier due, earlier back
    assert by_age == [day(3), day(3), day(4), day(4), day(5), day(5)]


def test_light_weekdays_are_skipped_on_the_way_back(questions, alice):
    change_days_off(learner=alice, light=["sat", "sun"], now=NOW)
    assert alice.light_weekdays == weekday_mask(["sat", "sun"])
    cards_due(alice, questions[:8], [0, 0, 1, 1, 2, 2, 3, 3])
    pause_reviews(learner=alice, until=day(3), now=NOW)  # Friday to Monday
    loads = due_per_day(alice)
    assert {d.weekday() for d in loads} <= {0, 1, 2, 3, 4} and min(loads) == day(4)  # from Tuesday, no weekend
    assert len(loads) == 4 and max(loads.values()) == 2


def test_due_queues_show_nothing_while_paused_and_everything_after(questions, alice):
    cards_due(alice, questions[:3], [-1, -1, 20])
    assert due_count(alice, now=NOW) == 2
    pause_reviews(learner=alice, until=day(2), now=NOW)
    Card.objects.filter(learner=alice, due__gt=NOW + datetime.timedelta(days=10)).update(due=NOW)  # due, yet paused
    assert due_count(alice, now=NOW) == 0
    assert due_badge(alice, now=NOW).count == 0
    assert next_due(alice, now=NOW) == datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)  # the day after it
    after = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)
    assert due_count(alice, now=after) == 2  # the pause is over: the first card moved, and the one due in it


def test_resuming_ends_the_pause_now(questions, alice):
    cards_due(alice, questions[:2], [-1, 3])
    pause_reviews(learner=alice, until=day(5), now=NOW)
    Card.objects.filter(learner=alice).update(due=NOW - datetime.timedelta(hours=1))
    assert due_count(alice, now=NOW) == 0
    resume_reviews(learner=alice, now=NOW)
    alice.refresh_from_db()
    assert alice.reviews_paused_until is None
    assert due_count(alice, now=NOW) == 2


def test_a_pause_moves_only_this_learners_cards(questions, alice, bob):
    cards_due(alice, questions[:2], [0, 1])
    cards_due(bob, questions[:2], [0, 1])
    pause_reviews(learner=alice, until=day(3), now=NOW)
    assert set(due_per_day(bob)) == {day(0), day(1)}


def test_the_review_page_the_due_api_and_the_badge_say_paused(client, api, questions, alice,
                                                              django_assert_max_num_queries):
    cards_due(alice, questions[:2], [-1, -1])
    until = timezone.now().date() + datetime.timedelta(days=4)
    pause_reviews(learner=alice, until=until)
    Card.objects.filter(learner=alice).update(due=timezone.now())  # due now, yet paused
    client.force_login(alice)
    with django_assert_max_num_queries(5):  # session, learner, due count (none: paused), the menu's badge
        page = client.get("/reviews/").content.decode()
    assert f"Reviews paused until {until:%A} {until.day} {until:%B}" in page and "Resume now" in page
    assert 'class="menu-due"' not in page
    api.force_authenticate(alice)
    with django_assert_max_num_queries(6):
        data = api.get("/api/reviews/due/").json()
    assert data["count"] == 0 and data["cards"] == []
    assert data["next_due"].startswith(f"{until + datetime.timedelta(days=1):%Y-%m-%d}T00:00")
    response = client.post("/settings/scheduler/resume/", {"next": "review"}, follow=True)
    assert "Reviews resumed" in response.content.decode() and "Check my answer" in response.content.decode()
