"""Security headers on every response, production cookie and HSTS settings, and a CSP without 'unsafe-inline'.
(`manage.py check --deploy` is clean with production variables: tests/test_deploy_settings.py.)"""

import json

import pytest

from tests.test_deploy_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/api/roadmaps/", "/accounts/login/", "/api/docs/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_api_docs_load_their_start_up_script_from_a_file(client):
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html.replace(" ", "")
    assert "/api/docs/?script=" in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_production_cookies_hsts_and_csp():
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); print(json.dumps({k: getattr(s, k)"
        " for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SAMESITE', 'LOG_FORMAT']}"
        " | {'script': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']}))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SAMESITE": "Lax", "LOG_FORMAT": "json", "script": ["'self'"],
    }


def test_hsts_header_on_https_in_production(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/api/roadmaps/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_debug_error_pages_stay_readable_in_development(settings, client):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/no-such-page/")
    settings.DEBUG = False
    assert "Content-Security-Policy" in client.get("/no-such-page/")
