"""Review histories of a simulated learner whose memory follows FSRS with known parameters, scheduled by Ascent
with FSRS-6's defaults: the data on which a fit must beat the defaults (bench/fitting/run.py and the tests)."""

import datetime
import random
from collections.abc import Sequence

import fsrs

# A learner who forgets faster than FSRS-6's default learner: lower initial stabilities (w0-w3), a stronger
# decay of retrievability (w20), harder lapses.
TRUE_PARAMETERS = (
    0.08, 0.35, 0.9, 3.0, 6.8, 0.6, 2.2, 0.02, 1.4, 0.22, 1.0, 2.2, 0.05, 0.35, 1.9, 0.45, 2.5, 0.55, 0.1, 0.06,
    0.45,
)
START = datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)


def _scheduler(parameters: Sequence[float]) -> fsrs.Scheduler:
    return fsrs.Scheduler(parameters=parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False,
                          maximum_interval=365)


def simulate_histories(
    *, cards: int, days: int, seed: int = 7, true_parameters: Sequence[float] = TRUE_PARAMETERS,
) -> list[list[tuple[datetime.datetime, int]]]:
    """For each card, its reviews as (time, rating): recall is drawn from the true model's retrievability,
    the next review is when the default scheduler says (plus up to two days of lateness)."""
    rng = random.Random(seed)
    truth, app = _scheduler(true_parameters), _scheduler(fsrs.scheduler.DEFAULT_PARAMETERS)
    histories = []
    for card_id in range(cards):
        at = START + datetime.timedelta(days=rng.uniform(0, days * 0.6), hours=rng.uniform(0, 10))
        end = START + datetime.timedelta(days=days)
        true_card, app_card = fsrs.Card(card_id=card_id), fsrs.Card(card_id=card_id)
        history = []
        while at < end:
            if history:
                recalled = rng.random() < truth.get_card_retrievability(true_card, at)
            else:
                recalled = rng.random() < 0.65  # a first answer: knew it or not before
            rating = fsrs.Rating.Again if not recalled else rng.choices(
                (fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy), (0.15, 0.75, 0.1)
            )[0]
            true_card, _ = truth.review_card(true_card, rating, at)
            app_card, _ = app.review_card(app_card, rating, at)
            history.append((at, int(rating)))
            at = app_card.due + datetime.timedelta(days=rng.choice((0, 0, 0, 1, 2)), hours=rng.uniform(-2, 2))
        histories.append(history)
    return histories
