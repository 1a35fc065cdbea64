"""quizzes/placement.py: the placement test's reasoning, without a database."""

import math
import random

import pytest

from quizzes import placement as p

# a <- b <- c (c requires b, b requires a), and d on its own.
GRAPH = p.graph_of(topics=["a", "b", "c", "d"], requires={"b": ["a"], "c": ["b", "outside"]})
ITEMS = [p.Item(id=10 * n + k, topic=topic, guess=0.25) for n, topic in enumerate("abcd", start=1) for k in range(6)]


def test_the_graph_knows_every_prerequisite_and_dependant_and_ignores_topics_outside():
    assert GRAPH.ancestors["c"] == {"a", "b"} and GRAPH.descendants["a"] == {"b", "c"}
    assert GRAPH.ancestors["d"] == frozenset() and "outside" not in GRAPH.ancestors["c"]


@pytest.mark.parametrize(("facility", "answers", "difficulty"), [
    (None, 0, 0.0), (0.9, 4, 0.0),  # too few answers: an average question
    (0.5, 20, 0.0), (0.8, 20, math.log(0.2 / 0.8)), (0.2, 20, math.log(0.8 / 0.2)),
    (1.0, 20, -p.LARGEST_DIFFICULTY), (0.0, 20, p.LARGEST_DIFFICULTY),  # clamped
])
def test_difficulty_from_facility(facility, answers, difficulty):
    assert p.difficulty_from_facility(facility=facility, answers=answers) == pytest.approx(difficulty)


def test_guess_is_one_in_the_choices_or_small_for_a_number():
    assert p.guess_for(kind="single", choices=4) == 0.25
    assert p.guess_for(kind="multiple", choices=4) == 1 / 15  # the right set among the 15 non-empty ones
    assert p.guess_for(kind="true_false", choices=2) == 0.5
    assert p.guess_for(kind="numeric", choices=0) == p.NUMERIC_GUESS


def test_calibration_steps_towards_what_answers_show():
    assert p.calibrated(difficulty=0.0, ability=0.0, correct=True) < 0.0
    assert p.calibrated(difficulty=0.0, ability=0.0, correct=False) > 0.0
    # an expected answer teaches little: a strong learner getting an easy question right
    assert abs(p.calibrated(difficulty=-2.0, ability=2.0, correct=True) + 2.0) < 0.01


def test_ability_rises_with_right_answers_and_stays_finite_when_all_are_right():
    assert p.ability_after([(0.0, True)] * 15) > p.ability_after([(0.0, True), (0.0, False)]) > p.ability_after(
        [(0.0, False)] * 15)
    assert math.isfinite(p.ability_after([(0.0, True)] * 15))


def test_a_right_answer_vouches_for_prerequisites_and_a_miss_against_dependants():
    before = p.knowledge([], graph=GRAPH).known
    right = p.knowledge([p.Answered("c", 0.25, True)], graph=GRAPH).known
    assert right["c"] > before["c"] and right["a"] >= right["c"] and right["b"] >= right["c"]
    missed = p.knowledge([p.Answered("a", 0.25, False)], graph=GRAPH).known
    assert missed["a"] < before["a"] and missed["b"] <= missed["a"] and missed["c"] <= missed["a"]


def test_a_lucky_guess_counts_for_less_than_a_number_given_right():
    true_false = p.knowledge([p.Answered("d", 0.5, True)], graph=GRAPH).known["d"]
    number = p.knowledge([p.Answered("d", p.NUMERIC_GUESS, True)], graph=GRAPH).known["d"]
    assert number > true_false


def run(truth: set[str], items=ITEMS, graph=GRAPH):
    answers, asked = [], []
    while (item := p.next_item(answers, graph=graph, items=items, asked=asked, ability=0.0)) is not None:
        assert item.id not in asked
        asked.append(item.id)
        answers.append(p.Answered(item.topic, item.guess, item.topic in truth))
    return asked, {proposed.topic for proposed in p.proposal(p.knowledge(answers, graph=graph).known, graph=graph)}


@pytest.mark.parametrize("truth", [set(), {"a"}, {"a", "b"}, {"a", "b", "c"}, {"a", "d"}, {"a", "b", "c", "d"}])
def test_a_learner_answering_as_it_knows_is_proposed_exactly_what_it_knows(truth):
    asked, proposed = run(truth)
    assert proposed == truth
    assert len(asked) <= p.MAX_QUESTIONS


def test_the_test_stops_at_fifteen_questions_on_a_big_roadmap():
    topics = [f"t{i}" for i in range(40)]
    graph = p.graph_of(topics=topics, requires={})
    items = [p.Item(id=i, topic=t, guess=0.5) for i, t in enumerate(topics * 3)]
    rng = random.Random(4)
    asked, _ = run({t for t in topics if rng.random() < 0.5}, items=items, graph=graph)
    assert len(asked) == p.MAX_QUESTIONS


def test_the_next_question_is_the_most_informative_one_at_the_learners_ability():
    items = [p.Item(id=1, topic="d", difficulty=3.0), p.Item(id=2, topic="d", difficulty=0.1)]
    graph = p.graph_of(topics=["d"], requires={})
    assert p.next_item([], graph=graph, items=items, asked=[], ability=0.0).id == 2
    assert p.next_item([], graph=graph, items=items, asked=[], ability=3.0).id == 1


def test_study_places_put_prerequisites_first_and_are_repeatable():
    places = p.study_places(GRAPH)
    assert places["a"] < places["b"] < places["c"]
    assert 0 <= min(places.values()) and max(places.values()) <= 1
    assert p.study_places(GRAPH) == places  # seeded
    curves = p.topic_curves(GRAPH, places=places)
    middle = len(curves["a"]) // 2
    assert curves["a"][middle] > curves["c"][middle]
    assert all(p.UNKNOWN_BELOW <= q <= p.KNOWN_ABOVE for curve in curves.values() for q in curve)
