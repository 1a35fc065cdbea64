"""The settings page's scheduling card: its two forms (the card itself is the `scheduler_settings` tag)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import fitting
from .tasks import fit_learner_parameters


@login_required
@require_POST
def fit_form(request):
    try:
        fitting.request_fit(learner=request.user, enqueue=fit_learner_parameters.delay)
    except fitting.NotEnoughReviews as refused:
        return render(request, "quizzes/scheduler_refused.html", {"reason": refused}, status=400)
    except fitting.FitTooSoon as refused:
        response = render(request, "quizzes/scheduler_refused.html", {"reason": refused}, status=429)
        response["Retry-After"] = str(int(refused.wait.total_seconds()) + 1)
        return response
    messages.success(request, "Fitting your schedule to your reviews: the result shows here within a minute.")
    return redirect("accounts:settings")


@login_required
@require_POST
def reset_form(request):
    fitting.reset_parameters(learner=request.user)
    messages.success(request, "Your reviews are scheduled with FSRS's default parameters again.")
    return redirect("accounts:settings")
