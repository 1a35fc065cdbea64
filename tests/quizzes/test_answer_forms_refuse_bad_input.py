"""The quiz and review forms go through the same answer pipeline as the API (quizzes/answers.py): a number that
is not finite, a time that is not a plain whole number in range, a topic that is not a slug, a log id that is not
one, are each a 400 naming the field, and nothing is saved. Each of these was a 500 (issue 14); the NaN of a quiz
form was even saved, and its attempt could no longer be read by the API."""

import pytest

from quizzes.models import Answer, Attempt, Card, ReviewLog

pytestmark = pytest.mark.django_db

NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1" * 400]


@pytest.fixture
def learner(client, alice_state):
    client.force_login(alice_state.learner)
    return alice_state


def numeric_card(state) -> Card:
    return next(c for c in state.cards if c.question.type == "numeric")


def review_rows(state):
    return ReviewLog.objects.filter(card__learner=state.learner).count(), list(
        Card.objects.filter(learner=state.learner).order_by("pk").values_list("due", "stability", "last_review"))


@pytest.mark.parametrize("raw", NOT_FINITE)
def test_a_quiz_form_refuses_a_number_that_is_not_finite(client, learner, raw):
    attempt = learner.open_attempt
    numeric = next(s.question for s in attempt.served.select_related("question") if s.question.type == "numeric")
    response = client.post(f"/quiz/{attempt.pk}/submit/", {f"q{numeric.pk}": raw})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Question " in page and "number" in page
    assert not Answer.objects.filter(attempt=attempt).exists()
    assert Attempt.objects.get(pk=attempt.pk).submitted_at is None
    assert client.get(f"/api/attempts/{attempt.pk}/").status_code == 200


@pytest.mark.parametrize("raw", NOT_FINITE)
def test_a_review_form_refuses_a_number_that_is_not_finite(client, learner, raw):
    card = numeric_card(learner)
    before = review_rows(learner)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": raw})
    assert response.status_code == 400 and "number" in response.content.decode()
    assert review_rows(learner) == before


@pytest.mark.parametrize("raw", ["²", "٣", "１２", "1" * 30, "-5", "5.5", "1e3", str(24 * 3600 * 1000 + 1)])
def test_a_review_form_refuses_a_time_that_is_not_a_whole_number_of_milliseconds_in_range(client, learner, raw):
    card = numeric_card(learner)
    before = review_rows(learner)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "time_ms": raw})
    assert response.status_code == 400 and "time_ms" in response.content.decode()
    assert review_rows(learner) == before


def test_a_review_form_takes_a_plain_time(client, learner):
    card = numeric_card(learner)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "time_ms": "4200"})
    assert response.status_code == 302
    assert ReviewLog.objects.get(card=card, source="review").duration_ms == 4200


@pytest.mark.parametrize("topic", ["vec\x00tors", "\x00", "not a slug", "x" * 101])
def test_a_review_form_refuses_a_topic_that_is_not_a_slug(client, learner, topic):
    card = numeric_card(learner)
    before = review_rows(learner)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "topic": topic})
    assert response.status_code == 400
    assert review_rows(learner) == before


def test_a_review_form_keeps_a_good_topic_for_the_next_card(client, learner):
    card = numeric_card(learner)
    response = client.post(f"/reviews/{card.pk}/answer/", {f"q{card.question_id}": "11", "topic": "vectors"})
    assert response.status_code == 302 and response.url.endswith("?topic=vectors")


@pytest.mark.parametrize("log", ["²", "٣", "1" * 30, "-1", "x"])
def test_too_easy_refuses_a_log_that_is_not_an_id(client, learner, log):
    card = learner.reviewed_card
    before = review_rows(learner)
    response = client.post(f"/reviews/{card.pk}/easy/", {"log": log})
    assert response.status_code == 400 and "log" in response.content.decode()
    assert review_rows(learner) == before


def test_too_easy_by_form_still_works(client, learner):
    card = learner.reviewed_card
    response = client.post(f"/reviews/{card.pk}/easy/", {"log": str(learner.review_log.pk)})
    assert response.status_code == 302 and response.url == f"/reviews/{card.pk}/result/{learner.review_log.pk}/"
    assert ReviewLog.objects.filter(card=card).latest("pk").rating == 4
