"""Signed-in pages reuse the content rendered once per content version (the topic page whole, with a
pager for each roadmap; each roadmap's plan) and read only the learner's own state fresh on every visit."""

import pytest
from django.core.management import call_command

from caching.learner_pages import learner_state_changed
from learning.progress import follow_roadmap, set_topic_status
from roadmap.models import Roadmap, Topic
from tests.conftest import build_roadmap


def mark(learner, slug, status):
    """As the learner's own request would: the status, and their cached pages made stale."""
    set_topic_status(learner=learner, topic=Topic.objects.get(slug=slug), status=status)
    learner_state_changed(learner_id=learner.pk)


@pytest.mark.django_db
def test_the_topic_page_pages_through_the_roadmap_named(client, alice, loaded, django_assert_max_num_queries):
    client.force_login(alice)
    # matrices is second in "first" (after vectors) and first in "second" (before gradient-descent).
    html = client.get("/topics/matrices/").content.decode()
    assert 'href="/topics/vectors/?roadmap=first"' in html and 'href="/roadmaps/first/"' in html
    with django_assert_max_num_queries(7):  # the learner's state only: every variant is in the one cached entry
        html = client.get("/topics/matrices/?roadmap=second").content.decode()
    assert 'href="/topics/gradient-descent/?roadmap=second"' in html and 'href="/roadmaps/second/"' in html
    assert "?roadmap=first" not in html
    for other in ("first", "no-such-roadmap", "x" * 5000):
        html = client.get("/topics/matrices/", {"roadmap": other}).content.decode()
        assert 'href="/topics/vectors/?roadmap=first"' in html


@pytest.mark.django_db
def test_the_learners_state_is_fresh_and_their_own(client, alice, bob, loaded):
    client.force_login(alice)
    assert 'value="not_started" checked' in client.get("/topics/vectors/").content.decode()
    assert "0 of 3 topics done" in client.get("/roadmaps/first/").content.decode()
    mark(alice, "vectors", "done")
    html = client.get("/topics/vectors/").content.decode()
    assert 'value="done" checked' in html
    html = client.get("/roadmaps/first/").content.decode()
    assert "1 of 3 topics done" in html and 'href="/topics/matrices/?roadmap=first"' in html  # continue here moved on
    client.force_login(bob)
    assert 'value="not_started" checked' in client.get("/topics/vectors/").content.decode()
    assert "0 of 3 topics done" in client.get("/roadmaps/first/").content.decode()


@pytest.mark.django_db(transaction=True)  # invalidation runs on commit
def test_a_content_change_reaches_signed_in_pages(client, alice, loaded):
    follow_roadmap(learner=alice, roadmap=Roadmap.objects.get(slug="first"))
    mark(alice, "vectors", "done")
    client.force_login(alice)
    assert "Matrices" in client.get("/topics/matrices/").content.decode()
    assert "1 of 3 topics done" in client.get("/dashboard/").content.decode()
    loaded.topic("matrices", title="Matrix Algebra", prerequisites=["vectors"])
    loaded.topic("eigenvalues", title="Eigenvalues")
    loaded.roadmap("first", [("Maths", ["vectors", "matrices", "eigenvalues"]), ("Optimisation", ["gradient-descent"])])
    call_command("load_content", "--path", str(loaded.root), verbosity=0)
    html = client.get("/topics/matrices/").content.decode()
    assert "Matrix Algebra" in html and 'href="/topics/eigenvalues/?roadmap=first"' in html  # the new next
    html = client.get("/dashboard/").content.decode()
    assert "1 of 4 topics done" in html and "Matrix Algebra" in html  # 1 of 4 now; the plan's topics renamed
    assert "1 of 4 topics done" in client.get("/roadmaps/first/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("topics", [10, 300])
def test_warm_signed_in_budgets(client, alice, django_assert_max_num_queries, topics):
    roadmap = build_roadmap(topics=topics)
    follow_roadmap(learner=alice, roadmap=roadmap)
    for topic in Topic.objects.filter(placements__roadmap=roadmap)[: topics // 2]:
        set_topic_status(learner=alice, topic=topic, status="done")
    client.force_login(alice)
    for url in ("/roadmaps/big/", "/topics/big-topic-3/?roadmap=big", "/dashboard/"):
        client.get(url)  # fill the cache
    # session, learner, roadmap, statuses, memory strength, following
    with django_assert_max_num_queries(6):
        assert client.get("/roadmaps/big/").status_code == 200
    # session, learner, status, ticks, note, quiz history, memory strength
    with django_assert_max_num_queries(7):
        assert client.get("/topics/big-topic-3/?roadmap=big").status_code == 200
    # session, learner, follows, statuses, memory strength, its topics (if any), forecast, due, recent activity,
    # the year's actions per day
    with django_assert_max_num_queries(10):
        assert client.get("/dashboard/").status_code == 200
