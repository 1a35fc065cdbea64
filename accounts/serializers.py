import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.strict_input import StrictInput

from .forms import TIME_ZONE_CHOICES
from .models import Theme

TIME_ZONES = {name for name, _ in TIME_ZONE_CHOICES}
LOCAL_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"


@extend_schema_field({"type": "string", "pattern": f"^{LOCAL_TIME}$", "example": "18:30"})
class LocalTimeField(serializers.TimeField):
    """A local wall-clock time, HH:MM (HH:MM:SS is accepted). The schema says so with a pattern: OpenAPI's `time`
    format means RFC 3339 (seconds and an offset), and an offset, meaningless for a local time, used to be
    accepted and silently dropped."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(LOCAL_TIME, value):
            self.fail("invalid", format="HH:MM")
        return super().to_internal_value(value)


class MeSerializer(StrictInput):
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(max_length=80, allow_blank=True, required=False)
    time_zone = serializers.CharField(max_length=64, required=False, help_text="An IANA name, e.g. Europe/Paris.")
    reminder_time = LocalTimeField(required=False, help_text="Local time, HH:MM.")
    reminders_enabled = serializers.BooleanField(required=False)
    theme = serializers.ChoiceField(choices=Theme.choices, required=False)
    desired_retention = serializers.FloatField(
        required=False, min_value=0.7, max_value=0.99, help_text="FSRS target recall probability (0.70 to 0.99)."
    )
    maximum_interval = serializers.IntegerField(
        required=False, min_value=1, max_value=36500, help_text="Longest gap between reviews, in days."
    )
    date_joined = serializers.DateTimeField(read_only=True)

    def validate_time_zone(self, value):
        if value not in TIME_ZONES:
            raise serializers.ValidationError(
                f"“{value}” is not an IANA time zone name, such as Europe/Paris or America/New_York."
            )
        return value


class TokenOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The first characters of the key.")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class NewTokenSerializer(TokenOutSerializer):
    key = serializers.CharField(help_text="The full key. It is shown only once: store it now.")


class TokenInSerializer(StrictInput):
    name = serializers.CharField(max_length=80)
