"""The JSON bodies of the three writes (quiz start, quiz submit, review answer), built as plain dicts.

DRF's serializers copy their declared fields for every instance and call a field object per value: for a
submit's ten results with their choices, about 0.6 ms of a 5 ms request. The serializers in serializers.py stay
the published shape (the OpenAPI schema is generated from them) and tests/quizzes/test_write_bodies.py checks
that these bodies are exactly what they would give. Values go through DRF's own field conversions where they
are not plain (dates).
"""

from rest_framework import serializers

from .attempts import EXPIRES_AFTER, PASS_PERCENT, ResultItem, ServedItem
from .models import Attempt, Rating
from .reviews import ReviewOutcome

_MOMENT = serializers.DateTimeField()  # DRF's rendering of a moment: ISO 8601 in the current zone, "Z" for UTC


def _float(value) -> float | None:
    return None if value is None else float(value)


def started_body(attempt: Attempt, *, topic_slug: str, items: list[ServedItem]) -> dict:
    """StartedAttemptSerializer's body."""
    return {
        "id": attempt.pk, "topic": topic_slug, "started_at": _MOMENT.to_representation(attempt.started_at),
        "expires_at": _MOMENT.to_representation(attempt.started_at + EXPIRES_AFTER),
        "questions": [served_question(item) for item in items],
    }


def served_question(item: ServedItem) -> dict:
    """ServedQuestionSerializer's body."""
    return {
        "id": item.id, "type": item.type, "prompt": item.prompt, "prompt_html": item.prompt_html,
        "choices": [{"id": c.id, "text": c.text, "text_html": c.text_html} for c in item.choices],
    }


def result_body(attempt: Attempt, results: list[ResultItem]) -> dict:
    """AttemptResultSerializer's body."""
    percent = attempt.percent
    return {
        "id": attempt.pk, "topic": attempt.topic.slug, "score": _float(attempt.score), "max_score": attempt.max_score,
        "percent": percent, "passed": percent >= PASS_PERCENT,
        "submitted_at": _MOMENT.to_representation(attempt.submitted_at),
        "results": [result_item(item) for item in results],
    }


def result_item(item: ResultItem) -> dict:
    """ResultItemSerializer's body."""
    return {
        "question": item.id, "type": item.type, "prompt": item.prompt, "prompt_html": item.prompt_html,
        "correct": item.correct, "points": float(item.points),
        "your_choices": [c.id for c in item.choices if c.picked],
        "correct_choices": [c.id for c in item.choices if c.correct],
        "choices": [
            {"id": c.id, "text": c.text, "text_html": c.text_html, "correct": c.correct, "picked": c.picked,
             "feedback": c.feedback}
            for c in item.choices
        ],
        "your_value": _float(item.value), "correct_value": _float(item.correct_value),
        "tolerance": _float(item.tolerance), "tolerance_kind": item.tolerance_kind,
        "explanation": item.explanation, "explanation_html": item.explanation_html,
    }


def review_outcome_body(outcome: ReviewOutcome) -> dict:
    """ReviewOutcomeSerializer's body."""
    question = outcome.card.question
    return {
        "correct": outcome.correct, "points": float(outcome.points), "rating": Rating(outcome.rating).label.lower(),
        "next_due": _MOMENT.to_representation(outcome.next_due), "explanation": question.explanation,
        "explanation_html": question.explanation_html,
        "correct_choices": [c.pk for c in outcome.choices if c.is_correct],
        "correct_value": _float(question.numeric_answer), "repeated": outcome.repeated,
    }
