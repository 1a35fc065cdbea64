from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from roadmap.models import ProgressStatus, Topic, TopicProgress

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
from .models import QuestionType


@login_required
@require_POST
def start_quiz(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
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
