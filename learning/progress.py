"""Where a learner stands: topic statuses, resource ticks, follows, and progress through roadmaps.

Roadmap progress = (done + skipped) / topics placed in the roadmap; a topic shared by several roadmaps
counts in each of them.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone

from quizzes.events import placement_confirmed
from roadmap.models import Resource, Roadmap, Topic
from roadmap.structure import roadmap_plans

from .activity import record_activity
from .models import FINISHED_STATUSES, Activity, ActivityKind, Follow, ProgressStatus, ResourceTick, TopicProgress


def set_topic_status(*, learner, topic: Topic, status: str) -> TopicProgress:
    """Records the learner's status on a topic; a change is a learning action (activity)."""
    status = ProgressStatus(status)
    now = timezone.now()
    with transaction.atomic():
        progress, created = TopicProgress.objects.select_for_update().get_or_create(
            learner=learner, topic=topic, defaults={"status": status, "updated_at": now}
        )
        if not created and progress.status == status:
            return progress
        if not created:
            progress.status = status
            progress.updated_at = now
            progress.save(update_fields=["status", "updated_at"])
        record_activity(learner=learner, kind=ActivityKind.PROGRESS, topic_id=topic.pk, detail=status.label, at=now)
    return progress


def mark_topics_done(*, learner, topics: list[Topic], at=None) -> None:
    """Marks several topics done at once (a confirmed placement test), as `set_topic_status` does one by one:
    each change is an activity. Five queries whatever the number of topics."""
    at = at or timezone.now()
    done = ProgressStatus.DONE
    with transaction.atomic():
        rows = {row.topic_id: row for row in
                TopicProgress.objects.select_for_update().filter(learner=learner, topic__in=topics)}
        changed = [row for row in rows.values() if row.status != done]
        for row in changed:
            row.status, row.updated_at = done, at
        TopicProgress.objects.bulk_update(changed, ["status", "updated_at"])
        new = [TopicProgress(learner=learner, topic=topic, status=done, updated_at=at)
               for topic in topics if topic.pk not in rows]
        TopicProgress.objects.bulk_create(new)
        moved = {row.topic_id for row in changed} | {row.topic_id for row in new}
        Activity.objects.bulk_create(
            Activity(learner=learner, kind=ActivityKind.PROGRESS, topic_id=topic.pk, detail=done.label, at=at)
            for topic in topics if topic.pk in moved
        )


@receiver(placement_confirmed)
def _mark_placement_topics_done(sender, *, learner, topics, at, **_):
    mark_topics_done(learner=learner, topics=topics, at=at)


def topic_statuses(learner) -> dict[int, str]:
    """topic id -> status, for every topic the learner has a status on (one query; at most one row a topic)."""
    return dict(TopicProgress.objects.filter(learner=learner).values_list("topic_id", "status"))


def tick_resource(*, learner, resource: Resource) -> bool:
    """Marks a resource read or watched; returns False if it already was."""
    try:
        with transaction.atomic():
            ResourceTick.objects.create(learner=learner, resource=resource)
    except IntegrityError:
        return False
    record_activity(learner=learner, kind=ActivityKind.RESOURCE, topic_id=resource.topic_id, detail=resource.title)
    return True


def untick_resource(*, learner, resource: Resource) -> None:
    ResourceTick.objects.filter(learner=learner, resource=resource).delete()


def ticked_resource_ids(learner, topic: Topic | None = None) -> set[int]:
    ticks = ResourceTick.objects.filter(learner=learner)
    if topic is not None:
        ticks = ticks.filter(resource__topic=topic)
    return set(ticks.values_list("resource_id", flat=True))


def follow_roadmap(*, learner, roadmap: Roadmap) -> None:
    Follow.objects.get_or_create(learner=learner, roadmap=roadmap)


def unfollow_roadmap(*, learner, roadmap: Roadmap) -> None:
    Follow.objects.filter(learner=learner, roadmap=roadmap).delete()


def is_following(learner, roadmap: Roadmap) -> bool:
    return Follow.objects.filter(learner=learner, roadmap=roadmap).exists()


@dataclass
class RoadmapProgress:
    roadmap: Roadmap
    total: int
    done: int
    skipped: int
    in_progress: int
    # "Continue here": the first topic in order that is not finished and whose prerequisites are; None when
    # the roadmap is finished, or when every open topic still waits for a prerequisite.
    next_topic: Topic | None = None

    @property
    def finished(self) -> int:
        return self.done + self.skipped

    @property
    def not_started(self) -> int:
        return self.total - self.done - self.skipped - self.in_progress

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def roadmaps_progress(learner, roadmaps: list[Roadmap], *, statuses=None) -> dict[int, RoadmapProgress]:
    """Progress through each roadmap: its cached plan read against the learner's statuses.

    One query whatever the number of roadmaps and topics, none when the caller passes `statuses` (every
    status of the learner's, from `topic_statuses(learner)`).
    """
    statuses = topic_statuses(learner) if statuses is None else statuses
    finished = {topic_id for topic_id, status in statuses.items() if status in FINISHED_STATUSES}
    plans = roadmap_plans(roadmaps)
    result = {}
    for roadmap in roadmaps:
        plan = plans[roadmap.pk]
        counts = Counter(statuses.get(topic.pk) for topic in plan.topics)
        next_topic = next(
            (topic for topic in plan.topics if topic.pk not in finished
             and all(required in finished for required in plan.requirements.get(topic.pk, ()))),
            None,
        )
        result[roadmap.pk] = RoadmapProgress(
            roadmap=roadmap, total=len(plan.topics), done=counts[ProgressStatus.DONE],
            skipped=counts[ProgressStatus.SKIPPED], in_progress=counts[ProgressStatus.IN_PROGRESS],
            next_topic=next_topic,
        )
    return result


def followed_roadmaps(learner) -> list[Roadmap]:
    return [follow.roadmap for follow in learner.follows.select_related("roadmap").order_by("created_at")]
