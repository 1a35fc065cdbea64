"""Every route of the URL configuration that takes an id or a slug is called, with every HTTP method, by another
learner (bob) and by an anonymous visitor, pointing at alice's objects. Neither ever sees alice's data, and after
each call every row alice owns is exactly as before.

The routes come from `get_resolver()`, not from a list kept by hand: a new route with a parameter fails
`test_every_route_with_a_parameter_is_covered` until it is added to ROUTES (how to point it at alice's object,
what another learner gets) or to PUBLIC (content anyone may see, with the reason).
"""

import functools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quizzes.models import Question
from tests.conftest import right_answer_to

pytestmark = pytest.mark.django_db

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Strings only alice's rows hold: none may appear in an answer to anyone else.
ALICE_MARKERS = ["alice@example.com", "Alice Tangerine", "tangerine-ledger", "tangerine-token"]


def served_answers(state, *, form: bool):
    """Answers to every question of alice's open attempt, as the API's list or as the quiz form's fields."""
    answers = {}
    for served in state.open_attempt.served.select_related("question"):
        question = served.question
        if question.type == "numeric":
            answers[question.pk] = {"value": question.numeric_answer}
        else:
            answers[question.pk] = {"choices": [question.choices.filter(is_correct=True).first().pk]}
    if form:
        return {f"q{q}": a.get("value", a.get("choices")) for q, a in answers.items()}
    return {"answers": [{"question": q, **a} for q, a in answers.items()]}


def card_answer(card, *, form: bool):
    question = card.question
    if question.type == "numeric":
        return {f"q{question.pk}": question.numeric_answer} if form else {"value": question.numeric_answer}
    right = question.choices.filter(is_correct=True).first().pk
    return {f"q{question.pk}": right} if form else {"choices": [right]}


def placement_answer(state, *, form: bool = False):
    """The right answer to the question alice's placement test asks now."""
    question = Question.objects.get(pk=state.placement.state["served"]["question"])
    answer = right_answer_to(question)
    if form:
        return {"session": state.placement.pk, "question": question.pk,
                f"q{question.pk}": answer.get("value", answer.get("choices"))}
    return {"question": question.pk, **answer}


@dataclass
class Route:
    """How to point a route at alice's objects, and what another learner gets there."""

    objects: callable  # state -> list of URL kwargs, one per object of alice's to try
    body: callable = lambda state: {}  # what a request would send to act on the object (if it were allowed to)
    others: str = "404"  # "404": the object does not exist for anyone else; "own": the route acts on the caller's
    # own rows (a topic's note, a roadmap's follow), so another learner only ever touches its own
    notes: list[str] = field(default_factory=list)


ROUTES = {
    # API: ids of alice's objects
    "api:token-detail": Route(lambda s: [{"token_id": s.token.pk}]),
    "api:attempt-detail": Route(lambda s: [{"attempt_id": s.open_attempt.pk}, {"attempt_id": s.submitted.pk}]),
    "api:attempt-submit": Route(lambda s: [{"attempt_id": s.open_attempt.pk}, {"attempt_id": s.submitted.pk}],
                                body=lambda s: served_answers(s, form=False)),
    "api:review-answer": Route(lambda s: [{"card_id": s.due_card.pk}], body=lambda s: card_answer(s.due_card,
                                                                                               form=False)),
    "api:review-easy": Route(lambda s: [{"card_id": s.reviewed_card.pk}]),
    # API: the caller's own rows about a topic, resource or roadmap
    "api:progress-detail": Route(lambda s: [{"topic_slug": "vectors"}], body=lambda s: {"status": "done"},
                                 others="own"),
    "api:note-detail": Route(lambda s: [{"topic_slug": "vectors"}], body=lambda s: {"body": "Bob's words."},
                             others="own"),
    "api:resource-tick": Route(lambda s: [{"resource_id": s.resource.pk}], others="own"),
    "api:roadmap-follow": Route(lambda s: [{"slug": "first"}], others="own"),
    "api:roadmap-progress": Route(lambda s: [{"slug": "first"}], others="own"),
    "api:quiz-start": Route(lambda s: [{"slug": "vectors"}], others="own"),
    "api:placement-start": Route(lambda s: [{"slug": "first"}], others="own"),
    "api:placement-detail": Route(lambda s: [{"session_id": s.placement.pk},
                                             {"session_id": s.finished_placement.pk}]),
    "api:placement-answer": Route(lambda s: [{"session_id": s.placement.pk}], body=lambda s: placement_answer(s)),
    "api:placement-confirm": Route(lambda s: [{"session_id": s.finished_placement.pk}],
                                   body=lambda s: {"topics": ["vectors"]}),
    # Pages and their forms: ids of alice's objects
    "quizzes:attempt": Route(lambda s: [{"attempt_id": s.open_attempt.pk}, {"attempt_id": s.submitted.pk}]),
    "quizzes:submit": Route(lambda s: [{"attempt_id": s.open_attempt.pk}],
                            body=lambda s: served_answers(s, form=True)),
    "quizzes:review-answer": Route(lambda s: [{"card_id": s.due_card.pk}],
                                   body=lambda s: card_answer(s.due_card, form=True)),
    "quizzes:review-result": Route(lambda s: [{"card_id": s.reviewed_card.pk, "log_id": s.review_log.pk}]),
    "quizzes:review-easy": Route(lambda s: [{"card_id": s.reviewed_card.pk}],
                                 body=lambda s: {"log": s.review_log.pk}),
    # Revoking someone else's token is the same as revoking none: back to one's own settings, "No such token."
    "accounts:revoke-token": Route(lambda s: [{"token_id": s.token.pk}], others="own"),
    # Pages' forms: the caller's own rows about a topic, resource or roadmap
    "quizzes:start": Route(lambda s: [{"slug": "vectors"}], others="own"),
    "quizzes:placement": Route(lambda s: [{"slug": "first"}], others="own"),
    "quizzes:placement-start": Route(lambda s: [{"slug": "first"}], body=lambda s: {"restart": "1"}, others="own"),
    "quizzes:placement-answer": Route(lambda s: [{"slug": "first"}], body=lambda s: placement_answer(s, form=True)),
    "quizzes:placement-confirm": Route(lambda s: [{"slug": "first"}], body=lambda s: {
        "session": s.finished_placement.pk, "topics": ["vectors"]}),
    "roadmap:topic-status": Route(lambda s: [{"slug": "vectors"}], body=lambda s: {"status": "done"}, others="own"),
    "roadmap:topic-note": Route(lambda s: [{"slug": "vectors"}], body=lambda s: {"body": ""}, others="own"),
    "roadmap:resource-tick": Route(lambda s: [{"resource_id": s.resource.pk}], body=lambda s: {"ticked": "0"},
                                   others="own"),
    "roadmap:follow": Route(lambda s: [{"slug": "first"}], body=lambda s: {"follow": "0"}, others="own"),
}

PUBLIC = {
    "api:roadmap-detail": "published content",
    "api:topic-detail": "published content",
    "roadmap:roadmap": "published content (a learner's marks come from the session, see the leak test below)",
    "roadmap:topic": "published content (a learner's marks come from the session, see the leak test below)",
    "quizzes:unsubscribe": "a signed token, not an id: tests/quizzes/test_reminders.py refuses tampered ones",
    "account_confirm_email": "allauth: a key sent by e-mail, not an id",
    "account_reset_password_from_key": "allauth: a key sent by e-mail, not an id",
}


def routes(patterns=None, prefix="", namespace=""):
    """(name, route text, parameter names) of every URL pattern, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            regex = pattern.pattern.regex
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern), set(regex.groupindex)


def parameterised_routes():
    return {name for name, route, params in routes() if params and not name.startswith("admin:")}


def filled(route: str, values: dict) -> str:
    """The URL of a route's text (path converters or regex groups) with its parameters filled in."""
    url = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1) or m.group(2)]), route)
    return "/" + url.replace("^", "").replace("$", "")


@functools.cache
def ownership_links() -> list:
    """(model, foreign key) pairs that make a row someone's: a key to the user model, or to a row that has one
    (an attempt's answers, a card's review logs). Found from the models, so a new model is covered unlisted."""
    user_model = get_user_model()
    owners, links = {user_model}, []
    for _ in range(2):
        for model in apps.get_models():
            for fk in model._meta.get_fields():
                link = (model, fk.name)
                if fk.many_to_one and fk.concrete and fk.related_model in owners and link not in links:
                    links.append(link)
        owners |= {model for model, _ in links}
    owners.discard(user_model)
    return [(model, name) for model, name in links if model is not user_model]


def owned_by(user) -> dict:
    """Every row the user owns, by model and key (see ownership_links)."""
    user_model = get_user_model()
    ids = {user_model: {user.pk}}
    rows = {"user": list(user_model.objects.filter(pk=user.pk).values())}
    for model, name in ownership_links():
        target = model._meta.get_field(name).related_model
        matching = list(model.objects.filter(**{f"{name}__in": ids.get(target, ())}).order_by("pk").values())
        rows[f"{model._meta.label}.{name}"] = matching
        ids.setdefault(model, set()).update(row[model._meta.pk.attname] for row in matching)
    return rows


@pytest.fixture
def alice_marked(alice_state):
    """Alice's state, with her name, note and token carrying marker strings to look for in others' answers."""
    alice = alice_state.learner
    alice.display_name = "Alice Tangerine"
    alice.save()
    alice_state.note.body = "My tangerine-ledger note."
    alice_state.note.save()
    alice_state.token.name = "tangerine-token"
    alice_state.token.save()
    return alice_state


def send(client, method, url, body, *, api: bool):
    if method in {"GET", "HEAD", "OPTIONS"}:
        return client.generic(method, url)
    if api:
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    return client.generic(method, url, urlencode(body, doseq=True), content_type="application/x-www-form-urlencoded")


def assert_no_leak(response, where):
    text = response.content.decode(errors="replace")
    leaked = [marker for marker in ALICE_MARKERS if marker in text]
    assert not leaked, f"{where}: {leaked} in the answer"


def is_refused(response, *, api: bool) -> bool:
    if api:
        return response.status_code in {401, 403}
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_every_route_with_a_parameter_is_covered():
    found = parameterised_routes()
    assert found - set(ROUTES) - set(PUBLIC) == set(), "add these routes to ROUTES or PUBLIC"
    assert (set(ROUTES) | set(PUBLIC)) - found == set(), "these routes no longer exist"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_another_learner_and_a_visitor_cannot_reach_alices_objects(name, alice_marked, bob):
    route, state = ROUTES[name], alice_marked
    api = name.startswith("api:")
    body = route.body(state)
    before = owned_by(state.learner)
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(bob)
    answers = []
    for kwargs in route.objects(state):
        url = reverse(name, kwargs=kwargs)
        for method in METHODS:
            where = f"{method} {url}"
            response = send(signed_in, method, url, body, api=api)
            assert response.status_code < 500, where
            assert_no_leak(response, f"bob: {where}")
            if route.others == "404":
                # 405: the route does not serve this method at all, so there is nothing to reach
                assert response.status_code in {404, 405} or method == "OPTIONS", f"bob: {where}"
            answers.append(response.status_code)
            assert owned_by(state.learner) == before, f"bob changed alice's data: {where}"

            response = send(anonymous, method, url, body, api=api)
            assert is_refused(response, api=api), f"anonymous: {where} got {response.status_code}"
            assert owned_by(state.learner) == before, f"anonymous changed alice's data: {where}"
    # The ownership check was really reached: a 404 for another learner's object, or a served answer for one's own.
    if route.others == "404":
        assert 404 in answers
    else:
        assert any(200 <= status < 400 for status in answers)


def test_admin_routes_with_a_parameter_need_staff(alice_marked, bob):
    """The admin's object pages (change, delete, history, password, view on site) send anyone who is not staff to
    the admin's sign-in page, whatever the method."""
    alice = alice_marked.learner
    user_type = ContentType.objects.get_for_model(alice)
    values = {"app_label": "accounts", "content_type_id": user_type.pk, "object_id": alice.pk, "id": alice.pk,
              "url": f"accounts/user/{alice.pk}/"}  # the admin's catch-all
    before = owned_by(alice)
    signed_in, anonymous = Client(), Client()
    signed_in.force_login(bob)
    checked = 0
    for name, route, params in routes():
        if not (params and name.startswith("admin:")):
            continue
        assert params <= set(values), f"{name}: how to fill {params - set(values)}?"
        url = filled(route, values)
        for client in (signed_in, anonymous):
            for method in ["GET", "POST"]:
                response = send(client, method, url, {"email": "taken@example.com"}, api=False)
                assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
                checked += 1
        assert owned_by(alice) == before, url
    assert checked >= 40  # a change, delete and history page for each registered model


def test_pages_and_lists_without_a_parameter_show_another_learner_nothing_of_alices(alice_marked, bob):
    signed_in = Client()
    signed_in.force_login(bob)
    for name, route, params in routes():
        if params or name.startswith("admin:"):
            continue
        url = filled(route, {})
        response = signed_in.get(url)
        assert response.status_code < 500, url
        assert_no_leak(response, f"GET {url}")
    for name in ["roadmap:roadmap", "roadmap:topic"]:
        slug = "first" if name == "roadmap:roadmap" else "vectors"
        assert_no_leak(signed_in.get(reverse(name, kwargs={"slug": slug})), name)
