from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings


@dataclass(frozen=True)
class SiteForEmails:
    """What allauth's e-mails call `current_site`. Without the sites framework allauth would use a
    RequestSite, whose name is the host ("Hello from 127.0.0.1:8101!"); ours is the site's name."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_REGISTRATION", True)

    def send_mail(self, template_prefix: str, email: str, context_data: dict) -> None:
        request = context.request
        domain = request.get_host() if request is not None else urlsplit(settings.SITE_URL).netloc
        site = SiteForEmails(name=settings.SITE_NAME, domain=domain)
        super().send_mail(template_prefix, email, {"current_site": site, **context_data})
