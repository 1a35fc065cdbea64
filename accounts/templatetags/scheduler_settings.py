from django import template
from django.utils import timezone

from accounts.scheduler_views import DaysOffForm
from quizzes.balancing import MAX_PAUSE_DAYS, reviews_paused
from quizzes.fitting import scheduler_state
from quizzes.workload import HORIZON_DAYS, cached_workload_forecast

register = template.Library()


@register.inclusion_tag("quizzes/_scheduler_settings.html", takes_context=True)
def scheduler_settings(context):
    """The settings page's card on FSRS parameters and retention (the settings view stays unaware of them)."""
    learner = context["user"]
    options = cached_workload_forecast(learner=learner)
    most = max((option.reviews_per_day for option in options), default=0) or 1
    workload = [
        {
            "value": f"{option.desired_retention:.2f}",
            "percent": round(option.desired_retention * 100),
            "reviews_per_day": option.reviews_per_day,
            "bar": max(1, round(100 * option.reviews_per_day / most)),
            "current": abs(option.desired_retention - learner.desired_retention) < 0.005,
        }
        for option in options
    ]
    return {"state": scheduler_state(learner=learner), "workload": workload, "days": HORIZON_DAYS,
            "cards": any(option.reviews for option in options), "csrf_token": context.get("csrf_token"),
            # A refused days-off form comes back with its errors; otherwise the learner's settings.
            "days_off": context.get("days_off_form") or DaysOffForm.of(learner),
            "paused_until": learner.reviews_paused_until if reviews_paused(learner, timezone.now()) else None,
            "max_pause_days": MAX_PAUSE_DAYS}
