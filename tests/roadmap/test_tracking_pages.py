"""Tracking from the pages: form posts that work without JavaScript, states on the map, prompts for visitors."""

import pytest

from learning.models import Follow, ResourceTick, TopicNote, TopicProgress
from roadmap.models import Resource, Topic
from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


def test_anonymous_sees_prompts_not_controls(client, loaded):
    topic_html = client.get("/topics/vectors/").content.decode()
    assert "Create a free account" in topic_html
    assert "data-status-form" not in topic_html and "data-tick-form" not in topic_html
    roadmap_html = client.get("/roadmaps/first/").content.decode()
    assert "Create a free account" in roadmap_html and "data-state=" not in roadmap_html


def test_status_form_post_without_javascript(client, alice, loaded):
    client.force_login(alice)
    response = client.post("/topics/vectors/status/", {"status": "done", "next": "/topics/vectors/?roadmap=first"})
    assert response.status_code == 302 and response.url == "/topics/vectors/?roadmap=first"
    assert TopicProgress.objects.get(learner=alice).status == "done"
    html = client.get("/topics/vectors/").content.decode()
    assert 'value="done" checked' in html


def test_status_form_refuses_unknown_status_and_foreign_redirects(client, alice, loaded):
    client.force_login(alice)
    client.post("/topics/vectors/status/", {"status": "mastered"})
    assert not TopicProgress.objects.exists()
    response = client.post("/topics/vectors/status/", {"status": "done", "next": "https://evil.example.com/"})
    assert response.url == "/topics/vectors/"


def test_note_and_tick_forms(client, alice, loaded):
    client.force_login(alice)
    client.post("/topics/vectors/note/", {"body": "Remember *this*"})
    assert TopicNote.objects.get(learner=alice).body_html == "<p>Remember <em>this</em></p>"
    client.post("/topics/vectors/note/", {"body": "  "})
    assert not TopicNote.objects.exists()
    resource = Resource.objects.get(topic__slug="vectors")
    client.post(f"/resources/{resource.pk}/tick/", {"ticked": "1"})
    assert ResourceTick.objects.filter(learner=alice).count() == 1
    assert 'aria-pressed="true"' in client.get("/topics/vectors/").content.decode()
    client.post(f"/resources/{resource.pk}/tick/", {"ticked": "0"})
    assert not ResourceTick.objects.exists()


def test_follow_form(client, alice, loaded):
    client.force_login(alice)
    client.post("/roadmaps/first/follow/", {"follow": "1"})
    assert Follow.objects.filter(learner=alice).count() == 1
    assert "Unfollow" in client.get("/roadmaps/first/").content.decode()
    client.post("/roadmaps/first/follow/", {"follow": "0"})
    assert not Follow.objects.exists()


def test_forms_need_a_signed_in_learner_and_post(client, loaded):
    assert client.post("/topics/vectors/status/", {"status": "done"}).status_code == 302
    assert not TopicProgress.objects.exists()
    assert client.get("/topics/vectors/status/").status_code in (302, 405)


def test_map_and_list_show_the_learners_states_and_not_anothers(client, alice, bob, loaded):
    from learning.progress import set_topic_status

    set_topic_status(learner=alice, topic=Topic.objects.get(slug="vectors"), status="done")
    set_topic_status(learner=bob, topic=Topic.objects.get(slug="matrices"), status="in_progress")
    client.force_login(alice)
    html = client.get("/roadmaps/first/").content.decode()
    vectors = Topic.objects.get(slug="vectors").pk
    matrices = Topic.objects.get(slug="matrices").pk
    # the wide map's box, the phone's column box and the list item
    assert html.count(f'data-topic="{vectors}" data-state="done"') == 3
    assert f'data-topic="{matrices}" data-state="not_started"' in html
    assert "33%" in html


@pytest.mark.parametrize("topics", [10, 300])
def test_signed_in_page_budgets(client, alice, django_assert_max_num_queries, topics):
    build_roadmap(topics=topics)
    client.force_login(alice)
    client.get("/roadmaps/big/")  # fill the cache
    with django_assert_max_num_queries(10):
        assert client.get("/roadmaps/big/").status_code == 200
    client.get("/topics/big-topic-3/")
    with django_assert_max_num_queries(10):
        assert client.get("/topics/big-topic-3/").status_code == 200
