"""Quiz attempts: start one, submit it exactly once, read its result and a learner's history.

Nothing that reveals a correct answer leaves this module before an attempt is submitted: served questions
carry prompts and choice texts only.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone

from roadmap.models import Topic

from .answers import GivenAnswer, check_answers, given_answer, grade_answer, normalised, normalised_answer
from .events import quiz_submitted
from .models import CHOICE_TYPES, Answer, Attempt, Choice, Question, ServedQuestion
from .scheduling import schedule_quiz_answers

QUESTIONS_PER_QUIZ = 10
EXPIRES_AFTER = datetime.timedelta(hours=24)
PASS_PERCENT = 80  # a score this high offers to mark the topic done
# A topic's text, 16 kB a row with its search vector: not needed to start, grade or show a quiz.
TOPIC_TEXT = ("topic__summary", "topic__body", "topic__body_html", "topic__search_vector")


class QuizError(Exception):
    """A request the quiz cannot honour; `errors` maps a field to what is wrong with it."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


def attempt_of(learner, attempt_id: int) -> Attempt:
    """The learner's own attempt, or 404: another learner's attempt does not exist for it."""
    return get_object_or_404(Attempt.objects.select_related("topic"), learner=learner, pk=attempt_id)


def is_expired(attempt: Attempt, now: datetime.datetime | None = None) -> bool:
    return attempt.submitted_at is None and (now or timezone.now()) - attempt.started_at > EXPIRES_AFTER


# --- Starting ----------------------------------------------------------------------------------------------


@dataclass
class ServedChoice:
    id: int
    text: str
    text_html: str


@dataclass
class ServedItem:
    """A question as the learner sees it before submitting: no correctness, no explanation, no answer."""

    id: int
    position: int
    type: str
    prompt: str
    prompt_html: str
    choices: list[ServedChoice] = field(default_factory=list)


@dataclass
class ServedQuiz:
    attempt: Attempt
    items: list[ServedItem]  # the questions as served, from what serving read


def start_attempt(*, learner, topic: Topic, rng: random.Random | None = None) -> Attempt:
    """Serves up to ten of the topic's active questions, drawn at random, each with its choices shuffled."""
    return serve_quiz(learner=learner, topic_slug=topic.slug, rng=rng).attempt


def serve_quiz(*, learner, topic_slug: str, rng: random.Random | None = None) -> ServedQuiz:
    """Starts an attempt as `start_attempt` does, and returns it with its questions as served (six queries:
    the topic's questions, the drawn ones' choices, the writes in a transaction). The topic's own row is
    read only when it has nothing to serve: to say 404, or its title."""
    rng = rng or random.SystemRandom()
    questions = list(
        Question.objects.filter(topic__slug=topic_slug, active=True).only("topic_id", "type", "prompt", "prompt_html")
    )
    if not questions:
        topic = get_object_or_404(Topic.objects.only("title"), slug=topic_slug)
        raise QuizError({"topic": [f"“{topic.title}” has no quiz questions yet."]})
    drawn = rng.sample(questions, min(QUESTIONS_PER_QUIZ, len(questions)))
    choices = defaultdict(dict)
    for choice in Choice.objects.filter(question_id__in=[q.pk for q in drawn]).only("question_id", "text", "text_html"):
        choices[choice.question_id][choice.pk] = choice
    with transaction.atomic():
        attempt = Attempt.objects.create(
            learner=learner, topic_id=questions[0].topic_id, started_at=timezone.now(), max_score=len(drawn)
        )
        served, items = [], []
        for position, question in enumerate(drawn):
            order = sorted(choices[question.pk])
            rng.shuffle(order)
            served.append(
                ServedQuestion(attempt=attempt, question_id=question.pk, position=position, choice_order=order)
            )
            items.append(ServedItem(
                id=question.pk, position=position, type=question.type, prompt=question.prompt,
                prompt_html=question.prompt_html,
                choices=[ServedChoice(id=pk, text=choices[question.pk][pk].text,
                                      text_html=choices[question.pk][pk].text_html) for pk in order],
            ))
        ServedQuestion.objects.bulk_create(served)
    return ServedQuiz(attempt=attempt, items=items)


def served_items(attempt: Attempt) -> list[ServedItem]:
    """The attempt's questions in served order, with choices in served order (three queries)."""
    served = list(attempt.served.select_related("question"))
    choices = Choice.objects.filter(question_id__in=[s.question_id for s in served]).only("text", "text_html")
    by_id = {choice.pk: choice for choice in choices}
    return [
        ServedItem(
            id=s.question_id, position=s.position, type=s.question.type, prompt=s.question.prompt,
            prompt_html=s.question.prompt_html,
            choices=[ServedChoice(id=pk, text=by_id[pk].text, text_html=by_id[pk].text_html)
                     for pk in s.choice_order if pk in by_id],
        )
        for s in served
    ]


# --- Submitting ----------------------------------------------------------------------------------------------


def _normalised(answers: dict[int, GivenAnswer], served: list[ServedQuestion]) -> dict[int, dict]:
    """What was answered, per served question, in a form that compares equal for the same answers."""
    return {s.question_id: normalised_answer(s.question.type, answers.get(s.question_id)) for s in served}


def _stored(served: list[ServedQuestion], answers: dict[int, Answer], picked: dict[int, set[int]]) -> dict[int, dict]:
    values = {question_id: answer.value for question_id, answer in answers.items()}
    return {
        s.question_id: normalised(s.question.type, value=values.get(s.question_id),
                                  choices=picked.get(s.question_id, ()))
        for s in served
    }


def _answers_of(attempt: Attempt) -> tuple[dict[int, Answer], dict[int, set[int]]]:
    """The attempt's stored answers and the choices picked in each, by question id (two queries)."""
    answers = {
        a.question_id: a
        for a in attempt.answers.prefetch_related(Prefetch("chosen", queryset=Choice.objects.only("pk")))
    }
    return answers, {question_id: {c.pk for c in a.chosen.all()} for question_id, a in answers.items()}


@dataclass
class Submission:
    attempt: Attempt
    graded_now: bool  # False when an identical earlier submission's result is returned
    results: list["ResultItem"]  # built from what grading read: showing them reads nothing again


def _locked_attempt(learner, attempt_id: int) -> Attempt:
    """The learner's attempt (or 404), row-locked against a second submit, with `submitted_before`: whether
    the learner had submitted another attempt on its topic. Only the attempt's row is locked, not its topic's,
    which every learner's submits share; and the topic's text (16 kB a row with its search vector) is left."""
    earlier = Attempt.objects.filter(learner=OuterRef("learner"), topic=OuterRef("topic"), submitted_at__isnull=False)
    attempts = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("topic")
        .defer(*TOPIC_TEXT)
        .annotate(submitted_before=Exists(earlier))
    )
    return get_object_or_404(attempts, learner=learner, pk=attempt_id)


def submit_attempt(*, learner, attempt_id: int, answers: Sequence[Mapping | GivenAnswer], now=None) -> Submission:
    """Grades an attempt once. The same answers sent again (double click, retry, a second tab) get the
    stored result back; different answers to a submitted attempt, or any to an expired one, are refused
    (QuizError); answers that do not fit the questions raise InvalidAnswers. `answers` are GivenAnswers, or
    dicts in the API's JSON shape.

    A fixed number of queries whatever the number of questions: the attempt (locked), its served questions,
    their choices, then bulk writes and the cards' scheduling."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked_attempt(learner, attempt_id)
        served = list(attempt.served.select_related("question"))
        choices = {c.pk: c for c in Choice.objects.filter(question_id__in=[s.question_id for s in served])}
        choices_of: dict[int, set[int]] = defaultdict(set)
        correct_of: dict[int, set[int]] = defaultdict(set)
        for choice in choices.values():
            choices_of[choice.question_id].add(choice.pk)
            if choice.is_correct:
                correct_of[choice.question_id].add(choice.pk)
        given = check_answers([given_answer(a) for a in answers], questions={s.question_id: s.question for s in served},
                              choices_of=choices_of)
        if attempt.submitted_at is not None:
            stored, picked = _answers_of(attempt)
            if _normalised(given, served) == _stored(served, stored, picked):
                return Submission(attempt=attempt, graded_now=False,
                                  results=_result_items(served, stored, picked, choices))
            raise QuizError({"attempt": ["This attempt was already submitted with other answers; its result stands."]})
        if is_expired(attempt, now):
            raise QuizError({"attempt": ["This attempt expired: quizzes must be submitted within 24 hours. "
                                         "Start a new one."]})
        elapsed_ms = max(0, int((now - attempt.started_at).total_seconds() * 1000))
        rows, picked_rows, total = [], [], 0.0
        for s in served:
            answer = given.get(s.question_id)
            grade = grade_answer(s.question, answer, correct_ids=correct_of[s.question_id],
                                 all_ids=choices_of[s.question_id])
            total += grade.points
            time_ms = (answer and answer.time_ms) or (elapsed_ms // max(len(served), 1))
            rows.append(Answer(
                served=s, attempt=attempt, question=s.question, value=answer.value if answer else None,
                correct=grade.correct, points=grade.points, time_ms=min(time_ms, 2**31 - 1),
            ))
            picked_rows.append((answer and answer.choices) or ())
        Answer.objects.bulk_create(rows)
        through = Answer.chosen.through
        through.objects.bulk_create(
            through(answer_id=row.pk, choice_id=choice_id) for row, picked in zip(rows, picked_rows, strict=True)
            for choice_id in picked
        )
        attempt.score = round(total, 6)
        attempt.submitted_at = now
        attempt.is_first = not attempt.submitted_before
        attempt.save(update_fields=["score", "submitted_at", "is_first"])
        quiz_submitted.send(
            sender=Attempt, learner=learner, topic_id=attempt.topic_id,
            detail=f"{attempt.percent}% ({attempt.score:g} of {attempt.max_score})", at=now,
        )
        # What was answered comes back for review: a card per question, scheduled by FSRS.
        answered = [row for row, picked in zip(rows, picked_rows, strict=True) if picked or row.value is not None]
        schedule_quiz_answers(learner=learner, answers=answered, at=now)
    results = _result_items(
        served, {row.question_id: row for row in rows},
        {row.question_id: set(picked) for row, picked in zip(rows, picked_rows, strict=True)}, choices,
    )
    return Submission(attempt=attempt, graded_now=True, results=results)


# --- Results and history -------------------------------------------------------------------------------


@dataclass
class ResultChoice:
    id: int
    text: str
    text_html: str
    correct: bool
    picked: bool
    feedback: str


@dataclass
class ResultItem:
    id: int
    position: int
    type: str
    prompt: str
    prompt_html: str
    explanation: str
    explanation_html: str
    points: float
    correct: bool
    choices: list[ResultChoice]
    value: float | None
    correct_value: float | None
    tolerance: float | None
    tolerance_kind: str
    time_ms: int | None


def attempt_results(attempt: Attempt) -> list[ResultItem]:
    """Each served question with the learner's answer, the correct one and the explanation (four queries)."""
    served = list(attempt.served.select_related("question"))
    answers, picked = _answers_of(attempt)
    choices = {c.pk: c for c in Choice.objects.filter(question_id__in=[s.question_id for s in served])}
    return _result_items(served, answers, picked, choices)


def _result_items(
    served: list[ServedQuestion], answers: dict[int, Answer], picked: dict[int, set[int]], choices: dict[int, Choice]
) -> list[ResultItem]:
    items = []
    for s in served:
        question, answer, chosen = s.question, answers.get(s.question_id), picked.get(s.question_id, set())
        items.append(ResultItem(
            id=question.pk, position=s.position, type=question.type, prompt=question.prompt,
            prompt_html=question.prompt_html, explanation=question.explanation,
            explanation_html=question.explanation_html, points=answer.points if answer else 0.0,
            correct=answer.correct if answer else False,
            choices=[
                ResultChoice(id=pk, text=choices[pk].text, text_html=choices[pk].text_html,
                             correct=choices[pk].is_correct, picked=pk in chosen, feedback=choices[pk].feedback)
                for pk in s.choice_order if pk in choices
            ] if question.type in CHOICE_TYPES else [],
            value=answer.value if answer else None, correct_value=question.numeric_answer,
            tolerance=question.tolerance, tolerance_kind=question.tolerance_kind,
            time_ms=answer.time_ms if answer else None,
        ))
    return items


@dataclass
class QuizHistory:
    attempts: list[Attempt]
    best: Attempt | None
    latest: Attempt | None


def quiz_history(learner, topic: Topic, *, limit: int = 10) -> QuizHistory:
    """The learner's submitted attempts on a topic, newest first, with the best (by percentage) and the latest."""
    submitted = Attempt.objects.filter(learner=learner, topic=topic, submitted_at__isnull=False)
    attempts = list(submitted.order_by("-submitted_at")[:limit])
    ratio = F("score") / Cast("max_score", FloatField())
    best = submitted.annotate(ratio=ratio).order_by("-ratio", "-submitted_at").first() if attempts else None
    return QuizHistory(attempts=attempts, best=best, latest=attempts[0] if attempts else None)
