import datetime
import zoneinfo

from allauth.account import models as allauth_models
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class UserManager(BaseUserManager):
    """Learners sign in with an e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not an IANA time zone name, such as Europe/Paris or America/New_York.")


class Theme(models.TextChoices):
    SYSTEM = "system", "Follow my device"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    reminder_time = models.TimeField(
        default=datetime.time(18, 0), help_text="Local time of the daily review reminder."
    )
    reminders_enabled = models.BooleanField(default=True)
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    desired_retention = models.FloatField(
        default=0.9, validators=[MinValueValidator(0.7), MaxValueValidator(0.99)],
        help_text="How likely you want to still remember an answer when it comes back (0.70 to 0.99).",
    )
    maximum_interval = models.PositiveIntegerField(
        default=365, validators=[MinValueValidator(1), MaxValueValidator(36500)],
        help_text="The longest gap between two reviews of a question, in days.",
    )
    # The next instant (UTC) this learner's local reminder time comes round; the reminder fan-out selects
    # on it with a partial index, so it never has to compute time zones per learner in SQL.
    # The learner's own FSRS parameters once a fit beat the defaults on its held-out reviews (quizzes/fitting.py);
    # empty: FSRS-6's defaults. On the user row, so that scheduling reads them with the session's user.
    fsrs_parameters = models.JSONField(null=True, blank=True, editable=False)
    # Scheduling around the learner's week: weekdays with few reviews (bit 0 Monday ... bit 6 Sunday) and a
    # holiday with none, until and including this local date (quizzes/balancing.py).
    light_weekdays = models.PositiveSmallIntegerField(default=0, db_default=0)
    reviews_paused_until = models.DateField(null=True, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A random value replaced after every change of what this learner's pages show: cached pages are keyed on
    # it (caching/learner_pages.py). Random rather than counted, so a stale copy of the row saved back
    # over a newer one can never make an old page current again once the next change replaces it.
    state_version = models.BigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_reminder_at"], name="user_reminder_due",
                condition=models.Q(reminders_enabled=True, is_active=True),
            )
        ]

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.display_name or self.email


class ApiToken(models.Model):
    """A personal API token for scripts. Only a hash is stored: the key is shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="The first characters of the key, to recognise it.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class EmailAddress(allauth_models.EmailAddress):
    """allauth's e-mail addresses, listed in the admin's Accounts section beside the learners: allauth's own
    app is labelled "Accounts" too, which made two sections of that name."""

    class Meta:
        proxy = True
        verbose_name = "e-mail address"
        verbose_name_plural = "e-mail addresses"
