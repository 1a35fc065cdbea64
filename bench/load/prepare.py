"""Learners and request files for the load benchmark (bench/load/run.sh).

    python bench/load/prepare.py learners DIR   # learners with sessions and state; request files into DIR
    python bench/load/prepare.py submits DIR    # after the quiz-start run: one submit per attempt it opened

Each request file has one request a line, `METHOD<TAB>PATH<TAB>Header: value|Header: value<TAB>BODY`, read by
requests.lua. Consecutive lines belong to different learners, so wrk's connections spread across them.

Learners: LEARNERS (default 64) are created here, each following two roadmaps with progress on a dozen topics,
three submitted quizzes, about a year of activity and DUE_CARDS (default 150) cards due now. With
LEARNERS_FROM_LOAD_DATA=1 the learners of `manage.py make_load_data` (learner{n}@load.test) are used as they
are; only missing due cards are added. Sessions are minted server-side (as a sign-in would store them), so
no password is hashed during the run. API writes carry the session cookie and the CSRF token, as the site's
own JavaScript sends them; API_AUTH=token sends `Authorization: Token` instead.
"""

import datetime
import json
import os
import random
import sys
from collections import defaultdict
from importlib import import_module
from itertools import zip_longest
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from accounts.models import ApiToken, User  # noqa: E402
from accounts.tokens import create_token  # noqa: E402
from learning.models import Activity, ActivityKind, Follow, ProgressStatus, TopicProgress  # noqa: E402
from quizzes.attempts import served_items, start_attempt, submit_attempt  # noqa: E402
from quizzes.models import Attempt, Card, CardState, Choice, Question, QuestionType  # noqa: E402
from roadmap.models import Placement, Roadmap, Topic  # noqa: E402

ROADMAP = "al-mamari-machine-learning-roadmap"
TOPIC = "gradient-descent"
LOAD_DATA_EMAIL = "learner{n}@load.test"  # make_load_data's learners (password "load-test-password")
SEARCHES = [
    "gradient descent", "neural network", "linear regression", "probability", "overfitting", "pca",
    "decision tree", "transformer", "precision recall", "bayes", "matrix", "convolution", "embedding",
    "cross validation", "loss function", "backpropagation", "clustering", "regularization", "python", "statistics",
]
rng = random.Random(7)


def learners(n: int) -> list[User]:
    if os.environ.get("LEARNERS_FROM_LOAD_DATA") == "1":
        emails = [LOAD_DATA_EMAIL.format(n=i) for i in range(1, n + 1)]
        found = list(User.objects.filter(email__in=emails).order_by("pk"))
        if len(found) < n:
            raise SystemExit(f"only {len(found)} of {n} learner{{n}}@load.test exist: run make_load_data first")
        return found
    emails = [f"bench-learner{i}@bench.example.com" for i in range(1, n + 1)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    created = User.objects.bulk_create(  # a second run on the same database reuses the first run's learners
        User(email=email, password="!", display_name=f"Bench learner {i}")
        for i, email in enumerate(emails, start=1) if email not in existing
    )
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in created)
    give_history(created)
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def give_history(users: list[User]) -> None:
    """What a learner a few weeks in has: follows, topic statuses, quizzes taken, a year of activity."""
    if not users:
        return
    now = timezone.now()
    roadmaps = list(Roadmap.objects.order_by("order")[:2])
    Follow.objects.bulk_create(Follow(learner=u, roadmap=r) for u in users for r in roadmaps)
    first = [p.topic_id for p in Placement.objects.filter(roadmap__slug=ROADMAP).order_by("section__order", "order")]
    statuses = [ProgressStatus.DONE] * 8 + [ProgressStatus.SKIPPED] * 2 + [ProgressStatus.IN_PROGRESS] * 3
    TopicProgress.objects.bulk_create(
        TopicProgress(learner=u, topic_id=t, status=s, updated_at=now - datetime.timedelta(days=rng.randint(1, 60)))
        for u in users for t, s in zip(first, statuses, strict=False)
    )
    Activity.objects.bulk_create(
        Activity(learner=u, kind=rng.choice(ActivityKind.values), topic_id=rng.choice(first), detail="bench",
                 at=now - datetime.timedelta(days=rng.randint(0, 364), minutes=rng.randint(0, 1440)))
        for u in users for _ in range(80)
    )
    quiz_topics = list(Topic.objects.filter(slug__in=quiz_topic_slugs()[:3]))
    for user in users:
        for topic in quiz_topics:
            attempt = start_attempt(learner=user, topic=topic, rng=rng)
            submit_attempt(learner=user, attempt_id=attempt.pk, answers=answers_for(attempt),
                           now=attempt.started_at + datetime.timedelta(minutes=4))


def quiz_topic_slugs() -> list[str]:
    """Topics of the roadmap with a quiz (five questions or more), in roadmap order."""
    rows = (
        Placement.objects.filter(roadmap__slug=ROADMAP)
        .annotate(n=Count("topic__questions", filter=Q(topic__questions__active=True)))
        .filter(n__gte=5)
        .order_by("section__order", "order")
        .values_list("topic__slug", flat=True)
    )
    return list(rows)


def answers_for(attempt: Attempt) -> list[dict]:
    """An answer to every served question, right or wrong at random."""
    answers = []
    for item in served_items(attempt):
        answer = answer_for(item.type, [c.id for c in item.choices], item.id)
        answers.append({"question": item.id, **answer})
    return answers


_numeric_answers: dict[int, float] = {}


def answer_for(kind: str, choice_ids: list[int], question_id: int) -> dict:
    time_ms = rng.randint(3000, 30000)
    if kind == QuestionType.NUMERIC:
        if not _numeric_answers:
            numeric = Question.objects.filter(type=QuestionType.NUMERIC)
            _numeric_answers.update(numeric.values_list("pk", "numeric_answer"))
        right = _numeric_answers[question_id]
        return {"value": right if rng.random() < 0.7 else right + 1, "time_ms": time_ms}
    picked = rng.sample(choice_ids, 2 if kind == QuestionType.MULTIPLE and len(choice_ids) > 2 else 1)
    return {"choices": picked, "time_ms": time_ms}


def due_cards(users: list[User], per_learner: int) -> dict[int, list[Card]]:
    """Each learner's cards due now and not yet reviewed today, topped up to `per_learner` with new ones."""
    now = timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    questions = list(Question.objects.filter(active=True).values_list("pk", flat=True))
    have = defaultdict(set)
    for learner_id, question_id in Card.objects.filter(learner__in=users).values_list("learner_id", "question_id"):
        have[learner_id].add(question_id)
    due = defaultdict(list)
    for card in Card.objects.filter(learner__in=users, due__lte=now, question__active=True).exclude(
        last_review__gte=today
    ).order_by("due"):
        due[card.learner_id].append(card)
    new = []
    for user in users:
        missing = per_learner - len(due[user.pk])
        free = [q for q in questions if q not in have[user.pk]]
        for question_id in rng.sample(free, max(0, min(missing, len(free)))):
            new.append(Card(learner=user, question_id=question_id, state=CardState.REVIEW,
                            stability=rng.uniform(1, 30), difficulty=rng.uniform(3, 8),
                            due=now - datetime.timedelta(hours=rng.randint(1, 96)),
                            last_review=now - datetime.timedelta(days=rng.randint(3, 40))))
    for card in Card.objects.bulk_create(new):
        due[card.learner_id].append(card)
    return {user.pk: due[user.pk][:per_learner] for user in users}


def credentials(users: list[User]) -> dict[int, dict]:
    """A signed-in session (cookie and CSRF token) and an API token per learner."""
    result = {}
    ApiToken.objects.filter(user__in=users, name="load benchmark").delete()  # from an earlier run
    # The configured engine (cached_db): the sessions are in the cache as a sign-in would leave them.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806 - Django's own name
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)
        result[user.pk] = {
            "cookie": f"sessionid={session.session_key}; csrftoken={csrf}",
            "csrf": csrf,
            "token": create_token(user=user, name="load benchmark").key,
        }
    Path(OUT, "credentials.json").write_text(json.dumps(result))
    return result


def page_headers(cred: dict) -> str:
    return f"Cookie: {cred['cookie']}"


def api_headers(cred: dict) -> str:
    auth = (f"Authorization: Token {cred['token']}" if os.environ.get("API_AUTH") == "token"
            else f"Cookie: {cred['cookie']}|X-CSRFToken: {cred['csrf']}")
    return f"{auth}|Content-Type: application/json|Accept: application/json"


def interleave(per_learner: list[list[str]]) -> list[str]:
    """Round robin over learners, so that neighbouring requests belong to different learners."""
    return [line for group in zip_longest(*per_learner) for line in group if line is not None]


def write(name: str, lines: list[str]) -> None:
    Path(OUT, f"{name}.req").write_text("".join(f"{line}\n" for line in lines))
    print(f"{name}: {len(lines)} requests", file=sys.stderr)


def prepare_learners() -> None:
    users = learners(int(os.environ.get("LEARNERS", "64")))
    creds = credentials(users)
    cards = due_cards(users, int(os.environ.get("DUE_CARDS", "150")))
    topics = quiz_topic_slugs()
    write("search", [f"GET\t/search/?q={q.replace(' ', '+')}\t\t" for q in SEARCHES])
    write("roadmap-signed-in", [f"GET\t/roadmaps/{ROADMAP}/\t{page_headers(creds[u.pk])}\t" for u in users])
    write("topic-signed-in", [f"GET\t/topics/{TOPIC}/?roadmap={ROADMAP}\t{page_headers(creds[u.pk])}\t" for u in users])
    write("dashboard", [f"GET\t/dashboard/\t{page_headers(creds[u.pk])}\t" for u in users])
    # The cheapest signed-in request there is (a session, its learner, a small JSON answer): the floor
    # under every signed-in page and API read.
    write("me", [f"GET\t/api/me/\t{api_headers(creds[u.pk])}\t" for u in users])
    write("quiz-start", interleave([
        [f"POST\t/api/topics/{slug}/quiz/\t{api_headers(creds[u.pk])}\t" for slug in topics] for u in users
    ]))
    choices = defaultdict(list)
    for question_id, choice_id in Choice.objects.filter(
        question__in={c.question_id for cs in cards.values() for c in cs}
    ).values_list("question_id", "pk"):
        choices[question_id].append(choice_id)
    kinds = dict(Question.objects.values_list("pk", "type"))
    write("review-answer", interleave([
        [f"POST\t/api/reviews/{c.pk}/answer/\t{api_headers(creds[u.pk])}\t"
         f"{json.dumps(answer_for(kinds[c.question_id], sorted(choices[c.question_id]), c.question_id))}"
         for c in cards[u.pk]]
        for u in users
    ]))


def prepare_submits() -> None:
    """One submit per attempt the quiz-start run opened, answering every question."""
    creds = {int(k): v for k, v in json.loads(Path(OUT, "credentials.json").read_text()).items()}
    since = timezone.now() - datetime.timedelta(hours=1)
    attempts = Attempt.objects.filter(learner__in=list(creds), submitted_at__isnull=True, started_at__gte=since)
    per_learner = defaultdict(list)
    for attempt in attempts.order_by("pk"):
        body = json.dumps({"answers": answers_for(attempt)})
        per_learner[attempt.learner_id].append(
            f"POST\t/api/attempts/{attempt.pk}/submit/\t{api_headers(creds[attempt.learner_id])}\t{body}"
        )
    write("quiz-submit", interleave(list(per_learner.values())))


if __name__ == "__main__":
    command, OUT = sys.argv[1], sys.argv[2]
    {"learners": prepare_learners, "submits": prepare_submits}[command]()
