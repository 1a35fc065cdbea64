"""Beside the due queue: relearning today's misses (logged, never a second schedule change in a local day) and
practising ahead when nothing is due (the card's one review of the day). The API, the pages, privacy."""

import datetime

import pytest
from django.utils import timezone

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt, Card, Question, ReviewLog
from quizzes.reviews import comes_back
from roadmap.models import Topic
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db
SCHEDULE = ("state", "stability", "difficulty", "due", "last_review")


def schedule_of(card) -> tuple:
    card.refresh_from_db()
    return tuple(getattr(card, name) for name in SCHEDULE)


def answer_body(question, *, right: bool) -> dict:
    if question.type == "numeric":
        return {"value": question.numeric_answer + (0 if right else 1)}
    choices = list(question.choices.all())
    return {"choices": [c.pk for c in choices if c.is_correct] if right else [c.pk for c in choices
                                                                               if not c.is_correct][:1]}


@pytest.fixture
def quiz_today(alice, quiz_content):
    """Alice took the vectors quiz just now: the numeric and single-choice questions wrong, the others right."""
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    answers = [{"question": q.pk, **answer_body(q, right=q.type not in ("numeric", "single"))}
               for q in Question.objects.all()]
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=answers)
    return {card.question.key: card for card in Card.objects.select_related("question")}


@pytest.fixture
def reviewed_days_ago(alice, quiz_content, quiz_today):
    """The same cards as if that quiz was two days ago: none due yet, none reviewed today."""
    for n, card in enumerate(quiz_today.values()):
        Card.objects.filter(pk=card.pk).update(last_review=timezone.now() - datetime.timedelta(days=2),
                                               due=timezone.now() + datetime.timedelta(days=n + 1))
    ReviewLog.objects.update(reviewed_at=timezone.now() - datetime.timedelta(days=2))
    return quiz_today


def test_relearn_lists_todays_misses_only(api, alice, quiz_today):
    api.force_authenticate(alice)
    body = api.get("/api/reviews/relearn/").json()
    assert body["count"] == 2
    assert {c["card"] for c in body["cards"]} == {quiz_today["dot-product"].pk, quiz_today["mean-or-median"].pk}
    assert "numeric_answer" not in str(body) and "is_correct" not in str(body)
    assert api.get("/api/reviews/due/").json()["count"] == 0  # reviewed today: nothing due
    assert api.get("/api/reviews/relearn/", {"topic": "matrices"}).json() == {"count": 0, "cards": []}


def test_relearning_is_logged_but_moves_no_schedule(api, alice, quiz_today):
    api.force_authenticate(alice)
    card = quiz_today["dot-product"]
    before = schedule_of(card)
    wrong = api.post(f"/api/reviews/{card.pk}/answer/", answer_body(card.question, right=False), format="json")
    right = api.post(f"/api/reviews/{card.pk}/answer/", answer_body(card.question, right=True), format="json")
    assert wrong.status_code == right.status_code == 200 and right.json()["correct"] is True
    assert schedule_of(card) == before
    assert list(card.logs.order_by("reviewed_at", "pk").values_list("source", "correct", "scheduled")) == [
        ("quiz", False, True), ("review", False, False), ("review", True, False)]
    assert [c["card"] for c in api.get("/api/reviews/relearn/").json()["cards"]] == [quiz_today["mean-or-median"].pk]


def test_practice_ahead_is_the_days_one_review(api, alice, reviewed_days_ago):
    api.force_authenticate(alice)
    assert api.get("/api/reviews/due/").json()["count"] == 0
    body = api.get("/api/reviews/ahead/").json()
    assert body["count"] == 4
    dues = [c["due"] for c in body["cards"]]
    assert dues == sorted(dues)  # the soonest first
    card = Card.objects.select_related("question").get(pk=body["cards"][0]["card"])
    before = schedule_of(card)
    first = api.post(f"/api/reviews/{card.pk}/answer/", answer_body(card.question, right=True), format="json")
    assert first.status_code == 200 and card.logs.order_by("-reviewed_at", "-pk").first().scheduled is True
    moved = schedule_of(card)
    assert moved != before and moved[SCHEDULE.index("last_review")] > before[SCHEDULE.index("last_review")]
    # Once reviewed today it leaves the queue, and a second answer the same day moves nothing.
    assert card.pk not in [c["card"] for c in api.get("/api/reviews/ahead/").json()["cards"]]
    api.post(f"/api/reviews/{card.pk}/answer/", answer_body(card.question, right=False), format="json")
    assert schedule_of(card) == moved
    assert card.pk in [c["card"] for c in api.get("/api/reviews/relearn/").json()["cards"]]


@pytest.mark.parametrize("path", ["/api/reviews/relearn/", "/api/reviews/ahead/"])
def test_queues_are_private(api, alice, bob, reviewed_days_ago, path):
    assert api.get(path).status_code in (401, 403)
    api.force_authenticate(bob)
    assert api.get(path).json() == {"count": 0, "cards": []}


def all_missed(learner, content, *, extra: int):
    """A quiz on vectors, with `extra` more questions than QUIZ, all answered wrong just now."""
    content.questions("vectors", quiz_with_more_questions(extra))
    content.load()
    attempt = start_attempt(learner=learner, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=learner, attempt_id=attempt.pk, answers=[
        {"question": q.pk, **answer_body(q, right=False)} for q in Question.objects.filter(
            pk__in=attempt.served.values("question_id"))])


@pytest.mark.parametrize("extra", [0, 10])
def test_queue_budgets_do_not_grow(api, alice, small_content, django_assert_max_num_queries, extra):
    all_missed(alice, small_content, extra=extra)
    api.force_authenticate(alice)
    with django_assert_max_num_queries(3):  # count, cards, their choices
        assert api.get("/api/reviews/relearn/").json()["count"] == min(4 + extra, 10)
    with django_assert_max_num_queries(3):
        api.get("/api/reviews/ahead/")


# --- The pages ----------------------------------------------------------------------------------------------


def test_caught_up_offers_relearning_and_practice_ahead(client, alice, quiz_today):
    client.force_login(alice)
    html = client.get("/reviews/").content.decode()
    assert "All caught up" in html and "Relearn missed (2)" in html
    assert "Practice ahead" not in html  # every card had its review today
    page = client.get("/reviews/?queue=relearn").content.decode()
    assert "Relearn today’s misses" in page and 'name="queue" value="relearn"' in page


def test_relearning_by_form_keeps_the_queue_and_the_schedule(client, alice, quiz_today):
    client.force_login(alice)
    card = quiz_today["dot-product"]
    before = schedule_of(card)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "queue": "relearn"})
    assert response.status_code == 302 and "queue=relearn" in response.url
    result = client.get(response.url).content.decode()
    assert "does not move its schedule" in result and "1 more to relearn" in result
    assert "?queue=relearn" in result
    assert 'id="header-q" type="search" name="q" placeholder="Search topics…" value=""' in result
    assert schedule_of(card) == before


def test_practice_ahead_page(client, alice, reviewed_days_ago):
    client.force_login(alice)
    html = client.get("/reviews/").content.decode()
    assert "Practice ahead" in html and "the 4 questions due soonest" in html
    assert "Practice ahead" in client.get("/reviews/?queue=ahead").content.decode()


def test_an_unknown_queue_is_refused(client, alice, quiz_today):
    client.force_login(alice)
    response = client.get("/reviews/?queue=later")
    assert response.status_code == 400 and "Unknown review queue “later”" in response.content.decode()
    card = quiz_today["dot-product"]
    logs = ReviewLog.objects.count()
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "queue": "later"})
    assert response.status_code == 400 and ReviewLog.objects.count() == logs


def test_quiz_results_say_when_each_question_comes_back(client, alice, quiz_today):
    client.force_login(alice)
    html = client.get(f"/quiz/{Attempt.objects.get().pk}/").content.decode()
    for card in Card.objects.filter(learner=alice):
        assert f"Comes back for review {comes_back(alice, card.due)}." in html
    assert "Comes back for review tomorrow, " in html  # the misses
    assert "Relearn the 2 you missed now" in html


def test_comes_back_in_the_learners_days(alice):
    now = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=datetime.UTC)
    alice.time_zone = "Europe/Paris"
    at = lambda *args: datetime.datetime(*args, tzinfo=datetime.UTC)  # noqa: E731
    assert comes_back(alice, at(2026, 12, 3, 9, 0), now=now) == "now"
    assert comes_back(alice, at(2026, 12, 3, 20, 0), now=now) == "later today"
    assert comes_back(alice, at(2026, 12, 4, 8, 0), now=now) == "tomorrow, Friday 4 December"
    assert comes_back(alice, at(2026, 12, 6, 8, 0), now=now) == "in 3 days, Sunday 6 December"
    alice.time_zone = "Pacific/Kiritimati"  # UTC+14: it is already 4 December there
    assert comes_back(alice, at(2026, 12, 4, 9, 0), now=now) == "later today"


def test_a_review_answer_takes_no_question_field(api, alice, quiz_today):
    """As the README says: the card names the question, so the quiz answer's "question" field is refused."""
    api.force_authenticate(alice)
    card = quiz_today["dot-product"]
    logs = ReviewLog.objects.count()
    response = api.post(f"/api/reviews/{card.pk}/answer/", {"question": card.question_id, "value": 11}, format="json")
    assert response.status_code == 400 and "question" in response.json()
    assert ReviewLog.objects.count() == logs
    body = api.post(f"/api/reviews/{card.pk}/answer/", {"value": 11, "time_ms": 4000}, format="json").json()
    assert set(body) == {"correct", "points", "rating", "next_due", "explanation", "explanation_html",
                         "correct_choices", "correct_value", "repeated"}


def test_the_queues_are_in_the_schema(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/reviews/relearn/", "/api/reviews/ahead/"):
        operation = schema["paths"][path]["get"]
        assert operation["description"] and "topic" in [p["name"] for p in operation["parameters"]]
        assert "200" in operation["responses"]


@pytest.mark.parametrize("extra", [0, 10])
def test_review_page_budgets_do_not_grow(client, alice, small_content, django_assert_max_num_queries, extra):
    all_missed(alice, small_content, extra=extra)
    client.force_login(alice)
    client.get("/")  # the menu's due count is cached from here on
    # session, learner, then caught up: the due count, next due (two), relearn and ahead counts
    with django_assert_max_num_queries(7):
        assert "Relearn missed" in client.get("/reviews/").content.decode()
    # session, learner, the relearn count, its first card, the card's choices
    with django_assert_max_num_queries(5):
        assert "Relearn today’s misses" in client.get("/reviews/?queue=relearn").content.decode()


@pytest.mark.parametrize("path", ["/api/reviews/relearn/", "/api/reviews/ahead/"])
def test_queues_refuse_writes_and_ignore_no_topic(api, alice, quiz_today, path):
    api.force_authenticate(alice)
    logs, cards = ReviewLog.objects.count(), list(Card.objects.values_list("pk", "due", "stability"))
    for method in (api.post, api.put, api.patch, api.delete):
        response = method(path, {"count": 0}, format="json")
        assert response.status_code == 405 and "not allowed" in response.json()["detail"]
    assert ReviewLog.objects.count() == logs and list(Card.objects.values_list("pk", "due", "stability")) == cards
    assert api.get(path, {"topic": "no-such-topic"}).json() == {"count": 0, "cards": []}  # as /api/reviews/due/
