"""Recent activity names a reviewed question by the start of its prompt, never by its internal key."""

import pytest
from django.utils import timezone

from learning.activity import recent_activity, record_activity
from learning.models import ActivityKind
from quizzes.models import Question
from roadmap.models import Topic
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db


def recent_html(client, learner):
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    return html[html.index('id="recent-heading"'):]


def test_a_review_shows_the_questions_prompt_not_its_key(client, alice_state):
    html = recent_html(client, alice_state.learner)
    assert "right: Orthogonal vectors have a dot product of zero." in html
    assert "orthogonal<" not in html and ": orthogonal" not in html


def test_a_long_markdown_prompt_is_shown_as_short_plain_text(alice, quiz_content):
    question = Question.objects.get(key="dot-product")
    question.prompt_html = "<p>" + " ".join(["<code>a&amp;b</code>"] * 20) + "</p>"
    question.save()
    record_activity(learner=alice, kind=ActivityKind.REVIEW, topic_id=question.topic_id, detail="missed: dot-product")
    [activity] = recent_activity(alice)
    assert activity.shown_detail == "missed: " + " ".join(["a&b"] * 12) + "…"


def test_other_activity_keeps_its_detail(alice, quiz_content):
    record_activity(learner=alice, kind=ActivityKind.RESOURCE, topic_id=Topic.objects.get(slug="vectors").pk,
                    detail="right: orthogonal")  # a resource that happens to be titled like a review
    [activity] = recent_activity(alice)
    assert activity.shown_detail == "right: orthogonal"


@pytest.mark.parametrize("reviews", [1, 10])
def test_the_dashboard_budget_does_not_grow_with_reviewed_questions(
        client, alice, small_content, django_assert_max_num_queries, reviews):
    small_content.questions("vectors", quiz_with_more_questions(10))
    small_content.load()
    vectors = Topic.objects.get(slug="vectors")
    for question in Question.objects.filter(topic=vectors)[:reviews]:
        record_activity(learner=alice, kind=ActivityKind.REVIEW, topic_id=vectors.pk,
                        detail=f"right: {question.key}", at=timezone.now())
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        html = client.get("/dashboard/").content.decode()
    assert html.count("· right: ") == reviews
