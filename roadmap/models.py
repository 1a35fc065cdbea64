from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


def is_web_url(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in {"http", "https"}


def require_web_url(url: str, field: str) -> None:
    """Links to the outside are http or https: Django's URLField also takes ftp, and anything else a page links
    to could run script."""
    if url and not is_web_url(url):
        raise ValidationError({field: "Enter an http or https URL."})


class Roadmap(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    source_author = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap:roadmap", args=[self.slug])

    def clean(self):
        require_web_url(self.source_url, "source_url")


class Section(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    duration = models.CharField(max_length=60, blank=True, help_text='As the source gives it, e.g. "2-3 months".')
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["roadmap", "order"]

    def __str__(self):
        return f"{self.roadmap.title} / {self.title}"


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Topic(models.Model):
    """A subject to learn. It exists once and may be placed in several roadmaps."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField(help_text="Markdown.")
    # Rendered and sanitised once when content is saved, never per request.
    body_html = models.TextField(editable=False, default="")
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.BEGINNER)
    estimated_hours = models.PositiveSmallIntegerField(default=1)
    prerequisites = models.ManyToManyField(
        "self", through="Prerequisite", symmetrical=False, related_name="leads_to", blank=True
    )
    # Filled on PostgreSQL only (roadmap.search.refresh_search_vectors); SQLite searches with LIKE.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roadmap:topic", args=[self.slug])


class SearchTerm(models.Model):
    """A word (as PostgreSQL's english stemmer stores it) that occurs in some topic or resource.

    The vocabulary a misspelt search word is corrected against with pg_trgm (roadmap.search); rebuilt whenever
    the search vectors are, and empty on SQLite, where search matches word beginnings only.
    """

    word = models.CharField(max_length=200, primary_key=True)

    def __str__(self):
        return self.word


class Prerequisite(models.Model):
    """`topic` should be learnt after `requires`. Edges form a graph without cycles."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="prerequisite_links")
    requires = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="dependent_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "requires"], name="prerequisite_unique"),
            models.CheckConstraint(condition=~Q(topic=F("requires")), name="prerequisite_not_self"),
        ]

    def __str__(self):
        return f"{self.requires} → {self.topic}"


class Placement(models.Model):
    """A topic's place in a section. `roadmap` repeats the section's so the database keeps a topic once per roadmap."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="placements")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="placements")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="placements")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "topic"], name="placement_topic_once_per_roadmap"),
        ]

    def __str__(self):
        return f"{self.topic} in {self.section}"


class ResourceKind(models.TextChoices):
    VIDEO = "video", "Video"
    COURSE = "course", "Course"
    BOOK = "book", "Book"
    ARTICLE = "article", "Article"
    DOCS = "docs", "Documentation"
    PAPER = "paper", "Paper"
    TOOL = "tool", "Tool"
    OTHER = "other", "Other"


class ResourceCost(models.TextChoices):
    FREE = "free", "Free"
    PAID = "paid", "Paid"
    UNKNOWN = "unknown", "Unknown"


class Resource(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices, default=ResourceKind.OTHER)
    cost = models.CharField(max_length=20, choices=ResourceCost.choices, default=ResourceCost.UNKNOWN)
    author = models.CharField(max_length=200, blank=True, help_text="Author or provider.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["topic_id", "order"]
        constraints = [models.UniqueConstraint(fields=["topic", "url"], name="resource_url_once_per_topic")]

    def __str__(self):
        return self.title

    def clean(self):
        require_web_url(self.url, "url")
