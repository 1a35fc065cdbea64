"""Changing the password and the e-mail address through allauth's pages, styled in the site layout."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

pytestmark = pytest.mark.django_db


def test_change_password(client, alice):
    client.force_login(alice)
    page = client.get("/accounts/password/change/").content.decode()
    assert 'class="site-header"' in page
    response = client.post("/accounts/password/change/", {
        "oldpassword": "alice-password-1", "password1": "a-new-passphrase-77", "password2": "a-new-passphrase-77",
    })
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-passphrase-77")


def test_wrong_current_password_is_refused(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/password/change/", {
        "oldpassword": "not-it", "password1": "a-new-passphrase-77", "password2": "a-new-passphrase-77",
    })
    assert response.status_code == 200 and "current password" in response.content.decode().lower()
    alice.refresh_from_db()
    assert alice.check_password("alice-password-1")


def test_change_email_needs_the_new_address_confirmed(client, alice):
    EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
    client.force_login(alice)
    assert 'class="site-header"' in client.get("/accounts/email/").content.decode()
    response = client.post("/accounts/email/", {"action_add": "", "email": "alice.new@example.com"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["alice.new@example.com"]
    assert EmailAddress.objects.filter(user=alice, email="alice.new@example.com", verified=False).exists()
