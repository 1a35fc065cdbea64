"""The roadmap page's map/list switch (?view=), mark buttons and later prerequisites, and the topic page's
status control at the top: rendered by the server, so they work without JavaScript."""

import re

import pytest

from learning.models import TopicProgress
from roadmap.models import Topic
from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_content(content):
    """`basics` needs `advanced`, which the roadmap places later."""
    content.topic("basics", title="Basics", prerequisites=["advanced"])
    content.topic("middle", title="Middle", prerequisites=["basics"])
    content.topic("advanced", title="Advanced")
    content.roadmap("r", [("One", ["basics", "middle"]), ("Two", ["advanced"])])
    content.load()
    return content


def test_the_switch_shows_the_map_or_the_list(client, loaded):
    html = client.get("/roadmaps/first/").content.decode()
    assert 'data-view="map"' in html and 'href="/roadmaps/first/?view=list" data-view-link="list">' in html
    html = client.get("/roadmaps/first/?view=list").content.decode()
    assert 'data-view="list"' in html and 'data-view-link="list" aria-current="page"' in html
    assert 'data-view="map"' in client.get("/roadmaps/first/?view=nonsense").content.decode()


def test_a_skip_link_leads_past_the_map_to_the_list(client, loaded):
    html = client.get("/roadmaps/first/").content.decode()
    assert '<a class="skip-map" href="#topic-list">' in html and 'id="topic-list"' in html
    assert html.index('class="skip-map"') < html.index('<svg class="roadmap-map"') < html.index('id="topic-list"')


def test_every_arrow_has_one_head(client, loaded):
    html = client.get("/roadmaps/first/").content.decode()
    arrows = re.findall(r"<path d=\"M[^\"]*\"[^>]* data-from=[^>]*>", html)
    assert arrows and all(a.count("marker-end=") == 1 and "marker-start" not in a for a in arrows)
    assert "auto-start-reverse" not in html


def test_a_prerequisite_placed_later_is_named_not_drawn_upwards(client, later_content):
    html = client.get("/roadmaps/r/").content.decode()
    advanced, basics = Topic.objects.get(slug="advanced").pk, Topic.objects.get(slug="basics").pk
    assert f'data-from="{advanced}" data-to="{basics}"' not in html
    assert 'Also needs, later in this roadmap: <a href="/topics/advanced/?roadmap=r">Advanced</a>' in html
    assert "Also needs, later in this roadmap: Advanced." in html  # the map box's title
    assert 'class="later-mark"' in html


def test_visitors_get_no_mark_buttons(client, loaded):
    html = client.get("/roadmaps/first/").content.decode()
    assert 'form="mark-topic"' not in html and 'id="mark-topic"' not in html


def test_a_learners_mark_buttons_post_the_status_form(client, alice, loaded):
    client.force_login(alice)
    html = client.get("/roadmaps/first/?view=list").content.decode()
    assert re.search(r'<form id="mark-topic" method="post" data-mark-form><input type="hidden" '
                     r'name="csrfmiddlewaretoken" value="\w+"><input type="hidden" name="next" '
                     r'value="/roadmaps/first/\?view=list"></form>', html)
    assert ('form="mark-topic" formaction="/topics/vectors/status/" name="status" value="done" '
            'data-mark-topic="') in html
    assert 'data-api="/api/progress/vectors/"' in html
    # What the button sends without JavaScript:
    response = client.post("/topics/vectors/status/", {"status": "done", "next": "/roadmaps/first/?view=list"})
    assert response.status_code == 302 and response.url == "/roadmaps/first/?view=list"
    assert TopicProgress.objects.get(learner=alice).status == "done"


def test_the_topic_page_puts_the_status_control_first(client, alice, loaded):
    client.force_login(alice)
    html = client.get("/topics/vectors/").content.decode()
    assert html.index("<h1>") < html.index("data-status-form") < html.index('class="prose"')


@pytest.mark.parametrize("topics", [10, 300])
def test_list_view_budget(client, alice, django_assert_max_num_queries, topics):
    build_roadmap(topics=topics)
    client.force_login(alice)
    client.get("/roadmaps/big/?view=list")  # fill the cache
    with django_assert_max_num_queries(10):
        assert client.get("/roadmaps/big/?view=list").status_code == 200
