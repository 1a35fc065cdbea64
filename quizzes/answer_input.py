"""The answer bodies of the quiz submit and review APIs, taken without their serializers when plainly right.

SubmitInSerializer checks ten answers through a nested serializer each: DRF deep-copies every answer's four
fields and calls a field object per value, 0.4 ms of a 5 ms submit. Nearly every body a client sends is
plainly right, so these functions check that in a few comparisons and return what the serializer would have
validated (`validated_data`, the same keys, values and types). Anything else, even a body the serializer would
take (an id sent as 7.0, an unknown key), gives None, and the caller hands it to the serializer, which stays
the one judge of what is wrong and says it in its own words: every 400 is the serializer's, unchanged.
tests/quizzes/test_answer_input.py holds both to that, input by input.
"""

import math

from .answers import MAX_CHOICES, MAX_TIME_MS

MAX_ANSWERS = 50  # SubmitInSerializer's max_length
_EXACT_FLOAT = 2**53  # a whole number up to this converts to float exactly, as the serializer converts it
_ANSWER_KEYS = frozenset({"choices", "value", "time_ms"})
_SUBMIT_ANSWER_KEYS = _ANSWER_KEYS | {"question"}


def _plain_answer(data, *, keys: frozenset) -> dict | None:
    if type(data) is not dict or not data.keys() <= keys:
        return None
    choices, value, time_ms = data.get("choices"), data.get("value"), data.get("time_ms")
    # Exactly one of choices and value, each of its JSON type (a null is the serializer's to refuse).
    if ("choices" in data) == ("value" in data):
        return None
    answer = {}
    if choices is not None:
        if type(choices) is not list or len(choices) > MAX_CHOICES:
            return None
        for choice in choices:
            if type(choice) is not int or choice < 1:
                return None
        answer["choices"] = list(choices)
    elif "choices" in data:
        return None
    if value is not None:
        if type(value) is float:
            if not math.isfinite(value):
                return None
        elif type(value) is not int or not -_EXACT_FLOAT <= value <= _EXACT_FLOAT:
            return None
        answer["value"] = float(value)
    elif "value" in data:
        return None
    if time_ms is not None:
        if type(time_ms) is not int or not 0 <= time_ms <= MAX_TIME_MS:
            return None
        answer["time_ms"] = time_ms
    elif "time_ms" in data:
        return None
    return answer


def plain_review_answer(data) -> dict | None:
    """ReviewAnswerInSerializer's validated data for a plainly right body, else None."""
    return _plain_answer(data, keys=_ANSWER_KEYS)


def plain_submit(data) -> dict | None:
    """SubmitInSerializer's validated data for a plainly right body, else None."""
    if type(data) is not dict or data.keys() != {"answers"}:
        return None
    answers = data["answers"]
    if type(answers) is not list or len(answers) > MAX_ANSWERS:
        return None
    validated = []
    for item in answers:
        answer = _plain_answer(item, keys=_SUBMIT_ANSWER_KEYS)
        question = item.get("question") if answer is not None else None
        if type(question) is not int or question < 1:
            return None
        answer["question"] = question  # last, as the serializer's fields are declared
        validated.append(answer)
    return {"answers": validated}
