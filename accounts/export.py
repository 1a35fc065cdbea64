"""Everything Ascent holds about one learner, as one JSON document (and nothing about anyone else), and its
review history as a CSV that FSRS's optimizer and the srs-benchmark read, so a learner can fit FSRS elsewhere."""

import csv
import datetime
import io
import zoneinfo
from collections.abc import Iterator

from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib.admin.models import LogEntry
from django.db.models import Prefetch
from django.utils import timezone

from learning.models import Activity, Follow, ResourceTick, TopicNote, TopicProgress
from quizzes.balancing import weekday_names
from quizzes.models import (
    Attempt,
    Card,
    CardState,
    Choice,
    ParameterFit,
    PlacementAnswer,
    PlacementSession,
    ReminderDay,
    ReviewLog,
    ServedQuestion,
)

from .models import User

# 2: attempts with their served questions and answers, cards, review logs, reminder days, e-mail addresses,
# admin actions, the scheduling preferences, fitted FSRS parameters and their fits, placement tests with their
# answers were added; nothing of format 1 changed.
EXPORT_FORMAT = 2


def _at(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _question_ref(question) -> str:
    return f"{question.topic.slug}/{question.key}"


def _attempts(user: User) -> list[dict]:
    served = ServedQuestion.objects.select_related("question__topic", "answer").prefetch_related(
        Prefetch("question__choices", queryset=Choice.objects.order_by("order")), "answer__chosen"
    )
    attempts = Attempt.objects.filter(learner=user).select_related("topic").prefetch_related(
        Prefetch("served", queryset=served)
    ).order_by("started_at", "id")
    rows = []
    for attempt in attempts:
        questions = []
        for item in attempt.served.all():
            texts = {choice.id: choice.text for choice in item.question.choices.all()}
            answer = getattr(item, "answer", None)
            questions.append({
                "position": item.position,
                "question": _question_ref(item.question),
                "prompt": item.question.prompt,
                "choices_as_served": [texts[i] for i in item.choice_order if i in texts],
                "answer": None if answer is None else {
                    "choices": sorted(texts.get(c.id, c.text) for c in answer.chosen.all()),
                    "value": answer.value,
                    "correct": answer.correct,
                    "points": answer.points,
                    "time_ms": answer.time_ms,
                },
            })
        rows.append({
            "id": attempt.id, "topic": attempt.topic.slug, "started_at": _at(attempt.started_at),
            "submitted_at": _at(attempt.submitted_at), "score": attempt.score, "max_score": attempt.max_score,
            "questions": questions,
        })
    return rows


def _placement_tests(user: User) -> list[dict]:
    answers = PlacementAnswer.objects.select_related("question__topic").order_by("position")
    sessions = PlacementSession.objects.filter(learner=user).select_related("roadmap").prefetch_related(
        Prefetch("answers", queryset=answers)
    ).order_by("started_at", "id")
    return [
        {
            "id": session.id, "roadmap": session.roadmap.slug, "started_at": _at(session.started_at),
            "finished_at": _at(session.finished_at), "confirmed_at": _at(session.confirmed_at),
            "ability": session.ability, "topics_known": session.state.get("known", {}),
            "proposal": session.state.get("proposal", []), "confirmed_topics": session.state.get("confirmed", []),
            "answers": [
                {"position": a.position, "question": _question_ref(a.question), "prompt": a.question.prompt,
                 "answer": a.answer, "correct": a.correct, "time_ms": a.time_ms, "answered_at": _at(a.answered_at)}
                for a in session.answers.all()
            ],
        }
        for session in sessions
    ]


def _cards(user: User) -> list[dict]:
    cards = Card.objects.filter(learner=user).select_related("question__topic").order_by("id")
    return [
        {
            "id": card.id, "question": _question_ref(card.question), "state": CardState(card.state).label,
            "step": card.step, "stability": card.stability, "difficulty": card.difficulty, "due": _at(card.due),
            "last_review": _at(card.last_review), "created_at": _at(card.created_at),
        }
        for card in cards
    ]


def _review_logs(user: User) -> list[dict]:
    logs = ReviewLog.objects.filter(card__learner=user).order_by("reviewed_at", "id")
    return [
        {
            "id": log.id, "card": log.card_id, "rating": log.get_rating_display(), "reviewed_at": _at(log.reviewed_at),
            "duration_ms": log.duration_ms, "correct": log.correct, "source": log.source,
            "scheduled": log.scheduled, "answer": log.answer,
        }
        for log in logs
    ]


def export_learner_data(user: User) -> dict:
    """One document of every row that belongs to the learner; no secrets (token hashes, confirmation keys)."""
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "reminder_time": user.reminder_time.strftime("%H:%M"),
            "reminders_enabled": user.reminders_enabled,
            "theme": user.theme,
            "date_joined": user.date_joined.isoformat(),
            "desired_retention": user.desired_retention,
            "maximum_interval": user.maximum_interval,
            "fsrs_parameters": user.fsrs_parameters,
            "light_weekdays": weekday_names(user),
            "reviews_paused_until": user.reviews_paused_until.isoformat() if user.reviews_paused_until else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("id")
        ],
        "email_confirmations": [
            {"email": c.email_address.email, "created": _at(c.created), "sent": _at(c.sent)}
            for c in EmailConfirmation.objects.filter(email_address__user=user).select_related("email_address")
        ],
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
             "last_used_at": _at(t.last_used_at)}
            for t in user.api_tokens.all()
        ],
        "follows": [
            {"roadmap": f.roadmap.slug, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(learner=user).select_related("roadmap")
        ],
        "progress": [
            {"topic": p.topic.slug, "status": p.status, "updated_at": p.updated_at.isoformat()}
            for p in TopicProgress.objects.filter(learner=user).select_related("topic").order_by("topic__slug")
        ],
        "resource_ticks": [
            {"topic": t.resource.topic.slug, "resource": t.resource.url, "at": t.created_at.isoformat()}
            for t in ResourceTick.objects.filter(learner=user).select_related("resource__topic")
        ],
        "notes": [
            {"topic": n.topic.slug, "body": n.body, "updated_at": n.updated_at.isoformat()}
            for n in TopicNote.objects.filter(learner=user).select_related("topic")
        ],
        "activity": [
            {"kind": a.kind, "topic": a.topic.slug if a.topic else None, "detail": a.detail, "at": a.at.isoformat()}
            for a in Activity.objects.filter(learner=user).select_related("topic").order_by("at")
        ],
        "attempts": _attempts(user),
        "placement_tests": _placement_tests(user),
        "cards": _cards(user),
        "review_logs": _review_logs(user),
        "reminder_days": [
            {"local_date": r.local_date.isoformat(), "status": r.status, "sent_at": _at(r.sent_at)}
            for r in ReminderDay.objects.filter(learner=user).order_by("local_date")
        ],
        "parameter_fits": [
            {"fitted_at": _at(f.fitted_at), "review_logs": f.review_logs, "held_out_items": f.held_out_items,
             "parameters": f.parameters, "log_loss_default": f.log_loss_default,
             "log_loss_fitted": f.log_loss_fitted, "adopted": f.adopted}
            for f in ParameterFit.objects.filter(learner=user).order_by("fitted_at")
        ],
        "admin_actions": [
            {"at": _at(e.action_time), "object": e.object_repr, "action": e.get_action_flag_display(),
             "change": e.get_change_message()}
            for e in LogEntry.objects.filter(user=user).order_by("action_time")
        ],
    }


REVLOG_COLUMNS = ["card_id", "review_time", "review_rating", "review_state", "review_duration", "elapsed_days"]
NEW = 0  # FSRS's state of a card never reviewed; Ascent's cards start in Learning, as fsrs 6 does


def review_log_rows(user: User) -> Iterator[list]:
    """The learner's reviews in the FSRS optimizer's revlog layout, a card's reviews in time order.

    review_time is milliseconds since the epoch; review_state is the card's state before the review (0 for its
    first); elapsed_days counts the learner's local days since the card's previous review (-1 for the first), as
    the srs-benchmark's revlogs do. Same-day repeats are included: they did not move the schedule, but they are
    reviews the optimizer's short-term model can use.
    """
    zone = zoneinfo.ZoneInfo(user.time_zone)
    cards = {card.id: card.state for card in Card.objects.filter(learner=user).only("id", "state")}
    logs = list(
        ReviewLog.objects.filter(card__learner=user)
        .order_by("card_id", "reviewed_at", "id")
        .values_list("card_id", "reviewed_at", "rating", "duration_ms", "scheduled", "card_before")
    )
    # The state before a review: a scheduled review recorded the card before it; a same-day repeat saw the
    # state the next scheduled review found (or the card's state now), since it changed nothing. Walk backwards.
    states = [0] * len(logs)
    carry_card, carry = None, None
    for i in range(len(logs) - 1, -1, -1):
        card_id, _, _, _, scheduled, before = logs[i]
        if card_id != carry_card:
            carry_card, carry = card_id, cards[card_id]
        if scheduled and before is not None:
            carry = NEW if before.get("last_review") is None else before["state"]
        states[i] = carry
    previous_card, previous_day = None, None
    for (card_id, at, rating, duration_ms, _, _), state in zip(logs, states, strict=True):
        day = at.astimezone(zone).date()
        elapsed = -1 if card_id != previous_card else (day - previous_day).days
        previous_card, previous_day = card_id, day
        yield [card_id, int(at.timestamp() * 1000), rating, state, "" if duration_ms is None else duration_ms, elapsed]


def review_log_csv(user: User) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVLOG_COLUMNS)
    writer.writerows(review_log_rows(user))
    return out.getvalue()
