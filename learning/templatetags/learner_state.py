"""The learner's state for templates of other apps' pages (quizzes sits below learning and cannot ask for it)."""

from django import template

from learning.models import ProgressStatus, TopicProgress

register = template.Library()


@register.simple_tag(takes_context=True)
def topic_status_of(context, topic) -> str:
    """The signed-in learner's status on `topic` (one query)."""
    found = TopicProgress.objects.filter(learner=context["request"].user, topic=topic).values_list("status", flat=True)
    return found.first() or ProgressStatus.NOT_STARTED
