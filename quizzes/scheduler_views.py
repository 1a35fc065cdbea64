"""The settings page's scheduling card: its two forms (the card itself is the `scheduler_settings` tag)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.preferences import update_preferences

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


class RetentionForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["desired_retention"]


@login_required
@require_POST
def retention_form(request):
    form = RetentionForm(request.POST, instance=User(desired_retention=request.user.desired_retention))
    if not form.is_valid():
        reason = " ".join(form.errors.get("desired_retention", ["Choose a retention."]))
        return render(request, "quizzes/scheduler_refused.html", {"reason": f"Desired retention: {reason}",
                                                                  "title": "Retention not changed"}, status=400)
    retention = form.cleaned_data["desired_retention"]
    update_preferences(user=request.user, changes={"desired_retention": retention})
    messages.success(request, f"New reviews are scheduled for {round(retention * 100)}% recall.")
    return redirect("accounts:settings")
