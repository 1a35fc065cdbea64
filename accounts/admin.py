from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress as AllauthEmailAddress
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction

from caching.learner_pages import learner_state_changed

from .models import EmailAddress, User

# One "Accounts" section: allauth's e-mail addresses move into ours (accounts.EmailAddress is a proxy).
admin.site.unregister(AllauthEmailAddress)
admin.site.register(EmailAddress, EmailAddressAdmin)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "date_joined"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The name, the staff links and the like are on the learner's cached pages.
        transaction.on_commit(lambda: learner_state_changed(learner_id=obj.pk))
