"""Everything Ascent holds about one learner, as one JSON document (and nothing about anyone else)."""

from django.utils import timezone

from roadmap.models import Activity, Follow, ResourceTick, TopicNote, TopicProgress

from .models import User

EXPORT_FORMAT = 1


def export_learner_data(user: User) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "time_zone": user.time_zone,
            "reminder_time": user.reminder_time.strftime("%H:%M"),
            "reminders_enabled": user.reminders_enabled,
            "theme": user.theme,
            "date_joined": user.date_joined.isoformat(),
        },
        "api_tokens": [
            {"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat()}
            for t in user.api_tokens.all()
        ],
        "follows": [
            {"roadmap": f.roadmap.slug, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(learner=user).select_related("roadmap")
        ],
        "progress": [
            {"topic": p.topic.slug, "status": p.status, "updated_at": p.updated_at.isoformat()}
            for p in TopicProgress.objects.filter(learner=user).select_related("topic").order_by("topic__slug")
        ],
        "resource_ticks": [
            {"topic": t.resource.topic.slug, "resource": t.resource.url, "at": t.created_at.isoformat()}
            for t in ResourceTick.objects.filter(learner=user).select_related("resource__topic")
        ],
        "notes": [
            {"topic": n.topic.slug, "body": n.body, "updated_at": n.updated_at.isoformat()}
            for n in TopicNote.objects.filter(learner=user).select_related("topic")
        ],
        "activity": [
            {"kind": a.kind, "topic": a.topic.slug if a.topic else None, "detail": a.detail, "at": a.at.isoformat()}
            for a in Activity.objects.filter(learner=user).select_related("topic").order_by("at")
        ],
    }
