"""The admin's sign-in is limited like the learner's (allauth's login_failed: per account and per address,
one count for both doors), and a refusal is a 429 page that says so."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(email="staff@example.com", password="staff-password-1",
                                                 is_staff=True, is_superuser=True)


def admin_login(client, email, password, *, address="10.0.0.2"):
    return client.post("/admin/login/", {"username": email, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address)


def test_wrong_passwords_then_the_right_one_is_refused(staff):
    client = Client()
    for n in range(5):
        response = admin_login(client, "staff@example.com", f"wrong-{n}")
        assert response.status_code == 200, n  # the admin's own "enter a correct e-mail and password"
    refused = admin_login(client, "staff@example.com", "staff-password-1")
    assert refused.status_code == 429
    assert "Too many failed sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still signed out


def test_another_account_and_another_address_are_not_refused(staff, django_user_model):
    django_user_model.objects.create_user(email="other@example.com", password="other-password-1", is_staff=True,
                                          is_superuser=True)
    for n in range(5):
        admin_login(Client(), "staff@example.com", f"wrong-{n}")
    assert admin_login(Client(), "other@example.com", "other-password-1").status_code == 302
    for n in range(5):
        admin_login(Client(), f"nobody{n}@example.com", "x", address="10.0.0.3")
    # Ten failures from 10.0.0.3 in a minute: that address is refused, others are not.
    for n in range(5, 10):
        admin_login(Client(), f"nobody{n}@example.com", "x", address="10.0.0.3")
    assert admin_login(Client(), "other@example.com", "other-password-1", address="10.0.0.3").status_code == 429
    assert admin_login(Client(), "other@example.com", "other-password-1", address="10.0.0.4").status_code == 302


def test_the_learner_login_and_the_admin_share_one_count(staff):
    client = Client()
    for n in range(5):
        client.post("/accounts/login/", {"login": "staff@example.com", "password": f"wrong-{n}"})
    assert admin_login(client, "staff@example.com", "staff-password-1").status_code == 429


def test_a_right_password_does_not_use_up_the_allowance(staff):
    for _ in range(8):
        client = Client()
        assert admin_login(client, "staff@example.com", "staff-password-1").status_code == 302
