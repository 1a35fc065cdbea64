"""Rendered roadmap and topic pages are cached per content version and go stale on any content change."""

import pytest
from django.core.management import call_command
from django.test import Client

from roadmap.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)  # invalidation runs on commit


@pytest.fixture
def loaded(small_content):
    call_command("load_content", "--path", str(small_content.root), verbosity=0)
    return small_content


def test_second_request_is_served_from_the_cache(client, loaded, django_assert_max_num_queries):
    client.get("/roadmaps/first/")
    with django_assert_max_num_queries(1):  # only the roadmap lookup
        assert client.get("/roadmaps/first/").status_code == 200
    client.get("/topics/vectors/")
    with django_assert_max_num_queries(2):  # the topic and its resources
        assert client.get("/topics/vectors/").status_code == 200
    client.get("/api/roadmaps/first/")
    with django_assert_max_num_queries(1):
        assert client.get("/api/roadmaps/first/").status_code == 200


def test_reloading_changed_content_invalidates(client, loaded):
    assert "Vectors" in client.get("/roadmaps/first/").content.decode()
    loaded.topic("vectors", title="Vector Spaces")
    call_command("load_content", "--path", str(loaded.root), verbosity=0)
    assert "Vector Spaces" in client.get("/roadmaps/first/").content.decode()
    assert "Vector Spaces" in client.get("/topics/vectors/").content.decode()
    assert "Vector Spaces" in client.get("/api/roadmaps/first/").content.decode()


def test_an_admin_edit_invalidates(client, loaded, django_user_model):
    client.get("/topics/matrices/")  # anonymous: the whole page is stored
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin)
    matrices = Topic.objects.get(slug="matrices")
    resource = matrices.resources.get()
    response = client.post(
        f"/admin/roadmap/resource/{resource.pk}/change/",
        {"topic": matrices.pk, "title": "A renamed video", "url": resource.url, "kind": "video", "cost": "free",
         "author": "", "order": 0},
    )
    assert response.status_code == 302
    assert "A renamed video" in client.get("/topics/matrices/").content.decode()
    assert "A renamed video" in Client().get("/topics/matrices/").content.decode()
