"""Placement tests as the site runs them: start one on a roadmap, answer its questions one at a time, read the
proposal, confirm the topics to mark done. The reasoning is quizzes/placement.py's; answers go through the
quiz's answer pipeline (quizzes/answers.py); confirmed topics are marked done (by learning, which hears
placement_confirmed) and their answered questions become cards exactly as a submitted quiz's do
(scheduling.schedule_quiz_answers).

Nothing that reveals a correct answer leaves this module: the question served carries its prompt and its
choices' texts only, and an answer's outcome is stored, not returned.
"""

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone

from caching.fragments import cached
from roadmap.models import Roadmap, Topic
from roadmap.structure import roadmap_plans

from . import placement
from .answers import GivenAnswer, InvalidAnswers, check_answers, given_answer, grade_answer, normalised_answer
from .attempts import ServedChoice, ServedItem
from .events import placement_confirmed
from .models import Card, Choice, PlacementAnswer, PlacementSession, Question
from .scheduling import schedule_quiz_answers
from .statistics import with_item_statistics

DONT_KNOW = {"dont_know": True}  # stored as the answer of a learner who said so: a miss, never a card


class PlacementError(Exception):
    """A request the placement test cannot honour; `errors` maps a field to what is wrong with it."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(str(errors))


def placement_of(learner, session_id: int) -> PlacementSession:
    """The learner's own placement test, or 404."""
    return get_object_or_404(PlacementSession.objects.select_related("roadmap"), learner=learner, pk=session_id)


def current_placement(learner, roadmap: Roadmap) -> PlacementSession | None:
    """The learner's latest placement test on the roadmap that is not confirmed yet, if any."""
    return (
        PlacementSession.objects.filter(learner=learner, roadmap=roadmap, confirmed_at__isnull=True)
        .order_by("-started_at", "-pk")
        .first()
    )


# --- What the engine reads ----------------------------------------------------------------------------------


@dataclass
class _Roadmap:
    graph: placement.Graph
    items: list[placement.Item]
    titles: dict[str, str]  # topic slug -> title


def _roadmap(roadmap: Roadmap, *, difficulties: Mapping[str, float]) -> _Roadmap:
    """The roadmap's topics, prerequisites and active questions as the engine sees them (one query, and the
    roadmap's plan from the cache). A question's difficulty is its calibrated one, else the one it started with."""
    plan = roadmap_plans([roadmap])[roadmap.pk]
    slug_of = {topic.pk: topic.slug for topic in plan.topics}
    requires = {
        slug_of[topic_id]: [slug_of[r] for r in required if r in slug_of]
        for topic_id, required in plan.requirements.items()
    }
    graph = placement.graph_of(topics=[topic.slug for topic in plan.topics], requires=requires)
    questions = (
        Question.objects.filter(topic_id__in=list(slug_of), active=True)
        .annotate(choice_count=Count("choices"))
        .values_list("pk", "topic_id", "type", "choice_count", "calibrated_difficulty")
        .order_by("pk")
    )
    items = [
        placement.Item(
            id=pk, topic=slug_of[topic_id],
            difficulty=calibrated if calibrated is not None else difficulties.get(str(pk), 0.0),
            guess=placement.guess_for(kind=kind, choices=choices),
        )
        for pk, topic_id, kind, choices, calibrated in questions
    ]
    return _Roadmap(graph=graph, items=items, titles={topic.slug: topic.title for topic in plan.topics})


def _starting_difficulties(roadmap: Roadmap) -> dict[str, float]:
    """Difficulties from facility for the roadmap's questions not yet calibrated (one grouped query)."""
    questions = with_item_statistics(
        Question.objects.filter(topic__placements__roadmap=roadmap, active=True, calibrated_difficulty__isnull=True)
    ).values_list("pk", "facility", "stat_attempts")
    return {
        str(pk): difficulty
        for pk, facility, answers in questions
        if (difficulty := placement.difficulty_from_facility(facility=facility, answers=answers))
    }


def _answered(session: PlacementSession, items: list[placement.Item]) -> list[placement.Answered]:
    by_id = {item.id: item for item in items}
    answered = []
    for question_id, correct in session.answers.order_by("position").values_list("question_id", "correct"):
        item = by_id.get(question_id)
        if item is not None:  # a question deactivated since it was answered no longer counts
            answered.append(placement.Answered(item.topic, item.guess, correct))
    return answered


# --- Serving ------------------------------------------------------------------------------------------------


def _serve(session: PlacementSession, item: placement.Item | None, *, rng: random.Random) -> None:
    """Records the next question and its choices' shuffled order in the session's state (not saved)."""
    if item is None:
        session.state["served"] = None
        return
    order = list(Choice.objects.filter(question_id=item.id).order_by("pk").values_list("pk", flat=True))
    rng.shuffle(order)
    session.state["served"] = {"question": item.id, "choice_order": order}


def served_question(session: PlacementSession) -> ServedItem | None:
    """The question the learner is asked now, as served: prompt and choices in served order (two queries)."""
    served = session.state.get("served")
    if not served:
        return None
    question = Question.objects.only("type", "prompt", "prompt_html", "topic_id").get(pk=served["question"])
    choices = {c.pk: c for c in Choice.objects.filter(question=question).only("text", "text_html")}
    return ServedItem(
        id=question.pk, position=len(session.state.get("asked", [])), type=question.type, prompt=question.prompt,
        prompt_html=question.prompt_html,
        choices=[ServedChoice(id=pk, text=choices[pk].text, text_html=choices[pk].text_html)
                 for pk in served["choice_order"] if pk in choices],
    )


def _study_places(roadmap: Roadmap, graph: placement.Graph) -> dict[str, float]:
    """The roadmap's topics on the level scale: the same for every test of the same content (the orders are
    seeded), and 40-100 ms to compute, so built once per content version rather than once per test."""
    return cached(f"placement-places:{roadmap.pk}", lambda: {
        topic: round(place, 4) for topic, place in placement.study_places(graph).items()
    })


def _settle(session: PlacementSession, engine: _Roadmap, answered: list[placement.Answered], *, now,
            rng: random.Random) -> None:
    """Updates the session's estimate and serves the next question, or finishes it with a proposal."""
    places = session.state.get("places") or {}
    if set(places) != set(engine.graph.topics):  # new, or the roadmap's topics changed since the start
        places = session.state["places"] = _study_places(session.roadmap, engine.graph)
    curves = placement.topic_curves(engine.graph, places=places)
    knowledge = placement.knowledge(answered, graph=engine.graph, curves=curves)
    session.state["known"] = {topic: round(p, 4) for topic, p in knowledge.known.items()}
    item = placement.next_item(answered, graph=engine.graph, items=engine.items, asked=session.state["asked"],
                               ability=session.ability, curves=curves)
    _serve(session, item, rng=rng)
    if item is None:
        session.finished_at = now
        session.state["proposal"] = [
            {"topic": p.topic, "title": engine.titles[p.topic], "confidence": p.confidence}
            for p in placement.proposal(knowledge.known, graph=engine.graph)
        ]


def start_placement(*, learner, roadmap: Roadmap, now=None, rng: random.Random | None = None) -> PlacementSession:
    """Starts a placement test on the roadmap and serves its first question."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    difficulties = _starting_difficulties(roadmap)
    engine = _roadmap(roadmap, difficulties=difficulties)
    if not engine.items:
        raise PlacementError({"roadmap": [f"“{roadmap.title}” has no quiz questions yet."]})
    session = PlacementSession(learner=learner, roadmap=roadmap, started_at=now,
                               state={"asked": [], "difficulties": difficulties})
    _settle(session, engine, [], now=now, rng=rng)
    session.save()
    return session


# --- Answering ----------------------------------------------------------------------------------------------


@dataclass
class Answering:
    session: PlacementSession
    repeated: bool  # True when this repeats the answer just given (a double submit): nothing was graded


def answer_placement(
    *, learner, session_id: int, answer: Mapping | GivenAnswer | None, question: int, now=None,
    rng: random.Random | None = None,
) -> Answering:
    """Grades an answer to the question served and serves the next one (or finishes). `answer` is a GivenAnswer,
    a dict in the API's JSON shape, or None for "I don't know" (a miss). The same answer to the question just
    answered (a double submit) changes nothing; anything else that does not fit raises PlacementError or
    InvalidAnswers, and saves nothing."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        session = get_object_or_404(
            PlacementSession.objects.select_for_update(of=("self",)).select_related("roadmap"),
            learner=learner, pk=session_id,
        )
        served = session.state.get("served")
        asked = session.state.get("asked", [])
        if served is None or served["question"] != question:
            last = session.answers.order_by("-position").first()
            given = None if answer is None else given_answer(answer, question=question)
            if last and last.question_id == question and last.answer == _normalised(last.question.type, given):
                return Answering(session=session, repeated=True)
            if session.finished_at is not None:
                raise PlacementError({"session": ["This placement test is finished: confirm its proposal or "
                                                  "start a new one."]})
            raise PlacementError({"question": [f"question {question} is not the one asked now "
                                               f"(question {served['question']})."]})
        asked_question = Question.objects.get(pk=question)
        choices = list(Choice.objects.filter(question=asked_question).only("is_correct"))
        if answer is None:
            correct, stored, time_ms = False, dict(DONT_KNOW), None
        else:
            given = check_answers([given_answer(answer, question=question)], questions={question: asked_question},
                                  choices_of={question: {c.pk for c in choices}}, listed_answers=False)[question]
            grade = grade_answer(asked_question, given, correct_ids={c.pk for c in choices if c.is_correct},
                                 all_ids={c.pk for c in choices})
            correct, stored, time_ms = grade.correct, normalised_answer(asked_question.type, given), given.time_ms
        PlacementAnswer.objects.create(session=session, question=asked_question, position=len(asked), answer=stored,
                                       correct=correct, time_ms=time_ms, answered_at=now)
        difficulties = session.state.get("difficulties", {})
        difficulty = asked_question.calibrated_difficulty
        if difficulty is None:
            difficulty = difficulties.get(str(question), 0.0)
        # Calibrated against the ability before this answer: the answer is news about the question.
        Question.objects.filter(pk=question).update(
            calibrated_difficulty=placement.calibrated(difficulty=difficulty, ability=session.ability, correct=correct)
        )
        session.state["asked"] = [*asked, question]
        session.state.setdefault("rasch", []).append([round(difficulty, 4), correct])
        session.ability = placement.ability_after((d, c) for d, c in session.state["rasch"])
        engine = _roadmap(session.roadmap, difficulties=difficulties)
        _settle(session, engine, _answered(session, engine.items), now=now, rng=rng)
        session.save(update_fields=["state", "ability", "finished_at"])
    return Answering(session=session, repeated=False)


def _normalised(kind: str, given: GivenAnswer | None) -> dict:
    return dict(DONT_KNOW) if given is None else normalised_answer(kind, given)


# --- Proposal and confirmation ---------------------------------------------------------------------------------


def proposal_of(session: PlacementSession) -> list[dict]:
    """[{topic, title, confidence}] once the test is finished; empty before."""
    return session.state.get("proposal", []) if session.finished_at else []


# The questions of a confirmed topic that the test did not ask come back within this many days, a few each day.
CHECK_DAYS = 7


def _check_claimed_topics(*, learner, topics: list[Topic], at: datetime.datetime) -> None:
    """Every other active question of the confirmed topics becomes a card, as a passed quiz would have made it, but
    new and unreviewed (no review happened): due over the next CHECK_DAYS days, so the first reviews check what
    the learner said it knows without a flood the next morning. Questions with a card already keep it."""
    questions = Question.objects.filter(topic__in=topics, active=True).order_by("topic_id", "pk").values_list(
        "pk", flat=True)
    Card.objects.bulk_create(
        [Card(learner=learner, question_id=question, due=at + datetime.timedelta(days=1 + index % CHECK_DAYS))
         for index, question in enumerate(questions)],
        ignore_conflicts=True,
    )


def confirm_placement(*, learner, session_id: int, topics: list[str], now=None) -> PlacementSession:
    """Marks the chosen topics of the proposal done, and reviews what was answered on them as a quiz would:
    a card per question answered (not those the learner said it did not know), rated by its answer; the topics'
    other questions become new cards due over the next week (_check_claimed_topics). Once."""
    now = now or timezone.now()
    with transaction.atomic():
        session = get_object_or_404(
            PlacementSession.objects.select_for_update(of=("self",)).select_related("roadmap"),
            learner=learner, pk=session_id,
        )
        if session.confirmed_at is not None:
            raise PlacementError({"session": ["This placement test was already confirmed."]})
        if session.finished_at is None:
            raise PlacementError({"session": ["This placement test is not finished yet: answer its questions first."]})
        proposed = {p["topic"] for p in proposal_of(session)}
        unknown = [slug for slug in topics if slug not in proposed]
        if unknown:
            raise PlacementError({"topics": [f"{', '.join(unknown)}: not among the topics this test proposed."]})
        if len(set(topics)) != len(topics):
            raise PlacementError({"topics": ["a topic is named twice."]})
        chosen = list(Topic.objects.filter(slug__in=topics).only("pk", "slug"))
        placement_confirmed.send(sender=PlacementSession, learner=learner, topics=chosen, at=now)
        answers = [
            answer for answer in session.answers.filter(question__topic__in=chosen).select_related("question")
            if answer.answer != DONT_KNOW
        ]
        schedule_quiz_answers(learner=learner, answers=answers, at=now)
        _check_claimed_topics(learner=learner, topics=chosen, at=now)
        session.confirmed_at = now
        session.state["confirmed"] = sorted(topics)
        session.save(update_fields=["confirmed_at", "state"])
    return session


def placement_progress(session: PlacementSession) -> dict:
    """What a page or the API says about a session: questions asked, the most there can be, whether it is over."""
    return {
        "asked": len(session.state.get("asked", [])),
        "max_questions": placement.MAX_QUESTIONS,
        "finished": session.finished_at is not None,
        "confirmed": session.confirmed_at is not None,
    }


__all__ = [
    "Answering", "InvalidAnswers", "PlacementError", "answer_placement", "confirm_placement", "current_placement",
    "placement_of", "placement_progress", "proposal_of", "served_question", "start_placement",
]
