"""A JSON body nested deeper than the API reads (config/json_parsing.py) is a 400 saying so, on every endpoint that
reads a body: 1,000 levels used to raise RecursionError inside the parser, a 500 (issue 14). Every route of the API
that takes a write is listed from the URL configuration, so a new one is covered without being named here."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from config.json_parsing import MAX_DEPTH

pytestmark = pytest.mark.django_db

WRITES = ("post", "put", "patch")
# Writes that take no body (request=None in their schema) and never read one: they do their work, not a 500.
TAKES_NO_BODY = {("put", "roadmaps/<slug:slug>/follow/"), ("put", "resources/<int:resource_id>/tick/"),
                 ("post", "topics/<slug:slug>/quiz/"), ("post", "reviews/<int:card_id>/easy/"),
                 ("post", "me/scheduler/fit/"), ("post", "roadmaps/<slug:slug>/placement/")}


def api_routes():
    """(route, view class) for each API route, with its parameters left as `<name>`."""
    resolver = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/")
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and any(hasattr(view, method) for method in WRITES):
            yield str(pattern.pattern), view


def concrete(route: str, state) -> str:
    real = {"<slug:slug>": "vectors", "<slug:topic_slug>": "vectors", "<int:token_id>": str(state.token.pk),
            "<int:resource_id>": str(state.resource.pk), "<int:attempt_id>": str(state.open_attempt.pk),
            "<int:card_id>": str(state.due_card.pk), "<int:session_id>": str(state.placement.pk)}
    if route.startswith("roadmaps/"):
        real["<slug:slug>"] = "first"
    for name, value in real.items():
        route = route.replace(name, value)
    assert "<" not in route, route
    return f"/api/{route}"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def state(api, alice_state):
    api.force_authenticate(alice_state.learner)
    return alice_state


def test_every_json_endpoint_refuses_a_body_nested_a_thousand_deep(api, state):
    tried, answers = 0, {}
    for route, view in api_routes():
        for method in WRITES:
            if not hasattr(view, method):
                continue
            for body in (nested(1000), '{"answers": ' * 1000 + "1" + "}" * 1000):
                response = api.generic(method.upper(), concrete(route, state), body, content_type="application/json")
                detail = response.json().get("detail", "") if response.status_code == 400 else ""
                answers[(method, route)] = response.status_code, detail
                tried += 1
    refused = {write for write, (status, detail) in answers.items() if status == 400 and "nested" in detail}
    assert set(answers) - refused == TAKES_NO_BODY, answers
    assert all(status < 500 for status, _ in answers.values())
    assert len(refused) >= 6 and tried >= 20


def test_nesting_up_to_the_limit_is_read(api, state):
    # Too deep by one is refused; at the limit, the body is read and the serializer says what is wrong with it.
    path = f"/api/reviews/{state.due_card.pk}/answer/"
    deepest = '{"choices": ' + nested(MAX_DEPTH - 1) + "}"
    response = api.generic("POST", path, deepest, content_type="application/json")
    assert response.status_code == 400 and "detail" not in response.json()
    too_deep = '{"choices": ' + nested(MAX_DEPTH) + "}"
    assert "nested" in api.generic("POST", path, too_deep, content_type="application/json").json()["detail"]


def test_brackets_inside_strings_do_not_count(api, state):
    response = api.post("/api/tokens/", {"name": "[" * 60 + "{" * 10}, format="json")
    assert response.status_code == 201, response.json()


def test_the_usual_bodies_still_parse(api, state):
    body = json.dumps({"body": "A note with [brackets] and {braces}, and \\\"escaped quotes\\\"."})
    response = api.generic("PUT", "/api/notes/vectors/", body, content_type="application/json")
    assert response.status_code == 200, response.json()
