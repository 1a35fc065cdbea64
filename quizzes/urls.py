from django.urls import path

from . import placement_views, views

app_name = "quizzes"

urlpatterns = [
    path("topics/<slug:slug>/quiz/", views.start_quiz, name="start"),
    path("roadmaps/<slug:slug>/placement/", placement_views.placement_page, name="placement"),
    path("roadmaps/<slug:slug>/placement/start/", placement_views.start_form, name="placement-start"),
    path("roadmaps/<slug:slug>/placement/answer/", placement_views.answer_form, name="placement-answer"),
    path("roadmaps/<slug:slug>/placement/confirm/", placement_views.confirm_form, name="placement-confirm"),
    path("quiz/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("quiz/<int:attempt_id>/submit/", views.submit_form, name="submit"),
    path("reviews/", views.review_page, name="review"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reviews/<int:card_id>/answer/", views.review_answer, name="review-answer"),
    path("reviews/<int:card_id>/result/<int:log_id>/", views.review_result, name="review-result"),
    path("reviews/<int:card_id>/easy/", views.review_easy, name="review-easy"),
]
