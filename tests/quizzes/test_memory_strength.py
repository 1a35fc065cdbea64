"""Memory strength is averaged by the database: it must agree with fsrs's own retrievability."""

import datetime
import random
from collections import defaultdict
from datetime import UTC

import fsrs
import pytest

from quizzes.models import Card, Question
from quizzes.scheduling import memory_strength
from roadmap.models import Topic

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

# Around whole days (fsrs counts elapsed whole days), a review in the future, none at all, long ago.
AGES = [
    None, datetime.timedelta(0), datetime.timedelta(hours=23, minutes=59, seconds=59),
    datetime.timedelta(days=1), datetime.timedelta(days=1, seconds=1), datetime.timedelta(days=3, hours=5),
    datetime.timedelta(days=400), -datetime.timedelta(hours=2),
]


def make_cards(learner, rng):
    expected = defaultdict(list)
    for n, topic in enumerate(Topic.objects.all()[:3]):
        for i, age in enumerate(AGES):
            question = Question.objects.create(topic=topic, key=f"q{n}-{i}", type="numeric", prompt="p",
                                               explanation="e", numeric_answer=1)
            stability = None if i == 1 and n == 0 else round(rng.uniform(0.1, 300), 4)
            last_review = None if age is None else NOW - age
            card = Card.objects.create(learner=learner, question=question, state=2, stability=stability,
                                       difficulty=5.0, due=NOW, last_review=last_review)
            reference = fsrs.Card(card_id=card.pk, state=fsrs.State(2), stability=stability, difficulty=5.0,
                                  due=NOW, last_review=last_review)
            expected[topic.pk].append(fsrs.Scheduler().get_card_retrievability(reference, NOW))
    return expected


def test_memory_strength_agrees_with_fsrs(alice, small_content):
    small_content.load()
    expected = make_cards(alice, random.Random(7))
    strengths = memory_strength(alice, now=NOW)
    assert set(strengths) == set(expected)
    for topic_id, values in expected.items():
        assert strengths[topic_id].cards == len(values)
        assert strengths[topic_id].strength == pytest.approx(sum(values) / len(values), rel=1e-9)


def test_memory_strength_of_some_topics_only_and_of_another_learner(alice, bob, small_content):
    small_content.load()
    expected = make_cards(alice, random.Random(8))
    some = list(expected)[:2]
    assert set(memory_strength(alice, topic_ids=some, now=NOW)) == set(some)
    assert memory_strength(bob, now=NOW) == {}


def test_memory_strength_is_one_query(alice, small_content, django_assert_num_queries):
    small_content.load()
    make_cards(alice, random.Random(9))
    with django_assert_num_queries(1):
        memory_strength(alice, now=NOW)
