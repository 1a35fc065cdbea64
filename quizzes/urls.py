from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("topics/<slug:slug>/quiz/", views.start_quiz, name="start"),
    path("quiz/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("quiz/<int:attempt_id>/submit/", views.submit_form, name="submit"),
]
