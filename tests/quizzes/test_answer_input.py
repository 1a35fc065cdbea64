"""quizzes/answer_input.py takes a body without its serializer only where the serializer would take it too and
validate it into exactly the same data; every other body goes to the serializer, so every 400 is its own."""

import json
import math
import random

import pytest

from quizzes.answer_input import plain_review_answer, plain_submit
from quizzes.serializers import ReviewAnswerInSerializer, SubmitInSerializer

VALUES = [
    0, 1, 2, 7, -1, 20, 86_400_000, 86_400_001, 2**31, 2**53, 2**53 + 1, -(2**53) - 1, 10**30,
    0.0, 1.0, 7.0, 0.75, -3.5, 1e300, math.inf, -math.inf, math.nan,
    True, False, None, "", "7", "0.75", "x", [], [1], [1, 2], [1, 1], [0], [7.0], ["3"], [True], [None], [[1]],
    list(range(1, 21)), list(range(1, 22)), {}, {"a": 1},
]
KEYS = ["question", "choices", "value", "time_ms", "dont_know", "answers"]


def typed(data):
    """The data with every value's type spelled out: 1 and 1.0 and True compare equal, and must not pass as one
    another."""
    return json.dumps(data, default=repr) + repr(_types(data))


def _types(data):
    if isinstance(data, dict):
        return [(key, _types(value)) for key, value in data.items()]
    if isinstance(data, list):
        return [_types(value) for value in data]
    return type(data).__name__


def random_answer(rng: random.Random) -> dict:
    answer = {}
    for key in rng.sample(KEYS[:4], rng.randint(0, 4)):
        answer[key] = rng.choice(VALUES)
    if rng.random() < 0.05:
        answer[rng.choice(KEYS[4:])] = rng.choice(VALUES)
    return answer


def good_answer(rng: random.Random, *, question: bool) -> dict:
    """A plainly right answer, its keys in any order."""
    answer = {"choices": rng.sample(range(1, 60), rng.randint(0, 4))} if rng.random() < 0.6 else {
        "value": rng.choice([0, 11, -3, 0.75, 1e-9, 123456.5])}
    if rng.random() < 0.7:
        answer["time_ms"] = rng.randint(0, 86_400_000)
    if question:
        answer["question"] = rng.randint(1, 2**31)
    items = list(answer.items())
    rng.shuffle(items)
    return dict(items)


def bodies(rng: random.Random, count: int):
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            yield {"answers": [good_answer(rng, question=True) for _ in range(rng.randint(0, 12))]}
        elif kind < 0.5:  # one bad thing among good answers
            answers = [good_answer(rng, question=True) for _ in range(rng.randint(1, 10))]
            answers[rng.randrange(len(answers))] = random_answer(rng)
            yield {"answers": answers}
        elif kind < 0.6:  # a good answer with one value changed
            answers = [good_answer(rng, question=True) for _ in range(rng.randint(1, 5))]
            target = rng.choice(answers)
            target[rng.choice(KEYS[:4])] = rng.choice(VALUES)
            yield {"answers": answers}
        elif kind < 0.9:
            yield {"answers": [random_answer(rng) for _ in range(rng.randint(0, 4))]}
        else:
            yield rng.choice([
                None, [], "answers", {}, {"answers": None}, {"answers": {}}, {"answers": "x"},
                {"answers": [None]}, {"answers": [[]]}, {"answers": [good_answer(rng, question=True)], "extra": 1},
                {"answers": [good_answer(rng, question=True) for _ in range(51)]},
                {"answers": [good_answer(rng, question=True) for _ in range(50)]},
            ])


def test_a_submit_body_is_taken_only_as_its_serializer_takes_it():
    rng = random.Random(16)
    taken = refused = 0
    for body in bodies(rng, 6000):
        plain = plain_submit(body)
        serializer = SubmitInSerializer(data=body)
        if plain is None:
            refused += 1
            continue
        taken += 1
        assert serializer.is_valid(), (body, serializer.errors)
        assert typed(plain) == typed(serializer.validated_data), body
    assert taken > 1500 and refused > 1500  # both ways were tried, many times


def test_a_review_answer_is_taken_only_as_its_serializer_takes_it():
    rng = random.Random(24)
    taken = 0
    for _ in range(6000):
        body = good_answer(rng, question=False) if rng.random() < 0.4 else random_answer(rng)
        if rng.random() < 0.7:
            body.pop("question", None)  # a review's answer names no question: mostly without one
        if rng.random() < 0.03:
            body = rng.choice(VALUES)
        plain = plain_review_answer(body)
        if plain is None:
            continue
        taken += 1
        serializer = ReviewAnswerInSerializer(data=body)
        assert serializer.is_valid(), (body, serializer.errors)
        assert typed(plain) == typed(serializer.validated_data), body
    assert taken > 2000


@pytest.mark.parametrize("body", [
    {"answers": []},
    {"answers": [{"question": 7, "choices": [29]}, {"question": 9, "value": 0.75, "time_ms": 12000}]},
    {"answers": [{"question": 9, "value": 11}, {"choices": [], "question": 3, "time_ms": 0}]},
    {"answers": [{"question": n, "choices": [n]} for n in range(1, 51)]},
])
def test_the_bodies_clients_send_are_taken_plainly(body):
    serializer = SubmitInSerializer(data=body)
    assert serializer.is_valid()
    assert typed(plain_submit(body)) == typed(serializer.validated_data)


@pytest.mark.parametrize("body", [{"choices": [31], "time_ms": 8200}, {"value": 0.75}, {"choices": []},
                                  {"value": -2, "time_ms": 86_400_000}])
def test_the_review_answers_clients_send_are_taken_plainly(body):
    serializer = ReviewAnswerInSerializer(data=body)
    assert serializer.is_valid()
    assert typed(plain_review_answer(body)) == typed(serializer.validated_data)
