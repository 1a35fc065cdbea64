from django.urls import path

from . import scheduler_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("tokens/", views.create_token_view, name="create-token"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token_view, name="revoke-token"),
    path("export/", views.export_view, name="export"),
    path("delete/", views.delete_view, name="delete"),
]

# The settings page's scheduling forms. Their names live in the "quizzes" namespace, where they were before the
# settings page's forms came here (config/urls.py mounts them there), so templates and links keep them.
scheduler_urlpatterns = [
    path("settings/scheduler/fit/", scheduler_views.fit_form, name="scheduler-fit"),
    path("settings/scheduler/reset/", scheduler_views.reset_form, name="scheduler-reset"),
    path("settings/scheduler/retention/", scheduler_views.retention_form, name="scheduler-retention"),
    path("settings/scheduler/days-off/", scheduler_views.days_off_form, name="scheduler-days-off"),
    path("settings/scheduler/resume/", scheduler_views.resume_form, name="scheduler-resume"),
]
