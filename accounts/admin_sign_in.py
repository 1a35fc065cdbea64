"""The admin's sign-in, limited like the learner's.

allauth counts failed sign-ins (ACCOUNT_RATE_LIMITS["login_failed"]: per address and per account) for its
own form only; the admin's form went straight to `authenticate()`, so a password could be guessed there
without limit. Here it goes through allauth's adapter as well, which counts against the same keys (a
failure at either door counts at both), rolls the count back on success, and refuses, failing closed, when
the limit is reached or the counter cannot be locked. A refusal is a 429 page, as for the API's limits.
"""

from allauth.account.adapter import get_adapter
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from config.rate_limits import sign_in_refused_page

TOO_MANY_CODE = "too_many_login_attempts"  # allauth's error code for a refused sign-in


class SignInRefused(Exception):
    """Too many failed sign-ins for this account or from this address."""


class RateLimitedAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            try:
                self.user_cache = get_adapter(self.request).authenticate(self.request, email=email, password=password)
            except ValidationError as error:
                if error.code == TOO_MANY_CODE:
                    raise SignInRefused from None
                raise
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RateLimitedAdminSite(admin.AdminSite):
    login_form = RateLimitedAdminAuthenticationForm

    def login(self, request, extra_context=None):
        try:
            return super().login(request, extra_context)
        except SignInRefused:
            return sign_in_refused_page(request)
