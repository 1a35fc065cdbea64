"""The settings page: preferences by a plain form post, login required."""

import datetime

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    for url in ["/settings/", "/settings/export/", "/settings/delete/", "/dashboard/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_save_preferences(client, alice):
    client.force_login(alice)
    response = client.post(
        "/settings/",
        {"display_name": "Alice", "time_zone": "America/Sao_Paulo", "reminders_enabled": "on",
         "reminder_time": "06:45", "theme": "dark", "desired_retention": "0.85", "maximum_interval": "180"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.time_zone, alice.reminder_time, alice.theme) == ("America/Sao_Paulo", datetime.time(6, 45), "dark")
    assert (alice.desired_retention, alice.maximum_interval) == (0.85, 180)
    assert alice.next_reminder_at is not None  # the reminder schedule follows the new zone and time
    assert 'data-theme="dark"' in client.get("/").content.decode()


def test_invalid_preferences_are_refused(client, alice):
    client.force_login(alice)
    response = client.post("/settings/", {"time_zone": "Nowhere/Land", "reminder_time": "later", "theme": "system"})
    assert response.status_code == 400  # the form again, with its errors (it was 200 before issue 14)
    html = response.content.decode()
    assert "Select a valid choice" in html and "Enter a valid time" in html
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"
