"""`python -m tests.faults.seed_site CONTENT_DIR`: prepares a fault drill's own database (migrations, the
content in CONTENT_DIR, learner@example.com with a verified address) and prints the learner's API token."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.tokens import create_token  # noqa: E402

call_command("migrate", verbosity=0)
call_command("load_content", "--path", sys.argv[1], verbosity=0)
learner = User.objects.create_user(email="learner@example.com", password="learner-password-1")
EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
print(create_token(user=learner, name="fault drill").key)
