"""The writes' JSON bodies, built as plain dicts (quizzes/write_bodies.py), are byte for byte what the published
serializers give for the same objects."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from quizzes.attempts import EXPIRES_AFTER, PASS_PERCENT, serve_quiz, submit_attempt
from quizzes.models import Card, Question
from quizzes.reviews import answer_card
from quizzes.reviews_api import rating_name
from quizzes.serializers import AttemptResultSerializer, ReviewOutcomeSerializer, StartedAttemptSerializer
from quizzes.write_bodies import result_body, review_outcome_body, started_body

pytestmark = pytest.mark.django_db


def rendered(body) -> bytes:
    return JSONRenderer().render(body)


def test_a_started_quiz(alice, quiz_content):
    quiz = serve_quiz(learner=alice, topic_slug="vectors")
    attempt = quiz.attempt
    expected = StartedAttemptSerializer({
        "id": attempt.pk, "topic": "vectors", "started_at": attempt.started_at,
        "expires_at": attempt.started_at + EXPIRES_AFTER, "questions": quiz.items,
    }).data
    assert rendered(started_body(attempt, topic_slug="vectors", items=quiz.items)) == rendered(expected)
    assert {q["type"] for q in expected["questions"]} == {"single", "multiple", "numeric", "true_false"}


def test_a_result_with_blank_wrong_and_right_answers(alice, quiz_content):
    quiz = serve_quiz(learner=alice, topic_slug="vectors")
    numeric = next(item for item in quiz.items if item.type == "numeric")
    multiple = next(item for item in quiz.items if item.type == "multiple")
    answers = [{"question": numeric.id, "value": 11, "time_ms": 1200},
               {"question": multiple.id, "choices": [multiple.choices[0].id]}]
    submission = submit_attempt(learner=alice, attempt_id=quiz.attempt.pk, answers=answers)
    attempt = submission.attempt
    expected = AttemptResultSerializer({
        "id": attempt.pk, "topic": attempt.topic.slug, "score": attempt.score, "max_score": attempt.max_score,
        "percent": attempt.percent, "passed": attempt.percent >= PASS_PERCENT, "submitted_at": attempt.submitted_at,
        "results": submission.results,
    }).data
    assert rendered(result_body(attempt, submission.results)) == rendered(expected)
    assert any(r["your_value"] is None for r in expected["results"])  # a blank answer's null survives
    again = submit_attempt(learner=alice, attempt_id=quiz.attempt.pk, answers=answers)  # the stored result
    assert rendered(result_body(again.attempt, again.results)) == rendered(expected)


@pytest.mark.parametrize("answer", [{"value": 11, "time_ms": 2000}, {"value": 3}])
def test_a_review_outcome_new_and_repeated(alice, quiz_content, answer):
    numeric = Question.objects.get(key="dot-product")
    quiz = serve_quiz(learner=alice, topic_slug="vectors")
    submit_attempt(learner=alice, attempt_id=quiz.attempt.pk, answers=[{"question": numeric.pk, "value": 11}])
    card = Card.objects.get(learner=alice, question=numeric)
    Card.objects.filter(pk=card.pk).update(due=timezone.now(), last_review=timezone.now() - datetime.timedelta(days=3))
    for _ in range(2):  # the review, then the same answer again: its stored outcome
        outcome = answer_card(learner=alice, card_id=card.pk, answer=answer)
        question = outcome.card.question
        expected = ReviewOutcomeSerializer({
            "correct": outcome.correct, "points": outcome.points, "rating": rating_name(outcome.rating),
            "next_due": outcome.next_due, "explanation": question.explanation,
            "explanation_html": question.explanation_html,
            "correct_choices": [c.pk for c in outcome.choices if c.is_correct],
            "correct_value": question.numeric_answer, "repeated": outcome.repeated,
        }).data
        assert rendered(review_outcome_body(outcome)) == rendered(expected)
    assert outcome.repeated is True
