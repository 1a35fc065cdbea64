"""Where a learner stands: topic statuses, resource ticks, follows, and progress through roadmaps.

Roadmap progress = (done + skipped) / topics placed in the roadmap; a topic shared by several roadmaps
counts in each of them.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from .activity import record_activity
from .models import (
    FINISHED_STATUSES,
    ActivityKind,
    Follow,
    Placement,
    Prerequisite,
    ProgressStatus,
    Resource,
    ResourceTick,
    Roadmap,
    Topic,
    TopicProgress,
)


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


def topic_statuses(learner, topic_ids=None) -> dict[int, str]:
    """topic id -> status, for the given topics or all of the learner's (one query)."""
    rows = TopicProgress.objects.filter(learner=learner)
    if topic_ids is not None:
        rows = rows.filter(topic_id__in=list(topic_ids))
    return dict(rows.values_list("topic_id", "status"))


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

    @property
    def finished(self) -> int:
        return self.done + self.skipped

    @property
    def not_started(self) -> int:
        return self.total - self.done - self.skipped - self.in_progress

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def roadmaps_progress(learner, roadmaps: list[Roadmap]) -> dict[int, RoadmapProgress]:
    """Progress through each roadmap, counted in one grouped query."""
    rows = (
        Placement.objects.filter(roadmap__in=roadmaps)
        .annotate(mine=FilteredRelation("topic__progress", condition=Q(topic__progress__learner=learner)))
        .values("roadmap_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(mine__status=ProgressStatus.DONE)),
            skipped=Count("id", filter=Q(mine__status=ProgressStatus.SKIPPED)),
            in_progress=Count("id", filter=Q(mine__status=ProgressStatus.IN_PROGRESS)),
        )
    )
    counts = {row["roadmap_id"]: row for row in rows}
    result = {}
    for roadmap in roadmaps:
        row = counts.get(roadmap.pk, {"total": 0, "done": 0, "skipped": 0, "in_progress": 0})
        result[roadmap.pk] = RoadmapProgress(
            roadmap=roadmap, total=row["total"], done=row["done"], skipped=row["skipped"],
            in_progress=row["in_progress"],
        )
    return result


def continue_here(learner, roadmaps: list[Roadmap]) -> dict[int, Topic | None]:
    """For each roadmap, the first topic in order that is not finished and whose prerequisites are.

    Three queries whatever the number of roadmaps and topics. None when the roadmap is finished, or
    when every open topic still waits for a prerequisite.
    """
    placements = list(
        Placement.objects.filter(roadmap__in=roadmaps)
        .select_related("topic")
        .only("roadmap_id", "topic__slug", "topic__title", "topic__summary")
        .order_by("roadmap_id", "section__order", "order")
    )
    topic_ids = {p.topic_id for p in placements}
    requirements: dict[int, list[int]] = {}
    for topic_id, requires_id in Prerequisite.objects.filter(topic_id__in=topic_ids).values_list(
        "topic_id", "requires_id"
    ):
        requirements.setdefault(topic_id, []).append(requires_id)
    finished = set(
        TopicProgress.objects.filter(learner=learner, status__in=FINISHED_STATUSES).values_list("topic_id", flat=True)
    )
    result: dict[int, Topic | None] = {roadmap.pk: None for roadmap in roadmaps}
    for placement in placements:
        if result[placement.roadmap_id] is not None or placement.topic_id in finished:
            continue
        if all(required in finished for required in requirements.get(placement.topic_id, ())):
            result[placement.roadmap_id] = placement.topic
    return result


def followed_roadmaps(learner) -> list[Roadmap]:
    return [follow.roadmap for follow in learner.follows.select_related("roadmap").order_by("created_at")]
