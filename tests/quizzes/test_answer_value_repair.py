"""Migration 0005 repairs numeric answers stored as NaN or infinity (the quiz form used to save them) and then
refuses them in PostgreSQL, so an attempt can always be read back by the API (issue 14)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Answer, Attempt, Question
from roadmap.models import Topic

BEFORE, REPAIR = ("quizzes", "0004_reminderday_claim_token"), ("quizzes", "0005_answer_value_finite")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def migrate_to_the_latest():
    """Back to every app's newest migration: going back to 0004 also undid the later migrations that follow
    0005 (and a test after this one needs their tables)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def submitted(alice, quiz_content):
    """Three attempts of alice's, each answering the numeric question right (11), graded."""
    attempts = []
    numeric = Question.objects.get(type="numeric")
    for _ in range(3):
        attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
        submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": numeric.pk, "value": 11}])
        attempts.append(attempt)
    return attempts


@pytest.mark.django_db(transaction=True)
def test_stored_nan_and_infinity_become_blank_wrong_answers(api, alice, submitted):
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            for attempt, stored in zip(submitted, ["NaN", "Infinity", "-Infinity"], strict=True):
                # As the form stored them: graded as no number, 0 points.
                cursor.execute("UPDATE quizzes_answer SET value = %s::float8, correct = false, points = 0 "
                               "WHERE attempt_id = %s AND value IS NOT NULL", [stored, attempt.pk])
                cursor.execute("UPDATE quizzes_attempt SET score = score - 1 WHERE id = %s", [attempt.pk])
    finally:
        migrate(REPAIR)
        # Read back with today's models, whose later migrations (quizzes 0007's question column) must have run.
        migrate_to_the_latest()
    check_the_repair(api, alice, submitted)


def check_the_repair(api, alice, submitted):
    api.force_authenticate(alice)
    for attempt in submitted:
        answer = Answer.objects.get(attempt=attempt, question__type="numeric")
        assert (answer.value, answer.correct, answer.points) == (None, False, 0.0)
        assert Attempt.objects.get(pk=attempt.pk).score == 0  # unchanged: grading had given it 0 already
        response = api.get(f"/api/attempts/{attempt.pk}/")
        assert response.status_code == 200
        numeric = next(r for r in response.json()["results"] if r["type"] == "numeric")
        assert numeric["your_value"] is None and numeric["points"] == 0.0


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_value_that_is_not_finite(submitted):
    answer = Answer.objects.get(attempt=submitted[0], question__type="numeric")
    for value in [float("nan"), float("inf"), float("-inf")]:
        with pytest.raises(IntegrityError, match="answer_value_finite"), transaction.atomic():
            Answer.objects.filter(pk=answer.pk).update(value=value)
    Answer.objects.filter(pk=answer.pk).update(value=-1e308)
    assert Answer.objects.get(pk=answer.pk).value == -1e308
