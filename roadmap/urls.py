from django.urls import path

from . import views

# The "roadmap" URL namespace is shared with learning/urls.py (config/urls.py joins them), so every page keeps
# the name it had before the learner's pages moved to their own app.
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
]
