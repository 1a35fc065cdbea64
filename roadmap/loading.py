"""Loads roadmaps and topics from the files in content/ into the database.

Two phases: `read_content` parses and validates every file without touching the database, collecting
every problem with the file it is in; `apply_content` writes the result in place (create, update, and
with `prune` delete), counting what changed so that a second load of the same files reports nothing.
The management command runs both inside one transaction.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import Level, Placement, Prerequisite, Resource, ResourceCost, ResourceKind, Roadmap, Section, Topic
from .prerequisites import find_cycle
from .rendering import FIGURE_PREFIX, figure_paths, render_content_markdown
from .search import refresh_search_vectors

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_url_validator = URLValidator(schemes=["http", "https"])
# Query parameters that only tell the linked site where a click came from; a learner's link carries none.
TRACKING_PARAMETERS = frozenset({"si", "fbclid", "gclid", "igshid", "mc_cid", "mc_eid", "feature", "ref_src"})


class ContentError(Exception):
    """Bad content: carries every problem found, each prefixed with the file it is in."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ResourceData:
    title: str
    url: str
    kind: str
    cost: str
    author: str


@dataclass(frozen=True)
class TopicData:
    slug: str
    path: Path
    title: str
    summary: str
    body: str
    level: str
    estimated_hours: int
    prerequisites: tuple[str, ...]
    resources: tuple[ResourceData, ...]


@dataclass(frozen=True)
class SectionData:
    title: str
    duration: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class RoadmapData:
    slug: str
    path: Path
    title: str
    summary: str
    order: int
    source_author: str
    source_url: str
    sections: tuple[SectionData, ...]


@dataclass
class Content:
    roadmaps: list[RoadmapData]
    topics: list[TopicData]


@dataclass
class LoadReport:
    """What a load did, per kind of object: created, updated, deleted, and stale (kept without --prune)."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, kind: str, what: str, n: int = 1) -> None:
        if n:
            self.counts[kind][what] += n

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        lines = []
        for kind in sorted(self.counts):
            parts = [f"{n} {what}" for what, n in sorted(self.counts[kind].items()) if n]
            if parts:
                lines.append(f"{kind}: {', '.join(parts)}")
        return lines


# --- Reading and validating -------------------------------------------------------------------------


class FileProblems:
    def __init__(self, path: Path, root: Path, problems: list[str]):
        self.name = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
        self.problems = problems
        self.count_before = len(problems)

    def __call__(self, message: str) -> None:
        self.problems.append(f"{self.name}: {message}")

    @property
    def ok(self) -> bool:
        return len(self.problems) == self.count_before


def text_field(data: dict, key: str, report: FileProblems, *, max_length: int, required: bool = True) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            report(f"missing {key}")
        return ""
    if not isinstance(value, str | int | float):
        report(f"{key} must be text")
        return ""
    value = str(value).strip()
    if len(value) > max_length:
        report(f"{key} is longer than {max_length} characters")
    return value


def _url(value: Any, where: str, report: FileProblems, *, title: str = "") -> str:
    if not isinstance(value, str) or not value.strip():
        report(f"{where}: missing url")
        return ""
    url = value.strip()
    try:
        _url_validator(url)
    except ValidationError:
        report(f"{where}: malformed URL {url!r} (an absolute https URL is needed)")
        return url
    problem = untidy_url_problem(url)
    if problem:
        titled = f"{where} ({title!r})" if title else where
        report(f"{titled}: {problem}")
    return url


def untidy_url_problem(url: str) -> str:
    """What makes a valid URL unfit for a learner's link (plain http, tracking, a text fragment), or ""."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        return f"plain http URL {url!r} (use https)"
    for name, _ in parse_qsl(parts.query, keep_blank_values=True):
        if name.lower() in TRACKING_PARAMETERS or name.lower().startswith("utm_"):
            return f"tracking parameter {name!r} in {url!r} (remove it)"
    if ":~:text=" in parts.fragment:
        return f"text fragment '#:~:text=' in {url!r} (remove it)"
    return ""


def report_unknown_keys(data: dict, allowed: set[str], where: str, report: FileProblems) -> None:
    for key in sorted(set(data) - allowed, key=str):
        report(f"{where}unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")


def _slug_of(path: Path, report: FileProblems) -> str:
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        report(f"file name {path.name!r} is not a valid slug (lowercase letters, digits and hyphens)")
    return slug


def _split_front_matter(text: str, report: FileProblems) -> tuple[dict, str]:
    match = re.match(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", text, re.DOTALL)
    if not match:
        report("must start with YAML front matter between two '---' lines")
        return {}, ""
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        report(f"front matter is not valid YAML: {exc}".replace("\n", " "))
        return {}, ""
    if not isinstance(meta, dict):
        report("front matter must be a mapping of fields")
        return {}, ""
    return meta, match.group(2).strip()


def _read_resources(raw: Any, report: FileProblems) -> tuple[ResourceData, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        report("resources must be a list")
        return ()
    resources, seen_urls = [], set()
    for number, item in enumerate(raw, start=1):
        where = f"resource {number}"
        if not isinstance(item, dict):
            report(f"{where}: must be a mapping with title, url, kind and cost")
            continue
        report_unknown_keys(item, {"title", "url", "kind", "cost", "author"}, f"{where}: ", report)
        title = text_field(item, "title", Prefixed(report, where), max_length=300)
        url = _url(item.get("url"), where, report, title=title)
        kind = item.get("kind")
        if kind not in ResourceKind.values:
            report(f"{where}: unknown resource kind {kind!r} (one of: {', '.join(ResourceKind.values)})")
        cost = item.get("cost", ResourceCost.UNKNOWN)
        if cost not in ResourceCost.values:
            report(f"{where}: unknown cost {cost!r} (one of: {', '.join(ResourceCost.values)})")
        author = text_field(item, "author", Prefixed(report, where), max_length=200, required=False)
        if url in seen_urls:
            report(f"{where}: duplicate URL {url}")
        seen_urls.add(url)
        resources.append(ResourceData(title=title, url=url, kind=kind, cost=cost, author=author))
    return tuple(resources)


class Prefixed:
    """Lets field helpers report problems inside a nested item ("resource 2: missing title")."""

    def __init__(self, report: FileProblems, prefix: str):
        self._report, self._prefix = report, prefix

    def __call__(self, message: str) -> None:
        self._report(f"{self._prefix}: {message}")


def _slug_list(raw: Any, where: str, report: FileProblems) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        report(f"{where} must be a list of topic slugs")
        return ()
    duplicates = sorted(slug for slug, n in Counter(raw).items() if n > 1)
    if duplicates:
        report(f"{where} lists {', '.join(duplicates)} more than once")
    return tuple(raw)


def read_topic(path: Path, root: Path, problems: list[str]) -> TopicData | None:
    report = FileProblems(path, root, problems)
    slug = _slug_of(path, report)
    meta, body = _split_front_matter(path.read_text(encoding="utf-8"), report)
    if not report.ok:
        return None
    report_unknown_keys(meta, {"title", "summary", "level", "hours", "prerequisites", "resources"}, "", report)
    title = text_field(meta, "title", report, max_length=200)
    summary = text_field(meta, "summary", report, max_length=300)
    level = meta.get("level")
    if level not in Level.values:
        report(f"unknown level {level!r} (one of: {', '.join(Level.values)})")
    hours = meta.get("hours")
    if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 1000:
        report(f"hours must be a whole number from 1 to 1000, not {hours!r}")
    prerequisites = _slug_list(meta.get("prerequisites"), "prerequisites", report)
    if slug in prerequisites:
        report("a topic cannot be its own prerequisite")
    resources = _read_resources(meta.get("resources"), report)
    if not body:
        report("the Markdown body after the front matter is empty")
    for src in figure_paths(body):
        if not src.startswith(FIGURE_PREFIX) or not finders.find(src.removeprefix("/static/")):
            report(f"figure {src!r} is not a file under static/figures/")
    if not report.ok:
        return None
    return TopicData(
        slug=slug, path=path, title=title, summary=summary, body=body, level=level, estimated_hours=hours,
        prerequisites=prerequisites, resources=resources,
    )


def read_roadmap(path: Path, root: Path, problems: list[str]) -> RoadmapData | None:
    report = FileProblems(path, root, problems)
    slug = _slug_of(path, report)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        report(f"not valid YAML: {exc}".replace("\n", " "))
        return None
    if not isinstance(data, dict):
        report("must be a mapping with title, summary, source and sections")
        return None
    report_unknown_keys(data, {"title", "summary", "order", "source", "sections"}, "", report)
    title = text_field(data, "title", report, max_length=200)
    summary = text_field(data, "summary", report, max_length=2000)
    order = data.get("order", 0)
    if not isinstance(order, int) or isinstance(order, bool) or order < 0:
        report(f"order must be a whole number, not {order!r}")
    source = data.get("source")
    source_author = source_url = ""
    if not isinstance(source, dict):
        report("missing source (its author, and url where known)")
    else:
        report_unknown_keys(source, {"author", "url"}, "source: ", report)
        source_author = text_field(source, "author", Prefixed(report, "source"), max_length=200)
        if source.get("url") is not None:
            source_url = _url(source.get("url"), "source", report)
    sections = []
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        report("sections must be a non-empty list")
        raw_sections = []
    for number, raw in enumerate(raw_sections, start=1):
        where = f"section {number}"
        if not isinstance(raw, dict):
            report(f"{where}: must be a mapping with title and topics")
            continue
        report_unknown_keys(raw, {"title", "duration", "topics"}, f"{where}: ", report)
        section_title = text_field(raw, "title", Prefixed(report, where), max_length=200)
        duration = text_field(raw, "duration", Prefixed(report, where), max_length=60, required=False)
        topics = _slug_list(raw.get("topics"), f"{where} topics", report)
        if not topics:
            report(f"{where}: has no topics")
        sections.append(SectionData(title=section_title, duration=duration, topics=topics))
    placed = Counter(slug for section in sections for slug in section.topics)
    for topic_slug, n in sorted(placed.items()):
        if n > 1:
            report(f"topic {topic_slug!r} is placed {n} times; a topic sits in a roadmap once")
    if not report.ok:
        return None
    return RoadmapData(
        slug=slug, path=path, title=title, summary=summary, order=order, source_author=source_author,
        source_url=source_url, sections=tuple(sections),
    )


def content_files(directory: Path, pattern: str, root: Path, problems: list[str]) -> list[Path]:
    """The files under `directory`, sorted; two files with the same name (slug) anywhere below are a problem."""
    paths = sorted(directory.rglob(pattern)) if directory.is_dir() else []
    by_slug = defaultdict(list)
    for path in paths:
        by_slug[path.stem].append(path)
    for slug, same in sorted(by_slug.items()):
        if len(same) > 1:
            names = ", ".join(str(p.relative_to(root.parent)) for p in same)
            problems.append(f"{names}: duplicate slug {slug!r}")
    return paths


def read_content(root: Path) -> Content:
    """Parses and validates every file under `root`; raises ContentError listing every problem."""
    problems: list[str] = []
    if not root.is_dir():
        raise ContentError([f"{root}: content directory not found"])
    topic_paths = content_files(root / "topics", "*.md", root, problems)
    topics = [topic for path in topic_paths if (topic := read_topic(path, root, problems))]
    roadmaps = [
        roadmap
        for path in content_files(root / "roadmaps", "*.yaml", root, problems)
        if (roadmap := read_roadmap(path, root, problems))
    ]
    # References are checked against every topic file, valid or not, so one broken file is reported once.
    known = {path.stem for path in topic_paths}
    for topic in topics:
        for required in topic.prerequisites:
            if required not in known:
                problems.append(f"{_name(topic.path, root)}: unknown prerequisite topic {required!r}")
    for roadmap in roadmaps:
        for section in roadmap.sections:
            for slug in section.topics:
                if slug not in known:
                    problems.append(
                        f"{_name(roadmap.path, root)}: section {section.title!r} refers to unknown topic {slug!r}"
                    )
    cycle = find_cycle({topic.slug: topic.prerequisites for topic in topics})
    if cycle:
        first = next(topic for topic in topics if topic.slug == cycle[0])
        problems.append(f"{_name(first.path, root)}: prerequisite cycle {' -> '.join(cycle)}")
    if problems:
        raise ContentError(problems)
    return Content(roadmaps=roadmaps, topics=topics)


def _name(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent))


# --- Applying -----------------------------------------------------------------------------------------


def _sync(obj, values: dict, report: LoadReport, kind: str) -> bool:
    """Sets changed fields and saves only when something differs; returns whether it saved."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if obj.pk is None:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.add(kind, "created")
        return True
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        report.add(kind, "updated")
        return True
    return False


def _remove_stale(queryset, kind: str, report: LoadReport, prune: bool) -> None:
    count = queryset.count()
    if not count:
        return
    if prune:
        queryset.delete()
        report.add(kind, "deleted", count)
    else:
        report.add(kind, "stale (kept, use --prune to delete)", count)


def apply_content(content: Content, *, prune: bool = False) -> LoadReport:
    """Writes validated content in place. Call inside a transaction."""
    report = LoadReport()
    topics_by_slug = {topic.slug: topic for topic in Topic.objects.all()}
    for data in content.topics:
        topic = topics_by_slug.get(data.slug) or Topic(slug=data.slug)
        values = {
            "title": data.title, "summary": data.summary, "body": data.body, "level": data.level,
            "estimated_hours": data.estimated_hours,
        }
        if topic.pk is None or topic.body != data.body or not topic.body_html:
            values["body_html"] = render_content_markdown(data.body)
        _sync(topic, values, report, "topics")
        topics_by_slug[data.slug] = topic
    _remove_stale(
        Topic.objects.exclude(slug__in=[t.slug for t in content.topics]), "topics", report, prune
    )

    _apply_resources(content, topics_by_slug, report, prune)
    _apply_prerequisites(content, topics_by_slug, report, prune)
    for data in content.roadmaps:
        _apply_roadmap(data, topics_by_slug, report, prune)
    _remove_stale(
        Roadmap.objects.exclude(slug__in=[r.slug for r in content.roadmaps]), "roadmaps", report, prune
    )
    if report.changed:
        # Section titles are part of every topic's vector, so any change refreshes them all (one UPDATE).
        refresh_search_vectors()
    return report


def _apply_resources(content: Content, topics_by_slug: dict, report: LoadReport, prune: bool) -> None:
    existing = {(r.topic_id, r.url): r for r in Resource.objects.all()}
    keep = set()
    for data in content.topics:
        topic = topics_by_slug[data.slug]
        for order, item in enumerate(data.resources):
            key = (topic.pk, item.url)
            keep.add(key)
            resource = existing.get(key) or Resource(topic=topic, url=item.url)
            _sync(
                resource,
                {"title": item.title, "kind": item.kind, "cost": item.cost, "author": item.author, "order": order},
                report,
                "resources",
            )
    stale_ids = [r.pk for key, r in existing.items() if key not in keep]
    _remove_stale(Resource.objects.filter(pk__in=stale_ids), "resources", report, prune)


def _apply_prerequisites(content: Content, topics_by_slug: dict, report: LoadReport, prune: bool) -> None:
    existing = {(p.topic_id, p.requires_id): p.pk for p in Prerequisite.objects.all()}
    wanted = {
        (topics_by_slug[data.slug].pk, topics_by_slug[required].pk)
        for data in content.topics
        for required in data.prerequisites
    }
    new = [Prerequisite(topic_id=t, requires_id=r) for t, r in sorted(wanted - existing.keys())]
    Prerequisite.objects.bulk_create(new)
    report.add("prerequisites", "created", len(new))
    # A prerequisite dropped from a topic file is part of that file's content, like a changed title:
    # removing it is an update of the topic, not a deletion that needs --prune.
    loaded_topic_ids = {topics_by_slug[data.slug].pk for data in content.topics}
    dropped = [pk for key, pk in existing.items() if key not in wanted and key[0] in loaded_topic_ids]
    if dropped:
        Prerequisite.objects.filter(pk__in=dropped).delete()
        report.add("prerequisites", "deleted", len(dropped))


def _apply_roadmap(data: RoadmapData, topics_by_slug: dict, report: LoadReport, prune: bool) -> None:
    roadmap = Roadmap.objects.filter(slug=data.slug).first() or Roadmap(slug=data.slug)
    _sync(
        roadmap,
        {
            "title": data.title, "summary": data.summary, "order": data.order,
            "source_author": data.source_author, "source_url": data.source_url,
        },
        report,
        "roadmaps",
    )
    # Sections are identified by their position: renaming one updates it in place.
    sections = {s.order: s for s in roadmap.sections.all()}
    placements = {p.topic_id: p for p in roadmap.placements.all()}
    kept_placements = set()
    for order, section_data in enumerate(data.sections):
        section = sections.get(order) or Section(roadmap=roadmap, order=order)
        _sync(section, {"title": section_data.title, "duration": section_data.duration}, report, "sections")
        sections[order] = section
        for position, slug in enumerate(section_data.topics):
            topic = topics_by_slug[slug]
            placement = placements.get(topic.pk) or Placement(roadmap=roadmap, topic=topic)
            _sync(placement, {"section_id": section.pk, "order": position}, report, "placements")
            kept_placements.add(topic.pk)
    _remove_stale(
        roadmap.placements.exclude(topic_id__in=kept_placements), "placements", report, prune
    )
    _remove_stale(roadmap.sections.filter(order__gte=len(data.sections)), "sections", report, prune)
