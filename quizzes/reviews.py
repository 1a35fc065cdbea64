"""Reviewing due cards: what is due, answering one (graded on the server like a quiz), the forecast."""

import datetime
import json
import random
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from caching.learner_pages import StateChange

from . import single_statement
from .answers import GivenAnswer, check_answers, given_answer, grade_answer, normalised_answer
from .attempts import ServedChoice, ServedItem
from .balancing import light_weekdays, pause_ends_at, paused_on, reviews_paused
from .events import card_reviewed, rows_to_write
from .grading import Grade
from .models import CHOICE_TYPES, Answer, Attempt, Card, Choice, Question, ReviewLog, ReviewSource
from .scheduling import (
    MEDIAN_SAMPLE,
    SCHEDULE_FIELDS,
    apply_review,
    latest_answer_correct,
    median_answer_ms,
    rating_for,
    start_of_local_day,
)

DUE_PAGE = 50
FORECAST_DAYS = 7
REPEAT_WINDOW = datetime.timedelta(minutes=10)  # the same answer again this soon is a double submit


def card_of(learner, card_id: int) -> Card:
    """The learner's own card, or 404."""
    return get_object_or_404(Card.objects.select_related("question", "question__topic"), learner=learner, pk=card_id)


def is_due_now(learner, now) -> Q:
    """A card due now, except one already reviewed today: its schedule moves only once a day. None while the
    learner's reviews are paused."""
    if reviews_paused(learner, now):
        return Q(pk__isnull=True)  # matches no card
    today = start_of_local_day(learner, now)
    return Q(due__lte=now) & (Q(last_review__isnull=True) | Q(last_review__lt=today))


def _due(learner, *, topic_slug: str | None, now):
    now = now or timezone.now()
    cards = Card.objects.filter(is_due_now(learner, now), learner=learner, question__active=True)
    if topic_slug:
        cards = cards.filter(question__topic__slug=topic_slug)
    return cards


def _relearn(learner, *, topic_slug: str | None, now):
    """Cards missed today: reviewed today (so their schedule has moved for the day) and answered wrong last.
    Answering one again is logged and lowers or restores its memory, but never moves its schedule."""
    now = now or timezone.now()
    cards = Card.objects.filter(
        learner=learner, question__active=True, last_review__gte=start_of_local_day(learner, now)
    ).alias(latest_correct=latest_answer_correct()).filter(latest_correct=False)
    if topic_slug:
        cards = cards.filter(question__topic__slug=topic_slug)
    return cards


def _ahead(learner, *, topic_slug: str | None, now):
    """Cards not due yet and not reviewed today, for practising ahead when nothing is due. An answer is then
    the card's first review of the day, so it moves the schedule once, as any review does: FSRS weighs an
    early review by the recall it predicted (a right answer long before the due date grows stability
    little), and a miss is a lapse like any other, which the relearning queue then offers the same day."""
    now = now or timezone.now()
    cards = Card.objects.filter(learner=learner, due__gt=now, question__active=True).exclude(
        last_review__gte=start_of_local_day(learner, now)
    )
    if topic_slug:
        cards = cards.filter(question__topic__slug=topic_slug)
    return cards


class Queue(StrEnum):
    DUE = "due"  # due now: the day's reviews
    RELEARN = "relearn"  # missed today, again until right
    AHEAD = "ahead"  # not due yet, the soonest first


_QUEUES = {Queue.DUE: (_due, "due"), Queue.RELEARN: (_relearn, "last_review"), Queue.AHEAD: (_ahead, "due")}


def queue_cards(learner, *, queue: Queue = Queue.DUE, topic_slug: str | None = None, now=None,
                limit: int = DUE_PAGE):
    """The queue's cards in the order they are asked (due ones and ahead ones by due date, misses as made)."""
    cards, order = _QUEUES[queue]
    return cards(learner, topic_slug=topic_slug, now=now).select_related("question", "question__topic").order_by(
        order, "pk"
    )[:limit]


def queue_count(learner, *, queue: Queue = Queue.DUE, topic_slug: str | None = None, now=None) -> int:
    cards, _ = _QUEUES[queue]
    return cards(learner, topic_slug=topic_slug, now=now).count()


def due_cards(learner, *, topic_slug: str | None = None, now=None, limit: int = DUE_PAGE):
    return queue_cards(learner, topic_slug=topic_slug, now=now, limit=limit)


def due_count(learner, *, topic_slug: str | None = None, now=None) -> int:
    return queue_count(learner, topic_slug=topic_slug, now=now)


def next_due(learner, *, topic_slug: str | None = None, now=None) -> datetime.datetime | None:
    """When the next card falls due (not counting cards already reviewed today, which wait for tomorrow)."""
    now = now or timezone.now()
    cards = Card.objects.filter(learner=learner, question__active=True)
    if topic_slug:
        cards = cards.filter(question__topic__slug=topic_slug)
    if reviews_paused(learner, now):  # what is due shows again when the pause ends
        first = cards.aggregate(first=Min("due"))["first"]
        return max(first, pause_ends_at(learner)) if first else None
    tomorrow = start_of_local_day(learner, now) + datetime.timedelta(days=1)
    upcoming = cards.filter(due__gt=now).aggregate(first=Min("due"))["first"]
    waiting = cards.filter(due__lte=now, last_review__gte=start_of_local_day(learner, now)).exists()
    return min(filter(None, [upcoming, tomorrow if waiting else None]), default=None)


def review_items(cards) -> list[tuple[Card, ServedItem]]:
    """Due cards as questions to answer, without answers; choices in a stable per-card shuffled order."""
    cards = list(cards)
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(question_id__in=[c.question_id for c in cards]).only(
        "question_id", "text", "text_html"
    ):
        choices.setdefault(choice.question_id, []).append(choice)
    items = []
    for card in cards:
        options = sorted(choices.get(card.question_id, []), key=lambda c: c.pk)
        # Shuffled, but the same order on every reload of the same review (seeded by card and due time).
        random.Random(f"{card.pk}:{card.due.timestamp()}").shuffle(options)
        question = card.question
        items.append((card, ServedItem(
            id=question.pk, position=0, type=question.type, prompt=question.prompt, prompt_html=question.prompt_html,
            choices=[ServedChoice(id=c.pk, text=c.text, text_html=c.text_html) for c in options],
        )))
    return items


@dataclass
class ReviewOutcome:
    card: Card
    log: ReviewLog
    correct: bool
    points: float
    rating: int
    next_due: datetime.datetime
    repeated: bool  # an identical answer just before: this is its stored outcome
    choices: list[Choice]  # the question's, in order: what grading read, for showing the right ones


def answer_card(*, learner, card_id: int, answer: Mapping | GivenAnswer, now=None) -> ReviewOutcome:
    """Grades an answer to a card and reviews it. The same answer sent again within minutes (a double click,
    a retry) returns the first outcome instead of reviewing twice. `answer` is a GivenAnswer, or a dict in the
    API's JSON shape; one that does not fit the card's question raises InvalidAnswers.

    On PostgreSQL: one statement reads the card, its question and choices, its last review and (for a timed
    answer) the learner's median answer time; one more writes the card, the review log, the listeners' rows
    and the learner's page version, where the card is still as read (quizzes/single_statement.py); a third
    reads the learner's due counts per day only when the new interval leaves a choice of days."""
    now = now or timezone.now()
    if single_statement.is_available():
        for _ in range(single_statement.TRIES):
            try:
                return _answer_in_one_statement(learner=learner, card_id=card_id, answer=answer, now=now)
            except single_statement.ChangedMeanwhile:
                continue  # another request reviewed the card meanwhile: decide again on what it left
    return _answer_locked(learner=learner, card_id=card_id, answer=answer, now=now)


def _is_repeat(last: ReviewLog | None, normalised: dict, now) -> bool:
    return bool(last and last.source == ReviewSource.REVIEW and last.answer == normalised
                and now - last.reviewed_at < REPEAT_WINDOW)


def _repeated(card: Card, last: ReviewLog, choices: list[Choice]) -> ReviewOutcome:
    return ReviewOutcome(card=card, log=last, correct=last.correct, points=1.0 if last.correct else 0.0,
                         rating=last.rating, next_due=card.due, repeated=True, choices=choices)


def _review_of(*, learner, card: Card, choices: list[Choice], given: GivenAnswer, normalised: dict, median_ms,
               now) -> tuple[ReviewLog, Grade, list]:
    """Grades the answer, reviews the card in memory and makes (unsaved) its log and the listeners' rows.
    `median_ms()` gives the learner's median answer time, asked only for a right, timed answer."""
    question = card.question
    grade = grade_answer(question, given, correct_ids={c.pk for c in choices if c.is_correct},
                         all_ids={c.pk for c in choices})
    time_ms = given.time_ms
    # Speed only matters for a right, timed answer (Hard or Good).
    rating = rating_for(correct=grade.correct, time_ms=time_ms,
                        median_ms=median_ms() if grade.correct and time_ms is not None else None)
    scheduled, before = apply_review(learner=learner, card=card, rating=rating, at=now)
    log = ReviewLog(card=card, rating=rating, reviewed_at=now, duration_ms=time_ms, correct=grade.correct,
                    source=ReviewSource.REVIEW, scheduled=scheduled, card_before=before, answer=normalised)
    rows = rows_to_write(card_reviewed.send(
        sender=Card, learner=learner, topic_id=question.topic_id,
        detail=f"{'right' if grade.correct else 'missed'}: {question.key}", at=now,
    ))
    return log, grade, rows


def _outcome(card: Card, log: ReviewLog, grade: Grade, choices: list[Choice]) -> ReviewOutcome:
    return ReviewOutcome(card=card, log=log, correct=grade.correct, points=grade.points, rating=log.rating,
                         next_due=card.due, repeated=False, choices=choices)


def _checked(answer, question, choices) -> GivenAnswer:
    # A form's answer names the question its card asks; the API's names none, and is read as that one's.
    return check_answers([given_answer(answer, question=question.pk)], questions={question.pk: question},
                         choices_of={question.pk: {c.pk for c in choices}}, listed_answers=False)[question.pk]


def _answer_locked(*, learner, card_id: int, answer, now) -> ReviewOutcome:
    """The ORM path (SQLite): the card's row locked for the transaction, then its last review read in a
    statement of its own, so that it sees the review of a request that held the lock before this one."""
    with transaction.atomic():
        card = get_object_or_404(
            Card.objects.select_for_update(of=("self",)).select_related("question"), learner=learner, pk=card_id
        )
        choices = list(Choice.objects.filter(question=card.question))
        given = _checked(answer, card.question, choices)
        normalised = normalised_answer(card.question.type, given)
        last = card.logs.order_by("-reviewed_at", "-pk").first()
        if _is_repeat(last, normalised, now):
            return _repeated(card, last, choices)
        log, grade, rows = _review_of(learner=learner, card=card, choices=choices, given=given,
                                      normalised=normalised, median_ms=lambda: median_answer_ms(learner), now=now)
        if log.scheduled:
            card.save(update_fields=SCHEDULE_FIELDS)
        log.save()
        single_statement.save_rows(rows)
    return _outcome(card, log, grade, choices)


_CARD, _QUESTION, _CHOICE, _LOG = (single_statement.table(m) for m in (Card, Question, Choice, ReviewLog))
_ANSWER, _ATTEMPT = single_statement.table(Answer), single_statement.table(Attempt)
# The card, its question, the question's choices, its latest review, and for a timed answer the learner's median
# answer time: what grading and scheduling read, in one statement. `xmin` is the row's version, which the write
# checks.
_MEDIAN = f"""(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t.time_ms) FROM (
    SELECT a.time_ms FROM {_ANSWER} a JOIN {_ATTEMPT} at ON at.id = a.attempt_id
    WHERE at.learner_id = %s AND a.time_ms IS NOT NULL ORDER BY a.id DESC LIMIT {MEDIAN_SAMPLE}) t)"""
_READ_FOR_REVIEW = f"""
SELECT c.id, c.xmin::text, c.question_id, c.state, c.step, c.stability, c.difficulty, c.due, c.last_review,
       q.topic_id, q.key, q.type, q.numeric_answer, q.tolerance, q.tolerance_kind, q.explanation, q.explanation_html,
       (SELECT json_agg(json_build_array(ch.id, ch.is_correct) ORDER BY ch."order", ch.id)
        FROM {_CHOICE} ch WHERE ch.question_id = q.id),
       l.id, l.rating, l.reviewed_at, l.duration_ms, l.correct, l.source, l.scheduled, l.answer, {{median}}
FROM {_CARD} c JOIN {_QUESTION} q ON q.id = c.question_id
LEFT JOIN LATERAL (
    SELECT * FROM {_LOG} WHERE card_id = c.id ORDER BY reviewed_at DESC, id DESC LIMIT 1
) l ON true
WHERE c.id = %s AND c.learner_id = %s"""
# Speed changes only a timed answer's rating: an untimed one's read leaves the median out.
_READ_TIMED, _READ_UNTIMED = _READ_FOR_REVIEW.format(median=_MEDIAN), _READ_FOR_REVIEW.format(median="NULL")


def _read_for_review(*, learner, card_id: int, timed: bool):
    with connection.cursor() as cursor:
        if timed:
            cursor.execute(_READ_TIMED, [learner.pk, card_id, learner.pk])
        else:
            cursor.execute(_READ_UNTIMED, [card_id, learner.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No Card matches the given query.")
    (pk, version, question_id, state, step, stability, difficulty, due, last_review, topic_id, key, kind,
     numeric_answer, tolerance, tolerance_kind, explanation, explanation_html, choice_rows,
     log_id, rating, reviewed_at, duration_ms, correct, source, scheduled, log_answer, median_ms) = row
    question = Question(pk=question_id, topic_id=topic_id, key=key, type=kind, numeric_answer=numeric_answer,
                        tolerance=tolerance, tolerance_kind=tolerance_kind, explanation=explanation,
                        explanation_html=explanation_html)
    card = Card(pk=pk, learner_id=learner.pk, question=question, state=state, step=step, stability=stability,
                difficulty=difficulty, due=due, last_review=last_review)
    choices = [Choice(pk=choice_id, question_id=question_id, is_correct=is_correct)
               for choice_id, is_correct in choice_rows or ()]
    if isinstance(log_answer, str):  # Django reads jsonb as text (its JSONField decodes it): so it comes here
        log_answer = json.loads(log_answer)
    last = None if log_id is None else ReviewLog(
        pk=log_id, card=card, rating=rating, reviewed_at=reviewed_at, duration_ms=duration_ms, correct=correct,
        source=source, scheduled=scheduled, answer=log_answer,
    )
    return card, version, choices, last, median_ms


def _answer_in_one_statement(*, learner, card_id: int, answer, now) -> ReviewOutcome:
    timed = (answer.time_ms if isinstance(answer, GivenAnswer) else answer.get("time_ms")) is not None
    card, version, choices, last, median_ms = _read_for_review(learner=learner, card_id=card_id, timed=timed)
    given = _checked(answer, card.question, choices)
    normalised = normalised_answer(card.question.type, given)
    if _is_repeat(last, normalised, now):
        return _repeated(card, last, choices)
    log, grade, rows = _review_of(learner=learner, card=card, choices=choices, given=given, normalised=normalised,
                                  median_ms=lambda: median_ms, now=now)
    log.pk = _write_review(card=card, version=version, log=log, rows=rows, learner_id=learner.pk)
    return _outcome(card, log, grade, choices)


def _write_review(*, card: Card, version: str, log: ReviewLog, rows: list, learner_id: int) -> int:
    """The card (its schedule, or as it was: every review makes a new version of its row, which is what a
    racing duplicate then finds changed), the log, the listeners' rows and the page version, in one statement
    that writes nothing unless the card is still as read. Returns the log's id."""
    fields = [Card._meta.get_field(name) for name in SCHEDULE_FIELDS]
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = CAST(%s AS {f.db_type(connection)})" for f in fields)
    inserts, insert_params = single_statement.insert_after([log, *rows], guard="guard")
    stale = StateChange(learner_id=learner_id)
    sql = (f"WITH guard AS (UPDATE {_CARD} SET {sets} WHERE id = %s AND xmin = CAST(%s AS xid) RETURNING id), "
           + ", ".join(inserts)
           + f", stale AS ({stale.sql} AND EXISTS (SELECT 1 FROM guard)) SELECT id FROM row_0")
    params = [f.get_db_prep_save(getattr(card, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, card.pk, version, *insert_params, *stale.params])
        written = cursor.fetchone()
    if written is None:
        raise single_statement.ChangedMeanwhile
    stale.written()
    return written[0]


def forecast(learner, *, days: int = FORECAST_DAYS, now=None) -> list[tuple[datetime.date, int]]:
    """Cards due on each of the next `days` local days; today includes everything overdue (one query), or while
    reviews are paused the day after the pause does."""
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    today = now.astimezone(zone).date()
    end = datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(), zone)
    rows = (
        Card.objects.filter(learner=learner, due__lt=end, question__active=True)
        .annotate(day=TruncDate("due", tzinfo=zone))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    # Overdue cards count today; during a pause, on the day after it, when the due queue shows them again.
    first = today if not paused_on(learner, today) else learner.reviews_paused_until + datetime.timedelta(days=1)
    counts = Counter()
    for day, n in rows:
        counts[max(day, first)] += n
    dates = [today + datetime.timedelta(days=i) for i in range(days)]
    return [(date, counts.get(date, 0)) for date in dates]


@dataclass
class ForecastDay:
    date: datetime.date
    due: int
    light: bool  # one of the learner's light weekdays
    paused: bool  # inside its holiday pause


def forecast_days(learner, *, days: int = FORECAST_DAYS, now=None) -> list[ForecastDay]:
    """`forecast` with each day marked light or paused (no more queries)."""
    light = light_weekdays(learner)
    return [ForecastDay(date=date, due=n, light=date.weekday() in light, paused=paused_on(learner, date))
            for date, n in forecast(learner, days=days, now=now)]


def result_choices(card: Card, log: ReviewLog) -> list[dict]:
    question = card.question
    if question.type not in CHOICE_TYPES:
        return []
    picked = set(log.answer.get("choices", []))
    return [
        {"id": c.pk, "text_html": c.text_html, "correct": c.is_correct, "picked": c.pk in picked,
         "feedback": c.feedback}
        for c in Choice.objects.filter(question=question).order_by("order")
    ]




def comes_back(learner, due: datetime.datetime, *, now=None) -> str:
    """When a card is next asked, in the learner's own days: "later today", "tomorrow, Friday 4 December",
    "in 3 days, Sunday 6 December"; "now" for a card already due."""
    now = now or timezone.now()
    if due <= now:
        return "now"
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    local = due.astimezone(zone)
    days = (local.date() - now.astimezone(zone).date()).days
    date = f"{local:%A} {local.day} {local:%B}"
    if days == 0:
        return "later today"
    return f"tomorrow, {date}" if days == 1 else f"in {days} days, {date}"


def comes_back_by_question(learner, question_ids: list[int], *, now=None) -> dict[int, str]:
    """`comes_back` of the learner's card on each question that has one (one query)."""
    cards = Card.objects.filter(learner=learner, question_id__in=question_ids).values_list("question_id", "due")
    return {question_id: comes_back(learner, due, now=now) for question_id, due in cards}
