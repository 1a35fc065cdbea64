from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import backends as auth_backends
from django.core.exceptions import ValidationError
from django.db import connections, router
from rest_framework import authentication, exceptions

from .models import User
from .tokens import user_for_key


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>` with a personal API token from the settings page."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: use 'Authorization: Token <key>'.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header: the key has invalid characters.") from None
        user = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return (user, None)

    def authenticate_header(self, request):
        return self.keyword


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced as DRF enforces it), handing the view the learner itself
    rather than the lazy object in front of it that AuthenticationMiddleware sets: a quiz submit reads the
    learner's fields some ninety times, each through the proxy's `__getattribute__` (about 0.1 ms of it)."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is None:
            return None
        user, auth = authenticated
        # What the lazy object wraps, loaded by now (the superclass asked whether it is active).
        return getattr(request._request, "_cached_user", user), auth


class LearnerLoading:
    """Loads the signed-in learner of a session with the SQL the ORM writes for `User.objects.get(pk=...)`,
    compiled once per process instead of on every request.

    Every signed-in request loads its learner; building that one query through the ORM's compiler took 0.35
    of the 0.68 ms it cost, a fifth of a replayed page (caching/learner_pages.py). The row, the checks
    that follow (active account, session hash) and the object are Django's own.
    """

    # (database alias, SQL with one parameter, its compiler and the converters of its columns: a raw row has
    # JSON as text and, on SQLite, booleans as integers, which the ORM's converters turn into Python values)
    _select_by_pk: tuple | None = None

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(User)
        if LearnerLoading._select_by_pk is None or LearnerLoading._select_by_pk[0] != alias:
            compiler = User.objects.filter(pk=0).query.get_compiler(using=alias)
            sql, _ = compiler.as_sql()
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            LearnerLoading._select_by_pk = (alias, sql, compiler, converters)
        _, sql, compiler, converters = LearnerLoading._select_by_pk
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = next(iter(compiler.apply_converters([row], converters)))
        user = User.from_db(alias, [field.attname for field in User._meta.concrete_fields], row)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(LearnerLoading, auth_backends.ModelBackend):
    pass


class AllauthBackend(LearnerLoading, AuthenticationBackend):
    pass
