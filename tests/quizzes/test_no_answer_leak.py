"""Before an attempt is submitted, nothing in its HTML or JSON reveals a correct answer."""

import json
import re

import pytest

from quizzes.models import Choice, Question

pytestmark = pytest.mark.django_db


def correct_markers():
    explanations = [q.explanation.split(":")[0] for q in Question.objects.all()]
    feedback = [c.feedback for c in Choice.objects.exclude(feedback="")]
    return explanations + feedback + ["is_correct", "correct_", "explanation", "feedback", "numeric_answer",
                                      "tolerance", "data-correct"]


def keys_of(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


def assert_no_leak(text: str):
    lowered = text.lower()
    for marker in correct_markers():
        assert marker.lower() not in lowered, f"leaked: {marker!r}"
    assert not re.search(r"(?<![\d.:-])11(\.0+)?(?![\d:-])", text), "the numeric answer appears"


def test_start_json_leaks_nothing(api, alice, quiz_content):
    api.force_authenticate(alice)
    response = api.post("/api/topics/vectors/quiz/")
    assert_no_leak(json.dumps(response.json()))
    detail = api.get(f"/api/attempts/{response.json()['id']}/")
    assert_no_leak(json.dumps(detail.json()))
    allowed = {"id", "topic", "started_at", "expires_at", "questions", "type", "prompt", "prompt_html", "choices",
               "text", "text_html", "status", "submitted_at", "score", "max_score", "percent"}
    assert keys_of(response.json()) | keys_of(detail.json()) <= allowed


def test_quiz_page_html_leaks_nothing(client, alice, quiz_content):
    client.force_login(alice)
    response = client.post("/topics/vectors/quiz/")
    html = client.get(response.url).content.decode()
    body = html[html.index("<main"):html.index("</main>")]
    # The checked choices' order and ids carry no data attributes beyond the question's id and type.
    assert "data-correct" not in body and "data-answer" not in body
    assert_no_leak(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body))


def test_after_submission_the_answers_are_shown(client, alice, quiz_content):
    client.force_login(alice)
    attempt_url = client.post("/topics/vectors/quiz/").url
    attempt_id = int(attempt_url.rstrip("/").split("/")[-1])
    client.post(f"/quiz/{attempt_id}/submit/", {"confirm_unanswered": "1"})  # blank on purpose
    html = client.get(attempt_url).content.decode()
    assert "Correct answer: <strong>11</strong>" in html
    assert "extreme value" in html  # an explanation
