"""Personal API tokens: created with a random key shown once, stored as a SHA-256 hash, revocable."""

import hashlib
import secrets
from dataclasses import dataclass

from django.utils import timezone

from .models import ApiToken, User

MAX_TOKENS_PER_USER = 20


class TooManyTokens(Exception):
    pass


@dataclass
class NewToken:
    token: ApiToken
    key: str  # the only time the full key exists outside the learner's hands


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user: User, name: str) -> NewToken:
    if user.api_tokens.count() >= MAX_TOKENS_PER_USER:
        raise TooManyTokens(f"You already have {MAX_TOKENS_PER_USER} tokens; revoke one first.")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name.strip(), key_hash=hash_key(key), prefix=key[:8])
    return NewToken(token=token, key=key)


def user_for_key(key: str) -> User | None:
    """The active user a key belongs to, noting when the token was last used (at most once a minute)."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(*, user: User, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)
