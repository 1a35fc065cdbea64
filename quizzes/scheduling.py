"""Spaced repetition with FSRS: cards, ratings, the first-review-of-the-day rule, memory strength.

- A card is created the first time a learner answers a question (in a quiz) and reviewed at once.
- Rating from an answer: wrong or partly wrong is Again; right is Good, or Hard when it took more than
  twice the learner's own median answer time. Easy is never automatic: the learner says "too easy"
  after a right answer (`mark_too_easy`).
- Only the first review of a card in a learner's local day changes its schedule; later ones are logged.
- A topic's memory strength is the mean of its cards' recall now (`memory_strength`): fsrs's
  retrievability, or 0 for a card whose latest answer was wrong.
"""

import datetime
import functools
import statistics
import zoneinfo
from dataclasses import dataclass

import fsrs
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, Power
from django.utils import timezone

from .balancing import DueLoads, balanced_due
from .models import Answer, Card, CardState, Rating, ReviewLog, ReviewSource

# No same-day learning steps: a card's next review is always on a later day, which is what "only the
# first review of a day moves the schedule" needs (a 10-minute step could never be taken).
LEARNING_STEPS: tuple = ()
RELEARNING_STEPS: tuple = ()
MEDIAN_SAMPLE = 200  # the learner's latest answer times that define "slow" for it
SLOW_FACTOR = 2


def scheduler_for(learner) -> fsrs.Scheduler:
    """FSRS with the learner's fitted parameters when it has some (quizzes/fitting.py), else FSRS-6's defaults."""
    return _scheduler(tuple(learner.fsrs_parameters or fsrs.scheduler.DEFAULT_PARAMETERS),
                      learner.desired_retention, learner.maximum_interval)


@functools.lru_cache(maxsize=1024)
def _scheduler(parameters: tuple, desired_retention: float, maximum_interval: int) -> fsrs.Scheduler:
    # Made once per set of settings, not per card: fsrs validates its parameters in the constructor (40 us), and
    # a submit schedules ten cards. A Scheduler keeps no state between reviews.
    return fsrs.Scheduler(
        parameters=parameters,
        desired_retention=desired_retention,
        maximum_interval=maximum_interval,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        # Ascent picks the day in FSRS's fuzz interval itself (quizzes/balancing.py): the least loaded one.
        enable_fuzzing=False,
    )


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # fsrs 6 accepts only datetime.timezone.utc as tzinfo.
    return moment.astimezone(datetime.UTC)


def to_fsrs(card: Card) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.pk or 0, state=fsrs.State(card.state), step=card.step, stability=card.stability,
        difficulty=card.difficulty, due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def snapshot(card: Card) -> dict:
    return {
        "state": card.state, "step": card.step, "stability": card.stability, "difficulty": card.difficulty,
        "due": card.due.isoformat(), "last_review": card.last_review.isoformat() if card.last_review else None,
    }


def _restore(card: Card, data: dict) -> None:
    card.state, card.step = data["state"], data["step"]
    card.stability, card.difficulty = data["stability"], data["difficulty"]
    card.due = datetime.datetime.fromisoformat(data["due"])
    card.last_review = datetime.datetime.fromisoformat(data["last_review"]) if data["last_review"] else None


SCHEDULE_FIELDS = ["state", "step", "stability", "difficulty", "due", "last_review"]


def _apply(card: Card, scheduled: fsrs.Card) -> None:
    card.state, card.step = int(scheduled.state), scheduled.step
    card.stability, card.difficulty = scheduled.stability, scheduled.difficulty
    card.due, card.last_review = scheduled.due, scheduled.last_review


def median_answer_ms(learner) -> float | None:
    """The median of the learner's latest answer times (one bounded query)."""
    times = list(
        Answer.objects.filter(attempt__learner=learner, time_ms__isnull=False)
        .order_by("-id")
        .values_list("time_ms", flat=True)[:MEDIAN_SAMPLE]
    )
    return statistics.median(times) if times else None


def rating_for(*, correct: bool, time_ms: int | None, median_ms: float | None) -> Rating:
    if not correct:
        return Rating.AGAIN
    if time_ms is not None and median_ms and time_ms > SLOW_FACTOR * median_ms:
        return Rating.HARD
    return Rating.GOOD


def local_date(learner, moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()


def start_of_local_day(learner, moment: datetime.datetime) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    return datetime.datetime.combine(moment.astimezone(zone).date(), datetime.time(), zone)


def apply_review(
    *, learner, card: Card, rating: Rating, at: datetime.datetime, loads: DueLoads | None = None,
    scheduler: fsrs.Scheduler | None = None,
) -> tuple[bool, dict | None]:
    """Applies a review to the card in memory (only the first of its local day sets the schedule). Returns
    (whether it set the schedule, the card before). `scheduler`: the learner's (`scheduler_for`), when the
    caller reviews several cards."""
    first_today = card.last_review is None or local_date(learner, card.last_review) != local_date(learner, at)
    if not first_today:
        return False, None
    before = snapshot(card)  # a new card's snapshot is its blank initial state
    _schedule(learner=learner, card=card, rating=fsrs.Rating(int(rating)), at=at, loads=loads or DueLoads(learner),
              scheduler=scheduler)
    return True, before


def _schedule(*, learner, card: Card, rating: fsrs.Rating, at: datetime.datetime, loads: DueLoads,
              scheduler: fsrs.Scheduler | None = None) -> None:
    old_due = card.due if card.pk else None
    scheduled, _ = (scheduler or scheduler_for(learner)).review_card(to_fsrs(card), rating, _utc(at))
    _apply(card, scheduled)
    card.due = balanced_due(learner=learner, at=at, due=card.due, loads=loads)
    loads.move(old_due, card.due)


def review(
    *, learner, card: Card, rating: Rating, at: datetime.datetime, duration_ms: int | None, correct: bool,
    source: ReviewSource, answer: dict | None = None,
) -> ReviewLog:
    """Reviews one card (call inside a transaction holding the card's row lock)."""
    scheduled, before = apply_review(learner=learner, card=card, rating=rating, at=at)
    if scheduled:
        card.save(update_fields=SCHEDULE_FIELDS)
    return ReviewLog.objects.create(
        card=card, rating=rating, reviewed_at=at, duration_ms=duration_ms, correct=correct, source=source,
        scheduled=scheduled, card_before=before, answer=answer or {},
    )


@dataclass(slots=True)
class CardRow:
    """A card as scheduling reads and sets it, without a model instance: what a write that sends its own SQL
    needs (quizzes/attempts.py), where a Card instance costs more to build than its review. A new card's
    defaults are the model's."""

    pk: int | None
    question_id: int
    due: datetime.datetime
    state: int = CardState.LEARNING
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime.datetime | None = None


@dataclass(slots=True)
class LogRow:
    """A review log to write, with the fields of ReviewLog that a quiz's review sets."""

    card: CardRow
    rating: Rating
    reviewed_at: datetime.datetime
    duration_ms: int | None
    correct: bool
    source: str
    scheduled: bool
    card_before: dict | None


@dataclass
class QuizReviews:
    """What a quiz's answers do to the learner's cards, decided in memory: cards to create, cards whose
    schedule moved, and one review log per answer (each with its card, unsaved)."""

    new_cards: list[Card]
    changed_cards: list[Card]
    logs: list[ReviewLog]


def plan_quiz_reviews(*, learner, answers: list[Answer], cards: dict[int, Card], median_ms, at: datetime.datetime,
                      loads: DueLoads | None = None, rows: bool = False) -> QuizReviews:
    """A card per question answered (created at the first answer), reviewed with its rating. `cards` are the
    learner's existing cards by question id (read under a lock, or with their versions); `median_ms()` gives the
    learner's median answer time, asked only if a right answer is timed. With `rows`, `cards` are CardRows and
    the new cards and logs are CardRows and LogRows, else Card and ReviewLog instances (unsaved)."""
    # Speed only matters for a right, timed answer (Hard or Good): otherwise the median is not read.
    timed_right = any(answer.correct and answer.time_ms is not None for answer in answers)
    median = median_ms() if timed_right else None
    plan = QuizReviews(new_cards=[], changed_cards=[], logs=[])
    loads = loads or DueLoads(learner)  # one query for the whole quiz, only if an interval leaves a choice of days
    log_of = LogRow if rows else ReviewLog
    scheduler = scheduler_for(learner)  # once, not per card: it hashes the learner's 21 parameters to find it
    for answer in answers:
        card = cards.get(answer.question_id)
        if card is None:
            card = (CardRow(pk=None, question_id=answer.question_id, due=at) if rows
                    else Card(learner=learner, question_id=answer.question_id, due=at))
            cards[answer.question_id] = card
            plan.new_cards.append(card)
        rating = rating_for(correct=answer.correct, time_ms=answer.time_ms, median_ms=median)
        scheduled, before = apply_review(learner=learner, card=card, rating=rating, at=at, loads=loads,
                                         scheduler=scheduler)
        if scheduled and card.pk:
            plan.changed_cards.append(card)
        plan.logs.append(log_of(
            card=card, rating=rating, reviewed_at=at, duration_ms=answer.time_ms, correct=answer.correct,
            source=ReviewSource.QUIZ, scheduled=scheduled, card_before=before,
        ))
    return plan


def schedule_quiz_answers(*, learner, answers: list[Answer], at: datetime.datetime) -> None:
    """After a quiz, through the ORM (call inside a transaction): `plan_quiz_reviews` on the learner's cards,
    locked, then written. Five queries at most whatever the number of answers: the median, the cards (locked),
    and three bulk writes."""
    if not answers:
        return
    cards = {
        card.question_id: card
        for card in Card.objects.select_for_update().filter(
            learner=learner, question_id__in=[a.question_id for a in answers]
        )
    }
    plan = plan_quiz_reviews(learner=learner, answers=answers, cards=cards, median_ms=lambda: median_answer_ms(learner),
                             at=at)
    Card.objects.bulk_create(plan.new_cards)
    if plan.changed_cards:
        # The locked cards, written back in one upsert on their ids (only the schedule's columns): bulk_update
        # builds a CASE per field and card, 2.3 ms of CPU for one card and 7 to 10 for ten; this 0.3 to 0.8.
        Card.objects.bulk_create(
            plan.changed_cards, update_conflicts=True, unique_fields=["id"], update_fields=SCHEDULE_FIELDS
        )
    for log in plan.logs:
        log.card = log.card  # the new cards' ids, set by bulk_create
    ReviewLog.objects.bulk_create(plan.logs)


class NotTooEasy(Exception):
    pass


def mark_too_easy(*, learner, card: Card) -> ReviewLog:
    """Re-rates the card's latest scheduling review as Easy, if it was a right answer."""
    with transaction.atomic():
        card = Card.objects.select_for_update().get(pk=card.pk)
        last = card.logs.order_by("-reviewed_at", "-pk").first()
        if last is None or not last.correct or not last.scheduled or last.card_before is None:
            raise NotTooEasy("Only a right answer that set the card's schedule can be marked too easy.")
        if last.rating == Rating.EASY:
            return last
        _restore(card, last.card_before)
        _schedule(learner=learner, card=card, rating=fsrs.Rating.Easy, at=last.reviewed_at, loads=DueLoads(learner))
        card.save()
        last.rating = Rating.EASY
        last.save(update_fields=["rating"])
        return last


@dataclass
class TopicStrength:
    topic_id: int
    strength: float  # mean recall now, 0 to 1: see memory_strength
    cards: int


def latest_answer_correct():
    """Whether the card's latest answer (a quiz, a review, a relearning: scheduled or not) was right, as an
    expression over a card; NULL for a card never answered. Served by the index on (card, -reviewed_at)."""
    latest = ReviewLog.objects.filter(card=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return Subquery(latest.values("correct")[:1])


def recall_now(now: datetime.datetime):
    """One card's probability of recall now: 0 when its latest answer was wrong, else fsrs's retrievability
    (the query needs `latest_correct=latest_answer_correct()` aliased).

    fsrs alone would say about 100% right after a miss: it counts whole days since the last review (none
    yet) and a lapse only shrinks stability, so retrievability starts again at 1 and falls fast from
    tomorrow. That is a forecast of the next review, not what the learner just showed; the miss is the
    better evidence until the card is answered right again (in a review, or relearning the same day)."""
    return Case(When(latest_correct=False, then=Value(0.0)), default=retrievability(now), output_field=FloatField())


def memory_strength(learner, *, topic_ids=None, now: datetime.datetime | None = None) -> dict[int, TopicStrength]:
    """A topic's memory: the mean over the learner's cards on it of `recall_now` (fsrs's retrievability, or
    0 for a card whose latest answer was wrong). Six cards all missed: 0%; all right just now: 100%; three
    of each: 50%. The topic page's meter and the dashboard's weakest-first list both show this.

    One query, averaged by the database: reading every card into Python cost 3 ms of each signed-in
    roadmap page."""
    now = _utc(now or timezone.now())
    cards = Card.objects.filter(learner=learner)
    if topic_ids is not None:
        cards = cards.filter(question__topic_id__in=list(topic_ids))
    rows = cards.alias(latest_correct=latest_answer_correct()).values("question__topic_id").annotate(
        strength=Avg(recall_now(now)), cards=Count("pk")
    )
    return {
        row["question__topic_id"]: TopicStrength(
            topic_id=row["question__topic_id"], strength=row["strength"], cards=row["cards"]
        )
        for row in rows.order_by()
    }


class ElapsedDays(Func):
    """Whole days from a card's last review to `now`, floored as timedelta.days is."""

    output_field = FloatField()

    def __init__(self, now: datetime.datetime, since: str):
        super().__init__(Value(now, output_field=DateTimeField()), F(since))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, arg_joiner=" - ",
                           template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::double precision", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, arg_joiner=") - julianday(",
                           template="FLOOR(julianday(%(expressions)s))", **extra)


def retrievability(now: datetime.datetime):
    """fsrs's Scheduler.get_card_retrievability as an expression over a card's columns: (1 + factor *
    days / stability) ** decay, 0 for a card never reviewed. tests/quizzes/test_memory_strength.py holds
    it to fsrs's own answer."""
    decay = -fsrs.Scheduler().parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = Greatest(ElapsedDays(now, "last_review"), Value(0.0))
    return Case(
        When(Q(last_review__isnull=True) | Q(stability__isnull=True), then=Value(0.0)),
        default=Power(Value(1.0) + Value(factor) * days / F("stability"), Value(decay)),
        output_field=FloatField(),
    )


def strength_level(strength: float) -> int:
    """0 (mostly forgotten) to 4 (fresh), for colouring."""
    return min(4, int(strength * 5))

