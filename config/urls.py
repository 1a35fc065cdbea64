from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

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
    path("admin/", admin.site.urls),
    path("api/", include((api_urlpatterns, "api"))),
    path("", include("roadmap.urls")),
]
