"""django-csp's middleware, minus Django's own debug pages: with DEBUG on, the technical 404 and 500 pages
style and script themselves inline, and a developer needs them readable. Production never shows them.

And the policies built once: django-csp builds both header values from the settings on every response (0.03
to 0.1 ms of each request's CPU, a tenth of the bare view's), though they change only with a nonce or a view's
csp decorators. Without either, the values are the settings' alone and are kept until a setting changes;
tests/test_content_security_cache.py holds the headers to django-csp's own.
"""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What csp's decorators set on a response (csp_update, csp_replace, csp and their report-only forms).
_PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@functools.cache
def _settings_policies() -> tuple[tuple[str, str, str, str], ...]:
    """(header, value, the response attribute that exempts from it, its setting) for both headers."""
    return (
        (HEADER, build_policy(), "_csp_exempt", "CONTENT_SECURITY_POLICY"),
        (HEADER_REPORT_ONLY, build_policy(report_only=True), "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    )


@receiver(setting_changed)
def _forget_policies(*, setting, **_):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class SiteCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        # What CSPMiddleware.process_response does, with the values it would build.
        for header, policy, exempt, setting in _settings_policies():
            if policy and getattr(response, exempt, False) is False and header not in response:
                prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
                if not request.path_info.startswith(tuple(prefixes)):
                    response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
