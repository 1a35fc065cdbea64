import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from bench.load_data import LOAD_PASSWORD, LoadDataError, load_email, make_load_data


class ProgressBar:
    """A one-line bar on a terminal; elsewhere (logs, CI) a line every tenth of the way."""

    WIDTH = 30

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.shown_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        eta = elapsed / done * (total - done) if done else 0
        text = f"{self.label} {done:,}/{total:,} · {elapsed:.0f} s · {eta:.0f} s left"
        if self.tty:
            filled = self.WIDTH * done // max(total, 1)
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {text}")
            if done >= total:
                self.stream.write("\n")
        elif (tenth := 10 * done // max(total, 1)) != self.shown_tenth:
            self.shown_tenth = tenth
            self.stream.write(f"{text}\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        f"Adds load-test learners (learner{{n}}@load.test, password “{LOAD_PASSWORD}”) with follows, topic "
        "progress, quiz attempts, FSRS cards and review logs, for benchmarks. PostgreSQL only; needs the content "
        "loaded. Learners already there are kept: a second run with more learners adds the missing ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, required=True, help="learners in total (numbers 0 to N-1)")
        parser.add_argument("--cards", type=int, default=100, help="cards per learner (default 100)")
        parser.add_argument("--logs-per-card", type=float, default=2.0,
                            help="mean review-log rows per card, 1 to 4 (default 2)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed makes the same data")
        parser.add_argument("--batch-size", type=int, default=500, help="learners per COPY transaction")
        parser.add_argument("--now", type=datetime.datetime.fromisoformat,
                            help="pretend it is this instant (ISO 8601 with offset), for identical repeated runs")

    def handle(self, *args, learners, cards, logs_per_card, seed, batch_size, now, **options):
        if now is not None and now.tzinfo is None:
            raise CommandError("--now needs a UTC offset, e.g. 2026-11-21T12:00:00+00:00.")
        started = time.monotonic()
        try:
            report = make_load_data(
                learners=learners, cards=cards, logs_per_card=logs_per_card, seed=seed, batch_size=batch_size,
                now=now, on_batch=ProgressBar(sys.stderr, "learners"),
            )
        except LoadDataError as error:
            raise CommandError(str(error)) from None
        if not report.learners:
            self.stdout.write(f"Nothing to do: learners 0 to {report.first - 1:,} are already there.")
            return
        last = report.first + report.learners - 1
        rows = ", ".join(f"{count:,} {name}" for name, count in report.rows.items())
        capped = "" if report.cards_per_learner == cards else f" (capped at the {report.cards_per_learner} questions)"
        self.stdout.write(
            f"Made {report.learners:,} learners, {load_email(report.first)} to {load_email(last)}, password "
            f"“{LOAD_PASSWORD}”, {report.cards_per_learner} cards each{capped}, in "
            f"{time.monotonic() - started:.1f} s.\nRows: {rows}."
        )
