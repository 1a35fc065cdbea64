"""The dashboard: followed roadmaps with progress and "continue here", activity and heatmap; fixed budgets."""

import pytest

from learning.progress import follow_roadmap, roadmaps_progress, set_topic_status
from roadmap.models import Roadmap, Topic
from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


def mark(learner, slug, status):
    set_topic_status(learner=learner, topic=Topic.objects.get(slug=slug), status=status)


def continue_here(learner, roadmap):
    return roadmaps_progress(learner, [roadmap])[roadmap.pk].next_topic


def test_continue_here_is_the_first_open_topic_whose_prerequisites_are_finished(alice, loaded):
    first = Roadmap.objects.get(slug="first")
    assert continue_here(alice, first).slug == "vectors"
    mark(alice, "vectors", "done")
    assert continue_here(alice, first).slug == "matrices"
    mark(alice, "matrices", "skipped")  # skipped counts as finished, for the roadmap and as a prerequisite
    assert continue_here(alice, first).slug == "gradient-descent"
    mark(alice, "gradient-descent", "done")
    assert continue_here(alice, first) is None


def test_continue_here_skips_topics_whose_prerequisites_are_open(alice, loaded):
    second = Roadmap.objects.get(slug="second")  # matrices needs vectors, which is not in this roadmap
    assert continue_here(alice, second) is None
    mark(alice, "vectors", "done")
    assert continue_here(alice, second).slug == "matrices"


def test_dashboard_shows_followed_roadmaps_and_activity(client, alice, loaded):
    follow_roadmap(learner=alice, roadmap=Roadmap.objects.get(slug="first"))
    mark(alice, "vectors", "done")
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "First" in html
    assert 'value="1"' in html and "33%" in html  # 1 of 3 topics
    assert 'href="/topics/matrices/?roadmap=first"' in html  # continue here
    assert "Current streak" in html and "1 day" in html
    assert 'class="heatmap"' in html
    assert "Vectors" in html  # recent activity


def test_dashboard_without_follows_suggests_roadmaps(client, alice, loaded):
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "You do not follow a roadmap yet" in html and 'href="/roadmaps/first/"' in html


@pytest.mark.parametrize("size", [10, 200])
def test_dashboard_budget_does_not_grow_with_topics_or_history(client, alice, django_assert_max_num_queries, size):
    for n in range(3):
        roadmap = build_roadmap(topics=size, slug=f"r{n}")
        follow_roadmap(learner=alice, roadmap=roadmap)
        for topic in Topic.objects.filter(placements__roadmap=roadmap)[: size // 2]:
            set_topic_status(learner=alice, topic=topic, status="done")
    client.force_login(alice)
    with django_assert_max_num_queries(14):
        assert client.get("/dashboard/").status_code == 200
