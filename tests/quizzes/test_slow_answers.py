"""A right answer that took more than twice the learner's median answer time is rated Hard, in a quiz and in
review; the median is of the learner's latest quiz answer times, the quiz's own answers included."""

import datetime
from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question, Rating, ReviewLog
from quizzes.reviews import answer_card
from roadmap.models import Topic

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def quiz(alice, answers, *, at):
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=answers, now=at)


def rating_of(question, alice):
    return ReviewLog.objects.filter(card__learner=alice, card__question=question).order_by("-reviewed_at").first()


def test_slow_right_answers_are_hard_and_fast_ones_good(alice, quiz_content):
    numeric = Question.objects.get(key="dot-product")
    single = Question.objects.get(key="mean-or-median")
    right = single.choices.get(is_correct=True).pk
    # Times 1000 and 5000, and 0 for the two blanks (they share the attempt's elapsed time, here none):
    # the median is 500, so more than 1000 is slow.
    quiz(alice, [{"question": numeric.pk, "value": 11, "time_ms": 1000},
                 {"question": single.pk, "choices": [right], "time_ms": 5000}], at=T0)
    assert rating_of(numeric, alice).rating == Rating.GOOD
    assert rating_of(single, alice).rating == Rating.HARD

    later = T0 + datetime.timedelta(days=5)
    card = Card.objects.get(learner=alice, question=numeric)
    answer_card(learner=alice, card_id=card.pk, answer={"value": 11, "time_ms": 900}, now=later)
    assert rating_of(numeric, alice).rating == Rating.GOOD
    card = Card.objects.get(learner=alice, question=single)
    answer_card(learner=alice, card_id=card.pk, answer={"choices": [right], "time_ms": 60_000}, now=later)
    assert rating_of(single, alice).rating == Rating.HARD


def answer_times_read(queries) -> int:
    return sum('FROM "quizzes_answer"' in query["sql"] for query in queries)


def median_statements(queries) -> int:
    """Statements sent only to read answer times (the ORM path's median query)."""
    return sum(query["sql"].startswith('SELECT "quizzes_answer"."time_ms"') for query in queries)


def test_a_quiz_reads_the_answer_times_with_the_attempt_not_on_their_own(alice, quiz_content):
    """The median's sample comes in the statement that reads the attempt (its correctness is not known before
    that statement): no statement of its own, whatever the answers."""
    numeric = Question.objects.get(key="dot-product")
    with CaptureQueriesContext(connection) as queries:
        quiz(alice, [{"question": numeric.pk, "value": 3, "time_ms": 1000}], at=T0)
    assert median_statements(queries) == 0 and answer_times_read(queries) == 1
    assert rating_of(numeric, alice).rating == Rating.AGAIN


def test_an_untimed_review_does_not_read_the_median(alice, quiz_content):
    """Speed changes only a timed answer's rating: an untimed one's read leaves the median out, and a timed one
    reads it with the card, in the same statement (right or wrong is known only after it)."""
    numeric = Question.objects.get(key="dot-product")
    quiz(alice, [{"question": numeric.pk, "value": 11, "time_ms": 1000}], at=T0)
    card = Card.objects.get(learner=alice, question=numeric)
    later = T0 + datetime.timedelta(days=5)
    with CaptureQueriesContext(connection) as queries:
        wrong = answer_card(learner=alice, card_id=card.pk, answer={"value": 3, "time_ms": 90_000}, now=later)
    assert median_statements(queries) == 0 and answer_times_read(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        untimed = answer_card(learner=alice, card_id=card.pk, answer={"value": 11},
                              now=later + datetime.timedelta(days=5))
    assert answer_times_read(queries) == 0
    assert (wrong.rating, untimed.rating) == (Rating.AGAIN, Rating.GOOD)
