"""Topic progress through the API: statuses, roadmap progress, bad input, privacy and query budgets."""

import pytest

from learning.models import Activity, TopicProgress
from tests.conftest import build_roadmap

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_everywhere(api, loaded):
    assert api.get("/api/progress/").status_code == 401
    assert api.put("/api/progress/vectors/", {"status": "done"}, format="json").status_code == 401
    assert api.get("/api/roadmaps/first/progress/").status_code == 401
    assert not TopicProgress.objects.exists()


def test_set_and_list_status(api, alice, loaded):
    api.force_authenticate(alice)
    response = api.put("/api/progress/vectors/", {"status": "done"}, format="json")
    assert response.status_code == 200
    assert response.json()["topic"] == "vectors" and response.json()["status"] == "done"
    api.put("/api/progress/matrices/", {"status": "in_progress"}, format="json")
    listed = api.get("/api/progress/").json()["results"]
    assert [(p["topic"], p["status"]) for p in listed] == [("matrices", "in_progress"), ("vectors", "done")]


def test_a_change_is_an_activity_and_the_same_status_twice_is_not(api, alice, loaded):
    api.force_authenticate(alice)
    api.put("/api/progress/vectors/", {"status": "done"}, format="json")
    api.put("/api/progress/vectors/", {"status": "done"}, format="json")
    assert Activity.objects.filter(learner=alice).count() == 1


@pytest.mark.parametrize(
    ("url", "payload", "field", "words"),
    [
        ("/api/progress/vectors/", {"status": "finished"}, "status", "not a status"),
        ("/api/progress/vectors/", {}, "status", "required"),
        ("/api/progress/vectors/", {"status": "done", "extra": 1}, "extra", "Unknown"),
        ("/api/progress/no-such-topic/", {"status": "done"}, "topic", "Unknown topic"),
    ],
)
def test_bad_input_is_400_and_saves_nothing(api, alice, loaded, url, payload, field, words):
    api.force_authenticate(alice)
    response = api.put(url, payload, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    assert not TopicProgress.objects.exists()
    assert not Activity.objects.exists()


def test_malformed_json(api, alice, loaded):
    api.force_authenticate(alice)
    response = api.generic("PUT", "/api/progress/vectors/", "{status: done}", content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]
    assert not TopicProgress.objects.exists()


def test_another_learner_sees_only_its_own(api, alice, bob, loaded):
    api.force_authenticate(alice)
    api.put("/api/progress/vectors/", {"status": "done"}, format="json")
    api.force_authenticate(bob)
    assert api.get("/api/progress/").json()["results"] == []
    assert api.get("/api/roadmaps/first/progress/").json()["done"] == 0


def test_roadmap_progress_counts_shared_topics_in_every_roadmap(api, alice, loaded):
    api.force_authenticate(alice)
    api.put("/api/progress/matrices/", {"status": "done"}, format="json")  # in both roadmaps
    api.put("/api/progress/vectors/", {"status": "skipped"}, format="json")  # only in "first"
    api.put("/api/progress/gradient-descent/", {"status": "in_progress"}, format="json")
    first = api.get("/api/roadmaps/first/progress/").json()
    assert first == {
        "roadmap": "first", "total": 3, "done": 1, "skipped": 1, "in_progress": 1, "not_started": 0,
        "percent": 67, "following": False,
    }
    second = api.get("/api/roadmaps/second/progress/").json()
    assert (second["total"], second["done"], second["percent"]) == (2, 1, 50)


def test_unknown_roadmap_progress_is_404(api, alice, loaded):
    api.force_authenticate(alice)
    assert api.get("/api/roadmaps/nope/progress/").status_code == 404


@pytest.mark.parametrize("topics", [10, 300])
def test_query_budgets_do_not_grow_with_topics_or_history(api, alice, django_assert_max_num_queries, topics):
    roadmap = build_roadmap(topics=topics)
    api.force_authenticate(alice)
    for topic in roadmap.placements.values_list("topic__slug", flat=True)[: topics // 2]:
        api.put(f"/api/progress/{topic}/", {"status": "done"}, format="json")
    with django_assert_max_num_queries(2):
        api.get("/api/progress/")
    with django_assert_max_num_queries(5):  # the first after a content change reads the roadmap's plan (2)
        api.get("/api/roadmaps/big/progress/")
    with django_assert_max_num_queries(3):  # then: the roadmap, the learner's statuses, following
        api.get("/api/roadmaps/big/progress/")
    with django_assert_max_num_queries(8):  # topic, savepoint, lock-and-read, update, activity, release; stale pages
        api.put("/api/progress/big-topic-0/", {"status": "in_progress"}, format="json")
