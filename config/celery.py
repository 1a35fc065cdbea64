import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ascent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(*, task=None, **kwargs):
    """What Django does when a request starts and ends: a connection older than CONN_MAX_AGE, or broken (a
    PostgreSQL restart, found by CONN_HEALTH_CHECKS), is closed, and the next statement opens a new one. Tasks
    keep their connection otherwise (CELERY_DB_REUSE_MAX in settings). Not for a task run eagerly, in the
    caller's process and maybe inside its transaction, as Celery's own fixup does not."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    close_old_connections()
