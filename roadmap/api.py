from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from caching.fragments import cached

from .models import Placement, Roadmap, Topic
from .search import search_topics
from .serializers import (
    RoadmapDetailSerializer,
    RoadmapListSerializer,
    TopicDetailSerializer,
    TopicSummarySerializer,
)
from .structure import roadmap_outline, roadmaps_for_home


class RoadmapListApi(generics.ListAPIView):
    """All roadmaps, in the order the home page shows them."""

    serializer_class = RoadmapListSerializer

    def get_queryset(self):
        return roadmaps_for_home()


class RoadmapDetailApi(generics.RetrieveAPIView):
    """A roadmap with its sections in order, each with its topics in order."""

    serializer_class = RoadmapDetailSerializer
    lookup_field = "slug"
    queryset = Roadmap.objects.all()

    def retrieve(self, request, *args, **kwargs):
        roadmap = self.get_object()

        def serialize():
            roadmap.outline = roadmap_outline(roadmap)
            return self.get_serializer(roadmap).data

        # The same for every caller: serialised once per content version.
        return Response(cached(f"api-roadmap:{roadmap.pk}", serialize))


@extend_schema(
    parameters=[
        OpenApiParameter("search", OpenApiTypes.STR, description="Full-text search over titles, summaries and bodies.")
    ]
)
class TopicListApi(generics.ListAPIView):
    """Topics by title, or the best matches for `?search=`."""

    serializer_class = TopicSummarySerializer

    def get_queryset(self):
        query = self.request.query_params.get("search", "").strip()[:200]
        if query:
            return search_topics(query)
        return Topic.objects.order_by("title")


class TopicDetailApi(generics.RetrieveAPIView):
    """A topic with its resources, prerequisite and follow-on slugs, and the roadmaps it is placed in."""

    serializer_class = TopicDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Topic.objects.prefetch_related(
            "resources",
            Prefetch("prerequisites", queryset=Topic.objects.only("slug").order_by("slug")),
            Prefetch("leads_to", queryset=Topic.objects.only("slug").order_by("slug")),
            Prefetch("placements", queryset=Placement.objects.select_related("roadmap").order_by("roadmap__order")),
        )
