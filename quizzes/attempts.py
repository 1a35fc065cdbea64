"""Quiz attempts: start one, submit it exactly once, read its result and a learner's history.

Nothing that reveals a correct answer leaves this module before an attempt is submitted: served questions
carry prompts and choice texts only.
"""

import datetime
import json
import random
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from caching.learner_pages import StateChange
from roadmap.models import Topic

from . import single_statement
from .answers import GivenAnswer, check_answers, given_answer, grade_answer, normalised, normalised_answer
from .events import quiz_submitted, rows_to_write
from .models import CHOICE_TYPES, Answer, Attempt, Card, Choice, Question, ReviewLog, ServedQuestion
from .scheduling import MEDIAN_SAMPLE, CardRow, plan_quiz_reviews, schedule_quiz_answers

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
    """Starts an attempt as `start_attempt` does, and returns it with its questions as served. On PostgreSQL two
    statements: the topic's questions with their choices, then the attempt, its served questions and the
    learner's page version in one write (quizzes/single_statement.py). The topic's own row is read only when
    it has nothing to serve: to say 404, or its title."""
    rng = rng or random.SystemRandom()
    fast = single_statement.is_available()
    questions, choices = _questions_to_serve(topic_slug) if fast else _questions_to_serve_orm(topic_slug)
    if not questions:
        topic = get_object_or_404(Topic.objects.only("title"), slug=topic_slug)
        raise QuizError({"topic": [f"“{topic.title}” has no quiz questions yet."]})
    drawn = rng.sample(questions, min(QUESTIONS_PER_QUIZ, len(questions)))
    attempt = Attempt(learner=learner, topic_id=questions[0].topic_id, started_at=timezone.now(), max_score=len(drawn))
    served, items = [], []
    for position, question in enumerate(drawn):
        order = sorted(choices[question.pk])
        rng.shuffle(order)
        served.append((question.pk, position, order))
        items.append(ServedItem(
            id=question.pk, position=position, type=question.type, prompt=question.prompt,
            prompt_html=question.prompt_html,
            choices=[ServedChoice(id=pk, text=choices[question.pk][pk].text,
                                  text_html=choices[question.pk][pk].text_html) for pk in order],
        ))
    if fast:
        _write_start(attempt, served)
    else:
        with transaction.atomic():
            attempt.save()
            ServedQuestion.objects.bulk_create(
                ServedQuestion(attempt=attempt, question_id=question_id, position=position, choice_order=order)
                for question_id, position, order in served
            )
    return ServedQuiz(attempt=attempt, items=items)


def _questions_to_serve_orm(topic_slug: str) -> tuple[list[Question], dict[int, dict[int, Choice]]]:
    questions = list(
        Question.objects.filter(topic__slug=topic_slug, active=True).only("topic_id", "type", "prompt", "prompt_html")
    )
    choices = defaultdict(dict)
    for choice in Choice.objects.filter(question__in=questions).only("question_id", "text", "text_html"):
        choices[choice.question_id][choice.pk] = choice
    return questions, choices


_QUESTION, _CHOICE, _TOPIC = (single_statement.table(m) for m in (Question, Choice, Topic))
_QUESTIONS_TO_SERVE = f"""
SELECT q.id, q.topic_id, q.type, q.prompt, q.prompt_html,
       (SELECT json_agg(json_build_array(ch.id, ch.text, ch.text_html)) FROM {_CHOICE} ch WHERE ch.question_id = q.id)
FROM {_QUESTION} q JOIN {_TOPIC} t ON t.id = q.topic_id
WHERE t.slug = %s AND q.active ORDER BY q.topic_id, q."order", q.id"""


@dataclass(slots=True)
class _QuestionToServe:
    """What serving reads of a question: a topic's dozen Question instances and their Choices cost more to build
    than the rest of a start."""

    pk: int
    topic_id: int
    type: str
    prompt: str
    prompt_html: str


def _questions_to_serve(topic_slug: str) -> tuple[list[_QuestionToServe], dict[int, dict[int, ServedChoice]]]:
    """The topic's active questions (in the model's order, which the draw starts from) and their choices."""
    with connection.cursor() as cursor:
        cursor.execute(_QUESTIONS_TO_SERVE, [topic_slug])
        rows = cursor.fetchall()
    questions, choices = [], defaultdict(dict)
    for pk, topic_id, kind, prompt, prompt_html, choice_rows in rows:
        questions.append(_QuestionToServe(pk, topic_id, kind, prompt, prompt_html))
        for choice_id, text, text_html in choice_rows or ():
            choices[pk][choice_id] = ServedChoice(choice_id, text, text_html)
    return questions, choices


_SERVED = single_statement.table(ServedQuestion)


def _write_start(attempt: Attempt, served: list[tuple[int, int, list[int]]]) -> None:
    """The attempt, its served questions and the learner's page version: one statement."""
    inserts, params = single_statement.insert_after([attempt], guard=None, prefix="attempt")
    stale = StateChange(learner_id=attempt.learner_id)
    sql = (
        "WITH " + inserts[0]
        + f", served AS (INSERT INTO {_SERVED} (attempt_id, question_id, position, choice_order)"
        " SELECT attempt_0.id, (e->>0)::bigint, (e->>1)::smallint, e->2"
        " FROM attempt_0, jsonb_array_elements(CAST(%s AS jsonb)) e)"
        f", stale AS ({stale.sql}) SELECT id FROM attempt_0"
    )
    rows = json.dumps(served)  # (question id, position, choice order) each
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, rows, *stale.params])
        attempt.pk = cursor.fetchone()[0]
    stale.written()


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

    A fixed number of statements whatever the number of questions. On PostgreSQL, two: one reads the attempt,
    its served questions, their choices, the learner's cards on them (with their versions) and its median
    answer time; one writes the grade, the answers, the picks, the listeners' rows, the cards, their logs and
    the page version, if the attempt is still unsubmitted and the cards as read (quizzes/single_statement.py).
    A third reads the learner's due counts per day when an interval leaves a choice of days."""
    now = now or timezone.now()
    if single_statement.is_available():
        for _ in range(single_statement.TRIES):
            try:
                return _submit_in_one_statement(learner=learner, attempt_id=attempt_id, answers=answers, now=now)
            except single_statement.ChangedMeanwhile:
                continue  # submitted, or a card reviewed, meanwhile: decide again on what that left
    return _submit_locked(learner=learner, attempt_id=attempt_id, answers=answers, now=now)


@dataclass
class _Graded:
    """A submit decided in memory: the attempt's new fields set, its answers and picks, the listeners' rows."""

    rows: list  # Answer instances, or _AnswerRows on the one-statement path
    picked_rows: list[tuple[int, ...]]
    listeners: list

    @property
    def answered(self) -> list[Answer]:
        """What was answered comes back for review: a card per question, scheduled by FSRS."""
        return [row for row, picked in zip(self.rows, self.picked_rows, strict=True) if picked or row.value is not None]


def _checked_answers(answers, served: list[ServedQuestion], choices: dict[int, Choice]):
    choices_of: dict[int, set[int]] = defaultdict(set)
    correct_of: dict[int, set[int]] = defaultdict(set)
    for choice in choices.values():
        choices_of[choice.question_id].add(choice.pk)
        if choice.is_correct:
            correct_of[choice.question_id].add(choice.pk)
    given = check_answers([given_answer(a) for a in answers], questions={s.question_id: s.question for s in served},
                          choices_of=choices_of)
    return given, choices_of, correct_of


def _refused_or_repeat(attempt: Attempt, given, served, choices, now) -> Submission:
    """A submitted attempt answered again: its stored result if the answers are the same; else QuizError, as
    for an expired attempt. Returns None for an attempt open to grading."""
    if attempt.submitted_at is not None:
        stored, picked = _answers_of(attempt)
        if _normalised(given, served) == _stored(served, stored, picked):
            return Submission(attempt=attempt, graded_now=False, results=_result_items(served, stored, picked, choices))
        raise QuizError({"attempt": ["This attempt was already submitted with other answers; its result stands."]})
    if is_expired(attempt, now):
        raise QuizError({"attempt": ["This attempt expired: quizzes must be submitted within 24 hours. "
                                     "Start a new one."]})
    return None


@dataclass(slots=True)
class _AnswerRow:
    """An Answer's fields, for the one-statement write, which sends them as JSON: no model instance needed."""

    served_id: int
    attempt_id: int
    question_id: int
    value: float | None
    correct: bool
    points: float
    time_ms: int


def _grade(*, learner, attempt: Attempt, served, given, choices_of, correct_of, now, row_of=Answer) -> _Graded:
    elapsed_ms = max(0, int((now - attempt.started_at).total_seconds() * 1000))
    rows, picked_rows, total = [], [], 0.0
    for s in served:
        answer = given.get(s.question_id)
        grade = grade_answer(s.question, answer, correct_ids=correct_of[s.question_id],
                             all_ids=choices_of[s.question_id])
        total += grade.points
        time_ms = (answer and answer.time_ms) or (elapsed_ms // max(len(served), 1))
        rows.append(row_of(
            served_id=s.pk, attempt_id=attempt.pk, question_id=s.question_id, value=answer.value if answer else None,
            correct=grade.correct, points=grade.points, time_ms=min(time_ms, 2**31 - 1),
        ))
        picked_rows.append((answer and answer.choices) or ())
    attempt.score = round(total, 6)
    attempt.submitted_at = now
    attempt.is_first = not attempt.submitted_before
    listeners = rows_to_write(quiz_submitted.send(
        sender=Attempt, learner=learner, topic_id=attempt.topic_id,
        detail=f"{attempt.percent}% ({attempt.score:g} of {attempt.max_score})", at=now,
    ))
    return _Graded(rows=rows, picked_rows=picked_rows, listeners=listeners)


def _graded_now(attempt, served, graded: _Graded, choices) -> Submission:
    results = _result_items(
        served, {row.question_id: row for row in graded.rows},
        {row.question_id: set(picked) for row, picked in zip(graded.rows, graded.picked_rows, strict=True)}, choices,
    )
    return Submission(attempt=attempt, graded_now=True, results=results)


def _submit_locked(*, learner, attempt_id: int, answers, now) -> Submission:
    """The ORM path (SQLite): the attempt's row locked for the transaction, the writes one table at a time."""
    with transaction.atomic():
        attempt = _locked_attempt(learner, attempt_id)
        served = list(attempt.served.select_related("question"))
        choices = {c.pk: c for c in Choice.objects.filter(question_id__in=[s.question_id for s in served])}
        given, choices_of, correct_of = _checked_answers(answers, served, choices)
        if (earlier := _refused_or_repeat(attempt, given, served, choices, now)) is not None:
            return earlier
        graded = _grade(learner=learner, attempt=attempt, served=served, given=given, choices_of=choices_of,
                        correct_of=correct_of, now=now)
        Answer.objects.bulk_create(graded.rows)
        through = Answer.chosen.through
        through.objects.bulk_create(
            through(answer_id=row.pk, choice_id=choice_id)
            for row, picked in zip(graded.rows, graded.picked_rows, strict=True) for choice_id in picked
        )
        attempt.save(update_fields=["score", "submitted_at", "is_first"])
        single_statement.save_rows(graded.listeners)
        schedule_quiz_answers(learner=learner, answers=graded.answered, at=now)
    return _graded_now(attempt, served, graded, choices)


_ATTEMPT, _CARD, _ANSWER = (single_statement.table(m) for m in (Attempt, Card, Answer))
_CHOSEN, _LOG = single_statement.table(Answer.chosen.through), single_statement.table(ReviewLog)
# The attempt with its topic's slug, whether the learner submitted another attempt on the topic before, its
# served questions with their questions, their choices, the learner's cards on them with their versions
# (`xmin`), and the learner's latest answer times (the median's sample): all that grading and scheduling read,
# in one statement.
_READ_FOR_SUBMIT = f"""
SELECT a.topic_id, t.slug, a.started_at, a.submitted_at, a.score, a.max_score, a.is_first,
       EXISTS (SELECT 1 FROM {_ATTEMPT} e WHERE e.learner_id = a.learner_id AND e.topic_id = a.topic_id
               AND e.submitted_at IS NOT NULL),
       (SELECT json_agg(json_build_array(s.id, s.question_id, s.position, s.choice_order, q.type, q.prompt,
                                         q.prompt_html, q.explanation, q.explanation_html, q.numeric_answer,
                                         q.tolerance, q.tolerance_kind) ORDER BY s.position)
        FROM {_SERVED} s JOIN {_QUESTION} q ON q.id = s.question_id WHERE s.attempt_id = a.id),
       (SELECT json_agg(json_build_array(ch.id, ch.question_id, ch.text, ch.text_html, ch.is_correct, ch.feedback))
        FROM {_CHOICE} ch WHERE ch.question_id IN (SELECT question_id FROM {_SERVED} WHERE attempt_id = a.id)),
       (SELECT json_agg(json_build_array(c.id, c.xmin::text, c.question_id, c.state, c.step, c.stability,
                                         c.difficulty, c.due, c.last_review))
        FROM {_CARD} c WHERE c.learner_id = a.learner_id
        AND c.question_id IN (SELECT question_id FROM {_SERVED} WHERE attempt_id = a.id)),
       ARRAY(SELECT n.time_ms FROM {_ANSWER} n JOIN {_ATTEMPT} o ON o.id = n.attempt_id
             WHERE o.learner_id = a.learner_id AND n.time_ms IS NOT NULL ORDER BY n.id DESC LIMIT {MEDIAN_SAMPLE})
FROM {_ATTEMPT} a JOIN {_TOPIC} t ON t.id = a.topic_id
WHERE a.id = %s AND a.learner_id = %s"""


_ATTEMPT_FIELDS = [f.attname for f in Attempt._meta.concrete_fields]
_ATTEMPT_LEARNER, _ATTEMPT_TOPIC = Attempt._meta.get_field("learner"), Attempt._meta.get_field("topic")


@dataclass(slots=True)
class _QuestionRow:
    """What grading and results read of a question: `_read_for_submit` builds ten of these per submit, where
    Question instances (sixteen fields each, with their descriptors) cost more than the rest of the read."""

    pk: int
    type: str
    prompt: str
    prompt_html: str
    explanation: str
    explanation_html: str
    numeric_answer: float | None
    tolerance: float | None
    tolerance_kind: str


@dataclass(slots=True)
class _ServedRow:
    pk: int
    question_id: int
    position: int
    choice_order: list[int]
    question: _QuestionRow


@dataclass(slots=True)
class _ChoiceRow:
    pk: int
    question_id: int
    text: str
    text_html: str
    is_correct: bool
    feedback: str


def _moment(text: str | None) -> datetime.datetime | None:
    return None if text is None else datetime.datetime.fromisoformat(text)


def _read_for_submit(*, learner, attempt_id: int):
    with connection.cursor() as cursor:
        cursor.execute(_READ_FOR_SUBMIT, [attempt_id, learner.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No Attempt matches the given query.")
    (topic_id, slug, started_at, submitted_at, score, max_score, is_first, submitted_before, served_rows,
     choice_rows, card_rows, latest_times) = row
    # As the ORM builds a row it read (every field, in the model's order): cheaper than keyword arguments.
    values = {"id": attempt_id, "learner_id": learner.pk, "topic_id": topic_id, "started_at": started_at,
              "submitted_at": submitted_at, "score": score, "max_score": max_score, "is_first": is_first}
    attempt = Attempt.from_db(connection.alias, _ATTEMPT_FIELDS, [values[name] for name in _ATTEMPT_FIELDS])
    _ATTEMPT_LEARNER.set_cached_value(attempt, learner)
    _ATTEMPT_TOPIC.set_cached_value(attempt, Topic(pk=topic_id, slug=slug))
    attempt.submitted_before = submitted_before
    served = [
        _ServedRow(pk, question_id, position, order, _QuestionRow(question_id, *question))
        for pk, question_id, position, order, *question in served_rows or ()
    ]
    choices = {row[0]: _ChoiceRow(*row) for row in choice_rows or ()}
    cards, versions = {}, {}
    for pk, version, question_id, state, step, stability, difficulty, due, last_review in card_rows or ():
        cards[question_id] = CardRow(pk=pk, question_id=question_id, state=state, step=step, stability=stability,
                                     difficulty=difficulty, due=_moment(due), last_review=_moment(last_review))
        versions[pk] = version
    return attempt, served, choices, cards, versions, latest_times


def _median_with(rows: list, earlier_times: list[int]) -> float | None:
    """`median_answer_ms` as the ORM path reads it, after this submit's answers were inserted: they are the
    newest of the sample."""
    times = [row.time_ms for row in reversed(rows) if row.time_ms is not None] + list(earlier_times)
    return statistics.median(times[:MEDIAN_SAMPLE]) if times else None


def _submit_in_one_statement(*, learner, attempt_id: int, answers, now) -> Submission:
    attempt, served, choices, cards, versions, latest_times = _read_for_submit(learner=learner, attempt_id=attempt_id)
    given, choices_of, correct_of = _checked_answers(answers, served, choices)
    if (earlier := _refused_or_repeat(attempt, given, served, choices, now)) is not None:
        return earlier
    graded = _grade(learner=learner, attempt=attempt, served=served, given=given, choices_of=choices_of,
                    correct_of=correct_of, now=now, row_of=_AnswerRow)
    answered = graded.answered
    plan = plan_quiz_reviews(learner=learner, answers=answered, cards=cards,
                             median_ms=lambda: _median_with(graded.rows, latest_times), at=now, rows=True)
    _write_submit(attempt=attempt, graded=graded, plan=plan, versions=versions, now=now)
    return _graded_now(attempt, served, graded, choices)


def _schedule_of(card: CardRow) -> dict:
    return {"state": card.state, "step": card.step, "stability": card.stability, "difficulty": card.difficulty,
            "due": card.due.isoformat(), "last_review": card.last_review.isoformat() if card.last_review else None}


_SCHEDULE_COLUMNS = "state smallint, step smallint, stability float8, difficulty float8, due timestamptz, " \
    "last_review timestamptz"


def _write_submit(*, attempt: Attempt, graded: _Graded, plan, versions: dict[int, str], now) -> None:
    """One statement that writes nothing unless the attempt is still unsubmitted and every card whose schedule
    moved is still as read (locked, so that a review racing this submit waits for it and then reads again)."""
    changed = plan.changed_cards
    stale = StateChange(learner_id=attempt.learner_id)
    listeners, listener_params = single_statement.insert_after(graded.listeners, guard="guard")
    answers = [{"served_id": row.served_id, "question_id": row.question_id, "value": row.value,
                "correct": row.correct, "points": row.points, "time_ms": row.time_ms} for row in graded.rows]
    picks = [{"question_id": row.question_id, "choice_id": choice_id}
             for row, picked in zip(graded.rows, graded.picked_rows, strict=True) for choice_id in picked]
    new_cards = [{"question_id": card.question_id, **_schedule_of(card)} for card in plan.new_cards]
    changed_cards = [{"id": card.pk, **_schedule_of(card)} for card in changed]
    logs = [{"card_id": log.card.pk, "question_id": log.card.question_id, "rating": int(log.rating),
             "reviewed_at": log.reviewed_at.isoformat(), "duration_ms": log.duration_ms, "correct": log.correct,
             "source": log.source, "scheduled": log.scheduled, "card_before": log.card_before} for log in plan.logs]
    sql = f"""WITH
    cards_as_read AS (
        SELECT count(*) = %s AS ok FROM (
            SELECT c.id FROM {_CARD} c WHERE c.id = ANY(CAST(%s AS bigint[]))
            AND c.xmin::text = (CAST(%s AS text[]))[array_position(CAST(%s AS bigint[]), c.id)]
            FOR UPDATE OF c) locked),
    guard AS (
        UPDATE {_ATTEMPT} SET score = %s, submitted_at = %s, is_first = %s
        WHERE id = %s AND submitted_at IS NULL AND (SELECT ok FROM cards_as_read) RETURNING id),
    answers AS (
        INSERT INTO {_ANSWER} (served_id, attempt_id, question_id, value, correct, points, time_ms)
        SELECT r.served_id, guard.id, r.question_id, r.value, r.correct, r.points, r.time_ms
        FROM guard, jsonb_to_recordset(CAST(%s AS jsonb)) AS r(served_id bigint, question_id bigint, value float8,
                                                              correct boolean, points float8, time_ms integer)
        RETURNING id, question_id),
    picks AS (
        INSERT INTO {_CHOSEN} (answer_id, choice_id)
        SELECT answers.id, p.choice_id FROM answers
        JOIN jsonb_to_recordset(CAST(%s AS jsonb)) AS p(question_id bigint, choice_id bigint) USING (question_id)),
    new_cards AS (
        INSERT INTO {_CARD} (learner_id, question_id, state, step, stability, difficulty, due, last_review,
                             created_at)
        SELECT %s, r.question_id, r.state, r.step, r.stability, r.difficulty, r.due, r.last_review, %s
        FROM guard, jsonb_to_recordset(CAST(%s AS jsonb)) AS r(question_id bigint, {_SCHEDULE_COLUMNS})
        RETURNING id, question_id),
    changed_cards AS (
        UPDATE {_CARD} c SET state = r.state, step = r.step, stability = r.stability, difficulty = r.difficulty,
                            due = r.due, last_review = r.last_review
        FROM guard, jsonb_to_recordset(CAST(%s AS jsonb)) AS r(id bigint, {_SCHEDULE_COLUMNS})
        WHERE c.id = r.id AND c.id = ANY(CAST(%s AS bigint[]))),
    logs AS (
        INSERT INTO {_LOG} (card_id, rating, reviewed_at, duration_ms, correct, source, scheduled, card_before,
                            answer)
        SELECT coalesce(r.card_id, new_cards.id), r.rating, r.reviewed_at, r.duration_ms, r.correct, r.source,
               r.scheduled, r.card_before, '{{}}'::jsonb
        FROM guard, jsonb_to_recordset(CAST(%s AS jsonb)) AS r(card_id bigint, question_id bigint, rating smallint,
             reviewed_at timestamptz, duration_ms integer, correct boolean, source varchar, scheduled boolean,
             card_before jsonb)
        LEFT JOIN new_cards ON r.card_id IS NULL AND new_cards.question_id = r.question_id)
    {"".join(", " + fragment for fragment in listeners)},
    stale AS ({stale.sql} AND EXISTS (SELECT 1 FROM guard))
    SELECT count(*) FROM guard"""
    ids = [card.pk for card in changed]  # `= ANY(ids)`: the primary key's index, whatever the row estimates
    # The arrays as PostgreSQL's own text for them (ids and xmin versions are digits): psycopg binds a string in C,
    # where a list takes it a Python dumper per element.
    id_array = "{" + ",".join(map(str, ids)) + "}"
    version_array = "{" + ",".join(versions[pk] for pk in ids) + "}"
    params = [
        len(ids), id_array, version_array, id_array,
        attempt.score, attempt.submitted_at, attempt.is_first, attempt.pk,
        json.dumps(answers), json.dumps(picks), attempt.learner_id, now, json.dumps(new_cards),
        json.dumps(changed_cards), id_array, json.dumps(logs), *listener_params, *stale.params,
    ]
    try:
        with single_statement.undone_on_error(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            written = cursor.fetchone()[0]
    except IntegrityError:  # a card on one of these questions created meanwhile (another attempt's submit)
        raise single_statement.ChangedMeanwhile from None
    if not written:
        raise single_statement.ChangedMeanwhile
    stale.written()


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
