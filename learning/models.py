"""A learner's own state: topic statuses, ticked resources, notes, followed roadmaps and the activity journal.

The tables keep the names they had when these models lived in roadmap/ (moved without copying a row:
learning/migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models

from roadmap.models import Resource, Roadmap, Topic


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


# Both count towards a roadmap's progress and satisfy a prerequisite: "skipped" means "I know this already".
FINISHED_STATUSES = (ProgressStatus.DONE, ProgressStatus.SKIPPED)


class TopicProgress(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_progress")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.NOT_STARTED)
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "roadmap_topicprogress"
        constraints = [models.UniqueConstraint(fields=["learner", "topic"], name="progress_once_per_topic")]
        verbose_name_plural = "topic progress"

    def __str__(self):
        return f"{self.learner} · {self.topic}: {self.get_status_display()}"


class ResourceTick(models.Model):
    """A resource the learner has read or watched."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="resource_ticks")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ticks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "roadmap_resourcetick"
        constraints = [models.UniqueConstraint(fields=["learner", "resource"], name="tick_once_per_resource")]

    def __str__(self):
        return f"{self.learner} ticked {self.resource}"


class TopicNote(models.Model):
    """A learner's private Markdown note on a topic."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(max_length=20_000)
    body_html = models.TextField(editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "roadmap_topicnote"
        constraints = [models.UniqueConstraint(fields=["learner", "topic"], name="note_once_per_topic")]

    def __str__(self):
        return f"{self.learner}'s note on {self.topic}"


class Follow(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "roadmap_follow"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["learner", "roadmap"], name="follow_once")]

    def __str__(self):
        return f"{self.learner} follows {self.roadmap}"


class ActivityKind(models.TextChoices):
    PROGRESS = "progress", "Progress"
    RESOURCE = "resource", "Resource"
    QUIZ = "quiz", "Quiz"
    REVIEW = "review", "Review"


class Activity(models.Model):
    """One learning action: the dashboard's recent activity, heatmap and streaks are read from here."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        db_table = "roadmap_activity"
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["learner", "-at"], name="activity_learner_at")]

    def __str__(self):
        return f"{self.learner} · {self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
