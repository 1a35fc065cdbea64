"""The three writes on PostgreSQL (quizzes/single_statement.py): a read and one write statement each, no
transaction to open or commit, and the same outcome as the locking code when another request changes a row
between the read and the write."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import Activity
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Answer, Attempt, Card, Question, ReviewLog
from quizzes.reviews import answer_card
from roadmap.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)


class Statements(CaptureQueriesContext):
    """The statements a request sent, and whether any ran inside a transaction (BEGIN and COMMIT: two more)."""

    def __enter__(self):
        self.in_transaction = []
        self.wrapper = connection.execute_wrapper(self._note)
        self.wrapper.__enter__()
        return super().__enter__()

    def _note(self, execute, sql, params, many, context):
        self.in_transaction.append(not connection.get_autocommit())
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.wrapper.__exit__(*exc)


def signed_in(learner) -> Client:
    client = Client()
    client.force_login(learner)
    return client


def a_due_card(learner, key: str) -> Card:
    question = Question.objects.get(key=key)
    attempt = start_attempt(learner=learner, topic=question.topic)
    submit_attempt(learner=learner, attempt_id=attempt.pk, answers=[{"question": question.pk, "value": 11}])
    card = Card.objects.get(learner=learner, question=question)
    Card.objects.filter(pk=card.pk).update(due=timezone.now() - datetime.timedelta(hours=1),
                                           last_review=timezone.now() - datetime.timedelta(days=2))
    return card


def test_each_write_is_at_most_five_statements_and_no_transaction(alice, quiz_content):
    client = signed_in(alice)
    card = a_due_card(alice, "dot-product")
    # The learner (from the session), the card with all grading reads, the learner's due counts per day (an
    # interval with a choice of days), the write.
    with Statements(connection) as statements:
        response = client.post(f"/api/reviews/{card.pk}/answer/", {"value": 11, "time_ms": 3000},
                               content_type="application/json")
    assert response.status_code == 200 and response.json()["correct"] is True
    assert len(statements) <= 4 and not any(statements.in_transaction), [q["sql"][:80] for q in statements]

    with Statements(connection) as statements:  # the learner, the questions with their choices, the write
        started = client.post("/api/topics/vectors/quiz/")
    assert started.status_code == 201
    assert len(statements) <= 3 and not any(statements.in_transaction), [q["sql"][:80] for q in statements]

    answers = [{"question": q["id"], "time_ms": 2000, **({"value": 11} if q["type"] == "numeric" else
                                                        {"choices": [q["choices"][0]["id"]]})}
               for q in started.json()["questions"]]
    with Statements(connection) as statements:  # the learner, everything grading reads, due counts, the write
        submitted = client.post(f"/api/attempts/{started.json()['id']}/submit/", {"answers": answers},
                                content_type="application/json")
    assert submitted.status_code == 200
    assert len(statements) <= 4 and not any(statements.in_transaction), [q["sql"][:80] for q in statements]
    assert Answer.objects.filter(attempt_id=started.json()["id"]).count() == 4


def test_the_page_version_changes_once_in_the_writes_own_statement(alice, quiz_content):
    client = signed_in(alice)
    before = type(alice).objects.get(pk=alice.pk).state_version
    with CaptureQueriesContext(connection) as statements:
        assert client.post("/api/topics/vectors/quiz/").status_code == 201
    assert type(alice).objects.get(pk=alice.pk).state_version != before
    assert not [q for q in statements if q["sql"].startswith('UPDATE "accounts_user"')]


def hold_row_changed(card: Card, **changes):
    """Changes the card in a transaction that stays open for half a second: a request started meanwhile reads
    the row as it was, and its write waits for this one."""
    lock = threading.Event()

    def during(run):
        with transaction.atomic():
            Card.objects.filter(pk=card.pk).update(**changes)
            lock.set()
            run()
            time.sleep(0.5)

    return during, lock


def in_thread(work, results, errors):
    def run():
        try:
            results.append(work())
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    return threading.Thread(target=run)


def test_a_review_decides_again_on_what_a_racing_write_left(alice, quiz_content):
    card = a_due_card(alice, "dot-product")
    today = timezone.now() - datetime.timedelta(minutes=1)
    results, errors = [], []
    review = in_thread(lambda: answer_card(learner=alice, card_id=card.pk, answer={"value": 11}), results, errors)
    # The other write reviews the card today first (its schedule then moves no more today) and sets a marker.
    later = timezone.now() + datetime.timedelta(days=9)
    during, _ = hold_row_changed(card, last_review=today, stability=42.0, due=later)
    during(review.start)
    review.join(timeout=30)
    assert not errors, errors
    log = ReviewLog.objects.get(card=card, source="review")
    assert log.scheduled is False  # decided on the row as the other write left it, not as first read
    card.refresh_from_db()
    assert card.stability == 42.0 and card.last_review == today
    assert results[0].repeated is False and Activity.objects.filter(kind="review").count() == 1


def test_a_submit_schedules_a_card_as_a_racing_review_left_it(alice, quiz_content):
    card = a_due_card(alice, "dot-product")
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    results, errors = [], []
    submit = in_thread(lambda: submit_attempt(learner=alice, attempt_id=attempt.pk,
                                              answers=[{"question": card.question_id, "value": 11}]), results, errors)
    during, _ = hold_row_changed(card, stability=42.0)
    during(submit.start)
    submit.join(timeout=30)
    assert not errors, errors
    assert results[0].graded_now is True
    log = ReviewLog.objects.get(card=card, source="quiz", reviewed_at=Attempt.objects.get(pk=attempt.pk).submitted_at)
    assert log.scheduled is True and log.card_before["stability"] == 42.0  # the card as the other write left it
    assert Answer.objects.filter(attempt=attempt).count() == 4


def test_a_submit_uses_a_card_created_meanwhile(alice, quiz_content):
    numeric = Question.objects.get(key="dot-product")
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    results, errors = [], []
    submit = in_thread(lambda: submit_attempt(learner=alice, attempt_id=attempt.pk,
                                              answers=[{"question": numeric.pk, "value": 11}]), results, errors)
    with transaction.atomic():  # another request creates the learner's card on the question, uncommitted
        Card.objects.create(learner=alice, question=numeric, due=timezone.now())
        submit.start()
        time.sleep(0.5)
    submit.join(timeout=30)
    assert not errors, errors
    card = Card.objects.get(learner=alice, question=numeric)
    assert ReviewLog.objects.filter(card=card, source="quiz").count() == 1
    assert Answer.objects.filter(attempt=attempt).count() == 4
