"""Two submissions of one attempt at the same moment (two tabs, a double click) grade it once."""

import threading

import pytest
from django.db import connection

from learning.models import Activity
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Answer, Question
from roadmap.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_double_submit_is_graded_once(alice, quiz_content):
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    numeric = Question.objects.get(key="dot-product")
    answers = [{"question": numeric.pk, "value": 11}]
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def submit():
        try:
            barrier.wait()
            submission = submit_attempt(learner=alice, attempt_id=attempt.pk, answers=answers)
            outcomes.append((submission.graded_now, submission.attempt.score))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == [(False, 1.0), (True, 1.0)]
    assert Answer.objects.filter(attempt=attempt).count() == 4
    assert Activity.objects.filter(kind="quiz").count() == 1
