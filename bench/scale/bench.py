"""Scale benchmark: does an endpoint cost the same when the tables around the learner are 1,000 times bigger?

Two databases hold the same content and the same learner 0 (100 cards, made by `make_load_data` with the same
seed and clock); one has 10 learners (1,000 cards), the other 10,000 (1,000,000 cards). For every endpoint
this prints, as Markdown, the query count in each database and the median latency, measured in process
with Django's test client in alternating rounds (small, large, large, small, ...) so that whatever else
the machine does weighs on both alike. Every request runs in a transaction that is rolled back, so
learner 0's data stays the same from request to request and between the databases.

With `--explain`, every query the endpoints run is EXPLAINed (ANALYZE, BUFFERS) in the large database, and
scans of the big tables are listed: a sequential scan there, or an index scan that throws most rows away,
is a missing index.

    bench/scale/run.sh                       # the whole thing, on throwaway PostgreSQL and Redis
    python bench/scale/bench.py --small ascent_small --large ascent --rounds 150 --explain
"""

import argparse
import contextlib
import datetime
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.throttling import SimpleRateThrottle  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.load_data import load_email  # noqa: E402
from quizzes.models import Card, Question, ReviewLog  # noqa: E402
from quizzes.reminders import plan_chunks, send_batch  # noqa: E402
from quizzes.reviews import due_cards  # noqa: E402

# Rate limits would answer 429 to a benchmark's hundreds of requests a minute: they are not what is measured.
SimpleRateThrottle.allow_request = lambda self, request, view: True

BIG_TABLES = {
    "accounts_user", "account_emailaddress", "quizzes_card", "quizzes_reviewlog", "quizzes_attempt",
    "quizzes_servedquestion", "quizzes_answer", "quizzes_answer_chosen", "roadmap_topicprogress",
    "roadmap_activity", "roadmap_follow", "roadmap_resourcetick", "roadmap_topicnote", "django_session",
    "quizzes_reminderday",
}
COUNTED_TABLES = ("accounts_user", "quizzes_card", "quizzes_reviewlog", "quizzes_attempt", "quizzes_answer",
                  "roadmap_activity", "roadmap_topicprogress")
_SAVEPOINT = re.compile(r"^(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


@dataclass
class Endpoint:
    name: str
    path: str  # formatted with the fixture
    signed_in: bool = True
    method: str = "get"
    body: object = None  # a fixture key, or a callable(fixture, prepared) for POST bodies
    prepare: object = None  # callable(client, fixture) -> dict, inside the rolled-back transaction, not timed
    status: int = 200


def _start_quiz(client, fx) -> dict:
    response = client.post(f"/api/topics/{fx['topic']}/quiz/")
    assert response.status_code == 201, response.content
    body = response.json()
    answers = [{"question": q["id"], **({"choices": [q["choices"][0]["id"]]} if q["choices"] else {"value": 1})}
               for q in body["questions"]]
    return {"attempt": body["id"], "answers": answers}


ENDPOINTS = [
    Endpoint("bare view", "/bench/bare/", signed_in=False),
    Endpoint("home", "/", signed_in=False),
    Endpoint("roadmap page, anonymous", "/roadmaps/{roadmap}/", signed_in=False),
    Endpoint("roadmap page, signed in", "/roadmaps/{roadmap}/"),
    Endpoint("topic page, anonymous", "/topics/{topic}/", signed_in=False),
    Endpoint("topic page, signed in", "/topics/{topic}/"),
    Endpoint("search", "/search/?q=gradient+descent", signed_in=False),
    Endpoint("dashboard", "/dashboard/"),
    Endpoint("review page", "/reviews/"),
    Endpoint("GET /api/roadmaps/{slug}/", "/api/roadmaps/{roadmap}/", signed_in=False),
    Endpoint("GET /api/roadmaps/{slug}/progress/", "/api/roadmaps/{roadmap}/progress/"),
    Endpoint("GET /api/reviews/due/", "/api/reviews/due/"),
    Endpoint("GET /api/reviews/forecast/", "/api/reviews/forecast/"),
    Endpoint("GET /api/progress/", "/api/progress/"),
    Endpoint("GET /api/attempts/", "/api/attempts/"),
    Endpoint("GET /api/me/export/", "/api/me/export/"),
    Endpoint("POST quiz start", "/api/topics/{topic}/quiz/", method="post", status=201),
    Endpoint("POST quiz submit", "/api/attempts/{attempt}/submit/", method="post", prepare=_start_quiz,
             body=lambda fx, prepared: {"answers": prepared["answers"]}),
    Endpoint("POST review answer", "/api/reviews/{card}/answer/", method="post",
             body=lambda fx, prepared: fx["review_answer"]),
]


def use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def fixture() -> dict:
    """Learner 0 and what its requests name: a roadmap it follows, a topic with questions, a due card."""
    learner = User.objects.get(email=load_email(0))
    roadmap = learner.follows.order_by("created_at").select_related("roadmap").first().roadmap
    topic = (Question.objects.filter(active=True, topic__placements__roadmap=roadmap)
             .order_by("topic__placements__section__order", "topic__placements__order").first().topic)
    card = next(iter(due_cards(learner)), None) or Card.objects.filter(learner=learner).order_by("due").first()
    question = card.question
    choice = question.choices.order_by("pk").first()
    return {
        "learner": learner.pk, "roadmap": roadmap.slug, "topic": topic.slug, "card": card.pk,
        "review_answer": {"choices": [choice.pk]} if choice else {"value": 1},
    }


def learner_rows(learner_id: int) -> dict:
    return {
        "cards": Card.objects.filter(learner_id=learner_id).count(),
        "logs": ReviewLog.objects.filter(card__learner_id=learner_id).count(),
        "attempts": User.objects.get(pk=learner_id).attempts.count(),
        "activities": User.objects.get(pk=learner_id).activities.count(),
    }


def table_rows() -> dict:
    with connection.cursor() as cursor:
        result = {}
        for table in COUNTED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            result[table] = cursor.fetchone()[0]
        return result


@dataclass
class Database:
    name: str
    fixture: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    times: dict = field(default_factory=dict)
    queries: dict = field(default_factory=dict)


def request(db: Database, endpoint: Endpoint, *, capture: bool = False):
    """One request in a rolled-back transaction: (seconds, the queries if captured)."""
    client = db.clients[endpoint.signed_in]
    fx = db.fixture
    with transaction.atomic():
        prepared = endpoint.prepare(client, fx) if endpoint.prepare else {}
        path = endpoint.path.format(**fx, **prepared)
        body = endpoint.body(fx, prepared) if endpoint.body else None
        context = CaptureQueriesContext(connection) if capture else contextlib.nullcontext()
        with context:
            started = time.perf_counter()
            if endpoint.method == "get":
                response = client.get(path)
            else:
                response = client.post(path, json.dumps(body) if body is not None else None,
                                       content_type="application/json")
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    if response.status_code != endpoint.status:
        raise SystemExit(f"{endpoint.name} in {db.name}: {response.status_code} {response.content[:300]!r}")
    queries = [q["sql"] for q in context.captured_queries if not _SAVEPOINT.match(q["sql"])] if capture else []
    return elapsed, queries


def set_up(db: Database) -> None:
    use_database(db.name)
    db.fixture = fixture()
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(User.objects.get(pk=db.fixture["learner"]))
    db.clients = {False: anonymous, True: signed_in}
    for endpoint in ENDPOINTS:
        for _ in range(3):  # warm: caches filled, code paths imported
            request(db, endpoint)
        db.queries[endpoint.name] = request(db, endpoint, capture=True)[1]
        db.times[endpoint.name] = []


# --- EXPLAIN --------------------------------------------------------------------------------------------------


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@dataclass
class Scan:
    node: str
    table: str
    index: str | None
    rows: float
    removed: float
    buffers: int

    @property
    def bad(self) -> bool:
        if self.table not in BIG_TABLES:
            return False
        return self.node == "Seq Scan" or self.removed > max(1000, 10 * self.rows)

    def __str__(self):
        using = f" using {self.index}" if self.index else ""
        removed = f", {self.removed:.0f} removed by filter" if self.removed else ""
        return f"{self.node}{using} on {self.table} ({self.rows:.0f} rows{removed}, {self.buffers} buffers)"


def explain(sql: str) -> tuple[list[Scan], float]:
    """EXPLAIN (ANALYZE, BUFFERS) in a rolled-back transaction: the scans, and the execution time in ms."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        result = cursor.fetchone()[0]
        transaction.set_rollback(True)
    result = json.loads(result) if isinstance(result, str) else result
    scans = []
    for node in _nodes(result[0]["Plan"]):
        if "Relation Name" not in node or node["Node Type"] == "ModifyTable":
            continue
        loops = node.get("Actual Loops", 1)
        scans.append(Scan(
            node=node["Node Type"], table=node["Relation Name"], index=node.get("Index Name"),
            rows=node.get("Actual Rows", 0) * loops,
            removed=(node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)) * loops,
            buffers=node.get("Shared Hit Blocks", 0) + node.get("Shared Read Blocks", 0),
        ))
    return scans, result[0]["Execution Time"]


def background_queries() -> dict[str, list[str]]:
    """The reminder fan-out's hot queries: selecting learners to remind, and sending one chunk. A day from
    now, when every learner's reminder time has passed (rolled back: nothing is claimed or sent)."""
    later = timezone.now() + datetime.timedelta(days=1)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as selecting:
            chunk = next(iter(plan_chunks(now=later)), [])
        with CaptureQueriesContext(connection) as sending:
            send_batch(learner_ids=chunk, claim_token="scale-bench", now=later)
        transaction.set_rollback(True)
    return {"reminders: select learners": [q["sql"] for q in selecting.captured_queries],
            "reminders: send a chunk": [q["sql"] for q in sending.captured_queries]}


def explain_all(db: Database) -> list[dict]:
    use_database(db.name)
    report = []
    queries = {endpoint.name: db.queries[endpoint.name] for endpoint in ENDPOINTS} | background_queries()
    for name, statements in queries.items():
        seen = set()
        for sql in statements:
            shape = re.sub(r"\d+", "0", sql)
            if shape in seen or not re.match(r"^\s*(SELECT|UPDATE|DELETE|WITH)\b", sql, re.I):
                continue  # the same query again (one per e-mail), or an INSERT of values, which scans nothing
            seen.add(shape)
            scans, ms = explain(sql)
            report.append({"endpoint": name, "sql": sql, "ms": ms, "scans": scans})
    return report


# --- Report ---------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", required=True, help="database with 1,000 cards")
    parser.add_argument("--large", required=True, help="database with 1,000,000 cards")
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--explain-out", help="also write every EXPLAINed query and its scans to this file")
    args = parser.parse_args()

    small, large = Database(args.small), Database(args.large)
    sizes = {}
    for db in (small, large):
        print(f"setting up {db.name}…", file=sys.stderr)
        set_up(db)
        sizes[db.name] = {"tables": table_rows(), "learner 0": learner_rows(db.fixture["learner"])}
    same = ("roadmap", "topic", "review_answer")  # ids of learner rows may differ; content ids do not
    if sizes[small.name]["learner 0"] != sizes[large.name]["learner 0"] or any(
        small.fixture[key] != large.fixture[key] for key in same
    ):
        raise SystemExit(f"learner 0 differs between the databases: {sizes}, {small.fixture}, {large.fixture}")

    for number in range(args.rounds):
        for db in (small, large) if number % 2 == 0 else (large, small):
            use_database(db.name)
            for endpoint in ENDPOINTS:
                db.times[endpoint.name].append(request(db, endpoint)[0])
        if number % 10 == 9:
            print(f"round {number + 1}/{args.rounds}", file=sys.stderr)

    print(f"Table rows: {json.dumps(sizes[small.name]['tables'])} / {json.dumps(sizes[large.name]['tables'])}")
    print(f"Learner 0 in both: {json.dumps(sizes[small.name]['learner 0'])}\n")
    print("| endpoint | queries at 1k cards | queries at 1M cards | median ms at 1k | median ms at 1M | ratio |")
    print("|---|---|---|---|---|---|")
    for endpoint in ENDPOINTS:
        q_small, q_large = len(small.queries[endpoint.name]), len(large.queries[endpoint.name])
        if not args.rounds:  # query counts only
            print(f"| {endpoint.name} | {q_small} | {q_large} | | | |")
            continue
        m_small = statistics.median(small.times[endpoint.name]) * 1000
        m_large = statistics.median(large.times[endpoint.name]) * 1000
        ratio = m_large / m_small
        flags = (" **queries grow**" if q_large != q_small else "") + (" **slower**" if ratio >= 1.3 else "")
        print(f"| {endpoint.name}{flags} | {q_small} | {q_large} | {m_small:.2f} | {m_large:.2f} | {ratio:.2f} |")

    if args.explain:
        report = explain_all(large)
        bad = [(row, scan) for row in report for scan in row["scans"] if scan.bad]
        print(f"\nEXPLAIN (ANALYZE, BUFFERS) at 1M cards: {len(report)} queries (endpoints and reminder fan-out); "
              f"{len(bad)} scan(s) of a big table without a fitting index.")
        for row, scan in bad:
            print(f"- {row['endpoint']}: {scan} in {row['ms']:.2f} ms: `{row['sql'][:300]}`")
        print("\nBig-table scans per endpoint (at 1M cards):\n")
        for name in dict.fromkeys(row["endpoint"] for row in report):
            seen = []
            for row in report:
                if row["endpoint"] == name:
                    seen += [f"{s.node}{' using ' + s.index if s.index else ''} on {s.table}"
                             for s in row["scans"] if s.table in BIG_TABLES]
            if seen:
                print(f"- {name}: " + "; ".join(dict.fromkeys(seen)))
        if args.explain_out:
            with open(args.explain_out, "w") as out:
                for row in report:
                    out.write(f"## {row['endpoint']} ({row['ms']:.2f} ms)\n{row['sql']}\n")
                    out.writelines(f"  {scan}{'  <-- NO FITTING INDEX' if scan.bad else ''}\n" for scan in row["scans"])
                    out.write("\n")


if __name__ == "__main__":
    main()
