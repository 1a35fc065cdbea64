"""Light weekdays and the holiday pause through GET/PATCH /api/me/scheduler/ and the settings card's forms: each
learner its own, bad input a 400 naming the field with nothing saved, the form post-redirect-get."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import User
from quizzes.balancing import weekday_mask
from quizzes.models import Card, Question

pytestmark = pytest.mark.django_db

OLD_FIELDS = {"parameters", "fitted", "review_logs", "min_review_logs", "fits"}


def today():
    return timezone.now().date()  # alice's and bob's zone is UTC


def in_days(n):
    return f"{today() + datetime.timedelta(days=n):%Y-%m-%d}"


def date_input(page):
    return re.search(r'<input type="date"[^>]*>', page).group(0)


def settings_of(learner):
    learner.refresh_from_db()
    return learner.light_weekdays, learner.reviews_paused_until, learner.next_reminder_at


def test_anonymous_visitors_are_refused(api, client):
    assert api.get("/api/me/scheduler/").status_code in (401, 403)
    assert api.patch("/api/me/scheduler/", {"light_weekdays": ["sat"]}, format="json").status_code in (401, 403)
    for path in ("/settings/scheduler/days-off/", "/settings/scheduler/resume/"):
        response = client.post(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_new_fields_sit_beside_the_old_ones(api, alice, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(3):
        data = api.get("/api/me/scheduler/").json()
    assert OLD_FIELDS <= set(data)
    assert data["light_weekdays"] == [] and data["reviews_paused_until"] is None


def test_a_learner_sets_light_days_and_a_pause_and_only_its_own(api, alice, bob, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(10):
        response = api.patch("/api/me/scheduler/", {"light_weekdays": ["sun", "sat", "sat"],
                                                     "reviews_paused_until": in_days(10)}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["light_weekdays"] == ["sat", "sun"] and data["reviews_paused_until"] == in_days(10)
    assert OLD_FIELDS <= set(data)
    light, until, reminder = settings_of(alice)
    assert light == weekday_mask(["sat", "sun"]) and f"{until:%Y-%m-%d}" == in_days(10)
    assert reminder.date() == today() + datetime.timedelta(days=11)  # the first reminder is the day after
    api.force_authenticate(bob)
    assert api.get("/api/me/scheduler/").json()["light_weekdays"] == []
    # One field at a time; the other stays. null resumes.
    api.force_authenticate(alice)
    data = api.patch("/api/me/scheduler/", {"reviews_paused_until": None}, format="json").json()
    assert data["light_weekdays"] == ["sat", "sun"] and data["reviews_paused_until"] is None
    data = api.patch("/api/me/scheduler/", {"light_weekdays": []}, format="json").json()
    assert data["light_weekdays"] == []


BAD = [
    ({"light_weekdays": ["sat", "someday"]}, "light_weekdays", "someday"),
    ({"light_weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}, "light_weekdays", "at least one"),
    ({"light_weekdays": "sat"}, "light_weekdays", "list"),
    ({"light_weekdays": [5]}, "light_weekdays", ""),
    ({"light_weekdays": [True]}, "light_weekdays", ""),
    ({"light_weekdays": ["mon"] * 8}, "light_weekdays", ""),
    ({"reviews_paused_until": "yesterday"}, "reviews_paused_until", "format"),
    ({"reviews_paused_until": 20261224}, "reviews_paused_until", ""),
    ({"reviews_paused_until": "2026-12-24T10:00:00"}, "reviews_paused_until", ""),
    ({"reviews_paused_until": "past"}, "reviews_paused_until", "in the past"),
    ({"reviews_paused_until": "far"}, "reviews_paused_until", "at most 90 days"),
    ({"light_weekdays": ["sat"], "reviews_paused_until": "past"}, "reviews_paused_until", "in the past"),
    ({"holiday": True}, "holiday", "Unknown"),
]


@pytest.mark.parametrize(("body", "field", "words"), BAD)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(api, quiz_content, alice, body, field, words):
    question = Question.objects.first()
    Card.objects.create(learner=alice, question=question, due=timezone.now(), stability=5, difficulty=5, state=2)
    body = {name: {"past": in_days(-1), "far": in_days(91)}.get(value, value) if isinstance(value, str) else value
            for name, value in body.items()}
    before, due_before = settings_of(alice), list(Card.objects.values_list("due", flat=True))
    api.force_authenticate(alice)
    response = api.patch("/api/me/scheduler/", body, format="json")
    assert response.status_code == 400
    assert field in response.json() and words in str(response.json()[field])
    assert settings_of(alice) == before and list(Card.objects.values_list("due", flat=True)) == due_before


def test_the_edges_of_the_pause_are_accepted(api, alice):
    api.force_authenticate(alice)
    for until in (in_days(0), in_days(90)):
        response = api.patch("/api/me/scheduler/", {"reviews_paused_until": until}, format="json")
        assert response.status_code == 200 and response.json()["reviews_paused_until"] == until


def test_the_settings_card_shows_and_saves_days_off(client, alice, django_assert_max_num_queries):
    client.force_login(alice)
    with django_assert_max_num_queries(10):
        page = client.get("/settings/").content.decode()
    assert "Light days and holidays" in page and 'type="date"' in page and "Resume now" not in page
    with django_assert_max_num_queries(10):
        response = client.post("/settings/scheduler/days-off/",
                               {"light_weekdays": ["sat", "sun"], "reviews_paused_until": in_days(7)})
    assert response.status_code == 302 and response["Location"].startswith("/settings/")
    light, until, _ = settings_of(alice)
    assert light == weekday_mask(["sat", "sun"]) and f"{until:%Y-%m-%d}" == in_days(7)
    with django_assert_max_num_queries(10):
        page = client.get("/settings/").content.decode()
    assert "Reviews paused until" in page and "Resume now" in page and f'value="{in_days(7)}"' in date_input(page)
    assert re.search(r'value="sat"[^>]*checked', page) and not re.search(r'value="mon"[^>]*checked', page)
    with django_assert_max_num_queries(8):
        response = client.post("/settings/scheduler/resume/")
    assert response.status_code == 302
    assert "Reviews resumed" in client.get(response["Location"]).content.decode()
    assert settings_of(alice)[:2] == (weekday_mask(["sat", "sun"]), None)


def test_a_past_pause_shows_as_none(client, alice):
    User.objects.filter(pk=alice.pk).update(reviews_paused_until=today() - datetime.timedelta(days=3))
    client.force_login(alice)
    page = client.get("/settings/").content.decode()
    assert "Resume now" not in page and "value=" not in date_input(page)
    # Saving the light days then works: the old date is not sent back to be refused as past.
    response = client.post("/settings/scheduler/days-off/", {"light_weekdays": ["wed"], "reviews_paused_until": ""})
    assert response.status_code == 302


@pytest.mark.parametrize(("body", "words"), [
    ({"light_weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]}, "Keep at least one weekday"),
    ({"light_weekdays": ["someday"]}, "Select a valid choice"),
    ({"reviews_paused_until": "past"}, "is in the past"),
    ({"reviews_paused_until": "far"}, "at most 90 days"),
    ({"reviews_paused_until": "24/12/2026"}, "Enter a valid date"),
])
def test_the_form_shows_what_is_wrong_and_saves_nothing(client, alice, body, words):
    body = {name: {"past": in_days(-1), "far": in_days(91)}.get(value, value) if isinstance(value, str) else value
            for name, value in body.items()}
    client.force_login(alice)
    before = settings_of(alice)
    response = client.post("/settings/scheduler/days-off/", body)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and 'role="alert"' in page and "Light days and holidays" in page
    assert settings_of(alice) == before


def test_the_resume_form_takes_only_its_own_next(client, alice):
    client.force_login(alice)
    assert client.post("/settings/scheduler/resume/", {"next": "https://elsewhere.example"}).status_code == 400
    response = client.post("/settings/scheduler/resume/", {"next": "review"})
    assert response.status_code == 302 and response["Location"] == "/reviews/"


def test_a_pause_over_many_cards_costs_the_same_queries(api, small_content, alice, django_assert_max_num_queries):
    from tests.conftest import quiz_with_more_questions

    small_content.questions("vectors", quiz_with_more_questions(60))
    small_content.load()
    Card.objects.bulk_create(Card(learner=alice, question=q, due=timezone.now(), stability=5, difficulty=5, state=2)
                             for q in Question.objects.all())
    api.force_authenticate(alice)
    with django_assert_max_num_queries(11):
        response = api.patch("/api/me/scheduler/", {"reviews_paused_until": in_days(3)}, format="json")
    assert response.status_code == 200
    assert not Card.objects.filter(learner=alice, due__date__lte=today() + datetime.timedelta(days=3)).exists()
