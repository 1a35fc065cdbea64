"""Deleting an account ends all its sessions (every device, rows and cached copies); `delete_orphan_sessions`
removes the rows that accounts deleted before that left behind."""

import io

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


def signed_in(email, password) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": email, "password": password}).status_code == 302
    return client


def session_users() -> list[str]:
    return sorted(str(s.get_decoded().get("_auth_user_id")) for s in Session.objects.all())


@pytest.mark.parametrize("delete", [
    lambda client: client.post("/settings/delete/", {"confirm": "DELETE"}),
    lambda client: client.delete("/api/me/"),
])
def test_deleting_an_account_ends_its_sessions_on_every_device(alice, bob, delete, django_assert_max_num_queries):
    laptop, phone = signed_in(alice.email, "alice-password-1"), signed_in(alice.email, "alice-password-1")
    signed_in(bob.email, "bob-password-1")
    phone_key = phone.cookies["sessionid"].value
    assert cache.get(KEY_PREFIX + phone_key) is not None
    with django_assert_max_num_queries(23):  # the cascade (placement tests: one more); sessions: read, delete
        assert delete(laptop).status_code in (204, 302)
    assert session_users() == [str(bob.pk)]
    assert cache.get(KEY_PREFIX + phone_key) is None
    assert phone.get("/api/me/").status_code in (401, 403)


def test_orphan_sessions_are_deleted_by_the_command(alice, bob):
    signed_in(alice.email, "alice-password-1")
    signed_in(bob.email, "bob-password-1")
    Client().get("/accounts/login/")  # an anonymous session, if any, is nobody's orphan
    User.objects.filter(pk=alice.pk).delete()  # as deletions did before sessions were ended with the account
    out = io.StringIO()
    call_command("delete_orphan_sessions", stdout=out)
    assert "1 session" in out.getvalue()
    assert str(alice.pk) not in session_users() and str(bob.pk) in session_users()
