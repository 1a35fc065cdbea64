from itertools import groupby

from django.shortcuts import get_object_or_404, render

from .maps import roadmap_map
from .models import ResourceKind, Roadmap, Topic
from .search import search_resources, search_topics
from .structure import prerequisite_edges, roadmap_outline, roadmaps_for_home, topic_context

SEARCH_LIMIT = 30


def home(request):
    return render(request, "roadmap/home.html", {"roadmaps": roadmaps_for_home()})


def roadmap_detail(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    outline = roadmap_outline(roadmap)
    topic_ids = [topic.pk for part in outline for topic in part.topics]
    edges = prerequisite_edges(topic_ids)
    hours = sum(topic.estimated_hours for part in outline for topic in part.topics)
    return render(
        request,
        "roadmap/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "outline": outline,
            "map": roadmap_map(outline, edges),
            "topic_count": len(topic_ids),
            "total_hours": hours,
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    kind_rank = {kind: rank for rank, kind in enumerate(ResourceKind.values)}
    resources = sorted(topic.resources.all(), key=lambda r: (kind_rank[r.kind], r.order))
    resources_by_kind = [
        (group[0].get_kind_display(), group)
        for _, items in groupby(resources, key=lambda r: r.kind)
        if (group := list(items))
    ]
    context = topic_context(topic, request.GET.get("roadmap"))
    return render(
        request,
        "roadmap/topic_detail.html",
        {
            "topic": topic,
            "resources_by_kind": resources_by_kind,
            "prerequisites": topic.prerequisites.order_by("title").only("slug", "title"),
            "leads_to": topic.leads_to.order_by("title").only("slug", "title"),
            "context": context,
        },
    )


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    topics = list(search_topics(query)[:SEARCH_LIMIT]) if query else []
    resources = list(search_resources(query)[:SEARCH_LIMIT]) if query else []
    return render(request, "roadmap/search.html", {"query": query, "topics": topics, "resources": resources})
