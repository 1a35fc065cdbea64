from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("tokens/", views.create_token_view, name="create-token"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token_view, name="revoke-token"),
    path("export/", views.export_view, name="export"),
    path("delete/", views.delete_view, name="delete"),
]
