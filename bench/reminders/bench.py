"""Reminder fan-out benchmark: N learners with a due card, a real Celery worker, end to end.

Run through bench/reminders/run.sh (it provides PostgreSQL, Redis and the worker). Prints a Markdown
summary: learners per second end to end, queries per chunk, and the worker's peak memory.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from quizzes import reminders  # noqa: E402
from quizzes.models import Card, Question, ReminderDay  # noqa: E402
from quizzes.tasks import fan_out_reminders  # noqa: E402

N = int(os.environ.get("LEARNERS", "100000"))
BATCH = 5000


def seed(n: int, *, prefix: str, due_for_reminder: bool) -> list[int]:
    question = Question.objects.order_by("pk").first()
    now = timezone.now()
    ids = []
    for start in range(0, n, BATCH):
        users = User.objects.bulk_create(
            User(email=f"{prefix}{i}@bench.example.com", password="!", time_zone="UTC",
                 next_reminder_at=now - datetime.timedelta(minutes=1) if due_for_reminder else None,
                 reminders_enabled=due_for_reminder)
            for i in range(start, min(start + BATCH, n))
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        Card.objects.bulk_create(
            Card(learner=u, question=question, due=now - datetime.timedelta(hours=1),
                 last_review=now - datetime.timedelta(days=3), stability=3.0, difficulty=5.0, state=2)
            for u in users
        )
        ids += [u.pk for u in users]
    return ids


def peak_rss_mib(root_pid: int) -> float:
    """The largest VmHWM among the worker's processes (the main one and its pool children)."""
    pids = [root_pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(root_pid)], capture_output=True,
                                                         text=True).stdout.split()]
    peak = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak / 1024


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """utime + stime of a process (and, with_children, of its children that ended and were waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if with_children else 0)
    return ticks / TICKS


def family_cpu_seconds(root_pid: int) -> float:
    """CPU of a process tree: the root (with the children it reaped) and its living children."""
    children = subprocess.run(["pgrep", "-P", str(root_pid)], capture_output=True, text=True).stdout.split()
    total = cpu_seconds(root_pid, with_children=True)
    for child in children:
        try:
            total += cpu_seconds(int(child))
        except OSError:
            pass  # ended meanwhile
    return total


def postmaster_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        [data_directory] = cursor.fetchone()
    return int((Path(data_directory) / "postmaster.pid").read_text().split()[0])


def main():
    print(f"seeding {N} learners with a due card…", file=sys.stderr)
    started = time.monotonic()
    seed(N, prefix="l", due_for_reminder=True)
    sample = seed(reminders.CHUNK_SIZE, prefix="s", due_for_reminder=False)
    with connection.cursor() as cursor:
        # Statistics, as autovacuum would long have gathered on a live database: without them the planner
        # guesses row counts for tables just filled in bulk, and a chunk's grouped query took 30 times longer.
        cursor.execute("ANALYZE")
    seeded = time.monotonic() - started

    # Queries of one chunk, measured in process on a separate sample of learners.
    User.objects.filter(pk__in=sample).update(reminders_enabled=True)
    with CaptureQueriesContext(connection) as queries:
        result = reminders.send_batch(learner_ids=sample, claim_token=uuid.uuid4().hex)
    chunk_queries = len(queries)

    worker_pid = int(os.environ["WORKER_PID"])
    print("fan-out…", file=sys.stderr)
    profiler = None
    if os.environ.get("PROFILE"):
        py_spy = Path(sys.executable).parent / "py-spy"
        profiler = subprocess.Popen([py_spy, "record", "--nonblocking", "--subprocesses", "--format", "raw",
                                     "--rate", "100", "--pid", str(worker_pid), "-o", os.environ["PROFILE"]],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
    postgres = postmaster_pid()
    cpu_before = family_cpu_seconds(worker_pid), family_cpu_seconds(postgres)
    started = time.monotonic()
    fan_out_reminders.delay()
    while ReminderDay.objects.filter(status="sent").count() < N + result.sent:
        time.sleep(0.5)
        if time.monotonic() - started > 1800:
            raise SystemExit("timed out")
    elapsed = time.monotonic() - started
    worker_cpu = family_cpu_seconds(worker_pid) - cpu_before[0]
    postgres_cpu = family_cpu_seconds(postgres) - cpu_before[1]
    if profiler:
        profiler.send_signal(signal.SIGINT)
        profiler.wait(timeout=60)
    print(f"| learners | seeding s | fan-out to last e-mail s | learners/s | queries per chunk of {len(sample)} | "
          f"worker peak RSS MiB | worker CPU s | PostgreSQL CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {N} | {seeded:.1f} | {elapsed:.1f} | {N / elapsed:.0f} | {chunk_queries} "
          f"({chunk_queries - result.sent} fixed + 1 per e-mail) | {peak_rss_mib(worker_pid):.0f} | "
          f"{worker_cpu:.1f} | {postgres_cpu:.1f} |")
    print(f"e-mail backend: {settings.EMAIL_BACKEND}", file=sys.stderr)


if __name__ == "__main__":
    main()
