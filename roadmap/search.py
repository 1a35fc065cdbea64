"""Search across topics and resources: PostgreSQL full-text search, with a plain LIKE fallback on SQLite."""

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from .models import Resource, Topic

_TOPIC_VECTOR = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("body", weight="C", config="english")
)


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(*, topic_ids: Iterable[int] | None = None) -> None:
    """Stores each topic's weighted search vector (title > summary > body); all topics when ids is None."""
    if not _full_text():
        return
    topics = Topic.objects.all()
    if topic_ids is not None:
        topic_ids = list(topic_ids)
        if not topic_ids:
            return
        topics = topics.filter(pk__in=topic_ids)
    topics.update(search_vector=_TOPIC_VECTOR)


def search_topics(query: str) -> QuerySet[Topic]:
    """Topics matching `query`, best first."""
    query = query.strip()
    if not query:
        return Topic.objects.none()
    if _full_text():
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            Topic.objects.filter(search_vector=search)
            .annotate(rank=SearchRank("search_vector", search))
            .order_by("-rank", "title")
        )
    # Fallback ranking: a match in the title beats one in the summary, which beats one in the body.
    return (
        Topic.objects.filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query))
        .annotate(
            rank=Case(
                When(title__icontains=query, then=Value(0)),
                When(summary__icontains=query, then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "title")
    )


def search_resources(query: str) -> QuerySet[Resource]:
    """Resources whose title or author match `query`, with their topic."""
    query = query.strip()
    if not query:
        return Resource.objects.none()
    resources = Resource.objects.select_related("topic")
    if _full_text():
        search = SearchQuery(query, search_type="websearch", config="english")
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "author", weight="B", config="english"
        )
        return (
            resources.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "title")
        )
    return resources.filter(Q(title__icontains=query) | Q(author__icontains=query)).order_by("title")
