import os
import textwrap
from pathlib import Path

import pytest
import yaml

from roadmap.loading import apply_content, read_content
from roadmap.models import Placement, Prerequisite, Resource, Roadmap, Section, Topic

# Playwright's sync API runs an event loop in the test thread; the ORM calls beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher
    # (tests/accounts/test_password_hashing.py checks the production setting).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FSRS_ENABLE_FUZZING = False  # fuzz draws from the global RNG: schedules must be repeatable


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (Redis under `make test` is shared by the whole run)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(email="alice@example.com", password="alice-password-1")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user(email="bob@example.com", password="bob-password-1")


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


class ContentTree:
    """Writes content files into a temporary directory, in the format of content/README.md."""

    def __init__(self, root: Path):
        self.root = root
        (root / "topics").mkdir(parents=True)
        (root / "roadmaps").mkdir(parents=True)

    def topic(self, slug, *, title=None, body="A body that explains the topic.", raw=None, **meta):
        path = self.root / "topics" / f"{slug}.md"
        if raw is not None:
            path.write_text(raw)
            return path
        front = {
            "title": slug.replace("-", " ").title() if title is None else title,
            "summary": f"What {slug} is about.",
            "level": "beginner",
            "hours": 2,
            "prerequisites": [],
            "resources": [
                {"title": f"Video on {slug}", "url": f"https://example.com/{slug}", "kind": "video", "cost": "free"}
            ],
        }
        front.update(meta)
        path.write_text(f"---\n{yaml.safe_dump(front, sort_keys=False)}---\n{textwrap.dedent(body)}\n")
        return path

    def roadmap(self, slug, sections, **meta):
        data = {
            "title": slug.replace("-", " ").title(),
            "summary": "A roadmap for tests.",
            "order": 1,
            "source": {"author": "Test Author", "url": "https://example.com/source"},
            "sections": [{"title": title, "topics": topics} for title, topics in sections],
        }
        data.update(meta)
        path = self.root / "roadmaps" / f"{slug}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path

    def questions(self, topic_slug, questions):
        (self.root / "questions").mkdir(exist_ok=True)
        path = self.root / "questions" / f"{topic_slug}.yaml"
        path.write_text(yaml.safe_dump(questions, sort_keys=False, allow_unicode=True))
        return path

    def load(self, prune=False):
        from quizzes.loading import apply_questions, read_questions

        content = read_content(self.root)
        report = apply_content(content, prune=prune)
        apply_questions(read_questions(self.root, {t.slug for t in content.topics}), report, prune=prune)
        return report


@pytest.fixture
def content(tmp_path):
    return ContentTree(tmp_path / "content")


@pytest.fixture
def small_content(content):
    """Two roadmaps sharing a topic, with a prerequisite chain."""
    content.topic("vectors", title="Vectors")
    content.topic("matrices", title="Matrices", prerequisites=["vectors"])
    content.topic("gradient-descent", title="Gradient Descent", prerequisites=["matrices"], level="intermediate")
    content.roadmap("first", [("Maths", ["vectors", "matrices"]), ("Optimisation", ["gradient-descent"])])
    content.roadmap("second", [("Core", ["matrices", "gradient-descent"])], order=2)
    return content


def build_roadmap(*, topics: int, slug: str = "big", resources_per_topic: int = 2) -> Roadmap:
    """A roadmap of `topics` topics in sections of ten, each requiring the one before, made in bulk."""
    roadmap = Roadmap.objects.create(slug=slug, title=f"Roadmap {slug}", summary="Built for tests.", source_author="T")
    sections = Section.objects.bulk_create(
        Section(roadmap=roadmap, title=f"Section {i}", order=i) for i in range(-(-topics // 10))
    )
    made = Topic.objects.bulk_create(
        Topic(slug=f"{slug}-topic-{i}", title=f"Topic {i} of {slug}", summary="S", body="B", body_html="<p>B</p>")
        for i in range(topics)
    )
    Placement.objects.bulk_create(
        Placement(roadmap=roadmap, section=sections[i // 10], topic=t, order=i % 10) for i, t in enumerate(made)
    )
    Prerequisite.objects.bulk_create(
        Prerequisite(topic=t, requires=made[i - 1]) for i, t in enumerate(made) if i
    )
    Resource.objects.bulk_create(
        Resource(topic=t, title=f"R{j}", url=f"https://example.com/{t.slug}/{j}", kind="video")
        for t in made
        for j in range(resources_per_topic)
    )
    return roadmap


QUIZ = [
    {"key": "mean-or-median", "type": "single", "difficulty": 2, "prompt": "Which average resists outliers?",
     "choices": [{"text": "The mean"}, {"text": "The median", "correct": True, "feedback": "Right: it uses order."},
                 {"text": "The maximum"}],
     "explanation": "The median depends only on the middle of the sorted data, so one extreme value barely moves it."},
    {"key": "which-are-vectors", "type": "multiple", "prompt": "Which of these are vectors?",
     "choices": [{"text": "[1, 2]", "correct": True}, {"text": "(3, 4, 5)", "correct": True},
                 {"text": "a scalar 7"}, {"text": "a string"}],
     "explanation": "A vector is an ordered list of numbers; a scalar and a string are not."},
    {"key": "dot-product", "type": "numeric", "prompt": "What is [1, 2] · [3, 4]?", "answer": 11,
     "tolerance": 0.01, "explanation": "`1*3 + 2*4 = 3 + 8 = 11`: multiply matching entries and add them up."},
    {"key": "orthogonal", "type": "true_false", "prompt": "Orthogonal vectors have a dot product of zero.",
     "answer": True, "explanation": "Orthogonal means perpendicular, and perpendicular vectors have dot product 0."},
]


def quiz_with_more_questions(count: int) -> list[dict]:
    """QUIZ and `count` more single-choice questions: for query budgets that must not grow with them."""
    return QUIZ + [
        {"key": f"q{i}", "type": "single", "prompt": f"Question {i}?", "explanation": "Because it is so.",
         "choices": [{"text": f"right {i}", "correct": True}, {"text": f"wrong {i}"}]}
        for i in range(count)
    ]


@pytest.fixture
def quiz_content(small_content):
    """The small content with four questions (one of each type) on `vectors`."""
    small_content.questions("vectors", QUIZ)
    small_content.load()
    return small_content


def right_answer_to(question) -> dict:
    """The right answer to a question in the API's JSON shape (without the question's id)."""
    if question.type == "numeric":
        return {"value": question.numeric_answer}
    return {"choices": [c.pk for c in question.choices.all() if c.is_correct]}


@pytest.fixture
def placement_content(small_content):
    """Roadmap `first` (vectors <- matrices <- gradient-descent), each topic with QUIZ's four questions (one of each
    type), for placement tests."""
    for topic in ("vectors", "matrices", "gradient-descent"):
        small_content.questions(topic, [dict(q, key=f"{topic}-{q['key']}", prompt=f"{topic}: {q['prompt']}")
                                        for q in QUIZ])
    small_content.load()
    return small_content


class LearnerState:
    """One of everything a learner owns, made through the domain functions, so that every route that takes
    the id or slug of a learner's object has a real one to point at (tests/test_object_permissions.py,
    tests/test_api_fuzzing.py)."""

    def __init__(self, learner):
        import datetime

        from django.utils import timezone

        from accounts.tokens import create_token
        from learning.notes import save_note
        from learning.progress import follow_roadmap, set_topic_status, tick_resource
        from quizzes.attempts import start_attempt, submit_attempt
        from quizzes.models import Card, Question
        from quizzes.reviews import answer_card

        vectors = Topic.objects.get(slug="vectors")
        self.learner = learner
        self.new_token = create_token(user=learner, name="study script")
        self.token = self.new_token.token
        self.roadmap = Roadmap.objects.get(slug="first")
        follow_roadmap(learner=learner, roadmap=self.roadmap)
        self.topic = vectors
        self.progress = set_topic_status(learner=learner, topic=vectors, status="in_progress")
        self.note = save_note(learner=learner, topic=vectors, body="My **private** note on vectors.")
        self.resource = vectors.resources.first()
        tick_resource(learner=learner, resource=self.resource)

        # A submitted attempt (its answers became cards), then the cards made due, one of them answered
        # right in review (so "too easy" applies to it), and an attempt still open.
        self.submitted = start_attempt(learner=learner, topic=vectors)
        answers = []
        for question in Question.objects.filter(topic=vectors):
            if question.type == "numeric":
                answers.append({"question": question.pk, "value": question.numeric_answer})
            else:
                answers.append({"question": question.pk, "choices": [c.pk for c in question.choices.all()
                                                                     if c.is_correct]})
        submit_attempt(learner=learner, attempt_id=self.submitted.pk, answers=answers)
        Card.objects.filter(learner=learner).update(due=timezone.now() - datetime.timedelta(hours=1),
                                                    last_review=timezone.now() - datetime.timedelta(days=2))
        self.cards = list(Card.objects.filter(learner=learner).select_related("question").order_by("pk"))
        self.reviewed_card = next(c for c in self.cards if c.question.type == "true_false")
        right = self.reviewed_card.question.choices.get(is_correct=True).pk
        self.review = answer_card(learner=learner, card_id=self.reviewed_card.pk, answer={"choices": [right]})
        self.review_log = self.review.log
        self.due_card = next(c for c in self.cards if c.pk != self.reviewed_card.pk)
        self.open_attempt = start_attempt(learner=learner, topic=vectors)

        # Placement tests on the roadmap: one answered to its end (with its proposal), one just started.
        from quizzes.placement_sessions import answer_placement, start_placement

        self.finished_placement = start_placement(learner=learner, roadmap=self.roadmap)
        while served := self.finished_placement.state["served"]:
            question = Question.objects.get(pk=served["question"])
            self.finished_placement = answer_placement(
                learner=learner, session_id=self.finished_placement.pk, question=question.pk,
                answer=right_answer_to(question),
            ).session
        self.placement = start_placement(learner=learner, roadmap=self.roadmap)


@pytest.fixture
def alice_state(alice, quiz_content) -> LearnerState:
    return LearnerState(alice)


# Script and event-handler payloads, for tests/test_xss.py and tests/e2e/test_xss_inert.py. Each would call
# alert() if it ever reached a page as markup; SHORT fits fields of 80 characters (display names).
XSS = (
    "<script>alert('xss-script')</script> <img src=x onerror=alert('xss-img')> \"><svg onload=alert('xss-svg')> "
    "[a Markdown link](javascript:alert('xss-md')) <a href=\"javascript:alert('xss-a')\">a raw link</a> "
    "' onmouseover='alert(`xss-attr`)' <iframe src=\"javascript:alert('xss-frame')\"></iframe>"
)
XSS_SHORT = "<script>alert(1)</script><img src=x onerror=alert(2)>\"><svg onload=alert(3)>"


@pytest.fixture
def hostile_content(content):
    """A roadmap, topic, resources and questions whose every text carries the payloads, loaded as content is."""
    content.topic(
        "hostile", title=XSS_SHORT, summary=XSS_SHORT, body=XSS,
        resources=[
            {"title": XSS_SHORT, "url": "https://example.com/?q=\"><svg/onload=alert('xss-url')>", "kind": "video",
             "cost": "free", "author": XSS_SHORT},
        ],
    )
    content.roadmap("hostile-roadmap", [(XSS_SHORT, ["hostile"])], title=XSS_SHORT, summary=XSS,
                    source={"author": XSS_SHORT, "url": "https://example.com/?a=\"onmouseover=alert(1)"})
    content.questions("hostile", [
        {"key": "hostile-single", "type": "single", "prompt": XSS, "explanation": XSS,
         "choices": [{"text": XSS_SHORT, "correct": True, "feedback": XSS},
                     {"text": "[safe](javascript:alert('xss-choice'))", "feedback": XSS_SHORT}]},
        {"key": "hostile-number", "type": "numeric", "prompt": XSS_SHORT, "answer": 1, "tolerance": 0.5,
         "explanation": XSS},
    ])
    content.load()
    return content
