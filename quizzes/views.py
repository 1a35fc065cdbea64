from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.bad_requests import bad_request_page
from config.rate_limits import QUIZ_START, rate_limited_page, wait_before
from roadmap.models import Topic

from .answers import LARGEST_ID, InvalidAnswers, answers_from_form, card_answer_from_form, whole_number_from_text
from .attempts import (
    PASS_PERCENT,
    QuizError,
    attempt_of,
    attempt_results,
    is_expired,
    served_items,
    start_attempt,
    submit_attempt,
)
from .balancing import reviews_paused
from .models import Rating, ReviewLog
from .reminders import UNSUBSCRIBE_LINK_DAYS, UnsubscribeLinkExpired, learner_for_unsubscribe_token
from .reviews import (
    Queue,
    answer_card,
    card_of,
    comes_back,
    comes_back_by_question,
    next_due,
    queue_cards,
    queue_count,
    result_choices,
    review_items,
)
from .scheduling import NotTooEasy, mark_too_easy
from .unanswered import CONFIRM_FIELD, unanswered_items, unanswered_sentence


@login_required
@require_POST
def start_quiz(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    if wait := wait_before(request, scope=QUIZ_START):
        return rate_limited_page(request, wait=wait)
    try:
        attempt = start_attempt(learner=request.user, topic=topic)
    except QuizError:
        return redirect(topic.get_absolute_url())
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


@login_required
def attempt_page(request, attempt_id):
    attempt = attempt_of(request.user, attempt_id)
    if attempt.submitted_at:
        return _render_result(request, attempt)
    if is_expired(attempt):
        return render(request, "quizzes/expired.html", {"attempt": attempt}, status=410)
    return render(request, "quizzes/attempt.html", {"attempt": attempt, "items": served_items(attempt)})


def _render_result(request, attempt):
    items = attempt_results(attempt)
    missed = [item for item in items if not item.correct]
    back = comes_back_by_question(request.user, [item.id for item in items])
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "results": [(item, back.get(item.id)) for item in items],
            "relearn_count": queue_count(request.user, queue=Queue.RELEARN, topic_slug=attempt.topic.slug)
            if missed else 0,
            "passed": attempt.percent >= PASS_PERCENT,
            "resources": list(attempt.topic.resources.order_by("order")) if missed else [],
            "missed_count": len(missed),
        },
    )


def _render_attempt_errors(request, attempt, items, errors: list[str]):
    return render(request, "quizzes/attempt.html", {"attempt": attempt, "items": items, "errors": errors},
                  status=400)


@login_required
@require_POST
def submit_form(request, attempt_id):
    attempt = attempt_of(request.user, attempt_id)
    items = served_items(attempt)
    try:
        answers = answers_from_form(request.POST, asked=[(item.id, item.type) for item in items])
        missing = unanswered_items(items, answers)
        if missing and CONFIRM_FIELD not in request.POST and not attempt.submitted_at and not is_expired(attempt):
            return _confirm_unanswered(request, attempt, items, missing)
        submit_attempt(learner=request.user, attempt_id=attempt.pk, answers=answers)
    except InvalidAnswers as error:
        number = {item.id: item.position + 1 for item in items}
        return _render_attempt_errors(request, attempt, items, [
            f"Question {number[p.question]}: {p.message}" if p.question in number else p.message
            for p in error.problems
        ])
    except QuizError as error:
        return _render_attempt_errors(request, attempt, items,
                                      [message for messages in error.errors.values() for message in messages])
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


def _confirm_unanswered(request, attempt, items, missing):
    """Nothing graded yet: names the blank questions and offers them again, the answers given so far riding
    along as hidden fields (a form without JavaScript; quiz.js asks the same in the page)."""
    answered = {f"q{item.id}" for item in items} - {f"q{item.id}" for item in missing}
    given = [(name, value) for name in request.POST if name in answered for value in request.POST.getlist(name)]
    return render(request, "quizzes/confirm_unanswered.html", {
        "attempt": attempt, "items": items, "missing": missing, "sentence": unanswered_sentence(missing),
        "given": given, "confirm_field": CONFIRM_FIELD,
    })


# --- Reviews ------------------------------------------------------------------------------------------------


def _queue_of(value: str | None) -> Queue | None:
    """The review queue a page or form names (none named: the due one); None for an unknown name."""
    try:
        return Queue(value or Queue.DUE)
    except ValueError:
        return None


def _unknown_queue(value: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(f"Unknown review queue “{value}”: use {', '.join(Queue)}.", content_type="text/plain")


def _review_query(queue: Queue, topic: str | None) -> str:
    """The query string that keeps the learner in the same queue and topic from question to question."""
    return urlencode({name: value for name, value in (("queue", queue if queue != Queue.DUE else ""),
                                                      ("topic", topic or "")) if value})


@login_required
def review_page(request):
    topic = request.GET.get("topic") or None
    queue = _queue_of(request.GET.get("queue"))
    if queue is None:
        return _unknown_queue(request.GET["queue"])
    count = queue_count(request.user, queue=queue, topic_slug=topic)
    items = review_items(queue_cards(request.user, queue=queue, topic_slug=topic, limit=1)) if count else []
    context = {
        "topic": topic, "queue": queue, "count": count, "card": items[0][0] if items else None,
        "item": items[0][1] if items else None,
    }
    if not count and queue == Queue.DUE and reviews_paused(request.user, timezone.now()):
        context["paused_until"] = request.user.reviews_paused_until
    elif not count:
        # Caught up: when the next one falls due, and what else can be done today.
        context |= {
            "next_due": next_due(request.user, topic_slug=topic),
            "relearn_count": queue_count(request.user, queue=Queue.RELEARN, topic_slug=topic),
            "ahead_count": queue_count(request.user, queue=Queue.AHEAD, topic_slug=topic),
        }
    return render(request, "quizzes/review.html", context)


def _topic_filter(form) -> str | None:
    """The review's topic filter, carried by the form to the next card: a topic's slug, or none."""
    topic = form.get("topic", "")
    if topic and not (len(topic) <= Topic._meta.get_field("slug").max_length and slug_re.fullmatch(topic)):
        raise ValidationError("The topic field takes a topic's slug (letters, digits, hyphens), or nothing.")
    return topic or None


@login_required
@require_POST
def review_answer(request, card_id):
    card = card_of(request.user, card_id)
    queue = _queue_of(request.POST.get("queue"))
    if queue is None:
        return _unknown_queue(request.POST["queue"])
    try:
        topic = _topic_filter(request.POST)
    except ValidationError as error:
        return _render_review_errors(request, card, topic=None, queue=queue, errors=error.messages)
    try:
        answer = card_answer_from_form(request.POST, question=card.question)
        outcome = answer_card(learner=request.user, card_id=card.pk, answer=answer)
    except InvalidAnswers as error:
        return _render_review_errors(request, card, topic=topic, queue=queue,
                                     errors=[p.sentence for p in error.problems])
    url = reverse("quizzes:review-result", args=[card.pk, outcome.log.pk])
    query = _review_query(queue, topic)
    return redirect(f"{url}?{query}" if query else url)


def _render_review_errors(request, card, *, topic: str | None, queue: Queue, errors: list[str]):
    return render(request, "quizzes/review.html", {
        "topic": topic, "queue": queue, "count": queue_count(request.user, queue=queue, topic_slug=topic),
        "card": card,
        "item": review_items([card])[0][1], "errors": errors,
    }, status=400)


@login_required
def review_result(request, card_id, log_id):
    card = card_of(request.user, card_id)
    log = get_object_or_404(ReviewLog, card=card, pk=log_id)
    topic = request.GET.get("topic") or None
    queue = _queue_of(request.GET.get("queue"))
    if queue is None:
        return _unknown_queue(request.GET["queue"])
    return render(request, "quizzes/review_result.html", {
        "card": card, "log": log, "question": card.question, "choices": result_choices(card, log), "topic": topic,
        "queue": queue, "queue_query": _review_query(queue, topic), "comes_back": comes_back(request.user, card.due),
        "left": queue_count(request.user, queue=queue, topic_slug=topic),
        "can_be_easier": log.correct and log.scheduled and log.rating != Rating.EASY,
    })


@login_required
@require_POST
def review_easy(request, card_id):
    card = card_of(request.user, card_id)
    raw_log = request.POST.get("log", "")
    log_id = whole_number_from_text(raw_log, largest=LARGEST_ID)
    if raw_log and log_id is None:
        return bad_request_page(request, errors=["log is the id of the review to go back to (a whole number)."])
    try:
        mark_too_easy(learner=request.user, card=card)
    except NotTooEasy:
        pass
    return redirect(reverse("quizzes:review-result", args=[card.pk, log_id]) if log_id else reverse("quizzes:review"))


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST carries no CSRF token
def unsubscribe(request, token):
    """One-click unsubscribe from reminders: a signed link that works without signing in."""
    try:
        learner = learner_for_unsubscribe_token(token)
    except UnsubscribeLinkExpired:
        return render(request, "quizzes/unsubscribe.html", {"expired": True, "days": UNSUBSCRIBE_LINK_DAYS},
                      status=410)
    if learner is None:
        return render(request, "quizzes/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        get_user_model().objects.filter(pk=learner.pk).update(reminders_enabled=False)
        return render(request, "quizzes/unsubscribe.html", {"done": True, "learner": learner})
    return render(request, "quizzes/unsubscribe.html", {"learner": learner, "token": token})
