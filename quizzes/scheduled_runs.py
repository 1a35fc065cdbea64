"""The record of beat-scheduled task runs that /healthz reads."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from .models import ScheduledRun

REMINDERS_FAN_OUT = "reminders-fan-out"


def record_run(*, name: str) -> None:
    ScheduledRun.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now()})


def last_run(*, name: str) -> datetime | None:
    return ScheduledRun.objects.filter(name=name).values_list("last_run_at", flat=True).first()


def is_late(*, name: str, last_run_at: datetime | None, now: datetime | None = None) -> bool:
    """Late after two missed periods: one late run is a busy worker, two is a stopped beat or worker."""
    if last_run_at is None:
        return True
    period = settings.CELERY_BEAT_SCHEDULE[name]["schedule"]
    return (now or timezone.now()) - last_run_at > timedelta(seconds=2 * period + 60)
