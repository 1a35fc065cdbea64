from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import schema  # noqa: F401 - registers the token and session schemes with drf-spectacular


class RateLimitedAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site whose sign-in counts failures like allauth's (accounts/admin_sign_in.py)."""

    default = False  # not the config of the accounts app

    default_site = "accounts.admin_sign_in.RateLimitedAdminSite"
