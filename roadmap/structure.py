"""Read-side queries for roadmap pages and the API: a roadmap's outline, a topic's neighbourhood.

Every function runs a fixed number of queries, whatever the size of the roadmap.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Sum

from caching.fragments import cached_many

from .models import Placement, Prerequisite, Roadmap, Section, Topic


def roadmaps_for_home():
    """Roadmaps with their topic count and total estimated hours (one query)."""
    return Roadmap.objects.annotate(
        topic_count=Count("placements", distinct=True),
        total_hours=Sum("placements__topic__estimated_hours"),
    ).order_by("order", "title")


@dataclass
class OutlineSection:
    section: Section
    topics: list[Topic]


def roadmap_outline(roadmap: Roadmap) -> list[OutlineSection]:
    """The roadmap's sections in order, each with its topics in order (two queries)."""
    placements = Placement.objects.filter(roadmap=roadmap).select_related("topic").order_by("order")
    sections = roadmap.sections.order_by("order").prefetch_related(
        Prefetch("placements", queryset=placements, to_attr="ordered_placements")
    )
    return [OutlineSection(section=s, topics=[p.topic for p in s.ordered_placements]) for s in sections]


def prerequisite_edges(topic_ids: list[int]) -> list[tuple[int, int]]:
    """(requires_id, topic_id) pairs with both ends among `topic_ids` (one query)."""
    return list(
        Prerequisite.objects.filter(topic_id__in=topic_ids, requires_id__in=topic_ids)
        .values_list("requires_id", "topic_id")
        .order_by("requires_id", "topic_id")
    )


@dataclass
class TopicContext:
    roadmap: Roadmap | None
    previous: Topic | None
    next: Topic | None
    placements: list[Placement]


def topic_context(topic: Topic, roadmap_slug: str | None) -> TopicContext:
    """The roadmaps a topic sits in, and its previous and next topic in the one being followed.

    The roadmap being followed is the one named in `?roadmap=` when the topic is in it, else the first.
    """
    placements = list(
        Placement.objects.filter(topic=topic)
        .select_related("roadmap", "section")
        .order_by("roadmap__order", "roadmap__title")
    )
    current = next((p for p in placements if p.roadmap.slug == roadmap_slug), None) or (
        placements[0] if placements else None
    )
    if current is None:
        return TopicContext(roadmap=None, previous=None, next=None, placements=placements)
    sequence = list(
        Placement.objects.filter(roadmap_id=current.roadmap_id)
        .order_by("section__order", "order")
        .values_list("topic_id", flat=True)
    )
    index = sequence.index(topic.pk)
    previous_id = sequence[index - 1] if index > 0 else None
    next_id = sequence[index + 1] if index + 1 < len(sequence) else None
    neighbours = Topic.objects.only("slug", "title").in_bulk([pk for pk in (previous_id, next_id) if pk])
    return TopicContext(
        roadmap=current.roadmap,
        previous=neighbours.get(previous_id),
        next=neighbours.get(next_id),
        placements=placements,
    )


@dataclass
class RoadmapPlan:
    """A roadmap's topics in order and what each one requires: a learner's progress is read against it."""

    topics: list[Topic]  # slug, title and summary loaded
    requirements: dict[int, list[int]]  # topic id -> the ids of its prerequisites, in this roadmap or not


def roadmap_plans(roadmaps: list[Roadmap]) -> dict[int, RoadmapPlan]:
    """Each roadmap's plan, from the cache (one round trip); built per content version, two queries for
    all of the roadmaps missing from it."""
    keys = {f"roadmap-plan:{roadmap.pk}": roadmap.pk for roadmap in roadmaps}
    plans = cached_many(list(keys), lambda missing: _plans({keys[key]: key for key in missing}))
    return {pk: plans[key] for key, pk in keys.items()}


def _plans(keys_by_id: dict[int, str]) -> dict[str, RoadmapPlan]:
    plans = {pk: RoadmapPlan(topics=[], requirements={}) for pk in keys_by_id}
    placements = (
        Placement.objects.filter(roadmap_id__in=list(plans))
        .select_related("topic")
        .only("roadmap_id", "topic__slug", "topic__title", "topic__summary")
        .order_by("roadmap_id", "section__order", "order")
    )
    for placement in placements:
        plans[placement.roadmap_id].topics.append(placement.topic)
    requirements: dict[int, list[int]] = {}
    edges = Prerequisite.objects.filter(topic__placements__roadmap_id__in=list(plans)).distinct()
    for topic_id, requires_id in edges.values_list("topic_id", "requires_id"):
        requirements.setdefault(topic_id, []).append(requires_id)
    for plan in plans.values():
        plan.requirements = {topic.pk: requirements[topic.pk] for topic in plan.topics if topic.pk in requirements}
    return {keys_by_id[pk]: plan for pk, plan in plans.items()}
