from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("topics/<slug:slug>/quiz/", views.start_quiz, name="start"),
    path("quiz/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("quiz/<int:attempt_id>/submit/", views.submit_form, name="submit"),
    path("reviews/", views.review_page, name="review"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reviews/<int:card_id>/answer/", views.review_answer, name="review-answer"),
    path("reviews/<int:card_id>/result/<int:log_id>/", views.review_result, name="review-result"),
    path("reviews/<int:card_id>/easy/", views.review_easy, name="review-easy"),
]
