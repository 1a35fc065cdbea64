from django.db import transaction

from .models import User


def delete_account(*, user: User) -> None:
    """Deletes the learner and, through cascades, every row that belongs to it."""
    with transaction.atomic():
        user.delete()
