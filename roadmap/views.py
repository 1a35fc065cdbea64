from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .caching import cached
from .maps import roadmap_map
from .models import ResourceKind, Roadmap, Topic
from .search import search_resources, search_topics
from .structure import prerequisite_edges, roadmap_outline, roadmaps_for_home, topic_context

SEARCH_LIMIT = 30


def home(request):
    return render(request, "roadmap/home.html", {"roadmaps": roadmaps_for_home()})


def roadmap_detail(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    # The map and list are the same for every visitor: rendered once per content version.
    body = cached(f"roadmap-body:{roadmap.pk}", lambda: _render_roadmap_body(roadmap))
    return render(request, "roadmap/roadmap_detail.html", {"roadmap": roadmap, "body": mark_safe(body)})


def _render_roadmap_body(roadmap: Roadmap) -> str:
    outline = roadmap_outline(roadmap)
    topic_ids = [topic.pk for part in outline for topic in part.topics]
    return render_to_string(
        "roadmap/_roadmap_body.html",
        {
            "roadmap": roadmap,
            "outline": outline,
            "map": roadmap_map(outline, prerequisite_edges(topic_ids)),
            "topic_count": len(topic_ids),
            "total_hours": sum(topic.estimated_hours for part in outline for topic in part.topics),
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    roadmap_slug = request.GET.get("roadmap", "")[:100]
    body = cached(f"topic-body:{topic.pk}:{roadmap_slug}", lambda: _render_topic_body(topic, roadmap_slug))
    return render(request, "roadmap/topic_detail.html", {"topic": topic, "body": mark_safe(body)})


def _render_topic_body(topic: Topic, roadmap_slug: str) -> str:
    kind_rank = {kind: rank for rank, kind in enumerate(ResourceKind.values)}
    resources = sorted(topic.resources.all(), key=lambda r: (kind_rank[r.kind], r.order))
    resources_by_kind = [
        (group[0].get_kind_display(), group)
        for _, items in groupby(resources, key=lambda r: r.kind)
        if (group := list(items))
    ]
    return render_to_string(
        "roadmap/_topic_body.html",
        {
            "topic": topic,
            "resources_by_kind": resources_by_kind,
            "prerequisites": topic.prerequisites.order_by("title").only("slug", "title"),
            "leads_to": topic.leads_to.order_by("title").only("slug", "title"),
            "context": topic_context(topic, roadmap_slug),
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    topics = list(search_topics(query)[:SEARCH_LIMIT]) if query else []
    resources = list(search_resources(query)[:SEARCH_LIMIT]) if query else []
    return render(request, "roadmap/search.html", {"query": query, "topics": topics, "resources": resources})
