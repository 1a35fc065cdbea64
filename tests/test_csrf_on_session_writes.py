"""CSRF on every session write: generated from the URL configuration, so a new route is covered the day it lands.

A signed-in browser session that posts without the CSRF token is refused (403) on every route and for every
unsafe method, pages and API alike, and nothing is saved. The one exemption is the reminder e-mail's one-click
unsubscribe, whose signed token is the credential (RFC 8058).
"""

import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

EXEMPT = {"quizzes:unsubscribe"}
NOT_SESSION_WRITES = {"healthz"}
PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\", "")
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", "/" + PLACEHOLDER.sub("1", prefix + route)


def routes():
    found = []
    for name, path in walk(get_resolver().url_patterns):
        if name in EXEMPT or name in NOT_SESSION_WRITES or name.startswith("admin:") and "(" in path:
            continue
        try:
            resolve(path)
        except Resolver404:
            continue  # an admin route whose regex has no sample value; admin forms are Django's own, CSRF-checked
        found.append((name, path))
    return found


ROUTES = routes()


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_generated_list_covers_the_learner_routes():
    names = {name for name, _ in ROUTES}
    for expected in ("quizzes:start", "quizzes:submit", "api:quiz-start", "api:attempt-submit", "api:review-answer",
                     "api:progress-detail", "api:note-detail", "api:token-list", "accounts:settings",
                     "account_login", "account_signup", "admin:index"):
        assert expected in names
    assert len(ROUTES) > 60


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_session_write_without_the_csrf_token_is_refused_everywhere(alice, method):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = row_counts()
    accepted = []
    for name, path in ROUTES:
        response = getattr(client, method)(path, data="{}", content_type="application/json")
        if response.status_code != 403:
            accepted.append(f"{name} {path} -> {response.status_code}")
    assert accepted == []
    after = row_counts()
    assert {k: v for k, v in after.items() if v != before[k] and k != "sessions.Session"} == {}
