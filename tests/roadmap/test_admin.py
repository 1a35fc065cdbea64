"""Admins curate content; a prerequisite that would close a cycle is refused with a clear message."""

import pytest

from roadmap.models import Prerequisite, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, small_content):
    small_content.load()
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="admin-password-1")
    client.force_login(admin)
    return client


def topic_form(topic, requires_ids, existing=()):
    """The POST data of the topic change form with the given prerequisite rows."""
    data = {
        "title": topic.title, "slug": topic.slug, "summary": topic.summary, "level": topic.level,
        "estimated_hours": topic.estimated_hours, "body": topic.body,
        "prerequisite_links-TOTAL_FORMS": str(len(requires_ids)),
        "prerequisite_links-INITIAL_FORMS": str(len(existing)),
        "prerequisite_links-MIN_NUM_FORMS": "0", "prerequisite_links-MAX_NUM_FORMS": "1000",
        "resources-TOTAL_FORMS": "0", "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0", "resources-MAX_NUM_FORMS": "1000",
    }
    for i, requires_id in enumerate(requires_ids):
        data[f"prerequisite_links-{i}-requires"] = str(requires_id)
        data[f"prerequisite_links-{i}-topic"] = str(topic.pk)
        if i < len(existing):
            data[f"prerequisite_links-{i}-id"] = str(existing[i])
    return data


def test_prerequisite_that_closes_a_cycle_is_refused(admin_client):
    vectors = Topic.objects.get(slug="vectors")
    gd = Topic.objects.get(slug="gradient-descent")
    response = admin_client.post(f"/admin/roadmap/topic/{vectors.pk}/change/", topic_form(vectors, [gd.pk]))
    assert response.status_code == 200
    assert "would create a cycle" in response.content.decode()
    assert not Prerequisite.objects.filter(topic=vectors).exists()


def test_valid_prerequisite_is_saved_and_body_rendered(admin_client):
    gd = Topic.objects.get(slug="gradient-descent")
    vectors = Topic.objects.get(slug="vectors")
    existing = list(Prerequisite.objects.filter(topic=gd).values_list("pk", flat=True))
    matrices_id = Prerequisite.objects.get(pk=existing[0]).requires_id
    data = topic_form(gd, [matrices_id, vectors.pk], existing=existing)
    data["body"] = "Now with **bold**."
    response = admin_client.post(f"/admin/roadmap/topic/{gd.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gd.refresh_from_db()
    assert set(gd.prerequisites.values_list("slug", flat=True)) == {"matrices", "vectors"}
    assert "<strong>bold</strong>" in gd.body_html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/roadmap/roadmap/", "/admin/roadmap/topic/", "/admin/roadmap/resource/", "/admin/roadmap/section/",
        "/admin/roadmap/resource/?kind__exact=video&cost__exact=free", "/admin/roadmap/topic/?q=vector",
    ],
)
def test_admin_lists_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


def test_admin_change_pages_open_with_view_on_site(admin_client):
    topic = Topic.objects.get(slug="vectors")
    html = admin_client.get(f"/admin/roadmap/topic/{topic.pk}/change/").content.decode()
    assert "View on site" in html
    section_id = topic.placements.first().section_id
    assert admin_client.get(f"/admin/roadmap/section/{section_id}/change/").status_code == 200
