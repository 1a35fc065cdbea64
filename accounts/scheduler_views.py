"""The settings page's scheduling card: its forms (the card itself is the `scheduler_settings` tag)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from quizzes import balancing, fitting
from quizzes.scheduling import local_date
from quizzes.tasks import fit_learner_parameters

from .models import User
from .preferences import update_preferences
from .views import settings_context


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


WEEKDAY_LABELS = dict(zip(balancing.WEEKDAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))


class DaysOffForm(forms.Form):
    light_weekdays = forms.MultipleChoiceField(
        choices=WEEKDAY_LABELS.items(), required=False, widget=forms.CheckboxSelectMultiple, label="Light days")
    reviews_paused_until = forms.DateField(
        required=False, label="Pause reviews until", widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"])

    def __init__(self, *args, learner, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = local_date(learner, now or timezone.now())
        latest = today + datetime.timedelta(days=balancing.MAX_PAUSE_DAYS)
        self.fields["reviews_paused_until"].widget.attrs.update(
            {"aria-describedby": "pause-help", "min": f"{today:%Y-%m-%d}", "max": f"{latest:%Y-%m-%d}"})

    @classmethod
    def of(cls, learner, *, now=None) -> "DaysOffForm":
        """The learner's settings as the form shows them; a pause already over shows as none."""
        paused = balancing.reviews_paused(learner, now or timezone.now())
        return cls(learner=learner, now=now, initial={
            "light_weekdays": balancing.weekday_names(learner),
            "reviews_paused_until": learner.reviews_paused_until if paused else None})


@login_required
@require_POST
def days_off_form(request):
    form = DaysOffForm(request.POST, learner=request.user)
    if form.is_valid():
        try:
            moved = balancing.change_days_off(learner=request.user, light=form.cleaned_data["light_weekdays"],
                                              until=form.cleaned_data["reviews_paused_until"])
        except balancing.DaysOffRefused as refused:
            form.add_error(refused.field, str(refused))
        else:
            messages.success(request, days_off_saved(request.user, moved=moved))
            return redirect(f"{reverse('accounts:settings')}#days-off-heading")
    # The settings page again, this form with its errors in the scheduling card and nothing saved.
    return render(request, "accounts/settings.html", settings_context(request, days_off_form=form), status=400)


def days_off_saved(learner, *, moved: int) -> str:
    light = ", ".join(WEEKDAY_LABELS[name] for name in balancing.weekday_names(learner)) or "none"
    if not learner.reviews_paused_until:
        return f"Light days saved ({light}). Reviews are not paused."
    until = learner.reviews_paused_until
    questions = f"{moved} question{'s' if moved != 1 else ''}"
    back = f" {questions} due by then come back spread over the days after." if moved else ""
    return f"Light days saved ({light}). Reviews and reminders paused until {until:%A} {until.day} {until:%B}.{back}"


class ResumeForm(forms.Form):
    next = forms.ChoiceField(choices=[("settings", "settings"), ("review", "review")], required=False)


@login_required
@require_POST
def resume_form(request):
    form = ResumeForm(request.POST)
    if not form.is_valid():
        return render(request, "quizzes/scheduler_refused.html", {
            "reason": "The next field takes settings or review.", "title": "Reviews not resumed"}, status=400)
    balancing.resume_reviews(learner=request.user)
    messages.success(request, "Reviews resumed: what is due shows again, and reminders go out as usual.")
    if form.cleaned_data["next"] == "review":
        return redirect("quizzes:review")
    return redirect(f"{reverse('accounts:settings')}#days-off-heading")
