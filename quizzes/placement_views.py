"""The placement test's pages: one question at a time by plain form posts, then the proposal to confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.rate_limits import QUIZ_START, rate_limited_page, wait_before
from roadmap.models import Roadmap

from .answers import LARGEST_ID, InvalidAnswers, card_answer_from_form, whole_number_from_text
from .models import Question
from .placement import MAX_QUESTIONS
from .placement_sessions import (
    PlacementError,
    answer_placement,
    confirm_placement,
    current_placement,
    placement_of,
    placement_progress,
    proposal_of,
    served_question,
    start_placement,
)


def _page(request, roadmap, session, *, errors=(), status=200, checked=None):
    proposal = proposal_of(session) if session else []
    return render(request, "quizzes/placement.html", {
        "roadmap": roadmap, "session": session, "item": served_question(session) if session else None,
        "progress": placement_progress(session) if session else None, "max_questions": MAX_QUESTIONS,
        "proposal": proposal, "errors": errors,
        "checked": {p["topic"] for p in proposal} if checked is None else set(checked),
    }, status=status)


@login_required
def placement_page(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    return _page(request, roadmap, current_placement(request.user, roadmap))


@login_required
@require_POST
def start_form(request, slug):
    """Resumes the learner's unconfirmed test on the roadmap, or starts one (`restart` starts afresh)."""
    roadmap = get_object_or_404(Roadmap, slug=slug)
    if current_placement(request.user, roadmap) and not request.POST.get("restart"):
        return redirect("quizzes:placement", slug=slug)
    if wait := wait_before(request, scope=QUIZ_START):
        return rate_limited_page(request, wait=wait)
    try:
        start_placement(learner=request.user, roadmap=roadmap)
    except PlacementError as refused:
        return _page(request, roadmap, None, errors=[m for ms in refused.errors.values() for m in ms], status=400)
    return redirect("quizzes:placement", slug=slug)


def _posted_session(request, roadmap):
    """The learner's test named by the form's `session` field (404 for anyone else's or another roadmap's), or
    None when the field is not an id."""
    session_id = whole_number_from_text(request.POST.get("session", ""), largest=LARGEST_ID)
    if session_id is None:
        return None
    session = placement_of(request.user, session_id)
    if session.roadmap_id != roadmap.pk:
        raise Http404("No such placement test on this roadmap.")
    return session


@login_required
@require_POST
def answer_form(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    session = _posted_session(request, roadmap)
    if session is None:
        return _page(request, roadmap, current_placement(request.user, roadmap),
                     errors=["Which placement test? The form names none: answer the question shown."], status=400)
    question_id = whole_number_from_text(request.POST.get("question", ""), largest=LARGEST_ID)
    question = Question.objects.filter(pk=question_id).first() if question_id else None
    if question is None:
        return _page(request, roadmap, session, errors=["That question does not exist: answer the one shown."],
                     status=400)
    dont_know = request.POST.get("dont_know")
    if dont_know not in (None, "1"):
        return _page(request, roadmap, session, errors=["“I don’t know this” takes no other value than 1."],
                     status=400)
    try:
        answer = None if dont_know else card_answer_from_form(request.POST, question=question)
        answer_placement(learner=request.user, session_id=session.pk, question=question.pk, answer=answer)
    except InvalidAnswers as refused:
        return _page(request, roadmap, session, errors=[p.sentence for p in refused.problems], status=400)
    except PlacementError as refused:
        session.refresh_from_db()
        return _page(request, roadmap, session, errors=[m for ms in refused.errors.values() for m in ms], status=400)
    return redirect("quizzes:placement", slug=slug)


@login_required
@require_POST
def confirm_form(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    session = _posted_session(request, roadmap)
    if session is None:
        return _page(request, roadmap, current_placement(request.user, roadmap),
                     errors=["Which placement test? The form names none."], status=400)
    topics = request.POST.getlist("topics")
    try:
        confirm_placement(learner=request.user, session_id=session.pk, topics=topics)
    except PlacementError as refused:
        return _page(request, roadmap, session, errors=[m for ms in refused.errors.values() for m in ms], status=400,
                     checked=topics)
    if topics:
        messages.success(request, f"Marked {len(topics)} topic{'s' if len(topics) != 1 else ''} done. What you "
                                  "answered on them comes back for review.")
    return redirect(roadmap.get_absolute_url())
