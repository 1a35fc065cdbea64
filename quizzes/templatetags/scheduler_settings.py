from django import template

from quizzes.fitting import scheduler_state

register = template.Library()


@register.inclusion_tag("quizzes/_scheduler_settings.html", takes_context=True)
def scheduler_settings(context):
    """The settings page's card on FSRS parameters (the settings view stays unaware of scheduling)."""
    return {"state": scheduler_state(learner=context["user"]), "csrf_token": context.get("csrf_token")}
