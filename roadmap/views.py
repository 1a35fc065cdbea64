"""The pages that are the same for every visitor: the home page and search."""

from django.shortcuts import render

from .search import search_resources, search_topics
from .structure import roadmaps_for_home

SEARCH_LIMIT = 30


def home(request):
    return render(request, "roadmap/home.html", {"roadmaps": roadmaps_for_home()})


def search(request):
    query = request.GET.get("q", "").strip()[:200]
    topics = list(search_topics(query)[:SEARCH_LIMIT]) if query else []
    resources = list(search_resources(query)[:SEARCH_LIMIT]) if query else []
    return render(request, "roadmap/search.html", {"query": query, "topics": topics, "resources": resources})
