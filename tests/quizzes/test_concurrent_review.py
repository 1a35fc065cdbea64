"""Two answers to one card at the same moment (a double click, two tabs) review it once: the second waits
for the card's lock, then sees the first's review and returns its outcome."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from learning.models import Activity
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question, ReviewLog
from quizzes.reviews import answer_card
from roadmap.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_double_answer_reviews_once(alice, quiz_content):
    numeric = Question.objects.get(key="dot-product")
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": numeric.pk, "value": 11}])
    card = Card.objects.get(learner=alice, question=numeric)
    Card.objects.filter(pk=card.pk).update(due=timezone.now() - datetime.timedelta(hours=1),
                                           last_review=timezone.now() - datetime.timedelta(days=2))
    outcomes, errors = [], []

    def answer():
        try:
            outcome = answer_card(learner=alice, card_id=card.pk, answer={"value": 11, "time_ms": 4000})
            outcomes.append(outcome.repeated)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    # Both answers start while the card is locked, so both wait for it: the second to get it must still
    # see the first's review, which was committed after that second answer began.
    with transaction.atomic():
        Card.objects.select_for_update().get(pk=card.pk)
        for thread in threads:
            thread.start()
        time.sleep(0.5)
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == [False, True]
    assert ReviewLog.objects.filter(card=card, source="review").count() == 1
    assert Activity.objects.filter(kind="review").count() == 1
