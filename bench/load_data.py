"""Realistic load data for benchmarks: learners who follow roadmaps, take quizzes and review cards.

Run through `manage.py make_load_data`. PostgreSQL only: rows are written with COPY, one batch of learners
per transaction, which is what makes a million cards a matter of minutes.

- Learner n is `learner{n}@load.test`, with the password LOAD_PASSWORD (hashed once for all of them) and a
  verified primary e-mail address.
- Each learner is drawn from its own random stream (seed, n): a run is repeatable, the batch size does not
  change the data, and a later run asking for more learners adds them after the last one without touching
  those already there (learner 0 is the same with 10 or 10,000 learners around it).
- What a learner did holds together as if the app had recorded it: it follows one to three roadmaps and
  works through their topics in order; each topic it studied has a submitted quiz attempt whose served
  questions, answers and picked choices are graded by the app's own grading; every answered question is a
  card whose review logs (the quiz answer first, then reviews) replay through FSRS to the card's state;
  topic statuses follow the best score; activity rows mirror quizzes, reviews, statuses and ticks; a
  learner with reminders on was sent one on each past day it reviewed.
- Timing: the more a topic's cards were reviewed, the longer ago its quiz was, and each quiz is placed so
  that its cards were last reviewed before they fell due again. Most cards are therefore due in the coming
  days and weeks, some are due now, and lapsed learners (about one in ten) have a backlog.
"""

import datetime
import json
import math
import random
import re
import zoneinfo
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import fsrs
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from learning.models import Activity, ActivityKind, Follow, ProgressStatus, ResourceTick, TopicNote, TopicProgress
from quizzes.attempts import PASS_PERCENT, QUESTIONS_PER_QUIZ
from quizzes.grading import grade_choices, grade_number
from quizzes.models import (
    Answer,
    Attempt,
    Card,
    Choice,
    Question,
    QuestionType,
    Rating,
    ReminderDay,
    ReviewLog,
    ReviewSource,
    ServedQuestion,
    ToleranceKind,
)
from quizzes.reminders import next_reminder_at
from quizzes.scheduling import LEARNING_STEPS, RELEARNING_STEPS, SLOW_FACTOR
from roadmap.models import Placement, Resource, Roadmap
from roadmap.rendering import render_markdown

LOAD_PASSWORD = "load-test-password"
EMAIL_DOMAIN = "load.test"
_EMAIL = re.compile(r"^learner(\d+)@load\.test$")

TIME_ZONES = {  # where the learners are, roughly weighted
    "Europe/London": 8, "Europe/Berlin": 8, "Europe/Paris": 6, "America/New_York": 10, "America/Chicago": 5,
    "America/Los_Angeles": 7, "America/Sao_Paulo": 4, "Asia/Kolkata": 12, "Asia/Shanghai": 6, "Asia/Tokyo": 4,
    "Australia/Sydney": 3, "Africa/Lagos": 3, "UTC": 4,
}
NOTE_BODIES = (
    "Key idea of **{title}**: say it in one sentence before the quiz.",
    "Re-read the first resource on {title}, then redo the exercise.\n\n- what I got wrong\n- what to check next time",
    "Formula to remember for {title}:\n\n```\ny = w * x + b\n```\n\nDerive it once by hand.",
    "{title}: the part about edge cases confused me. See [the docs](https://docs.python.org/3/).",
    "Questions for later on {title}:\n\n1. Why does this work?\n2. When does it fail?",
)
LAPSED_SHARE = 0.1  # learners who stopped a while ago: their cards pile up overdue
RETAKE_SHARE = 0.3  # a poor first attempt (under 60%) is retaken straight away this often
SKIP_SHARE = 0.06  # topics marked "skipped" (known already) instead of studied
NOTE_SHARE = 0.08  # studied topics with a note
TICK_SHARE = 0.4  # resources of a finished topic ticked as read
# A quiz's other cards come back sooner than its pace card when they were answered wrong: measured, pacing at
# 0.7 of the wanted reviews per card gives about the wanted number of review logs in all.
PACE = 0.7
EASY_SHARE = 0.04  # right answers the learner marked "too easy"
SLOW_SHARE = 0.08  # right answers slower than twice the learner's median, so rated Hard


class LoadDataError(Exception):
    """The database cannot take load data as it is; the message says why and what to do."""


def load_email(n: int) -> str:
    return f"learner{n}@{EMAIL_DOMAIN}"


# --- What learners can study: the loaded content, read once --------------------------------------------------


@dataclass(frozen=True)
class _Question:
    id: int
    key: str
    type: str
    difficulty: int
    choices: tuple[int, ...]
    correct: frozenset[int]
    numeric_answer: float | None
    tolerance: float | None
    tolerance_kind: str


@dataclass
class Catalogue:
    roadmaps: list[tuple[int, list[int]]]  # (roadmap id, its topic ids in order), roadmaps in order
    questions: dict[int, list[_Question]]  # topic id -> active questions
    resources: dict[int, list[tuple[int, str]]]  # topic id -> [(resource id, title)]
    titles: dict[int, str]

    @property
    def question_count(self) -> int:
        return sum(len(questions) for questions in self.questions.values())


def read_catalogue() -> Catalogue:
    """The roadmaps, topics, active questions with their choices, and resources (five queries)."""
    choices: dict[int, list[tuple[int, bool]]] = {}
    for question_id, choice_id, correct in Choice.objects.order_by("pk").values_list("question_id", "pk", "is_correct"):
        choices.setdefault(question_id, []).append((choice_id, correct))
    questions: dict[int, list[_Question]] = {}
    for q in Question.objects.filter(active=True).order_by("topic_id", "order", "pk"):
        own = choices.get(q.pk, [])
        questions.setdefault(q.topic_id, []).append(_Question(
            id=q.pk, key=q.key, type=q.type, difficulty=q.difficulty, choices=tuple(c for c, _ in own),
            correct=frozenset(c for c, right in own if right), numeric_answer=q.numeric_answer,
            tolerance=q.tolerance, tolerance_kind=q.tolerance_kind,
        ))
    topics: dict[int, list[int]] = {}
    titles: dict[int, str] = {}
    for roadmap_id, topic_id, title in Placement.objects.order_by("roadmap_id", "section__order", "order").values_list(
        "roadmap_id", "topic_id", "topic__title"
    ):
        topics.setdefault(roadmap_id, []).append(topic_id)
        titles[topic_id] = title
    resources: dict[int, list[tuple[int, str]]] = {}
    for resource_id, topic_id, title in Resource.objects.order_by("topic_id", "order", "pk").values_list(
        "pk", "topic_id", "title"
    ):
        resources.setdefault(topic_id, []).append((resource_id, title))
    roadmaps = [(pk, topics[pk]) for pk in Roadmap.objects.values_list("pk", flat=True) if pk in topics]
    return Catalogue(roadmaps=roadmaps, questions=questions, resources=resources, titles=titles)


# --- A learner, simulated --------------------------------------------------------------------------------------


@dataclass
class _Event:
    """One answer to a card's question: in a quiz or in a review, and what it did to the schedule."""

    at: datetime.datetime
    correct: bool
    points: float
    time_ms: int
    given: dict  # {"choices": [ids]} or {"value": x}, as reviews store it
    rating: Rating
    source: str = ReviewSource.QUIZ
    scheduled: bool = True  # False: a second answer the same local day, logged only
    before: list | None = None  # the card before this review: state, step, stability, difficulty, due, last review


@dataclass
class _CardPlan:
    question: _Question
    events: list[_Event]
    card: fsrs.Card


@dataclass
class _Quiz:
    topic: int
    served: list[_Question]
    answers: list[_Event | None]  # per served question; None: left blank (no card)
    cards: list[_CardPlan]
    submitted_at: datetime.datetime


# Cards are simulated from this instant, then shifted to their place in time: FSRS counts whole days between
# reviews, so a shift changes nothing in a card's schedule.
_EPOCH = datetime.datetime(2000, 1, 3, tzinfo=datetime.UTC)


class _Learner:
    """One learner, drawn from its own random stream."""

    def __init__(self, n: int, *, seed: int, catalogue: Catalogue, cards: int, logs_per_card: float,
                 now: datetime.datetime, scheduler: fsrs.Scheduler, notes: dict):
        self.n, self.catalogue, self.cards, self.logs_per_card = n, catalogue, cards, logs_per_card
        self.now, self.scheduler, self.notes = now, scheduler, notes
        self.rng = random.Random(f"{seed}:{n}")
        self.skill = self.rng.uniform(0.55, 0.95)
        self.median_ms = self.rng.lognormvariate(math.log(9000), 0.3)

    # -- answering

    def answer(self, q: _Question, p_right: float, at: datetime.datetime) -> _Event:
        """An answer, right with probability `p_right`, graded by the app's grading and rated as the app rates."""
        rng = self.rng
        right = rng.random() < p_right
        if q.type == QuestionType.NUMERIC:
            allowed = q.tolerance * abs(q.numeric_answer) if q.tolerance_kind == ToleranceKind.RELATIVE else q.tolerance
            off = rng.uniform(-0.5, 0.5) * allowed if right else rng.choice((-1, 1)) * (
                2 * allowed + 0.5 * abs(q.numeric_answer) + 1)
            value = round(q.numeric_answer + off, 6)
            grade = grade_number(answer=q.numeric_answer, tolerance=q.tolerance, tolerance_kind=q.tolerance_kind,
                                 value=value)
            given = {"value": value}
        else:
            wrong = [c for c in q.choices if c not in q.correct]
            picked = set(q.correct)
            if not right and wrong:
                if q.type != QuestionType.MULTIPLE:
                    picked = {rng.choice(wrong)}
                elif len(picked) > 1 and rng.random() < 0.5:
                    picked.discard(rng.choice(sorted(picked)))
                else:
                    picked.add(rng.choice(wrong))
            grade = grade_choices(kind=q.type, correct_ids=set(q.correct), all_ids=set(q.choices), picked=picked)
            given = {"choices": sorted(picked)}
        slow = grade.correct and rng.random() < SLOW_SHARE
        factor = rng.uniform(SLOW_FACTOR + 0.2, 4) if slow else min(rng.lognormvariate(0, 0.3), SLOW_FACTOR - 0.1)
        if not grade.correct:
            rating = Rating.AGAIN
        elif slow:
            rating = Rating.HARD
        else:
            rating = Rating.EASY if rng.random() < EASY_SHARE else Rating.GOOD
        return _Event(at=at, correct=grade.correct, points=grade.points, time_ms=int(self.median_ms * factor),
                      given=given, rating=rating)

    def quiz_p_right(self, q: _Question) -> float:
        return min(0.97, max(0.15, self.skill - 0.08 * (q.difficulty - 2)))

    # -- a card's life

    def review(self, plan: _CardPlan, event: _Event) -> None:
        card = plan.card
        step = card.step if card.last_review else None  # a new card is stored without a step
        event.before = [int(card.state), step, card.stability, card.difficulty, card.due, card.last_review]
        plan.card, _ = self.scheduler.review_card(card, fsrs.Rating(int(event.rating)), event.at)
        plan.events.append(event)

    def simulate(self, q: _Question, first: _Event, *, reviews: int | None = None,
                 until: datetime.datetime | None = None) -> _CardPlan:
        """A card from its quiz answer at _EPOCH, then reviewed a few hours after each time it falls due:
        `reviews` times, or as long as that is before `until`."""
        plan = _CardPlan(question=q, events=[], card=fsrs.Card(card_id=0, due=_EPOCH))
        self.review(plan, first)
        while reviews is None or len(plan.events) <= reviews:
            at = plan.card.due + datetime.timedelta(hours=self.rng.uniform(2, 30))
            if until is not None and at >= until:
                break
            recall = self.scheduler.get_card_retrievability(plan.card, at)
            event = self.answer(q, min(0.98, max(0.05, recall + (self.skill - 0.75) * 0.4)), at)
            event.source = ReviewSource.REVIEW
            self.review(plan, event)
        return plan

    def events_per_card(self) -> int:
        """The pace card's logs: the quiz answer, then Binomial(3, p) reviews."""
        p = PACE * (self.logs_per_card - 1) / 3
        return 1 + sum(self.rng.random() < p for _ in range(3))

    # -- what it studied, and when

    def follows(self) -> list[int]:
        """One to three roadmaps, the first ones more often."""
        roadmaps = [pk for pk, _ in self.catalogue.roadmaps]
        weights = [1 / (rank + 1) for rank in range(len(roadmaps))]
        chosen = []
        for _ in range(min(len(roadmaps), self.rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0])):
            index = self.rng.choices(range(len(roadmaps)), weights)[0]
            chosen.append(roadmaps.pop(index))
            weights.pop(index)
        return chosen

    def studied_topics(self, followed: list[int]) -> tuple[list[tuple[int, list[_Question], int]], dict[int, str]]:
        """Topics in the order of the followed roadmaps (then the others) until the learner has its cards:
        [(topic, served questions, how many answered)], and the statuses of topics it did not quiz on."""
        rng, catalogue = self.rng, self.catalogue
        by_roadmap = dict(catalogue.roadmaps)
        order = [t for pk in followed for t in by_roadmap[pk]]
        order += [t for pk, topics in catalogue.roadmaps if pk not in followed for t in topics]
        budget, studied, statuses, seen = self.cards, [], {}, set()
        for topic in order:
            if topic in seen:
                continue
            seen.add(topic)
            if budget <= 0:
                if rng.random() < 0.5:
                    statuses[topic] = ProgressStatus.IN_PROGRESS  # opened the next topic, no quiz yet
                break
            questions = catalogue.questions.get(topic, [])
            if rng.random() < SKIP_SHARE:
                statuses[topic] = ProgressStatus.SKIPPED
            elif not questions:
                statuses[topic] = ProgressStatus.DONE  # read; nothing to quiz on
            else:
                served = rng.sample(questions, min(QUESTIONS_PER_QUIZ, len(questions)))
                answered = min(len(served), budget)  # the last quiz may leave questions blank
                budget -= answered
                studied.append((topic, served, answered))
        return studied, statuses

    def quizzes(self, studied) -> list[_Quiz]:
        """Each studied topic's quiz and its cards' reviews, placed in time before now.

        The quiz's first card is reviewed a drawn number of times, and "now" falls at a random point of its
        last interval: that says how long ago the quiz was. Its other cards are then reviewed whenever due
        until now, so a card is either due later or fell due within the last day or so; a lapsed learner
        stopped reviewing some weeks ago, and its cards fell due since.
        """
        rng, now = self.rng, self.now
        counts = sorted((self.events_per_card() for _ in studied), reverse=True)  # earlier topics, more reviews
        lapse = datetime.timedelta(days=rng.uniform(2, 45)) if rng.random() < LAPSED_SHARE else datetime.timedelta()
        quizzes = []
        for (topic, served, answered), count in zip(studied, counts, strict=True):
            answers = [self.answer(q, self.quiz_p_right(q), _EPOCH) if i < answered else None
                       for i, q in enumerate(served)]
            answered_pairs = [(q, first) for q, first in zip(served, answers, strict=True) if first]
            pace = self.simulate(*answered_pairs[0], reviews=count - 1)
            last = pace.events[-1].at
            stopped = last + (pace.card.due - last) * rng.random()  # the simulated instant of `now - lapse`
            cards = [pace] + [self.simulate(q, first, until=stopped) for q, first in answered_pairs[1:]]
            shift = now - lapse - stopped
            for plan in cards:
                for event in plan.events:
                    event.at += shift
                    event.before[4] += shift
                    if event.before[5]:
                        event.before[5] += shift
                plan.card.due += shift
                plan.card.last_review += shift
            quizzes.append(_Quiz(topic=topic, served=served, answers=answers, cards=cards, submitted_at=_EPOCH + shift))
        return quizzes

    def retake(self, quiz: _Quiz, zone: zoneinfo.ZoneInfo) -> list[_Event] | None:
        """A poor, complete first attempt is sometimes retaken minutes later, the same local day."""
        rng = self.rng
        if None in quiz.answers or sum(e.points for e in quiz.answers) * 100 >= 60 * len(quiz.served):
            return None
        if rng.random() >= RETAKE_SHARE:
            return None
        at = quiz.submitted_at + datetime.timedelta(minutes=rng.uniform(5, 40))
        if at >= self.now or at.astimezone(zone).date() != quiz.submitted_at.astimezone(zone).date():
            return None
        answers = []
        for q, plan in zip(quiz.served, quiz.cards, strict=True):
            event = self.answer(q, min(0.97, self.quiz_p_right(q) + 0.15), at)
            event.scheduled = False  # only the first review of a local day moves the schedule
            plan.events.insert(1, event)
            answers.append(event)
        return answers

    def note(self, topic: int) -> tuple[str, str]:
        key = (self.rng.randrange(len(NOTE_BODIES)), topic)
        if key not in self.notes:  # rendered once per body and topic, for the whole run
            body = NOTE_BODIES[key[0]].format(title=self.catalogue.titles.get(topic, "this topic"))
            self.notes[key] = (body, render_markdown(body))
        return self.notes[key]

    # -- rows

    def add_to(self, rows: "_Rows", *, password: str) -> None:
        rng, now = self.rng, self.now
        followed = self.follows()
        studied, other_statuses = self.studied_topics(followed)
        quizzes = self.quizzes(studied)
        first = min((q.submitted_at for q in quizzes), default=now - datetime.timedelta(days=rng.uniform(1, 30)))
        joined = first - datetime.timedelta(days=rng.uniform(0.5, 30))
        zone_name = rng.choices(list(TIME_ZONES), list(TIME_ZONES.values()))[0]
        zone = zoneinfo.ZoneInfo(zone_name)
        profile = User(email=load_email(self.n), time_zone=zone_name,
                       reminder_time=datetime.time(rng.randint(7, 21), rng.choice((0, 30))))
        learner = len(rows.users)
        activities = []

        for i, roadmap in enumerate(followed):
            rows.follows.append((learner, roadmap, joined + datetime.timedelta(minutes=5 + 3 * i)))

        for quiz in quizzes:
            sittings = [(quiz.answers, quiz.submitted_at)]
            if retake := self.retake(quiz, zone):
                sittings.append((retake, retake[0].at))
            best = 0
            for number, (answers, at) in enumerate(sittings):
                best = max(best, self.add_attempt(rows, learner, quiz, answers, at, first=number == 0,
                                                  activities=activities))
            status = ProgressStatus.DONE if best >= PASS_PERCENT else ProgressStatus.IN_PROGRESS
            updated = min(sittings[-1][1] + datetime.timedelta(minutes=1), now)
            rows.progress.append((learner, quiz.topic, status, updated))
            activities.append((ActivityKind.PROGRESS, quiz.topic, status.label, updated))
            if status == ProgressStatus.DONE:
                for resource, title in self.catalogue.resources.get(quiz.topic, []):
                    if rng.random() < TICK_SHARE:
                        at = max(quiz.submitted_at - datetime.timedelta(hours=rng.uniform(0.2, 48)), joined)
                        rows.ticks.append((learner, resource, at))
                        activities.append((ActivityKind.RESOURCE, quiz.topic, title[:200], at))
            if rng.random() < NOTE_SHARE:
                body, html = self.note(quiz.topic)
                rows.notes.append((learner, quiz.topic, body, html,
                                   min(quiz.submitted_at + datetime.timedelta(hours=1), now)))
            for plan in quiz.cards:
                self.add_card(rows, learner, plan, quiz.topic, activities)

        for topic, status in other_statuses.items():
            at = joined + (now - joined) * rng.random()
            rows.progress.append((learner, topic, status, at))
            activities.append((ActivityKind.PROGRESS, topic, ProgressStatus(status).label, at))

        reminders = rng.random() < 0.9
        if reminders:
            self.add_reminder_days(rows, learner, profile, zone, activities)
        rows.users.append((
            learner, password, max((a[3] for a in activities), default=None), False, False, True, joined,
            profile.email, f"Learner {self.n}" if rng.random() < 0.6 else "", zone_name, profile.reminder_time,
            reminders, rng.choice(("system", "system", "light", "dark")), 0.9, 365,
            next_reminder_at(profile, after=now),
        ))
        rows.emails.append((learner, profile.email, True, True))
        rows.activities.extend((learner, *activity) for activity in activities)

    def add_reminder_days(self, rows, learner, profile, zone, activities) -> None:
        """A sent reminder on each past local day the learner reviewed: the days it had something due."""
        today = self.now.astimezone(zone).date()
        days = {at.astimezone(zone).date() for kind, _, _, at in activities if kind == ActivityKind.REVIEW}
        for day in sorted(d for d in days if d < today):
            claimed = datetime.datetime.combine(day, profile.reminder_time, zone).astimezone(datetime.UTC)
            sent = claimed + datetime.timedelta(seconds=self.rng.uniform(1, 120))
            rows.reminder_days.append((learner, day, ReminderDay.Status.SENT, f"{self.rng.getrandbits(128):032x}",
                                       claimed, sent))

    def add_attempt(self, rows, learner, quiz: _Quiz, answers: list[_Event | None], at, *, first: bool,
                    activities: list) -> int:
        """Writes one submitted attempt (served questions, answers, picked choices); returns its percent."""
        rng, served = self.rng, quiz.served
        attempt = len(rows.attempts)
        score = round(sum(e.points for e in answers if e), 6)
        spent_ms = sum(e.time_ms for e in answers if e) + rng.randint(5_000, 60_000)  # plus reading time
        started = at - datetime.timedelta(milliseconds=spent_ms)
        rows.attempts.append((attempt, learner, quiz.topic, started, at, score, len(served), first))
        percent = math.floor(100 * score / len(served) + 0.5)
        activities.append((ActivityKind.QUIZ, quiz.topic, f"{percent}% ({score:g} of {len(served)})", at))
        blank_ms = int((at - started).total_seconds() * 1000) // len(served)  # as the app fills a blank's time
        for position, index in enumerate(rng.sample(range(len(served)), len(served))):
            q, event = served[index], answers[index]
            order = list(q.choices)
            rng.shuffle(order)
            served_id = len(rows.served)
            rows.served.append((served_id, attempt, q.id, position, json.dumps(order)))
            answer = len(rows.answers)
            if event is None:
                rows.answers.append((answer, served_id, attempt, q.id, None, False, 0.0, blank_ms))
                continue
            rows.answers.append((answer, served_id, attempt, q.id, event.given.get("value"), event.correct,
                                 event.points, event.time_ms))
            rows.chosen.extend((answer, choice) for choice in event.given.get("choices", ()))
        return percent

    def add_card(self, rows, learner, plan: _CardPlan, topic: int, activities: list) -> None:
        card = len(rows.cards)
        c = plan.card
        rows.cards.append((card, learner, plan.question.id, int(c.state), c.step, c.stability, c.difficulty, c.due,
                           c.last_review, plan.events[0].at))
        for event in plan.events:
            before = None
            if event.scheduled:
                state, step, stability, difficulty, due, last = event.before
                before = json.dumps({"state": state, "step": step, "stability": stability, "difficulty": difficulty,
                                     "due": due.isoformat(), "last_review": last.isoformat() if last else None})
            review = event.source == ReviewSource.REVIEW
            rows.logs.append((card, int(event.rating), event.at, event.time_ms, event.correct, event.source,
                              event.scheduled, before, json.dumps(event.given) if review else "{}"))
            if review:
                detail = f"{'right' if event.correct else 'missed'}: {plan.question.key}"
                activities.append((ActivityKind.REVIEW, topic, detail, event.at))


# --- Writing: COPY, with ids reserved from the tables' sequences ---------------------------------------------


@dataclass
class _Rows:
    """A batch's rows per table. The ids of users, attempts, served questions, answers and cards (first
    column, and where other rows point at them) are positions in their list, local to the batch."""

    users: list = field(default_factory=list)
    emails: list = field(default_factory=list)
    follows: list = field(default_factory=list)
    progress: list = field(default_factory=list)
    ticks: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    attempts: list = field(default_factory=list)
    served: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    chosen: list = field(default_factory=list)
    cards: list = field(default_factory=list)
    logs: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    reminder_days: list = field(default_factory=list)


_AnswerChoice = Answer.chosen.through
# (rows attribute, model, fields in row order, {field: the rows whose batch-local id it holds}).
_TABLES = (
    ("users", User, ("id", "password", "last_login", "is_superuser", "is_staff", "is_active", "date_joined", "email",
                     "display_name", "time_zone", "reminder_time", "reminders_enabled", "theme", "desired_retention",
                     "maximum_interval", "next_reminder_at"), {"id": "users"}),
    ("emails", EmailAddress, ("user", "email", "verified", "primary"), {"user": "users"}),
    ("follows", Follow, ("learner", "roadmap", "created_at"), {"learner": "users"}),
    ("progress", TopicProgress, ("learner", "topic", "status", "updated_at"), {"learner": "users"}),
    ("ticks", ResourceTick, ("learner", "resource", "created_at"), {"learner": "users"}),
    ("notes", TopicNote, ("learner", "topic", "body", "body_html", "updated_at"), {"learner": "users"}),
    ("attempts", Attempt, ("id", "learner", "topic", "started_at", "submitted_at", "score", "max_score", "is_first"),
     {"id": "attempts", "learner": "users"}),
    ("served", ServedQuestion, ("id", "attempt", "question", "position", "choice_order"),
     {"id": "served", "attempt": "attempts"}),
    ("answers", Answer, ("id", "served", "attempt", "question", "value", "correct", "points", "time_ms"),
     {"id": "answers", "served": "served", "attempt": "attempts"}),
    ("chosen", _AnswerChoice, ("answer", "choice"), {"answer": "answers"}),
    ("cards", Card, ("id", "learner", "question", "state", "step", "stability", "difficulty", "due", "last_review",
                     "created_at"), {"id": "cards", "learner": "users"}),
    ("logs", ReviewLog, ("card", "rating", "reviewed_at", "duration_ms", "correct", "source", "scheduled",
                         "card_before", "answer"), {"card": "cards"}),
    ("activities", Activity, ("learner", "kind", "topic", "detail", "at"), {"learner": "users"}),
    ("reminder_days", ReminderDay, ("learner", "local_date", "status", "claim_token", "claimed_at", "sent_at"),
     {"learner": "users"}),
)


def _reserve_ids(cursor, model, count: int) -> int:
    """The first of `count` consecutive ids taken from the table's sequence at once (so the load must be the
    only writer of these tables while it runs)."""
    if not count:
        return 0
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
    return cursor.fetchone()[0] - count + 1


def _write_batch(rows: _Rows) -> None:
    """COPYs a batch's rows in one transaction, table by table, turning batch-local ids into ids reserved
    from the sequences."""
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        first = {name: _reserve_ids(cursor, model, len(getattr(rows, name)))
                 for name, model, _, refs in _TABLES if refs.get("id") == name}
        for name, model, fields, refs in _TABLES:
            offsets = [(i, first[refs[f]]) for i, f in enumerate(fields) if f in refs]
            columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
            with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in getattr(rows, name):
                    row = list(row)
                    for i, offset in offsets:
                        row[i] += offset
                    copy.write_row(row)


# --- The run ----------------------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    first: int  # the first learner number made
    learners: int  # how many were made
    cards_per_learner: int
    rows: dict[str, int]  # rows written per table (the names of _Rows)


def next_learner_number() -> int:
    """One more than the highest load learner's number: where a run continues."""
    emails = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
    numbers = [int(match.group(1)) for email in emails if (match := _EMAIL.match(email))]
    return max(numbers, default=-1) + 1


def make_load_data(
    *, learners: int, cards: int = 100, logs_per_card: float = 2.0, seed: int = 1, batch_size: int = 500,
    now: datetime.datetime | None = None, on_batch: Callable[[int, int], None] | None = None,
) -> LoadReport:
    """Makes load learners up to number `learners` - 1 (those already there are kept), each with `cards`
    cards and about `logs_per_card` review logs per card. `on_batch(done, total)` reports progress."""
    if connection.vendor != "postgresql":
        raise LoadDataError("make_load_data writes with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL.")
    if learners < 0 or cards < 1 or batch_size < 1 or not 1 <= logs_per_card <= 4:
        raise LoadDataError("Use --learners >= 0, --cards >= 1, --batch-size >= 1 and 1 <= --logs-per-card <= 4.")
    catalogue = read_catalogue()
    if not catalogue.question_count:
        raise LoadDataError("There are no quiz questions to learn from: run `manage.py load_content` first.")
    cards = min(cards, catalogue.question_count)
    now = now or timezone.now()
    start = next_learner_number()
    password = make_password(LOAD_PASSWORD)  # once: hashing per learner would take longer than the rest
    scheduler = fsrs.Scheduler(
        desired_retention=User._meta.get_field("desired_retention").default,
        maximum_interval=User._meta.get_field("maximum_interval").default,
        learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=False,  # fuzz draws from the global random generator: the data would not repeat
    )
    written = dict.fromkeys((name for name, *_ in _TABLES), 0)
    notes: dict = {}
    # One thread writes a batch while this one draws the next: PostgreSQL's side of COPY and of the foreign
    # key checks at commit then runs on the other core. The writer has its own database connection.
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        try:
            for batch_start in range(start, learners, batch_size):
                rows = _Rows()
                batch_end = min(batch_start + batch_size, learners)
                for n in range(batch_start, batch_end):
                    _Learner(n, seed=seed, catalogue=catalogue, cards=cards, logs_per_card=logs_per_card, now=now,
                             scheduler=scheduler, notes=notes).add_to(rows, password=password)
                if pending:
                    pending.result()  # one batch in flight at most; re-raises the writer's error
                    if on_batch:
                        on_batch(batch_start - start, learners - start)
                pending = writer.submit(_write_batch, rows)
                for name in written:
                    written[name] += len(getattr(rows, name))
            if pending:
                pending.result()
                if on_batch:
                    on_batch(learners - start, learners - start)
        finally:
            writer.submit(lambda: connection.close()).result()  # the writer thread's own connection
    if start < learners:
        _analyze(model for _, model, *_ in _TABLES)
    return LoadReport(first=start, learners=max(0, learners - start), cards_per_learner=cards, rows=written)


def _analyze(models: Iterable) -> None:
    """Fresh planner statistics, so the first queries after a load are planned on the new table sizes."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
