"""Fault drills under load, with figures for bench/RESULTS.md. Run through bench/faults/run.sh.

The production shape on one machine, every process real: PostgreSQL and Redis of the drill's own (Redis
with an append-only file, as docker-compose.yml runs it; db 0 is the Celery broker, db 1 the cache),
gunicorn with 2 sync workers and DEBUG off on the real content, a Celery worker with 2 pool processes.
Load: wrk -t2 -c32 (10 s timeout) on the roadmap page, and a probe of 2 threads cycling through pages, API reads and a
learner's writes, each request timed so that every failure can be placed against the fault.

1. PostgreSQL restarted three times under load.
2. Redis stopped for 10 s under load.
3. Redis stopped for 5 s in the middle of a reminder fan-out to 1,000 learners.
4. A worker killed (SIGKILL to all its processes) in the middle of a 250-learner chunk and started again
   10 s later; then only its pool processes killed.
"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults.load import Call, Load  # noqa: E402
from tests.faults.services import (  # noqa: E402
    Gunicorn,
    PostgresServer,
    RedisServer,
    Worker,
    app_env,
    manage,
    seed_site,
    wait_for,
)

WRK = ["wrk", "-t2", "-c32", "--timeout", "10s", "--latency", "-s", str(ROOT / "bench/load/percentiles.lua")]
ROADMAP = "/roadmaps/al-mamari-machine-learning-roadmap/"
VISIBILITY_TIMEOUT = 10  # seconds; production keeps the default hour (config/settings.py)
EMAIL_SECONDS = 0.01  # per e-mail, an SMTP server on the same network


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wrk(url: str, seconds: int) -> dict:
    out = subprocess.run([*WRK, f"-d{seconds}s", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        "socket_errors": sum(map(int, errors.groups())) if errors else 0,
        "p95": float(re.search(r"^p95 ([\d.]+)", out, re.M).group(1)),
    }


def in_background(function, *args):
    result = {}
    thread = threading.Thread(target=lambda: result.update(function(*args)))
    thread.start()
    return thread, result


def main():
    work = Path(tempfile.mkdtemp(prefix="ascent-fault-drill-"))
    postgres = PostgresServer().start()
    redis = RedisServer(persistent=True).start()
    os.environ.update(
        DATABASE_URL=postgres.url, REDIS_URL=f"{redis.url}/1", CELERY_BROKER_URL=f"{redis.url}/0",
        DEBUG="0", SECRET_KEY="fault-drill-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", DJANGO_SETTINGS_MODULE="bench.settings",
        STATIC_ROOT=str(work / "static"),
        ASCENT_DATA_DIR=str(work / "data"), FSRS_ENABLE_FUZZING="0",
        EMAIL_BACKEND="tests.email_backends.SlowRecordingBackend", EMAIL_RECORD_FILE=str(work / "delivered.txt"),
        EMAIL_SEND_SECONDS=str(EMAIL_SECONDS), CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )
    env = app_env()
    web = worker = None
    try:
        log("migrating and loading the real content…")
        token = seed_site(env=env, content=ROOT / "content")
        manage("collectstatic", "--noinput", "-v", "0", env=env)
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
        web = Gunicorn(env=env, log=work / "gunicorn.log")
        auth = (("Authorization", f"Token {token}"), ("Content-Type", "application/json"))
        calls = [
            Call("GET", "/"), Call("GET", ROADMAP), Call("GET", "/topics/gradient-descent/"),
            Call("GET", "/search/?q=gradient"), Call("GET", "/api/roadmaps/al-mamari-machine-learning-roadmap/"),
            Call("PUT", "/api/progress/gradient-descent/", json.dumps({"status": "in_progress"}).encode(), auth),
            Call("GET", "/dashboard/"), Call("GET", "/api/progress/", headers=auth),
        ]
        Load(web.url, calls, threads=2).start()
        time.sleep(2)  # warm up: lazy imports, first renders, the page cache
        bare = wrk(f"{web.url}/bench/bare/", 5)
        page = wrk(f"{web.url}{ROADMAP}", 5)
        print(f"Reference, same run: bare view {bare['rps']:.0f} requests/s; roadmap page {page['rps']:.0f} "
              f"requests/s ({page['rps'] / bare['rps']:.2f} of bare), p95 {page['p95']:.1f} ms.\n")

        drill_postgres_restarts(web, postgres, calls)
        drill_redis_stopped_under_load(web, redis, calls)
        worker = Worker(env=env, log=work / "worker.log", pool="prefork", concurrency=2)
        drill_redis_stopped_mid_fan_out(redis, work)
        worker = drill_worker_killed(worker, env, work)
    finally:
        for process in (worker, web):
            if process:
                process.stop()
        postgres.close()
        redis.close()
        log(f"logs kept in {work}")


def drill_postgres_restarts(web, postgres, calls):
    log("1. PostgreSQL restarted three times under load…")
    probe = Load(web.url, calls, threads=2).start()
    thread, load = in_background(wrk, f"{web.url}{ROADMAP}", 20)
    restarts = []
    for _ in range(3):
        time.sleep(5)
        down = time.monotonic()
        postgres.restart()
        restarts.append((down, time.monotonic()))
    thread.join()
    outcomes = probe.stop()
    print("### PostgreSQL restarted under load (`pg_ctl restart -m fast`, three times, 5 s apart)\n")
    print(f"wrk on the roadmap page, 20 s: {load['requests']} requests, {load['non2xx']} non-2xx, "
          f"{load['socket_errors']} socket errors. The probe: {len(outcomes)} requests.\n")
    print("| restart | PostgreSQL down ms | probe requests failed (all in flight during it) | "
          "last failure ended, ms after ready | first success after ready, ms |")
    print("|---|---|---|---|---|")
    for n, (down, up) in enumerate(restarts, 1):
        failed = [o for o in outcomes if not o.ok and o.started < up and o.ended > down]
        last = max((o.ended for o in failed), default=up)
        first_ok = min((o.ended for o in outcomes if o.ok and o.started >= up), default=float("nan"))
        print(f"| {n} | {(up - down) * 1000:.0f} | {len(failed)} | {(last - up) * 1000:.0f} | "
              f"{(first_ok - up) * 1000:.0f} |")
    stray = [o for o in outcomes if not o.ok and not any(d < o.ended and o.started < u for d, u in restarts)]
    print(f"\nProbe failures that did not overlap a restart: {len(stray)}.\n")


def drill_redis_stopped_under_load(web, redis, calls):
    log("2. Redis stopped for 10 s under load…")
    probe = Load(web.url, calls, threads=2).start()
    before = wrk(f"{web.url}{ROADMAP}", 5)
    redis.stop()
    during = wrk(f"{web.url}{ROADMAP}", 10)
    redis.start()
    time.sleep(6)  # the circuit breaker's 5 s window, then the first call finds Redis again
    after = wrk(f"{web.url}{ROADMAP}", 5)
    outcomes = probe.stop()
    failed = [o for o in outcomes if not o.ok]
    print("### Redis (cache and broker) stopped for 10 s under load\n")
    print("| phase | roadmap page requests/s | p95 ms | non-2xx | socket errors |")
    print("|---|---|---|---|---|")
    for name, figures in [("Redis up", before), ("Redis stopped", during), ("Redis back (after 6 s)", after)]:
        print(f"| {name} | {figures['rps']:.0f} | {figures['p95']:.1f} | {figures['non2xx']} | "
              f"{figures['socket_errors']} |")
    print(f"\nThe probe (pages, API reads, progress writes, signed-in dashboard): {len(outcomes)} requests, "
          f"{len(failed)} failed{f' {dict(Counter(o.status for o in failed))}' if failed else ''}.")
    print()


def seed_learners(n: int, prefix: str) -> list[str]:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from quizzes.models import Card, Question

    question = Question.objects.order_by("pk").first()
    now = datetime.datetime.now(datetime.UTC)
    users = User.objects.bulk_create(
        User(email=f"{prefix}{i}@drill.example.com", password="!", time_zone="UTC",
             next_reminder_at=now - datetime.timedelta(minutes=1))
        for i in range(n)
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    Card.objects.bulk_create(
        Card(learner=u, question=question, due=now - datetime.timedelta(hours=1),
             last_review=now - datetime.timedelta(days=3), stability=3.0, difficulty=5.0, state=2)
        for u in users
    )
    return [u.email for u in users]


def delivered(work: Path, prefix: str) -> list[str]:
    path = work / "delivered.txt"
    return [line for line in path.read_text().splitlines() if line.startswith(prefix)] if path.exists() else []


def sent(prefix: str) -> int:
    from quizzes.models import ReminderDay

    return ReminderDay.objects.filter(status="sent", learner__email__startswith=prefix).count()


def broker_empty(redis) -> bool:
    def number(*command):
        return int(subprocess.run(["redis-cli", "-p", str(redis.port), "-n", "0", *command], capture_output=True,
                                  text=True).stdout or 0)

    return number("hlen", "unacked") == 0 and number("llen", "celery") == 0


def exactly_once(work, prefix, learners, *, last_before_kill=None) -> str:
    counts = Counter(delivered(work, prefix))
    doubled = [email for email, n in counts.items() if n > 1]
    missing = len(set(learners) - set(counts))
    why = " (the e-mail delivered at the instant of the kill, before it was marked sent)" \
        if doubled and doubled == [last_before_kill] else ""
    return f"{sum(counts.values())} e-mails to {len(counts)} of {len(learners)} learners, {len(doubled)} " \
           f"doubled{why}, {missing} missing"


def drill_redis_stopped_mid_fan_out(redis, work):
    log("3. Redis stopped for 5 s in the middle of a reminder fan-out…")
    from kombu.exceptions import OperationalError

    from quizzes.tasks import fan_out_reminders

    learners = seed_learners(1000, "r")
    started = time.monotonic()
    fan_out_reminders.delay()
    wait_for(lambda: len(delivered(work, "r")) >= 300, timeout=120, what="300 e-mails")
    at_stop = len(delivered(work, "r"))
    redis.stop()
    try:
        fan_out_reminders.delay()
        beat = "enqueued (unexpected)"
    except OperationalError:
        beat = "refused, as expected"
    time.sleep(5)
    during = len(delivered(work, "r")) - at_stop
    redis.start()
    back = time.monotonic()
    fan_out_reminders.delay()  # beat's next run
    wait_for(lambda: sent("r") == len(learners), timeout=300, what="every reminder")
    all_sent = time.monotonic()
    wait_for(lambda: broker_empty(redis), timeout=300, interval=1, what="an empty broker")
    drained = time.monotonic()
    print("### Redis stopped for 5 s during a reminder fan-out to 1,000 learners (4 chunks, worker with 2 "
          "pool processes, 10 ms per e-mail)\n")
    print(f"- {at_stop} e-mails sent when Redis stopped; {during} more while it was down (chunks already "
          f"taken need only PostgreSQL and SMTP); beat's fan-out while down: {beat}.")
    print(f"- Every learner's day marked sent {all_sent - back:.1f} s after Redis was back; broker empty (no "
          f"message left to run again) after {drained - back:.1f} s; {drained - started:.1f} s in all.")
    print(f"- {exactly_once(work, 'r', learners)}.\n")


def drill_worker_killed(worker, env, work):
    log("4. A worker killed in the middle of a 250-learner chunk…")
    from quizzes.tasks import fan_out_reminders

    learners = seed_learners(250, "k")
    fan_out_reminders.delay()
    wait_for(lambda: len(delivered(work, "k")) >= 100, timeout=120, what="100 e-mails")
    worker.kill()
    killed = time.monotonic()
    at_kill = delivered(work, "k")
    time.sleep(VISIBILITY_TIMEOUT)  # the container comes back once the message is visible again
    worker = Worker(env=env, log=work / "worker.log", pool="prefork", concurrency=2)
    wait_for(lambda: sent("k") == len(learners), timeout=300, what="the chunk")
    whole = time.monotonic() - killed

    log("   …then only its pool processes killed")
    pool_learners = seed_learners(250, "p")
    fan_out_reminders.delay()
    wait_for(lambda: len(delivered(work, "p")) >= 100, timeout=120, what="100 e-mails")
    for child in worker.children():
        os.kill(child, 9)
    killed = time.monotonic()
    pool_at_kill = delivered(work, "p")
    wait_for(lambda: sent("p") == len(pool_learners), timeout=300, what="the chunk")
    pool = time.monotonic() - killed
    print(f"### A worker killed in the middle of a reminder chunk (250 learners, 10 ms per e-mail, visibility "
          f"timeout {VISIBILITY_TIMEOUT} s)\n")
    print("| what was killed | e-mails sent before | back to every learner reminded, s | result |")
    print("|---|---|---|---|")
    print(f"| the whole worker (SIGKILL to all its processes), started again {VISIBILITY_TIMEOUT} s later | "
          f"{len(at_kill)} | {whole:.1f} | {exactly_once(work, 'k', learners, last_before_kill=at_kill[-1])} |")
    print(f"| its pool processes only (the worker stays up) | {len(pool_at_kill)} | {pool:.1f} | "
          f"{exactly_once(work, 'p', pool_learners, last_before_kill=pool_at_kill[-1])} |")
    print()
    return worker


if __name__ == "__main__":
    main()
