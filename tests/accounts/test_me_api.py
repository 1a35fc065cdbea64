"""GET, PATCH and DELETE /api/me/: the learner's own profile, with clear 400s and nothing saved on bad input."""

import datetime

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401(api):
    for method in ["get", "patch", "delete"]:
        response = getattr(api, method)("/api/me/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_read_my_profile(api, alice):
    api.force_authenticate(alice)
    body = api.get("/api/me/").json()
    assert body["email"] == "alice@example.com"
    assert body["time_zone"] == "UTC" and body["reminder_time"] == "18:00" and body["reminders_enabled"] is True


def test_update_preferences(api, alice):
    api.force_authenticate(alice)
    body = api.patch(
        "/api/me/",
        {"display_name": "Alice", "time_zone": "Asia/Tokyo", "reminder_time": "07:30", "reminders_enabled": False},
        format="json",
    ).json()
    assert body["time_zone"] == "Asia/Tokyo"
    alice.refresh_from_db()
    assert alice.display_name == "Alice"
    assert alice.reminder_time == datetime.time(7, 30)
    assert alice.reminders_enabled is False


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"time_zone": "Europe/Atlantis"}, "time_zone", "not an IANA time zone"),
        ({"reminder_time": "25:99"}, "reminder_time", "Time has wrong format"),
        # A local time has no offset (it used to be silently dropped), and the schema's pattern is exact.
        ({"reminder_time": "07:30:00+02:00"}, "reminder_time", "Time has wrong format"),
        ({"reminder_time": "07:30Z"}, "reminder_time", "Time has wrong format"),
        ({"reminder_time": "7:3"}, "reminder_time", "Time has wrong format"),
        ({"theme": "neon"}, "theme", "not a valid choice"),
        ({"reminders_enabled": "maybe"}, "reminders_enabled", "Must be a valid boolean"),
        ({"display_name": "x" * 81}, "display_name", "no more than 80"),
        ({"email": "new@example.com"}, "email", "Unknown or read-only field"),
        ({"favourite_colour": "blue"}, "favourite_colour", "Unknown or read-only field"),
    ],
)
def test_bad_input_is_400_and_saves_nothing(api, alice, payload, field, words):
    api.force_authenticate(alice)
    response = api.patch("/api/me/", {**payload, "display_name": payload.get("display_name", "Changed")}, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    alice.refresh_from_db()
    assert alice.display_name == "" and alice.time_zone == "UTC" and alice.email == "alice@example.com"


def test_malformed_json_is_400(api, alice):
    api.force_authenticate(alice)
    response = api.generic("PATCH", "/api/me/", '{"time_zone": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_list_body_is_400(api, alice):
    api.force_authenticate(alice)
    response = api.patch("/api/me/", ["time_zone"], format="json")
    assert response.status_code == 400


def test_session_writes_need_csrf(alice):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.patch("/api/me/", {"display_name": "No token"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_delete_me(api, alice, bob):
    api.force_authenticate(alice)
    assert api.delete("/api/me/").status_code == 204
    assert list(User.objects.values_list("email", flat=True)) == ["bob@example.com"]


def test_query_budget(api, alice, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(1):
        api.get("/api/me/")
    with django_assert_max_num_queries(2):  # the update, and the learner's cached pages made stale
        api.patch("/api/me/", {"display_name": "A"}, format="json")
