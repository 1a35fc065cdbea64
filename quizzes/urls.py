from django.urls import path

from . import scheduler_views, views

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
    path("settings/scheduler/fit/", scheduler_views.fit_form, name="scheduler-fit"),
    path("settings/scheduler/reset/", scheduler_views.reset_form, name="scheduler-reset"),
    path("settings/scheduler/retention/", scheduler_views.retention_form, name="scheduler-retention"),
    path("settings/scheduler/days-off/", scheduler_views.days_off_form, name="scheduler-days-off"),
    path("settings/scheduler/resume/", scheduler_views.resume_form, name="scheduler-resume"),
]
