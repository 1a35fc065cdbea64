"""Sign up and sign in by e-mail (no username), verification, password reset and throttling, via allauth."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "carol@example.com", "display_name": "Carol", "password1": "a-long-passphrase-42",
    "password2": "a-long-passphrase-42", "time_zone": "Pacific/Auckland",
}


def confirmation_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_signup_by_email_keeps_name_and_time_zone(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="carol@example.com")
    assert user.display_name == "Carol"
    assert user.time_zone == "Pacific/Auckland"
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].subject.lower()


def test_signup_refuses_an_unknown_time_zone(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.filter(email="carol@example.com").exists()


def test_mandatory_verification_blocks_sign_in_until_the_link_is_followed(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.url == "/accounts/confirm-email/"
    assert client.get("/dashboard/").status_code == 302  # not signed in yet
    link = confirmation_link(mail.outbox[0])
    client.post(link)
    assert User.objects.get(email="carol@example.com").emailaddress_set.get().verified
    assert client.get("/dashboard/").status_code == 200


def test_login_by_email(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "alice-password-1"})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_repeated_failed_logins_are_throttled(client, alice):
    for attempt in range(5):
        response = client.post("/accounts/login/", {"login": "alice@example.com", "password": f"wrong-{attempt}"})
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "wrong-again"})
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while throttled.
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "alice-password-1"})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_mail(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_auth_pages_use_the_site_layout(client):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        html = client.get(url).content.decode()
        assert 'class="site-header"' in html, url
        assert "css/site.css" in html


def test_sign_out(client, alice):
    client.force_login(alice)
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302
