"""The user: e-mail sign-in (allauth, adapters), preferences, the settings page and its forms, API tokens, and
the export and deletion of everything a learner owns across the apps. The top of the house: other apps refer to
the user only through settings.AUTH_USER_MODEL and get_user_model()."""
