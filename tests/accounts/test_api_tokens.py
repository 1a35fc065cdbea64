"""Personal API tokens: created on the settings page or by API, used by scripts, revocable, private."""

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def token_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_create_use_and_revoke(api, alice):
    api.force_authenticate(alice)
    created = api.post("/api/tokens/", {"name": "my script"}, format="json")
    assert created.status_code == 201
    key = created.json()["key"]
    assert created.json()["prefix"] == key[:8]
    assert ApiToken.objects.get().key_hash != key  # only a hash is stored

    script = token_client(key)
    assert script.get("/api/me/").json()["email"] == "alice@example.com"
    # A token is for scripts: no CSRF token is needed to write.
    assert script.put("/api/progress/x/", {"status": "done"}, format="json").status_code == 400  # unknown topic

    listed = api.get("/api/tokens/").json()
    assert [t["name"] for t in listed] == ["my script"] and "key" not in listed[0]
    assert listed[0]["last_used_at"] is not None

    assert api.delete(f"/api/tokens/{created.json()['id']}/").status_code == 204
    assert script.get("/api/me/").status_code == 401


def test_bad_or_malformed_tokens_are_401(alice):
    assert token_client("not-a-real-key").get("/api/me/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")
    assert client.get("/api/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token two parts")
    assert client.get("/api/me/").status_code == 401


def test_another_learner_cannot_revoke_or_see_my_token(api, alice, bob):
    api.force_authenticate(alice)
    token_id = api.post("/api/tokens/", {"name": "alice's"}, format="json").json()["id"]
    api.force_authenticate(bob)
    assert api.get("/api/tokens/").json() == []
    assert api.delete(f"/api/tokens/{token_id}/").status_code == 404
    assert ApiToken.objects.filter(pk=token_id).exists()


def test_anonymous_cannot_manage_tokens(api):
    assert api.get("/api/tokens/").status_code == 401
    assert api.post("/api/tokens/", {"name": "x"}, format="json").status_code == 401
    assert api.delete("/api/tokens/1/").status_code == 401


def test_a_token_needs_a_name(api, alice):
    api.force_authenticate(alice)
    response = api.post("/api/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400 and "name" in response.json()
    assert not ApiToken.objects.exists()


def test_a_deactivated_learner_token_stops_working(api, alice):
    api.force_authenticate(alice)
    key = api.post("/api/tokens/", {"name": "s"}, format="json").json()["key"]
    alice.is_active = False
    alice.save()
    assert token_client(key).get("/api/me/").status_code == 401


def test_settings_page_creates_and_revokes(client, alice):
    client.force_login(alice)
    response = client.post("/settings/tokens/", {"name": "from the page"})
    assert response.status_code == 302 and response.url == "/settings/"  # redirect after the POST
    token = ApiToken.objects.get()
    shown = client.get("/settings/")
    assert "Copy the key now" in shown.content.decode() and token.prefix in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    again = client.get("/settings/")  # shown once
    assert "Copy the key now" not in again.content.decode() and ApiToken.objects.count() == 1
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()


def test_settings_page_cannot_revoke_another_learners_token(client, alice, bob):
    from accounts.tokens import create_token

    bobs = create_token(user=bob, name="bob's").token
    client.force_login(alice)
    client.post(f"/settings/tokens/{bobs.pk}/revoke/")
    assert ApiToken.objects.filter(pk=bobs.pk).exists()
