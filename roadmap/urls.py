from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("", views.home, name="home"),
    path("roadmaps/<slug:slug>/", views.roadmap_detail, name="roadmap"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("search/", views.search, name="search"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("roadmaps/<slug:slug>/follow/", views.follow, name="follow"),
    path("topics/<slug:slug>/status/", views.topic_status, name="topic-status"),
    path("topics/<slug:slug>/note/", views.topic_note, name="topic-note"),
    path("resources/<int:resource_id>/tick/", views.resource_tick, name="resource-tick"),
]
