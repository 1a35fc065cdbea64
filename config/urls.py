import os

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz
from roadmap import api as roadmap_api

api_urlpatterns = [
    path("roadmaps/", roadmap_api.RoadmapListApi.as_view(), name="roadmap-list"),
    path("roadmaps/<slug:slug>/", roadmap_api.RoadmapDetailApi.as_view(), name="roadmap-detail"),
    path("topics/", roadmap_api.TopicListApi.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", roadmap_api.TopicDetailApi.as_view(), name="topic-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include((api_urlpatterns, "api"))),
    path("", include("roadmap.urls")),
]

if os.environ.get("ASCENT_BENCH") == "1":
    # Only in benchmark runs: the bare reference view that every figure in bench/RESULTS.md is compared with.
    from bench.views import bare

    urlpatterns.insert(0, path("bench/bare/", bare))
