"""FSRS parameters fitted to one learner's own reviews, with fsrs-rs's optimizer (the Rust FSRS, through its
Python bindings: 0.6 MB, where py-fsrs's optimizer needs PyTorch, several GB).

- A learner qualifies at MIN_REVIEW_LOGS review logs, as the FSRS optimizer recommends.
- The reviews are split in time: the optimizer fits on the earliest TRAIN_SHARE of them and both the defaults
  and the fit are scored (log loss of recall) on the later rest, which neither has seen.
- The fit is used for new scheduling only when it predicts those held-out reviews better than the defaults;
  every fit is kept with its figures, adopted or not. A learner can go back to the defaults at any time.
"""

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import fsrs
import fsrs_rs_python as fsrs_rs
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import ParameterFit, ReviewLog

MIN_REVIEW_LOGS = 512
TRAIN_SHARE = 0.8
REFIT_AFTER = datetime.timedelta(days=7)
DEFAULT_PARAMETERS = tuple(fsrs.scheduler.DEFAULT_PARAMETERS)


class NotEnoughReviews(Exception):
    def __init__(self, have: int):
        super().__init__(f"{have} review logs: fitting needs at least {MIN_REVIEW_LOGS}.")
        self.have = have


@dataclass(frozen=True)
class Review:
    """One review of a card as the optimizer sees it: a rating and the local days since the card's last one."""

    card_id: int
    at: datetime.datetime
    rating: int
    days_since_last: int  # 0 for a card's first review, and for a repeat on the same local day


def reviews_of(learner: AbstractBaseUser) -> list[Review]:
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    rows = (
        ReviewLog.objects.filter(card__learner=learner)
        .order_by("card_id", "reviewed_at", "id")
        .values_list("card_id", "reviewed_at", "rating")
    )
    reviews, previous_card, previous_day = [], None, None
    for card_id, at, rating in rows:
        day = at.astimezone(zone).date()
        days = 0 if card_id != previous_card else (day - previous_day).days
        reviews.append(Review(card_id=card_id, at=at, rating=rating, days_since_last=days))
        previous_card, previous_day = card_id, day
    return reviews


def training_items(reviews: Sequence[Review]) -> list[tuple[datetime.datetime, fsrs_rs.FSRSItem]]:
    """fsrs-rs learns from items: a card's history up to one of its later reviews, whose outcome it predicts.
    Each item comes with the time of that predicted review, for the split in time."""
    items, history, card = [], [], None
    for review in reviews:
        if review.card_id != card:
            history, card = [], review.card_id
        history.append(fsrs_rs.FSRSReview(review.rating, review.days_since_last))
        # fsrs-rs predicts a review a day or more after the last one (a same-day repeat stays in the history it
        # learns from, as an input, not as a target) and refuses a history that never left its first day.
        if len(history) > 1 and review.days_since_last > 0:
            items.append((review.at, fsrs_rs.FSRSItem(list(history))))
    return items


def split_in_time(items):
    items = sorted(items, key=lambda pair: pair[0])
    cut = int(len(items) * TRAIN_SHARE)
    return [item for _, item in items[:cut]], [item for _, item in items[cut:]]


def log_loss(parameters: Sequence[float], items: Sequence[fsrs_rs.FSRSItem]) -> float:
    return fsrs_rs.FSRS(list(parameters)).evaluate(list(items)).log_loss


def fit(reviews: Sequence[Review]) -> tuple[list[float], float, float, int, int]:
    """(parameters, held-out log loss of the defaults, of the fit, training items, held-out items)."""
    train, held_out = split_in_time(training_items(reviews))
    parameters = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(train)
    return parameters, log_loss(DEFAULT_PARAMETERS, held_out), log_loss(parameters, held_out), len(train), len(held_out)


def fit_parameters(*, learner: AbstractBaseUser, now: datetime.datetime | None = None) -> ParameterFit:
    """Fits the learner's parameters, keeps the fit, and uses it when it beats the defaults on held-out reviews."""
    now = now or timezone.now()
    reviews = reviews_of(learner)
    if len(reviews) < MIN_REVIEW_LOGS:
        raise NotEnoughReviews(len(reviews))
    parameters, loss_default, loss_fitted, train, held_out = fit(reviews)
    adopted = loss_fitted < loss_default
    with transaction.atomic():
        result = ParameterFit.objects.create(
            learner=learner, fitted_at=now, review_logs=len(reviews), train_items=train, held_out_items=held_out,
            parameters=[round(p, 6) for p in parameters], log_loss_default=loss_default, log_loss_fitted=loss_fitted,
            adopted=adopted,
        )
        if adopted:
            get_user_model().objects.filter(pk=learner.pk).update(fsrs_parameters=result.parameters)
            learner.fsrs_parameters = result.parameters
    return result


def reset_parameters(*, learner: AbstractBaseUser) -> None:
    """Back to FSRS-6's defaults for new scheduling; past fits stay on record."""
    get_user_model().objects.filter(pk=learner.pk).update(fsrs_parameters=None)
    learner.fsrs_parameters = None


def parameters_for(learner: AbstractBaseUser) -> tuple[float, ...]:
    return tuple(learner.fsrs_parameters) if learner.fsrs_parameters else DEFAULT_PARAMETERS


def learners_to_fit(*, now: datetime.datetime | None = None) -> Iterable[int]:
    """Learners with enough reviews whose last fit is older than a week (or who have none)."""
    now = now or timezone.now()
    recent = ParameterFit.objects.filter(fitted_at__gt=now - REFIT_AFTER).values("learner_id")
    return (
        ReviewLog.objects.exclude(card__learner_id__in=recent)
        .values("card__learner_id")
        .annotate(logs=Count("id"))
        .filter(logs__gte=MIN_REVIEW_LOGS)
        .values_list("card__learner_id", flat=True)
        .order_by("card__learner_id")
    )




FIT_COOLDOWN = datetime.timedelta(minutes=10)  # an on-demand fit, at most this often: the weekly one suffices
SHOWN_FITS = 5


class FitTooSoon(Exception):
    def __init__(self, wait: datetime.timedelta):
        minutes = max(1, int(wait.total_seconds() // 60) + 1)
        super().__init__(f"A fit was made less than {FIT_COOLDOWN.seconds // 60} minutes ago: try again in "
                         f"{minutes} minute{'s' if minutes != 1 else ''}.")
        self.wait = wait


@dataclass(frozen=True)
class SchedulerState:
    parameters: tuple[float, ...]
    fitted: bool
    review_logs: int
    min_review_logs: int
    fits: list[ParameterFit]


def scheduler_state(*, learner: AbstractBaseUser) -> SchedulerState:
    """What the settings page and GET /api/me/scheduler/ show: two queries."""
    return SchedulerState(
        parameters=parameters_for(learner), fitted=bool(learner.fsrs_parameters),
        review_logs=ReviewLog.objects.filter(card__learner=learner).count(), min_review_logs=MIN_REVIEW_LOGS,
        fits=list(ParameterFit.objects.filter(learner=learner)[:SHOWN_FITS]),
    )


def request_fit(*, learner: AbstractBaseUser, enqueue, now: datetime.datetime | None = None) -> None:
    """Queues a fit of the learner's parameters (`enqueue(learner_id)`), if it has enough reviews and none was
    fitted in the last FIT_COOLDOWN."""
    now = now or timezone.now()
    have = ReviewLog.objects.filter(card__learner=learner).count()
    if have < MIN_REVIEW_LOGS:
        raise NotEnoughReviews(have)
    last = ParameterFit.objects.filter(learner=learner).values_list("fitted_at", flat=True).first()
    if last and now - last < FIT_COOLDOWN:
        raise FitTooSoon(FIT_COOLDOWN - (now - last))
    enqueue(learner.pk)


def fit_learner(*, learner_id: int) -> ParameterFit | None:
    """The Celery task's body: None when the learner is gone or has too few reviews by now."""
    learner = get_user_model().objects.filter(pk=learner_id).first()
    if learner is None:
        return None
    try:
        return fit_parameters(learner=learner)
    except NotEnoughReviews:
        return None
