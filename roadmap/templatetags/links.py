from django import template

from roadmap.models import is_web_url

register = template.Library()


@register.filter
def web_url(url: str) -> str:
    """The URL if it is http or https, else "#": a link to an external resource can never run script, even when
    a stored URL skipped validation (a bulk import, a shell)."""
    return url if is_web_url(url) else "#"
