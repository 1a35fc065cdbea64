"""Reviewing due cards: what is due, answering one (graded on the server like a quiz), the forecast."""

import datetime
import random
import zoneinfo
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .answers import GivenAnswer, check_answers, given_answer, grade_answer, normalised_answer
from .attempts import ServedChoice, ServedItem
from .balancing import light_weekdays, pause_ends_at, paused_on, reviews_paused
from .events import card_reviewed
from .models import CHOICE_TYPES, Card, Choice, ReviewLog, ReviewSource
from .scheduling import latest_answer_correct, median_answer_ms, rating_for, review, start_of_local_day

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

    The card's row is locked (not its question's, which every learner's reviews of it share), then its
    last review is read: a statement of its own, so that it sees the review of a request that held the
    lock before this one."""
    now = now or timezone.now()
    with transaction.atomic():
        card = get_object_or_404(
            Card.objects.select_for_update(of=("self",)).select_related("question"), learner=learner, pk=card_id
        )
        question = card.question
        choices = list(Choice.objects.filter(question=question))
        # A form's answer names the question its card asks; the API's names none, and is read as that one's.
        given = check_answers([given_answer(answer, question=question.pk)], questions={question.pk: question},
                              choices_of={question.pk: {c.pk for c in choices}}, listed_answers=False)[question.pk]
        normalised = normalised_answer(question.type, given)
        last = card.logs.order_by("-reviewed_at", "-pk").first()
        if last and last.source == ReviewSource.REVIEW and last.answer == normalised and now - last.reviewed_at < (
            REPEAT_WINDOW
        ):
            return ReviewOutcome(card=card, log=last, correct=last.correct, points=1.0 if last.correct else 0.0,
                                 rating=last.rating, next_due=card.due, repeated=True, choices=choices)
        grade = grade_answer(question, given, correct_ids={c.pk for c in choices if c.is_correct},
                             all_ids={c.pk for c in choices})
        time_ms = given.time_ms
        # Speed only matters for a right, timed answer (Hard or Good): otherwise the median is not read.
        median_ms = median_answer_ms(learner) if grade.correct and time_ms is not None else None
        rating = rating_for(correct=grade.correct, time_ms=time_ms, median_ms=median_ms)
        log = review(learner=learner, card=card, rating=rating, at=now, duration_ms=time_ms, correct=grade.correct,
                     source=ReviewSource.REVIEW, answer=normalised)
        card_reviewed.send(sender=Card, learner=learner, topic_id=question.topic_id,
                           detail=f"{'right' if grade.correct else 'missed'}: {question.key}", at=now)
    return ReviewOutcome(card=card, log=log, correct=grade.correct, points=grade.points, rating=rating,
                         next_due=card.due, repeated=False, choices=choices)


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
