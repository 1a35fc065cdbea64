"""Notes, resource ticks and follows through the API."""

import pytest

from learning.models import Follow, ResourceTick, TopicNote
from roadmap.models import Resource

pytestmark = pytest.mark.django_db


def test_note_round_trip_is_sanitised(api, alice, loaded):
    api.force_authenticate(alice)
    body = "**Key:** scale first <script>alert(1)</script> <img src=x onerror=alert(1)>"
    response = api.put("/api/notes/vectors/", {"body": body}, format="json")
    assert response.status_code == 200
    html = response.json()["body_html"]
    assert "<strong>Key:</strong>" in html and "<script" not in html and "onerror" not in html
    assert api.get("/api/notes/vectors/").json()["body"] == body
    assert [n["topic"] for n in api.get("/api/notes/").json()["results"]] == ["vectors"]
    assert api.delete("/api/notes/vectors/").status_code == 204
    assert api.get("/api/notes/vectors/").status_code == 404


@pytest.mark.parametrize(
    ("url", "payload", "status"),
    [
        ("/api/notes/vectors/", {"body": ""}, 400),
        ("/api/notes/vectors/", {"body": "x" * 20_001}, 400),
        ("/api/notes/vectors/", {"text": "wrong field"}, 400),
        ("/api/notes/unknown/", {"body": "hi"}, 400),
    ],
)
def test_bad_notes_are_refused(api, alice, loaded, url, payload, status):
    api.force_authenticate(alice)
    response = api.put(url, payload, format="json")
    assert response.status_code == status
    assert response.json()
    assert not TopicNote.objects.exists()


def test_notes_are_private(api, alice, bob, loaded):
    api.force_authenticate(alice)
    api.put("/api/notes/vectors/", {"body": "alice only"}, format="json")
    api.force_authenticate(bob)
    assert api.get("/api/notes/vectors/").status_code == 404
    assert api.get("/api/notes/").json()["results"] == []
    api.delete("/api/notes/vectors/")  # deletes bob's (none), not alice's
    assert TopicNote.objects.filter(learner=alice).exists()


def test_ticks(api, alice, bob, loaded):
    resource = Resource.objects.get(topic__slug="vectors")
    api.force_authenticate(alice)
    assert api.put(f"/api/resources/{resource.pk}/tick/").json() == {"resource": resource.pk, "ticked": True}
    assert api.put(f"/api/resources/{resource.pk}/tick/").status_code == 200  # idempotent
    assert ResourceTick.objects.count() == 1
    assert [t["resource"] for t in api.get("/api/ticks/").json()["results"]] == [resource.pk]
    api.force_authenticate(bob)
    assert api.get("/api/ticks/").json()["results"] == []
    api.force_authenticate(alice)
    assert api.delete(f"/api/resources/{resource.pk}/tick/").status_code == 204
    assert not ResourceTick.objects.exists()


def test_tick_of_unknown_resource(api, alice, loaded):
    api.force_authenticate(alice)
    response = api.put("/api/resources/999999/tick/")
    assert response.status_code == 400 and "Unknown resource" in response.json()["resource"][0]


def test_follow_and_unfollow(api, alice, loaded):
    api.force_authenticate(alice)
    assert api.put("/api/roadmaps/first/follow/").json() == {"roadmap": "first", "following": True}
    assert api.get("/api/roadmaps/first/progress/").json()["following"] is True
    assert [f["roadmap"] for f in api.get("/api/follows/").json()["results"]] == ["first"]
    assert api.delete("/api/roadmaps/first/follow/").status_code == 204
    assert not Follow.objects.exists()
    assert api.put("/api/roadmaps/nope/follow/").status_code == 404


def test_anonymous_cannot_touch_any_of_it(api, loaded):
    resource = Resource.objects.first()
    for method, url in [
        ("get", "/api/notes/"), ("put", "/api/notes/vectors/"), ("delete", "/api/notes/vectors/"),
        ("get", "/api/ticks/"), ("put", f"/api/resources/{resource.pk}/tick/"), ("get", "/api/follows/"),
        ("put", "/api/roadmaps/first/follow/"),
    ]:
        assert getattr(api, method)(url, {"body": "x"}, format="json").status_code == 401, url
