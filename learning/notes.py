"""A learner's private Markdown note per topic, stored with its sanitised HTML."""

from roadmap.models import Topic
from roadmap.rendering import render_markdown

from .models import TopicNote

MAX_NOTE_LENGTH = 20_000


def save_note(*, learner, topic: Topic, body: str) -> TopicNote | None:
    """Creates or replaces the note; an empty body deletes it and returns None."""
    body = body.strip()
    if not body:
        TopicNote.objects.filter(learner=learner, topic=topic).delete()
        return None
    note, _ = TopicNote.objects.update_or_create(
        learner=learner, topic=topic, defaults={"body": body, "body_html": render_markdown(body)}
    )
    return note


def note_of(learner, topic: Topic) -> TopicNote | None:
    return TopicNote.objects.filter(learner=learner, topic=topic).first()
