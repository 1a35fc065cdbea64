"""What a topic's memory meter means, against fixed sequences of answers on a fixed clock: the mean over the
topic's cards of the probability of recall now, where a card whose latest answer was wrong counts 0 (fsrs
alone says about 100% right after a miss)."""

import datetime
from datetime import UTC

import fsrs
import pytest

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question
from quizzes.reviews import answer_card
from quizzes.scheduling import memory_strength, to_fsrs
from roadmap.models import Topic
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def six_questions(small_content):
    """Vectors with six questions, one of each type and two more single-choice ones."""
    small_content.questions("vectors", quiz_with_more_questions(2))
    small_content.load()
    return Topic.objects.get(slug="vectors")


def answer(question: Question, *, right: bool) -> dict:
    if question.type == "numeric":
        return {"question": question.pk, "value": question.numeric_answer + (0 if right else 100)}
    choices = list(question.choices.all())
    picked = [c.pk for c in choices if c.is_correct] if right else [c.pk for c in choices if not c.is_correct][:1]
    return {"question": question.pk, "choices": picked}


def take_quiz(learner, topic, *, right: set[str] | None = None, at=NOW):
    """Answers every question of the topic's quiz; those whose key is in `right` correctly, the others wrong."""
    attempt = start_attempt(learner=learner, topic=topic)
    answers = [answer(q, right=q.key in (right or set())) for q in Question.objects.filter(topic=topic)]
    submit_attempt(learner=learner, attempt_id=attempt.pk, answers=answers, now=at)


def strength(learner, topic, at=NOW) -> float:
    return memory_strength(learner, now=at)[topic.pk].strength


def test_a_quiz_all_wrong_is_no_memory_at_all(alice, six_questions):
    take_quiz(alice, six_questions, right=set())
    assert Card.objects.filter(learner=alice).count() == 6
    assert strength(alice, six_questions) == 0.0  # fsrs alone: 1.0, "100% likely to recall"


def test_a_quiz_all_right_is_full_memory_now(alice, six_questions):
    take_quiz(alice, six_questions, right=set(Question.objects.values_list("key", flat=True)))
    assert strength(alice, six_questions) == pytest.approx(1.0)


def test_half_right_is_half(alice, six_questions):
    keys = list(Question.objects.order_by("pk").values_list("key", flat=True))
    take_quiz(alice, six_questions, right=set(keys[:3]))
    assert strength(alice, six_questions) == pytest.approx(0.5)


def test_misses_in_review_lower_memory_at_once(alice, six_questions):
    """All right in a quiz; three days on, two missed in review: those two count 0, the others fsrs's own."""
    take_quiz(alice, six_questions, right=set(Question.objects.values_list("key", flat=True)))
    later = NOW + datetime.timedelta(days=3)
    before = strength(alice, six_questions, later)
    assert 0.5 < before < 1.0
    missed = list(Card.objects.filter(learner=alice).select_related("question").order_by("pk")[:2])
    for card in missed:
        wrong = answer(card.question, right=False)
        wrong.pop("question")
        answer_card(learner=alice, card_id=card.pk, answer=wrong, now=later)
    kept = Card.objects.filter(learner=alice).exclude(pk__in=[c.pk for c in missed])
    expected = sum(fsrs.Scheduler().get_card_retrievability(to_fsrs(c), later) for c in kept) / 6
    assert strength(alice, six_questions, later) == pytest.approx(expected, rel=1e-9)
    assert strength(alice, six_questions, later) == pytest.approx(before * 4 / 6)  # the two missed count 0


def test_a_miss_answered_right_the_same_day_counts_again(alice, six_questions):
    take_quiz(alice, six_questions, right=set())
    card = Card.objects.filter(learner=alice).select_related("question").first()
    schedule = (card.due, card.stability, card.last_review)
    right = answer(card.question, right=True)
    right.pop("question")
    outcome = answer_card(learner=alice, card_id=card.pk, answer=right, now=NOW + datetime.timedelta(hours=2))
    assert outcome.log.scheduled is False  # relearning the same day moves no schedule
    card.refresh_from_db()
    assert (card.due, card.stability, card.last_review) == schedule
    assert strength(alice, six_questions, NOW + datetime.timedelta(hours=2)) == pytest.approx(1 / 6)


def test_the_meter_is_still_one_query(alice, six_questions, django_assert_num_queries):
    take_quiz(alice, six_questions, right={"q0"})
    with django_assert_num_queries(1):
        memory_strength(alice, now=NOW)


def test_topic_page_and_dashboard_show_the_miss(client, alice, six_questions):
    take_quiz(alice, six_questions, right=set(), at=datetime.datetime.now(UTC))
    client.force_login(alice)
    topic_page = client.get("/topics/vectors/").content.decode()
    assert "<strong>0%</strong>" in topic_page and "<strong>100%</strong>" not in topic_page
    dashboard = client.get("/dashboard/").content.decode()
    row = dashboard[dashboard.index('class="memory-list"'):]
    assert "0% · 6 questions" in row[:row.index("</ul>")]
