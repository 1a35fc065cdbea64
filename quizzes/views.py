from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from config.rate_limits import QUIZ_START, rate_limited_page, wait_before
from roadmap.models import ProgressStatus, Topic, TopicProgress

from .attempts import (
    PASS_PERCENT,
    QuizError,
    ServedItem,
    attempt_of,
    attempt_results,
    is_expired,
    served_items,
    start_attempt,
    submit_attempt,
)
from .models import QuestionType, Rating, ReviewLog
from .reminders import UNSUBSCRIBE_LINK_DAYS, UnsubscribeLinkExpired, learner_for_unsubscribe_token
from .reviews import answer_card, card_of, due_cards, due_count, next_due, result_choices, review_items
from .scheduling import NotTooEasy, mark_too_easy


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
    status = TopicProgress.objects.filter(learner=request.user, topic=attempt.topic).values_list("status", flat=True)
    missed = [item for item in items if not item.correct]
    return render(
        request,
        "quizzes/result.html",
        {
            "attempt": attempt,
            "items": items,
            "passed": attempt.percent >= PASS_PERCENT,
            "topic_done": status.first() == ProgressStatus.DONE,
            "resources": list(attempt.topic.resources.order_by("order")) if missed else [],
            "missed_count": len(missed),
        },
    )


def answers_from_form(post, items) -> list[dict]:
    """The form's fields (`q<question id>`) as the API's answer list; blank answers are left out."""
    answers = []
    for item in items:
        name = f"q{item.id}"
        if item.type == QuestionType.NUMERIC:
            raw = post.get(name, "").strip().replace(",", ".")
            if raw:
                try:
                    answers.append({"question": item.id, "value": float(raw)})
                except ValueError:
                    raise QuizError({name: [f"Question {item.position + 1}: “{raw}” is not a number."]}) from None
        else:
            picked = post.getlist(name)
            if picked:
                try:
                    answers.append({"question": item.id, "choices": [int(value) for value in picked]})
                except ValueError:
                    raise QuizError({name: [f"Question {item.position + 1}: unknown choice."]}) from None
    return answers


@login_required
@require_POST
def submit_form(request, attempt_id):
    attempt = attempt_of(request.user, attempt_id)
    items = served_items(attempt)
    try:
        submit_attempt(learner=request.user, attempt_id=attempt.pk, answers=answers_from_form(request.POST, items))
    except QuizError as error:
        errors = [message for messages in error.errors.values() for message in messages]
        return render(request, "quizzes/attempt.html", {"attempt": attempt, "items": items, "errors": errors},
                      status=400)
    return redirect("quizzes:attempt", attempt_id=attempt.pk)


# --- Reviews ------------------------------------------------------------------------------------------------


@login_required
def review_page(request):
    topic = request.GET.get("topic") or None
    count = due_count(request.user, topic_slug=topic)
    items = review_items(due_cards(request.user, topic_slug=topic, limit=1)) if count else []
    return render(request, "quizzes/review.html", {
        "topic": topic, "count": count, "card": items[0][0] if items else None, "item": items[0][1] if items else None,
        "next_due": None if count else next_due(request.user, topic_slug=topic),
    })


@login_required
@require_POST
def review_answer(request, card_id):
    card = card_of(request.user, card_id)
    topic = request.POST.get("topic", "")
    item = ServedItem(id=card.question_id, position=0, type=card.question.type, prompt="", prompt_html="")
    try:
        answers = answers_from_form(request.POST, [item])
        # Nothing picked is an honest "I don't know" (graded as a miss); a blank number is refused.
        answer = answers[0] if answers else ({} if item.type == QuestionType.NUMERIC else {"choices": []})
        answer.pop("question", None)
        if request.POST.get("time_ms", "").isdigit():
            answer["time_ms"] = int(request.POST["time_ms"])
        outcome = answer_card(learner=request.user, card_id=card.pk, answer=answer)
    except QuizError as error:
        return render(request, "quizzes/review.html", {
            "topic": topic or None, "count": due_count(request.user, topic_slug=topic or None), "card": card,
            "item": review_items([card])[0][1],
            "errors": [m.split(": ", 1)[-1] for ms in error.errors.values() for m in ms],
        }, status=400)
    url = reverse("quizzes:review-result", args=[card.pk, outcome.log.pk])
    return redirect(f"{url}?topic={topic}" if topic else url)


@login_required
def review_result(request, card_id, log_id):
    card = card_of(request.user, card_id)
    log = get_object_or_404(ReviewLog, card=card, pk=log_id)
    topic = request.GET.get("topic") or None
    return render(request, "quizzes/review_result.html", {
        "card": card, "log": log, "question": card.question, "choices": result_choices(card, log), "topic": topic,
        "left": due_count(request.user, topic_slug=topic),
        "can_be_easier": log.correct and log.scheduled and log.rating != Rating.EASY,
    })


@login_required
@require_POST
def review_easy(request, card_id):
    card = card_of(request.user, card_id)
    log_id = request.POST.get("log")
    try:
        mark_too_easy(learner=request.user, card=card)
    except NotTooEasy:
        pass
    url = reverse("quizzes:review-result", args=[card.pk, log_id]) if log_id and log_id.isdigit() else reverse(
        "quizzes:review")
    return redirect(url)


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
        User.objects.filter(pk=learner.pk).update(reminders_enabled=False)
        return render(request, "quizzes/unsubscribe.html", {"done": True, "learner": learner})
    return render(request, "quizzes/unsubscribe.html", {"learner": learner, "token": token})
