from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import api as accounts_api
from accounts import urls as accounts_urls
from config.health import healthz
from learning import api as learner_api
from learning import urls as learning_urls
from quizzes import api as quizzes_api
from quizzes import placement_api, reviews_api, scheduler_api
from quizzes import urls as quizzes_urls
from roadmap import api as roadmap_api
from roadmap import urls as roadmap_urls

api_urlpatterns = [
    path("roadmaps/", roadmap_api.RoadmapListApi.as_view(), name="roadmap-list"),
    path("roadmaps/<slug:slug>/", roadmap_api.RoadmapDetailApi.as_view(), name="roadmap-detail"),
    path("topics/", roadmap_api.TopicListApi.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", roadmap_api.TopicDetailApi.as_view(), name="topic-detail"),
    path("roadmaps/<slug:slug>/progress/", learner_api.RoadmapProgressApi.as_view(), name="roadmap-progress"),
    path("roadmaps/<slug:slug>/follow/", learner_api.FollowApi.as_view(), name="roadmap-follow"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("me/export/", accounts_api.MeExportApi.as_view(), name="me-export"),
    path("me/export/reviews.csv", accounts_api.MeReviewLogCsvApi.as_view(), name="me-export-reviews"),
    path("me/scheduler/", scheduler_api.SchedulerApi.as_view(), name="me-scheduler"),
    path("me/scheduler/fit/", scheduler_api.SchedulerFitApi.as_view(), name="me-scheduler-fit"),
    path("me/scheduler/workload/", scheduler_api.SchedulerWorkloadApi.as_view(), name="me-scheduler-workload"),
    path("tokens/", accounts_api.TokenListApi.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", accounts_api.TokenDetailApi.as_view(), name="token-detail"),
    path("progress/", learner_api.ProgressListApi.as_view(), name="progress-list"),
    path("progress/<slug:topic_slug>/", learner_api.ProgressDetailApi.as_view(), name="progress-detail"),
    path("notes/", learner_api.NoteListApi.as_view(), name="note-list"),
    path("notes/<slug:topic_slug>/", learner_api.NoteDetailApi.as_view(), name="note-detail"),
    path("ticks/", learner_api.TickListApi.as_view(), name="tick-list"),
    path("resources/<int:resource_id>/tick/", learner_api.TickApi.as_view(), name="resource-tick"),
    path("follows/", learner_api.FollowListApi.as_view(), name="follow-list"),
    path("topics/<slug:slug>/quiz/", quizzes_api.StartQuizApi.as_view(), name="quiz-start"),
    path("attempts/", quizzes_api.AttemptListApi.as_view(), name="attempt-list"),
    path("attempts/<int:attempt_id>/", quizzes_api.AttemptDetailApi.as_view(), name="attempt-detail"),
    path("attempts/<int:attempt_id>/submit/", quizzes_api.AttemptSubmitApi.as_view(), name="attempt-submit"),
    path("reviews/due/", reviews_api.ReviewDueApi.as_view(), name="review-due"),
    path("reviews/forecast/", reviews_api.ReviewForecastApi.as_view(), name="review-forecast"),
    path("reviews/relearn/", reviews_api.ReviewRelearnApi.as_view(), name="review-relearn"),
    path("reviews/ahead/", reviews_api.ReviewAheadApi.as_view(), name="review-ahead"),
    path("reviews/<int:card_id>/answer/", reviews_api.ReviewAnswerApi.as_view(), name="review-answer"),
    path("reviews/<int:card_id>/easy/", reviews_api.ReviewEasyApi.as_view(), name="review-easy"),
    path("roadmaps/<slug:slug>/placement/", placement_api.StartPlacementApi.as_view(), name="placement-start"),
    path("placements/<int:session_id>/", placement_api.PlacementDetailApi.as_view(), name="placement-detail"),
    path("placements/<int:session_id>/answer/", placement_api.PlacementAnswerApi.as_view(), name="placement-answer"),
    path("placements/<int:session_id>/confirm/", placement_api.PlacementConfirmApi.as_view(),
         name="placement-confirm"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the strict CSP needs no inline exception.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("accounts.urls")),
    path("api/", include((api_urlpatterns, "api"))),
    path("", include((quizzes_urls.urlpatterns + accounts_urls.scheduler_urlpatterns, "quizzes"))),
    # One namespace for the content pages and the learner's pages, as before they were two apps.
    path("", include((roadmap_urls.urlpatterns + learning_urls.urlpatterns, "roadmap"))),
]

handler404 = "config.not_found.not_found"
