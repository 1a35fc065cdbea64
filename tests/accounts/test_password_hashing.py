"""Passwords are hashed with Argon2 in the real settings (tests use a fast hasher elsewhere)."""

import importlib

import pytest

from accounts.models import User


def test_argon2_is_the_production_hasher():
    module = importlib.import_module("config.settings")
    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_password_is_stored_as_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user(email="dora@example.com", password="a-long-passphrase-42")
    assert user.password.startswith("argon2$")
    assert user.check_password("a-long-passphrase-42")
