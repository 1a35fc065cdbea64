"""One answer pipeline for quiz submits and card reviews, whether the answer came by HTML form or by the API:

- parsing: the form's text fields (`answers_from_form`, `card_answer_from_form`) or the API's JSON, once its
  serializer has checked the types (`given_answer`), into one typed shape, `GivenAnswer`;
- validation against the questions asked (`check_answers`), with each problem structured as an
  `AnswerProblem` (field, index, message) that every caller renders its own way, never parses;
- grading (`grade_answer`, which calls grading.py) and normalisation (`normalised`: what a repeated
  answer compares equal to).

Every number that gets past it is finite, and every time a whole number of milliseconds within a day: a NaN
once stored made its attempt unreadable (JSON has no NaN) and a 30-digit time overflowed its column.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .grading import Grade, grade_choices, grade_number
from .models import Question, QuestionType

MAX_TIME_MS = 24 * 3600 * 1000
MAX_CHOICES = 20
TIME_MS_RULE = f"time_ms is a whole number of milliseconds from 0 to {MAX_TIME_MS}"
LARGEST_ID = 2**31 - 1  # the id columns' range: a larger "id" names nothing
# A number as a person types it: ASCII digits only (int() and float() also take "٣" and "１２"), a decimal point
# or comma, an exponent. Not "nan" or "inf", which float() takes too.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]{1,4})?")
_WHOLE = re.compile(r"[0-9]{1,10}")
_LONGEST_NUMBER = 100  # characters: nobody types more, and a megabyte of digits is not an answer


@dataclass(frozen=True)
class AnswerProblem:
    """One thing wrong with an answer: which field of it, which answer of those sent, and what is wrong."""

    field: str  # "question", "choices", "value" or "time_ms"
    message: str  # a sentence, lower case, without the answer's place (each caller says that its own way)
    index: int | None = None  # the answer's place in the list sent, from 0; None for a card's single answer
    question: int | None = None  # the question it answers, when known

    @property
    def sentence(self) -> str:
        return self.message[:1].upper() + self.message[1:]


class InvalidAnswers(Exception):
    def __init__(self, problems: list[AnswerProblem]):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


@dataclass(frozen=True)
class GivenAnswer:
    """An answer as sent, typed: the choices picked (None when none were sent) or the number given."""

    question: int
    choices: tuple[int, ...] | None = None
    value: float | None = None
    time_ms: int | None = None


def listed(problem: AnswerProblem) -> str:
    """The problem as the submit API has always said it: which answer of the list, then what is wrong."""
    return f"answer {problem.index + 1} (question {problem.question}): {problem.message}"


# --- Parsing ----------------------------------------------------------------------------------------------


def given_answer(data: Mapping | GivenAnswer, *, question: int | None = None) -> GivenAnswer:
    """An answer in the API's JSON shape (`{"question", "choices" | "value", "time_ms"}`, types already checked
    by its serializer) as a GivenAnswer; `question` when the answer names none (a card's)."""
    if isinstance(data, GivenAnswer):
        return data
    choices = data.get("choices")
    value = data.get("value")
    return GivenAnswer(
        question=data["question"] if question is None else question,
        choices=None if choices is None else tuple(choices),
        value=None if value is None else float(value),
        time_ms=data.get("time_ms"),
    )


def _shown(raw: str) -> str:
    return raw if len(raw) <= 30 else f"{raw[:30]}…"


def _number_from_text(raw: str, *, where: dict) -> float:
    if len(raw) > _LONGEST_NUMBER or not _NUMBER.fullmatch(raw):
        raise InvalidAnswers([AnswerProblem("value", f"“{_shown(raw)}” is not a number.", **where)])
    value = float(raw.replace(",", "."))
    if not math.isfinite(value):  # 1e400 is a number to the pattern, and infinity to float()
        raise InvalidAnswers([AnswerProblem("value", f"“{_shown(raw)}” is too large a number.", **where)])
    return value


def whole_number_from_text(raw: str, *, largest: int) -> int | None:
    """A whole number written in ASCII digits, at most `largest`; None for anything else."""
    if not _WHOLE.fullmatch(raw) or int(raw) > largest:
        return None
    return int(raw)


def _form_answer(form, *, question: int, kind: str, index: int | None) -> GivenAnswer | None:
    """One question's answer from its form field `q<question id>`; None when left blank."""
    name, where = f"q{question}", {"index": index, "question": question}
    if kind == QuestionType.NUMERIC:
        raw = form.get(name, "").strip()
        return GivenAnswer(question=question, value=_number_from_text(raw, where=where)) if raw else None
    picked = form.getlist(name)
    if not picked:
        return None
    ids = [whole_number_from_text(value, largest=LARGEST_ID) for value in picked]
    if None in ids or len(ids) > MAX_CHOICES:
        raise InvalidAnswers([AnswerProblem("choices", "unknown choice.", **where)])
    return GivenAnswer(question=question, choices=tuple(ids))


def answers_from_form(form, *, asked: Sequence[tuple[int, str]]) -> list[GivenAnswer]:
    """A quiz form's answers to the questions asked, given as (question id, type) in served order; blank
    answers are left out. Raises InvalidAnswers listing every field that is not a number or a choice."""
    answers, problems = [], []
    for index, (question, kind) in enumerate(asked):
        try:
            answer = _form_answer(form, question=question, kind=kind, index=index)
        except InvalidAnswers as error:
            problems += error.problems
            continue
        if answer is not None:
            answers.append(answer)
    if problems:
        raise InvalidAnswers(problems)
    return answers


def card_answer_from_form(form, *, question: Question) -> GivenAnswer:
    """A review form's answer to a card's question, with the time taken (`time_ms`, set by the page's script).
    Nothing picked is an honest "I don't know", graded as a miss; a blank number is refused."""
    problems = []
    raw_time = form.get("time_ms", "")
    time_ms = whole_number_from_text(raw_time, largest=MAX_TIME_MS) if raw_time else None
    if raw_time and time_ms is None:
        problems.append(AnswerProblem("time_ms", f"{TIME_MS_RULE}, not “{_shown(raw_time)}”.", question=question.pk))
    answer = None
    try:
        answer = _form_answer(form, question=question.pk, kind=question.type, index=None)
    except InvalidAnswers as error:
        problems += error.problems
    if answer is None and not problems:
        if question.type == QuestionType.NUMERIC:
            problems.append(AnswerProblem("value", "give a number as your answer.", question=question.pk))
        else:
            answer = GivenAnswer(question=question.pk, choices=())
    if problems:
        raise InvalidAnswers(problems)
    return replace(answer, time_ms=time_ms)


# --- Validation ---------------------------------------------------------------------------------------------


def _problems_of(answer: GivenAnswer, question: Question, choices: set[int]) -> list[tuple[str, str]]:
    """(field, message) for each thing wrong with one answer to `question`."""
    if answer.time_ms is not None and not 0 <= answer.time_ms <= MAX_TIME_MS:
        return [("time_ms", f"{TIME_MS_RULE}.")]
    if question.type == QuestionType.NUMERIC:
        if answer.choices is not None:
            return [("choices", "a numeric question takes a value, not choices.")]
        if answer.value is None:
            return [("value", "a numeric question needs a number in value.")]
        if not math.isfinite(answer.value):
            return [("value", "a finite number is required.")]
        return []
    if answer.value is not None:
        return [("value", "a choice question takes choices, not a value.")]
    if answer.choices is None:
        return [("choices", "a choice question needs a list of choice ids in choices.")]
    picked = answer.choices
    problems = []
    if len(set(picked)) != len(picked):
        problems.append(("choices", "the same choice is picked twice."))
    foreign = sorted(set(picked) - choices)
    if foreign:
        problems.append(("choices", f"choice {', '.join(map(str, foreign))} is not one of this question's."))
    if question.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(picked) > 1:
        problems.append(("choices", f"this question takes one choice, not {len(picked)}."))
    return problems


def check_answers(
    answers: Sequence[GivenAnswer], *, questions: Mapping[int, Question], choices_of: Mapping[int, set[int]],
    listed_answers: bool = True,
) -> dict[int, GivenAnswer]:
    """Checks answers against the questions asked (by id) and their choices; returns them by question id, or
    raises InvalidAnswers with every problem. `listed_answers=False` for a card's one answer: no index."""
    problems: list[AnswerProblem] = []
    by_question: dict[int, GivenAnswer] = {}
    for index, answer in enumerate(answers):
        where = {"index": index if listed_answers else None, "question": answer.question}
        question = questions.get(answer.question)
        if question is None:
            problems.append(AnswerProblem("question", "that question is not part of this attempt.", **where))
            continue
        if answer.question in by_question:
            problems.append(AnswerProblem("question", "the question is answered twice.", **where))
            continue
        for field, message in _problems_of(answer, question, choices_of.get(answer.question, set())):
            problems.append(AnswerProblem(field, message, **where))
        by_question[answer.question] = answer
    if problems:
        raise InvalidAnswers(problems)
    return by_question


# --- Grading and normalisation ------------------------------------------------------------------------------


def grade_answer(question: Question, answer: GivenAnswer | None, *, correct_ids: set[int], all_ids: set[int]) -> Grade:
    """Grades one checked answer; a question left blank scores 0."""
    if question.type == QuestionType.NUMERIC:
        if answer is None or answer.value is None:
            return Grade(points=0.0, correct=False)
        return grade_number(
            answer=question.numeric_answer, tolerance=question.tolerance, tolerance_kind=question.tolerance_kind,
            value=answer.value,
        )
    picked = set(answer.choices or ()) if answer else set()
    return grade_choices(kind=question.type, correct_ids=correct_ids, all_ids=all_ids, picked=picked)


def normalised(kind: str, *, value: float | None = None, choices=()) -> dict:
    """What was answered, in a form that compares equal for the same answer (and is stored with a review)."""
    if kind == QuestionType.NUMERIC:
        return {"value": value}
    return {"choices": sorted(choices)}


def normalised_answer(kind: str, answer: GivenAnswer | None) -> dict:
    if answer is None:
        return normalised(kind)
    return normalised(kind, value=answer.value, choices=answer.choices or ())
