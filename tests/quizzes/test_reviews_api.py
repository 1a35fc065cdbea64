"""The review API: due questions without answers, answering graded on the server, forecast, privacy."""

import datetime
import json

import pytest
from django.utils import timezone

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question, ReviewLog
from roadmap.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(alice, quiz_content):
    """Alice answered all four questions; every card is then made due."""
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    answers = []
    for question in Question.objects.all():
        if question.type == "numeric":
            answers.append({"question": question.pk, "value": 11})
        else:
            answers.append({"question": question.pk, "choices": [question.choices.filter(is_correct=True).first().pk]})
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=answers)
    # As if the quiz was two days ago and the cards are now due.
    Card.objects.update(due=timezone.now() - datetime.timedelta(hours=1),
                        last_review=timezone.now() - datetime.timedelta(days=2))
    return {card.question.key: card for card in Card.objects.select_related("question")}


def test_due_lists_questions_without_answers(api, alice, cards):
    api.force_authenticate(alice)
    body = api.get("/api/reviews/due/").json()
    assert body["count"] == 4 and body["next_due"] is None and len(body["cards"]) == 4
    text = json.dumps(body)
    for leak in ["is_correct", "explanation", "numeric_answer", "extreme value", "feedback"]:
        assert leak not in text
    assert api.get("/api/reviews/due/", {"topic": "matrices"}).json()["count"] == 0


def test_answer_a_card(api, alice, cards):
    api.force_authenticate(alice)
    card = cards["dot-product"]
    response = api.post(f"/api/reviews/{card.pk}/answer/", {"value": 12}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["correct"] is False and body["rating"] == "again" and body["correct_value"] == 11
    assert "multiply matching entries" in body["explanation"]
    assert datetime.datetime.fromisoformat(body["next_due"]) > timezone.now()


def test_the_same_answer_twice_reviews_once(api, alice, cards):
    api.force_authenticate(alice)
    card = cards["orthogonal"]
    right = card.question.choices.get(is_correct=True).pk
    first = api.post(f"/api/reviews/{card.pk}/answer/", {"choices": [right]}, format="json").json()
    again = api.post(f"/api/reviews/{card.pk}/answer/", {"choices": [right]}, format="json").json()
    assert again["repeated"] is True and again["next_due"] == first["next_due"]
    assert ReviewLog.objects.filter(card=card, source="review").count() == 1


@pytest.mark.parametrize(
    ("key", "payload", "words"),
    [
        ("dot-product", {"value": "eleven"}, "valid number"),
        ("dot-product", {"choices": [1]}, "takes a value, not choices"),
        ("orthogonal", {"value": 1}, "takes choices, not a value"),
        ("orthogonal", {}, "Give either choices"),
        ("orthogonal", {"choices": [999999]}, "is not one of this question's"),
        ("mean-or-median", {"choices": "all"}, "Expected a list"),
        ("orthogonal", {"choices": [], "extra": 1}, "Unknown"),
    ],
)
def test_bad_answers_are_400_and_nothing_is_saved(api, alice, cards, key, payload, words):
    api.force_authenticate(alice)
    card = cards[key]
    before = ReviewLog.objects.count()
    response = api.post(f"/api/reviews/{card.pk}/answer/", payload, format="json")
    assert response.status_code == 400
    assert words in str(response.json())
    assert ReviewLog.objects.count() == before
    assert Card.objects.get(pk=card.pk).due == card.due


def test_another_learners_card_is_404_and_anonymous_401(api, bob, cards):
    card = cards["orthogonal"]
    assert api.post(f"/api/reviews/{card.pk}/answer/", {"choices": []}, format="json").status_code == 401
    assert api.get("/api/reviews/due/").status_code == 401
    api.force_authenticate(bob)
    assert api.post(f"/api/reviews/{card.pk}/answer/", {"choices": []}, format="json").status_code == 404
    # Whatever the body: a bad one does not tell bob the card exists.
    assert api.post(f"/api/reviews/{card.pk}/answer/", {"choices": "all"}, format="json").status_code == 404
    assert api.generic("POST", f"/api/reviews/{card.pk}/answer/", "{",
                       content_type="application/json").status_code == 404
    assert api.post(f"/api/reviews/{card.pk}/easy/").status_code == 404
    assert api.get("/api/reviews/due/").json()["count"] == 0


def test_too_easy_by_api(api, alice, cards):
    api.force_authenticate(alice)
    card = cards["orthogonal"]
    right = card.question.choices.get(is_correct=True).pk
    good = api.post(f"/api/reviews/{card.pk}/answer/", {"choices": [right]}, format="json").json()
    easy = api.post(f"/api/reviews/{card.pk}/easy/").json()
    assert easy["rating"] == "easy" and easy["next_due"] > good["next_due"]
    wrong_card = cards["dot-product"]
    api.post(f"/api/reviews/{wrong_card.pk}/answer/", {"value": 0}, format="json")
    assert api.post(f"/api/reviews/{wrong_card.pk}/easy/").status_code == 400


def test_forecast(api, alice, cards):
    alice.time_zone = "Asia/Kolkata"
    alice.save()
    now = timezone.now()
    Card.objects.filter(pk=cards["orthogonal"].pk).update(due=now + datetime.timedelta(days=2))
    Card.objects.filter(pk=cards["dot-product"].pk).update(due=now + datetime.timedelta(days=30))
    api.force_authenticate(alice)
    body = api.get("/api/reviews/forecast/").json()
    assert body["due_now"] == 2 and len(body["days"]) == 7
    assert body["days"][0]["due"] == 2 and sum(d["due"] for d in body["days"]) == 3


def test_nothing_due_says_when(api, alice, cards):
    Card.objects.update(due=timezone.now() + datetime.timedelta(days=3))
    api.force_authenticate(alice)
    body = api.get("/api/reviews/due/").json()
    assert body["count"] == 0 and body["cards"] == [] and body["next_due"] is not None


@pytest.mark.parametrize("extra_cards", [0, 200])
def test_budgets_do_not_grow_with_cards(api, alice, cards, django_assert_max_num_queries, extra_cards):
    if extra_cards:
        topic = Topic.objects.get(slug="matrices")
        questions = Question.objects.bulk_create(
            Question(topic=topic, key=f"x{i}", type="numeric", prompt=f"x{i}", explanation="e", numeric_answer=1,
                     tolerance=1) for i in range(extra_cards)
        )
        Card.objects.bulk_create(Card(learner=alice, question=q, due=timezone.now()) for q in questions)
    api.force_authenticate(alice)
    with django_assert_max_num_queries(5):
        api.get("/api/reviews/due/")
    with django_assert_max_num_queries(3):
        api.get("/api/reviews/forecast/")
    card = cards["orthogonal"]
    right = card.question.choices.get(is_correct=True).pk
    # Savepoint, card (locked), choices, last review, median (a right, timed answer), card, review log,
    # activity, release; then the learner's cached pages made stale (as after every write request); and the
    # learner's due counts per day, read once when the new interval leaves a choice of days (load balancing).
    with django_assert_max_num_queries(11):
        assert api.post(f"/api/reviews/{card.pk}/answer/", {"choices": [right], "time_ms": 3000},
                        format="json").json()["correct_choices"] == [right]
    with django_assert_max_num_queries(6):  # the same answer again: its stored outcome; stale pages
        assert api.post(f"/api/reviews/{card.pk}/answer/", {"choices": [right], "time_ms": 3000},
                        format="json").json()["repeated"] is True
