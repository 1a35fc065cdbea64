"""Per-address rate limits count the client's address: the socket's when no proxy is trusted (a client's own
X-Forwarded-For could name anyone), the one the trusted proxy appended otherwise (TRUSTED_PROXY_COUNT)."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from rest_framework.settings import api_settings

from tests.test_deploy_settings import ROOT

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def fail_logins(client, count, *, forwarded_for):
    """Failed logins on invented e-mails, so only the per-address limit (10/m/ip) can refuse them."""
    for n in range(count):
        response = client.post("/accounts/login/", {"login": f"nobody{n}@example.com", "password": "x"},
                               HTTP_X_FORWARDED_FOR=forwarded_for(n), REMOTE_ADDR="10.0.0.2")
        assert TOO_MANY not in response.content.decode(), n


def sign_in(client, *, forwarded_for):
    return client.post("/accounts/login/", {"login": "alice@example.com", "password": "alice-password-1"},
                       HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="10.0.0.2")


def test_one_setting_drives_allauth_and_drf():
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == api_settings.NUM_PROXIES == settings.TRUSTED_PROXY_COUNT == 0


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_a_forged_header_is_ignored(client, alice):
    fail_logins(client, 10, forwarded_for=lambda n: f"203.0.113.{n}")  # a new "address" every time
    refused = sign_in(client, forwarded_for="198.51.100.7")
    assert TOO_MANY in refused.content.decode()  # all ten counted against the socket's address
    assert "_auth_user_id" not in client.session


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_two_clients_are_limited_apart(client, alice):
    # The proxy appends the address it saw: a client's own header is to the left of it and ignored.
    fail_logins(client, 10, forwarded_for=lambda n: f"198.51.100.{n}, 203.0.113.5")
    assert TOO_MANY in sign_in(client, forwarded_for="203.0.113.5").content.decode()
    assert sign_in(client, forwarded_for="203.0.113.6").status_code == 302  # another visitor signs in
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_the_environment_sets_it():
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "from rest_framework.settings import api_settings; "
         "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT, api_settings.NUM_PROXIES)"],
        cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "TRUSTED_PROXY_COUNT": "1"},
    )
    assert shown.stdout.split() == ["1", "1"], shown.stderr
