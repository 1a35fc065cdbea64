"""A write that names a topic or resource that does not exist answers 400 saying which (the published
behaviour), and the schema says so for each such write; reads, and deleting a note, answer 404."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from learning.models import ResourceTick, TopicNote, TopicProgress

pytestmark = pytest.mark.django_db

WRITES = [
    ("put", "/api/progress/{topic_slug}/", "/api/progress/no-such-topic/", {"status": "done"}, "topic"),
    ("put", "/api/notes/{topic_slug}/", "/api/notes/no-such-topic/", {"body": "hi"}, "topic"),
    ("put", "/api/resources/{resource_id}/tick/", "/api/resources/999999/tick/", None, "resource"),
    ("delete", "/api/resources/{resource_id}/tick/", "/api/resources/999999/tick/", None, "resource"),
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("method", "template", "url", "body", "field"), WRITES)
def test_an_unknown_name_is_a_400_that_the_schema_documents(api, alice, small_content, schema, method, template,
                                                            url, body, field):
    small_content.load()
    api.force_authenticate(alice)
    response = getattr(api, method)(url, body, format="json")
    assert response.status_code == 400
    assert response.json()[field][0].startswith(f"Unknown {field}")
    assert not (TopicProgress.objects.exists() or TopicNote.objects.exists() or ResourceTick.objects.exists())
    documented = schema["paths"][template][method]["responses"]["400"]["description"]
    assert f"the {field} does not exist" in documented.lower(), documented


def test_deleting_a_note_of_an_unknown_topic_is_a_404_as_reading_it(api, alice, small_content, schema):
    small_content.load()
    api.force_authenticate(alice)
    assert api.get("/api/notes/no-such-topic/").status_code == 404
    assert api.delete("/api/notes/no-such-topic/").status_code == 404
    assert "Nothing with this id or slug" in schema["paths"]["/api/notes/{topic_slug}/"]["delete"]["responses"][
        "404"]["description"]
