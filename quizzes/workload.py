"""What a desired retention costs: the reviews a day the learner's own cards would need over the next 90 days at
each retention, simulated with its FSRS parameters (fitted or default) through fsrs-rs.

Each card starts from its state now (stability, difficulty, last review, due date); at each review it is recalled
with the model's probability, then FSRS sets the next interval for the chosen retention. The same random draws
serve every retention (common random numbers), so the options differ by the retention alone. Only existing cards
count: topics not yet quizzed add reviews on top.
"""

import datetime
import hashlib
import random
import zoneinfo
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs
from django.core.cache import cache
from django.utils import timezone

from .fitting import parameters_for
from .models import Card

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97)
HORIZON_DAYS = 90
SAMPLE_CARDS = 400  # above this, an even sample of the cards is simulated and scaled: a page must stay fast


@dataclass(frozen=True)
class WorkloadOption:
    desired_retention: float
    reviews: int  # over the horizon, all cards
    reviews_per_day: float


def _recall_probability(parameters, stability: float, elapsed_days: float) -> float:
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return (1 + factor * max(elapsed_days, 0) / stability) ** decay


def _simulated_reviews(model, parameters, card, *, retention: float, today: datetime.date, zone, days: int,
                       maximum_interval: int, draws: random.Random) -> int:
    if card.stability is None or card.difficulty is None:
        return 0
    last_day = card.last_review.astimezone(zone).date() if card.last_review else today
    day = max((card.due.astimezone(zone).date() - today).days, 0)
    memory = fsrs_rs.MemoryState(card.stability, card.difficulty)
    count, elapsed = 0, (today - last_day).days + day
    while day < days:
        recalled = draws.random() < _recall_probability(parameters, memory.stability, elapsed)
        states = model.next_states(memory, retention, int(elapsed))
        state = states.good if recalled else states.again
        memory = state.memory
        # At least a day, whatever the model or a setting says: the loop must move forward to end.
        interval = max(1, min(round(state.interval), maximum_interval))
        count += 1
        day += interval
        elapsed = interval
    return count


def workload_forecast(*, learner, now: datetime.datetime | None = None, retentions=RETENTIONS,
                      days: int = HORIZON_DAYS) -> list[WorkloadOption]:
    now = now or timezone.now()
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    today = now.astimezone(zone).date()
    parameters = list(parameters_for(learner))
    model = fsrs_rs.FSRS(parameters)
    cards = list(Card.objects.filter(learner=learner).only("id", "stability", "difficulty", "due", "last_review")
                 .order_by("id"))
    sample = cards[:: max(1, -(-len(cards) // SAMPLE_CARDS))] if len(cards) > SAMPLE_CARDS else cards
    scale = len(cards) / len(sample) if sample else 0
    options = []
    for retention in retentions:
        total = 0
        for card in sample:
            draws = random.Random(card.id)  # the same draws for this card at every retention
            total += _simulated_reviews(model, parameters, card, retention=retention, today=today, zone=zone,
                                        days=days, maximum_interval=learner.maximum_interval, draws=draws)
        reviews = round(total * scale)
        options.append(WorkloadOption(desired_retention=retention, reviews=reviews,
                                      reviews_per_day=round(reviews / days, 1)))
    return options


def retentions_with(current: float) -> tuple[float, ...]:
    """The options shown, with the learner's own retention among them when it is none of the usual ones."""
    return tuple(sorted({*RETENTIONS, round(current, 2)}))


def cached_workload_forecast(*, learner, now: datetime.datetime | None = None) -> list[WorkloadOption]:
    """workload_forecast, kept for an hour until the learner's next write (its state version), so the settings
    page pays the simulation (up to 0.3 s for 400 cards) once, not on every visit."""
    now = now or timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()
    inputs = (learner.state_version, today, learner.desired_retention, learner.maximum_interval,
              tuple(parameters_for(learner)))
    key = f"workload:{learner.pk}:{hashlib.sha256(repr(inputs).encode()).hexdigest()[:32]}"
    options = cache.get(key)
    if options is None:
        options = workload_forecast(learner=learner, now=now, retentions=retentions_with(learner.desired_retention))
        cache.set(key, options, 60 * 60)
    return options
