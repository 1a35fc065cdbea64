"""Export holds everything of the learner's and nothing of anyone else's; deletion leaves nothing behind."""

import datetime
import json

import pytest
from django.apps import apps
from django.conf import settings

from accounts.tokens import create_token
from learning.notes import save_note
from learning.progress import follow_roadmap, set_topic_status, tick_resource
from roadmap.models import Resource, Roadmap, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(small_content, alice, bob):
    small_content.load()
    for learner, status in [(alice, "done"), (bob, "skipped")]:
        topic = Topic.objects.get(slug="vectors")
        set_topic_status(learner=learner, topic=topic, status=status)
        save_note(learner=learner, topic=topic, body=f"note of {learner.email}")
        tick_resource(learner=learner, resource=Resource.objects.filter(topic=topic).get())
        follow_roadmap(learner=learner, roadmap=Roadmap.objects.get(slug="first"))
        create_token(user=learner, name=f"token of {learner.email}")


def test_export_contains_everything_and_only_mine(client, alice, busy):
    client.force_login(alice)
    response = client.get("/settings/export/")
    assert response["Content-Disposition"] == 'attachment; filename="ascent-export.json"'
    data = json.loads(response.content)
    assert data["profile"]["email"] == "alice@example.com"
    assert data["progress"] == [{"topic": "vectors", "status": "done", "updated_at": data["progress"][0]["updated_at"]}]
    assert [n["body"] for n in data["notes"]] == ["note of alice@example.com"]
    assert [f["roadmap"] for f in data["follows"]] == ["first"]
    assert len(data["resource_ticks"]) == 1
    assert [t["name"] for t in data["api_tokens"]] == ["token of alice@example.com"]
    assert {a["kind"] for a in data["activity"]} == {"progress", "resource"}
    assert "bob@example.com" not in response.content.decode()
    assert "key_hash" not in response.content.decode()


def test_export_holds_light_days_and_the_pause(api, alice):
    alice.light_weekdays, alice.reviews_paused_until = 0b1100000, datetime.date(2026, 12, 24)  # Saturday, Sunday
    alice.save()
    api.force_authenticate(alice)
    profile = api.get("/api/me/export/").json()["profile"]
    assert profile["light_weekdays"] == ["sat", "sun"] and profile["reviews_paused_until"] == "2026-12-24"


def test_export_api_matches(api, alice, busy):
    api.force_authenticate(alice)
    data = api.get("/api/me/export/").json()
    assert data["profile"]["email"] == "alice@example.com"
    assert "bob" not in json.dumps(data)


def _rows_of(user_id) -> dict[str, int]:
    """Rows in every model that points at the user model, by model."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is not None and (
                field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                counts[f"{model._meta.label}.{field.name}"] = model.objects.filter(**{field.name: user_id}).count()
    return counts


def test_deleting_the_account_leaves_nothing_behind(client, alice, bob, busy):
    alice_id = alice.pk
    assert sum(_rows_of(alice_id).values()) > 5
    client.force_login(alice)
    response = client.post("/settings/delete/", {"confirm": "DELETE"})
    assert response.status_code == 302
    assert all(count == 0 for count in _rows_of(alice_id).values()), _rows_of(alice_id)
    assert sum(_rows_of(bob.pk).values()) > 5  # bob's data is untouched
    assert client.get("/dashboard/").status_code == 302  # signed out


def test_deletion_needs_the_confirmation_word(client, alice):
    client.force_login(alice)
    response = client.post("/settings/delete/", {"confirm": "yes"})
    assert response.status_code == 400
    assert "Type DELETE" in response.content.decode()
    alice.refresh_from_db()
