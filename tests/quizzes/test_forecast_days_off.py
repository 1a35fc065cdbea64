"""The forecast (GET /api/reviews/forecast/ and the dashboard's bars) marks light weekdays and paused days; what
falls due in a pause counts on the day after it, as the due queue shows it then."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from quizzes.balancing import WEEKDAYS, weekday_mask
from quizzes.models import Card, Question
from quizzes.reviews import forecast_days

pytestmark = pytest.mark.django_db

# Friday 4 December 2026, 09:00 UTC; alice's zone is UTC.
NOW = datetime.datetime(2026, 12, 4, 9, tzinfo=datetime.UTC)


def cards_due(learner, offsets, *, now):
    questions = Question.objects.order_by("pk")[:len(offsets)]
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=now + datetime.timedelta(days=d), stability=5, difficulty=5, state=2)
        for q, d in zip(questions, offsets, strict=True)
    )


def test_each_day_says_whether_it_is_light_or_paused(quiz_content, alice):
    User.objects.filter(pk=alice.pk).update(light_weekdays=weekday_mask(["sat", "sun"]),
                                            reviews_paused_until=datetime.date(2026, 12, 5))
    alice.refresh_from_db()
    cards_due(alice, [-1, 0, 1, 3], now=NOW)
    days = forecast_days(alice, now=NOW)
    assert [(d.date.day, d.due, d.light, d.paused) for d in days] == [
        (4, 0, False, True), (5, 0, True, True),  # Friday and Saturday paused
        (6, 3, True, False),  # Sunday, the day after the pause: what fell due in it
        (7, 1, False, False), (8, 0, False, False), (9, 0, False, False), (10, 0, False, False),
    ]


def test_the_api_adds_the_flags_and_keeps_its_fields(api, quiz_content, alice, django_assert_max_num_queries):
    today = timezone.now().date()
    weekday = WEEKDAYS[(today + datetime.timedelta(days=2)).weekday()]
    User.objects.filter(pk=alice.pk).update(light_weekdays=weekday_mask([weekday]),
                                            reviews_paused_until=today + datetime.timedelta(days=1))
    cards_due(alice, [0, 4], now=timezone.now())
    alice.refresh_from_db()
    api.force_authenticate(alice)
    with django_assert_max_num_queries(3):
        body = api.get("/api/reviews/forecast/").json()
    assert body["due_now"] == 0  # paused
    days = body["days"]
    assert all(set(d) == {"date", "due", "light", "paused"} for d in days) and len(days) == 7
    assert [d["paused"] for d in days] == [True, True, False, False, False, False, False]
    assert [d["light"] for d in days] == [i == 2 for i in range(7)]
    assert days[2]["due"] == 1 and days[4]["due"] == 1


def test_the_dashboard_marks_them_with_a_legend(client, quiz_content, alice, django_assert_max_num_queries):
    today = timezone.now().date()
    User.objects.filter(pk=alice.pk).update(light_weekdays=weekday_mask([WEEKDAYS[today.weekday()]]))
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert page.count('class="forecast-light"') == 1 and "forecast-paused" not in page and "light day" in page
    User.objects.filter(pk=alice.pk).update(reviews_paused_until=today + datetime.timedelta(days=2),
                                            state_version=1)
    with django_assert_max_num_queries(14):  # as without days off (tests/roadmap/test_dashboard.py)
        page = client.get("/dashboard/").content.decode()
    assert page.count('class="forecast-paused"') == 3 and "paused" in page and "Resume now" in page
    assert f"Reviews paused until {today + datetime.timedelta(days=2):%A}" in page


def test_without_days_off_nothing_is_marked(api, client, quiz_content, alice):
    api.force_authenticate(alice)
    days = api.get("/api/reviews/forecast/").json()["days"]
    assert not any(d["light"] or d["paused"] for d in days)
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert "forecast-legend" not in page
