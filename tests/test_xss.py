"""Script and event-handler payloads in notes, display names and admin-edited content (topic bodies, resource titles
and URLs, question prompts, choices, feedback and explanations, roadmap and section texts) render inert on every
page, e-mail, admin page and API `_html` field that shows them: the HTML holds no script of its own making, no
event-handler attribute and no javascript: URL. tests/e2e/test_xss_inert.py loads such pages in Chromium."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question
from quizzes.reminders import DueTopic, reminder_message, unsubscribe_token
from quizzes.reviews import answer_card
from roadmap.models import Resource, Roadmap, Topic
from tests.conftest import XSS, XSS_SHORT

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc"}
DANGEROUS_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset"}


class ExecutableParts(HTMLParser):
    """Collects whatever in a document could run script: script elements that are not our own static files or
    JSON data, event-handler attributes, javascript:/vbscript:/data: URLs, frames, and meta refreshes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.in_script = [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            # Browsers ignore whitespace and control characters in a URL's scheme: so does this check.
            compact = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name in URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        if tag == "script":
            src = attributes.get("src")
            ours = src is not None and src.startswith("/") and not src.startswith("//")
            if src is not None and not ours:
                self.found.append(f"<script src={src!r}>")
            self.in_script = "src" if src else attributes.get("type", "")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = None

    def handle_data(self, data):
        if self.in_script is not None and data.strip() and not (self.in_script == "application/json" and
                                                                 "<" not in data):
            self.found.append(f"<script>{data[:60]!r}")


def executable_parts(html: str) -> list[str]:
    parser = ExecutableParts()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(html: str, where: str):
    found = executable_parts(html)
    assert not found, f"{where}: {found}"


def test_the_check_sees_each_payload_when_it_is_not_escaped():
    for payload in ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "\"><svg onload=alert(3)>",
                    "<a href=\"javascript:alert('xss-a')\">x</a>", "<a href=' JaVa\tscript:alert(1)'>x</a>",
                    "<iframe src=\"javascript:alert(1)\"></iframe>", "<a href=\"&#106;avascript:alert(1)\">x</a>",
                    "<x ' onmouseover='alert(1)'>"]:
        assert executable_parts(payload), payload
    assert not executable_parts(f"<script src=\"{settings.STATIC_URL}js/quiz.js\"></script><p>&lt;script&gt;</p>")


@pytest.fixture
def hostile_learner(api, alice, hostile_content):
    """Alice, named with a payload through the API, with a payload note, an open and a submitted attempt on the
    hostile topic, a due card and a review of it."""
    api.force_authenticate(alice)
    assert api.patch("/api/me/", {"display_name": XSS_SHORT}, format="json").status_code == 200
    assert api.put("/api/notes/hostile/", {"body": XSS}, format="json").status_code == 200
    topic = Topic.objects.get(slug="hostile")
    submitted = start_attempt(learner=alice, topic=topic)
    wrong = [{"question": q.pk, "choices": [q.choices.get(is_correct=False).pk]} if q.type == "single"
             else {"question": q.pk, "value": 99} for q in Question.objects.filter(topic=topic)]
    submit_attempt(learner=alice, attempt_id=submitted.pk, answers=wrong)
    Card.objects.update(due=timezone.now() - datetime.timedelta(hours=1),
                        last_review=timezone.now() - datetime.timedelta(days=2))
    card = Card.objects.filter(question__type="numeric").get()
    review = answer_card(learner=alice, card_id=card.pk, answer={"value": 5})
    alice.refresh_from_db()
    return {"learner": alice, "submitted": submitted, "open": start_attempt(learner=alice, topic=topic),
            "card": card, "log": review.log}


def learner_pages(state):
    return [
        "/", "/roadmaps/hostile-roadmap/", "/topics/hostile/", "/topics/hostile/?roadmap=hostile-roadmap",
        "/search/?q=alert", f"/search/?q={quote(XSS)}", "/dashboard/", "/settings/", "/settings/delete/",
        "/reviews/", f"/reviews/?topic={quote(XSS_SHORT)}", f"/quiz/{state['open'].pk}/",
        f"/quiz/{state['submitted'].pk}/", f"/reviews/{state['card'].pk}/result/{state['log'].pk}/",
        f"/reminders/unsubscribe/{unsubscribe_token(state['learner'])}/",
    ]


def test_learner_pages_render_the_payloads_inert(client, hostile_learner):
    client.force_login(hostile_learner["learner"])
    for url in learner_pages(hostile_learner):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html, url)
        assert "alert(" in html, f"{url} shows none of the payloads: the check would prove nothing"


def test_the_payloads_are_shown_as_text(client, hostile_learner):
    client.force_login(hostile_learner["learner"])
    topic = client.get("/topics/hostile/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in topic  # the title, escaped
    assert "a Markdown link" in topic and "a raw link" in topic
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/dashboard/").content.decode()  # display name


def test_cached_public_pages_render_the_payloads_inert(client, hostile_content):
    for url in ["/", "/roadmaps/hostile-roadmap/", "/topics/hostile/", "/search/?q=alert"]:
        for _ in range(2):  # rendered, then served from the cache
            response = client.get(url)
            assert response.status_code == 200, url
            assert_inert(response.content.decode(), f"anonymous {url}")


def test_api_html_fields_are_sanitised(api, hostile_learner):
    api.force_authenticate(hostile_learner["learner"])
    fields = []

    def html_fields(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key.endswith("_html") and isinstance(item, str):
                    fields.append(item)
                html_fields(item)
        elif isinstance(value, list):
            for item in value:
                html_fields(item)

    for url in ["/api/topics/hostile/", "/api/notes/hostile/", "/api/notes/", "/api/reviews/due/",
                f"/api/attempts/{hostile_learner['open'].pk}/", f"/api/attempts/{hostile_learner['submitted'].pk}/"]:
        html_fields(api.get(url).json())
    assert len(fields) > 10
    for html in fields:
        assert_inert(html, html[:80])


def test_the_reminder_email_renders_the_display_name_inert(hostile_learner):
    message = reminder_message(hostile_learner["learner"], [DueTopic(title=XSS_SHORT, slug="hostile", due=2)],
                               now=timezone.now())
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert_inert(html, "reminder e-mail")


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="root-password-1")
    client.force_login(admin)
    return client


def test_admin_pages_render_the_payloads_inert(admin_client, hostile_learner):
    alice = hostile_learner["learner"]
    topic = Topic.objects.get(slug="hostile")
    question = Question.objects.filter(topic=topic).first()
    for url in ["/admin/accounts/user/", f"/admin/accounts/user/{alice.pk}/change/", "/admin/roadmap/topic/",
                f"/admin/roadmap/topic/{topic.pk}/change/", "/admin/roadmap/resource/", "/admin/roadmap/roadmap/",
                f"/admin/roadmap/roadmap/{Roadmap.objects.get().pk}/change/", "/admin/quizzes/question/",
                f"/admin/quizzes/question/{question.pk}/change/", "/admin/quizzes/attempt/",
                f"/admin/quizzes/attempt/{hostile_learner['submitted'].pk}/change/"]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode(), url)


def test_a_topic_body_edited_in_the_admin_is_sanitised(admin_client, hostile_content):
    topic = Topic.objects.get(slug="hostile")
    page = admin_client.get(f"/admin/roadmap/topic/{topic.pk}/change/")
    form = {field: value for field, value in page.context["adminform"].form.initial.items() if value is not None}
    management = {f"{prefix}-{name}": value for prefix in ["prerequisite_links", "resources"]
                  for name, value in [("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0)]}
    response = admin_client.post(f"/admin/roadmap/topic/{topic.pk}/change/",
                                 {**form, **management, "body": XSS + "\n\nEdited in the admin."})
    assert response.status_code == 302, response.content.decode()[:2000]
    topic.refresh_from_db()
    assert "Edited in the admin." in topic.body_html
    assert_inert(topic.body_html, "body_html saved by the admin")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox(1)",
                                 "data:text/html,<script>alert(1)</script>", "ftp://example.com/file"])
def test_the_admin_refuses_resource_urls_that_are_not_http(admin_client, hostile_content, url):
    resource = Resource.objects.get()
    response = admin_client.post(f"/admin/roadmap/resource/{resource.pk}/change/", {
        "topic": resource.topic_id, "title": "A title", "url": url, "kind": "video", "cost": "free", "author": "",
        "order": 0,
    })
    assert response.status_code == 200  # the form again, with its error
    assert response.context["adminform"].form.errors["url"]
    resource.refresh_from_db()
    assert resource.url.startswith("https://example.com/")


def test_a_stored_javascript_url_is_never_a_link(client, hostile_learner):
    """Defence in depth: a URL that skipped validation (a bulk import, a shell) is not rendered as a link."""
    Resource.objects.update(url="javascript:alert('stored')")
    Roadmap.objects.update(source_url="javascript:alert('stored')")
    client.force_login(hostile_learner["learner"])
    for url in ["/topics/hostile/", "/search/?q=alert", "/roadmaps/hostile-roadmap/",
                f"/quiz/{hostile_learner['submitted'].pk}/"]:
        html = client.get(url).content.decode()
        assert_inert(html, url)
