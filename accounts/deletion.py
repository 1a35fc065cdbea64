from django.db import transaction

from .models import User
from .sessions import end_sessions_of


def delete_account(*, user: User) -> None:
    """Deletes the learner and, through cascades, every row that belongs to it; ends its sessions everywhere
    (session rows are not tied to the learner by a foreign key, so no cascade reaches them)."""
    with transaction.atomic():
        end_sessions_of(learner=user)
        user.delete()
