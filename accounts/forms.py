import zoneinfo

from django import forms

from .models import User
from .preferences import update_preferences

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=TIME_ZONE_CHOICES,
            help_text="Reminders and your daily streak follow this time zone.",
            **kwargs,
        )


class SignupForm(forms.Form):
    """The fields allauth's sign-up form gets on top of e-mail and password."""

    display_name = forms.CharField(max_length=80, required=False, help_text="Optional: how Ascent greets you.")
    # Pre-selected from the browser's own zone by static/js/timezone.js.
    time_zone = TimeZoneField(initial="UTC")

    field_order = ["email", "display_name", "password1", "password2", "time_zone"]

    def signup(self, request, user):
        update_preferences(
            user=user,
            changes={"display_name": self.cleaned_data["display_name"].strip(),
                     "time_zone": self.cleaned_data["time_zone"]},
        )


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "reminders_enabled", "reminder_time", "theme", "desired_retention",
                  "maximum_interval"]
        labels = {
            "reminders_enabled": "Send me a daily e-mail when reviews are due",
            "desired_retention": "Desired retention",
            "maximum_interval": "Maximum interval (days)",
        }
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.7", "max": "0.99"}),
        }

    def clean(self):
        # Python reads "٣" and "１２" as 3 and 12; numbers are ASCII digits here, as in quiz answers and the API.
        for name in ("desired_retention", "maximum_interval"):
            if not self.data.get(name, "").isascii():
                self.add_error(name, "Write the number with the digits 0-9.")
        return super().clean()


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What the token is for, e.g. “my study script”.")


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label="Type DELETE to confirm",
        help_text="Your progress, notes, quiz answers, reviews and tokens are removed for good.",
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError("Type DELETE, in capitals, to delete your account.")
        return "DELETE"
