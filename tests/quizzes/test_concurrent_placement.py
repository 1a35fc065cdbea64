"""Two answers to one placement question at the same moment (a double click, two tabs) grade it once; two
confirmations at once mark and schedule once."""

import threading

import pytest
from django.db import connection

from learning.models import Activity
from quizzes.models import Card, PlacementAnswer, Question, ReviewLog
from quizzes.placement_sessions import PlacementError, answer_placement, confirm_placement, start_placement
from roadmap.models import Roadmap
from tests.conftest import right_answer_to

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(action, times=2):
    barrier = threading.Barrier(times)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.append(action())
        except PlacementError as refused:
            outcomes.append(refused.errors)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return outcomes


def test_a_double_answer_is_graded_once(alice, placement_content):
    session = start_placement(learner=alice, roadmap=Roadmap.objects.get(slug="first"))
    question = Question.objects.get(pk=session.state["served"]["question"])
    outcomes = at_once(lambda: answer_placement(learner=alice, session_id=session.pk, question=question.pk,
                                                answer=right_answer_to(question)).repeated)
    assert sorted(outcomes) == [False, True]
    assert PlacementAnswer.objects.filter(session=session).count() == 1


def test_a_double_confirmation_marks_and_schedules_once(alice, placement_content):
    session = start_placement(learner=alice, roadmap=Roadmap.objects.get(slug="first"))
    while served := session.state["served"]:
        question = Question.objects.get(pk=served["question"])
        session = answer_placement(learner=alice, session_id=session.pk, question=question.pk,
                                   answer=right_answer_to(question)).session
    topics = [p["topic"] for p in session.state["proposal"]]
    outcomes = at_once(lambda: confirm_placement(learner=alice, session_id=session.pk, topics=topics).pk)
    assert session.pk in outcomes and {"session": ["This placement test was already confirmed."]} in outcomes
    assert Activity.objects.filter(kind="progress").count() == len(topics) == 3
    cards = Card.objects.filter(learner=alice)
    answered = cards.filter(logs__isnull=False).distinct()
    assert ReviewLog.objects.filter(card__in=cards).count() == answered.count() > 0  # one review each, not two
    assert cards.count() == Question.objects.filter(topic__slug__in=topics, active=True).count()
