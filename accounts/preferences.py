"""Changing a learner's preferences, and what follows from it (the next reminder instant)."""

from quizzes.reminders import refresh_next_reminder

from .models import User

SCHEDULE_FIELDS = {"time_zone", "reminder_time", "reminders_enabled"}


def update_preferences(*, user: User, changes: dict) -> User:
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=list(changes) or None)
    if SCHEDULE_FIELDS & set(changes):
        refresh_next_reminder(user)
    return user
