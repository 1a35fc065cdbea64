"""Does a fit beat FSRS-6's defaults? Simulated learners whose memory follows known parameters
(bench/fitting/simulation.py), scheduled with the defaults; held-out log loss of the defaults, of the fit
(quizzes/fitting.py, fsrs-rs) and of the true parameters (the floor), over sizes and seeds.

    uv run --frozen python bench/fitting/run.py          # prints a Markdown table for bench/RESULTS.md
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("ASCENT_DATA_DIR", "/tmp/ascent-bench-fitting")
os.makedirs(os.environ["ASCENT_DATA_DIR"], exist_ok=True)

import django  # noqa: E402

django.setup()

from bench.fitting.simulation import TRUE_PARAMETERS, simulate_histories  # noqa: E402
from quizzes.fitting import DEFAULT_PARAMETERS, Review, fit, log_loss, split_in_time, training_items  # noqa: E402

SIZES = [(72, 200), (150, 300), (400, 365), (1000, 365)]
SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]


def reviews_of(histories):
    reviews = []
    for card_id, history in enumerate(histories):
        previous = None
        for at, rating in history:
            days = 0 if previous is None else (at.date() - previous.date()).days
            reviews.append(Review(card_id=card_id, at=at, rating=rating, days_since_last=days))
            previous = at
    return reviews


def main():
    print("| cards, days | review logs (mean) | held-out items | log loss defaults | fitted | true parameters "
          "| fit better in | mean gain | fit time |")
    print("|---|---|---|---|---|---|---|---|---|")
    for cards, days in SIZES:
        rows = []
        for seed in SEEDS:
            reviews = reviews_of(simulate_histories(cards=cards, days=days, seed=seed))
            started = time.perf_counter()
            parameters, default, fitted, _, held_out_n = fit(reviews)
            took = time.perf_counter() - started
            _, held_out = split_in_time(training_items(reviews))
            rows.append((len(reviews), held_out_n, default, fitted, log_loss(TRUE_PARAMETERS, held_out), took))
        means = [statistics.mean(column) for column in zip(*rows, strict=True)]
        better = sum(r[3] < r[2] for r in rows)
        print(f"| {cards}, {days} | {means[0]:.0f} | {means[1]:.0f} | {means[2]:.4f} | {means[3]:.4f} "
              f"| {means[4]:.4f} | {better} of {len(rows)} | {means[2] - means[3]:+.4f} | {means[5] * 1000:.0f} ms |")
    assert len(DEFAULT_PARAMETERS) == len(TRUE_PARAMETERS) == 21


if __name__ == "__main__":
    main()
