"""SiteCSPMiddleware keeps the policies it builds from the settings; its headers are django-csp's own, whatever
the request, the response, their decorators and the settings."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from config.content_security import SiteCSPMiddleware

POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"], "frame-ancestors": ["'none'"]}}
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"], "report-uri": "/csp-report/"},
               "EXCLUDE_URL_PREFIXES": ["/admin/"]}


def headers(middleware_class, *, path, nonce, prepare):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: HttpResponse("ok"))
    middleware.process_request(request)
    if nonce:
        str(request.csp_nonce)  # a template used the nonce
    response = HttpResponse("ok")
    prepare(response)
    middleware.process_response(request, response)
    if not nonce:
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)  # too late to ask for one once the header is written
    return {name: response.get(name) for name in (HEADER, HEADER_REPORT_ONLY)}


def _nothing(response):
    pass


def _exempt(response):
    response._csp_exempt = True


def _exempt_ro(response):
    response._csp_exempt_ro = True


def _update(response):
    response._csp_update = {"img-src": ["https://example.com"]}


def _replace_ro(response):
    response._csp_replace_ro = {"default-src": ["'self'"]}


def _own_header(response):
    response[HEADER] = "default-src 'none'"


@pytest.mark.parametrize("settings_", [
    {"CONTENT_SECURITY_POLICY": POLICY},
    {"CONTENT_SECURITY_POLICY": POLICY, "CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
    {"CONTENT_SECURITY_POLICY": {**POLICY, "EXCLUDE_URL_PREFIXES": ["/api/docs/"]}},
    {"CONTENT_SECURITY_POLICY": None, "CONTENT_SECURITY_POLICY_REPORT_ONLY": REPORT_ONLY},
], ids=["site", "with-report-only", "excluded-prefix", "report-only-alone"])
@pytest.mark.parametrize("prepare", [_nothing, _exempt, _exempt_ro, _update, _replace_ro, _own_header])
@pytest.mark.parametrize("nonce", [False, True])
@pytest.mark.parametrize("path", ["/api/attempts/1/submit/", "/admin/", "/api/docs/"])
def test_the_headers_are_django_csps(settings_, prepare, nonce, path):
    with override_settings(**settings_):
        for _ in range(2):  # the second time from what the first kept
            ours = headers(SiteCSPMiddleware, path=path, nonce=nonce, prepare=prepare)
            theirs = headers(CSPMiddleware, path=path, nonce=nonce, prepare=prepare)
            if nonce:  # a nonce is random: the same policy around a different one
                ours = {k: v and v.split("'nonce-")[0] for k, v in ours.items()}
                theirs = {k: v and v.split("'nonce-")[0] for k, v in theirs.items()}
            assert ours == theirs


def test_a_changed_setting_is_seen_at_once():
    with override_settings(CONTENT_SECURITY_POLICY=POLICY):
        first = headers(SiteCSPMiddleware, path="/", nonce=False, prepare=_nothing)[HEADER]
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert headers(SiteCSPMiddleware, path="/", nonce=False, prepare=_nothing)[HEADER] == "default-src 'none'"
    assert "img-src 'self' data:" in first
