"""Search across topics and resources: PostgreSQL full-text search, with a plain LIKE fallback on SQLite."""

from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce

from .models import Placement, Resource, Topic


def _topic_vector():
    """Title (A), then summary and the titles of the sections it sits in (B), then body (C).

    Section titles let "linear algebra" find the vectors and matrices topics of a Linear Algebra section.
    """
    section_titles = Subquery(
        Placement.objects.filter(topic=OuterRef("pk"))
        .values("topic")
        .annotate(titles=StringAgg("section__title", delimiter=" "))
        .values("titles")
    )
    sections = Coalesce(section_titles, Value(""), output_field=TextField())
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", sections, weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )

# Weights of the D, C, B, A parts of a vector: body (C) matches count a fifth of summary (B) ones.
_WEIGHTS = [0.02, 0.1, 0.5, 1.0]


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
    topics.update(search_vector=_topic_vector())


def search_topics(query: str) -> QuerySet[Topic]:
    """Topics matching `query`, best first."""
    query = query.strip()
    if not query:
        return Topic.objects.none()
    if _full_text():
        search = SearchQuery(query, search_type="websearch", config="english")
        # A word in the title or summary counts far more than many mentions in a long body;
        # normalization 1 divides by the log of the document length for the same reason.
        # F() matters: given a plain field name, SearchRank would re-parse the stored vector as text.
        return (
            Topic.objects.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search, weights=_WEIGHTS, normalization=Value(1)))
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
            resources.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "title")
        )
    return resources.filter(Q(title__icontains=query) | Q(author__icontains=query)).order_by("title")
