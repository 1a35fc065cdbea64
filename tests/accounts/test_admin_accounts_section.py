"""The admin index has one "Accounts" section, holding the learners and their e-mail addresses."""

import re

import pytest
from allauth.account.models import EmailAddress

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="admin@example.com", password="pw-12345678"))
    return client


def test_one_accounts_section(staff_client):
    html = staff_client.get("/admin/").content.decode()
    sections = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert sections.count("Accounts") == 1, sections
    assert "/admin/accounts/user/" in html and "/admin/accounts/emailaddress/" in html
    assert "/admin/account/" not in html


def test_email_addresses_are_listed_and_verified_in_the_accounts_section(staff_client, alice):
    address = EmailAddress.objects.create(user=alice, email=alice.email, primary=True, verified=False)
    listing = staff_client.get("/admin/accounts/emailaddress/").content.decode()
    assert alice.email in listing
    response = staff_client.post("/admin/accounts/emailaddress/", {
        "action": "make_verified", "_selected_action": [address.pk],
    })
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified
