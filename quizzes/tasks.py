"""Celery tasks: thin wrappers; the logic and its tests live in quizzes/reminders.py and quizzes/fitting.py."""

from celery import shared_task

from . import fitting, reminders, scheduled_runs

MAX_RETRIES = 5


@shared_task(acks_late=True)
def fan_out_reminders() -> int:
    """Every 15 minutes (beat): enqueue the learners whose local reminder time has come, in chunks."""
    scheduled_runs.record_run(name=scheduled_runs.REMINDERS_FAN_OUT)
    return reminders.fan_out(enqueue=lambda learner_ids, token: send_reminder_chunk.delay(learner_ids, token))


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES)
def send_reminder_chunk(self, learner_ids: list[int], claim_token: str) -> int:
    try:
        return reminders.send_batch(learner_ids=learner_ids, claim_token=claim_token).sent
    except reminders.SendFailures as failures:
        if self.request.retries >= self.max_retries:
            reminders.release_claims(learner_ids=failures.learner_ids, claim_token=claim_token)
            raise
        # Exponential back-off: 30 s, 1 min, 2 min, 4 min, 8 min; only the learners still unsent.
        raise self.retry(args=[failures.learner_ids, claim_token], countdown=30 * 2**self.request.retries) from None


@shared_task(acks_late=True)
def fit_due_parameters() -> int:
    """Daily (beat): a fit for each learner with enough reviews whose last fit is a week old or more."""
    learner_ids = list(fitting.learners_to_fit())
    for learner_id in learner_ids:
        fit_learner_parameters.delay(learner_id)
    return len(learner_ids)


@shared_task(acks_late=True)
def fit_learner_parameters(learner_id: int) -> int | None:
    fit = fitting.fit_learner(learner_id=learner_id)
    return fit.pk if fit else None
