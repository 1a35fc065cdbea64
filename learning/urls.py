from django.urls import path

from . import views

# In the "roadmap" namespace, with the content pages (see roadmap/urls.py).
urlpatterns = [
    path("roadmaps/<slug:slug>/", views.roadmap_detail, name="roadmap"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("roadmaps/<slug:slug>/follow/", views.follow, name="follow"),
    path("topics/<slug:slug>/status/", views.topic_status, name="topic-status"),
    path("topics/<slug:slug>/note/", views.topic_note, name="topic-note"),
    path("resources/<int:resource_id>/tick/", views.resource_tick, name="resource-tick"),
]
