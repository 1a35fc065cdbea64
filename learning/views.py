"""The pages that show a learner's state beside the content (roadmap, topic, dashboard; anonymous visitors see
them without it) and the form posts behind them (JavaScript uses the API instead)."""

import datetime
import re
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from caching.fragments import cached
from caching.learner_pages import cache_learner_page, page_changes_at
from config.bad_requests import bad_request_page
from quizzes.attempts import quiz_history
from quizzes.reviews import due_count, forecast_days, next_due
from quizzes.scheduling import memory_strength, start_of_local_day, strength_level
from roadmap.maps import NARROW, WIDE, roadmap_map
from roadmap.models import Resource, ResourceKind, Roadmap, Topic
from roadmap.structure import prerequisite_edges, roadmap_outline, roadmaps_for_home, topic_context

from .activity import recent_activity, year_html
from .models import ProgressStatus, TopicProgress
from .notes import MAX_NOTE_LENGTH, note_of, save_note
from .progress import (
    follow_roadmap,
    followed_roadmaps,
    is_following,
    roadmaps_progress,
    set_topic_status,
    tick_resource,
    ticked_resource_ids,
    topic_statuses,
    unfollow_roadmap,
    untick_resource,
)

_TOPIC_MARK = re.compile(r'data-topic="(\d+)"')


ROADMAP_VIEWS = ("map", "list")


@cache_learner_page
def roadmap_detail(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)  # the one query of a cached anonymous visit
    # The map and the list are the same for every visitor: rendered once per content version, with the
    # learner's mark buttons and without (a learner's marks are added to them below).
    parts = cached(f"roadmap-parts:{roadmap.pk}", lambda: _render_roadmap_parts(roadmap))
    view = request.GET.get("view", "map")  # the map/list switch reads only this parameter
    context = {"roadmap": roadmap, "stats": parts["stats"], "view": view if view in ROADMAP_VIEWS else "map"}
    if request.user.is_authenticated:
        map_html, outline_html = parts["marking_map_html"], parts["marking_outline_html"]
        statuses = topic_statuses(request.user)  # all of them: the marks, the progress and "continue here"
        strengths = {pk: strength_level(s.strength)
                     for pk, s in memory_strength(request.user, topic_ids=parts["topic_ids"]).items()}
        map_html = _with_states(map_html, statuses, strengths)
        outline_html = _with_states(outline_html, statuses, strengths)
        progress = roadmaps_progress(request.user, [roadmap], statuses=statuses)[roadmap.pk]
        context |= {
            "progress": progress,
            "continue_topic": progress.next_topic,
            "following": is_following(request.user, roadmap),
        }
    else:
        map_html, outline_html = parts["map_html"], parts["outline_html"]
    context |= {"map_html": mark_safe(map_html), "outline_html": mark_safe(outline_html)}
    return render(request, "roadmap/roadmap_detail.html", context)


def _render_roadmap_parts(roadmap: Roadmap) -> dict:
    outline = roadmap_outline(roadmap)
    topic_ids = [topic.pk for part in outline for topic in part.topics]
    edges = prerequisite_edges(topic_ids)
    wide, narrow = roadmap_map(outline, edges, WIDE), roadmap_map(outline, edges, NARROW)
    later = {node.topic.pk: node.later for node in wide.nodes}
    outline_rows = [(part, [(topic, later[topic.pk]) for topic in part.topics]) for part in outline]
    context = {"roadmap": roadmap, "outline_rows": outline_rows, "wide_map": wide, "narrow_map": narrow}
    return {
        "topic_ids": topic_ids,
        "stats": {
            "sections": len(outline),
            "topics": len(topic_ids),
            "hours": sum(topic.estimated_hours for part in outline for topic in part.topics),
        },
        "map_html": render_to_string("includes/_roadmap_maps.html", context),
        "outline_html": render_to_string("includes/_roadmap_outline.html", context),
        "marking_map_html": render_to_string("includes/_roadmap_maps.html", context | {"marking": True}),
        "marking_outline_html": render_to_string("includes/_roadmap_outline.html", context | {"marking": True}),
    }


def _with_states(html: str, statuses: dict[int, str], strengths: dict[int, int]) -> str:
    """Marks each topic of the cached, learner-free HTML with the learner's status and memory strength
    (CSS colours the status and fades a topic as it is forgotten)."""

    def mark(match):
        topic_id = int(match.group(1))
        status = statuses.get(topic_id, ProgressStatus.NOT_STARTED)
        strength = f' data-strength="{strengths[topic_id]}"' if topic_id in strengths else ""
        return f'{match.group(0)} data-state="{status}"{strength}'

    return _TOPIC_MARK.sub(mark, html)


@cache_learner_page
def topic_detail(request, slug):
    # The topic and everything about it is the same for every visitor: read and rendered once per content
    # version (an unknown slug raises 404 inside and stores nothing).
    page = cached(f"topic-page:{slug}", lambda: _topic_page(slug))
    topic = page["topic"]
    variant = page["by_roadmap"].get(request.GET.get("roadmap", ""), page["by_roadmap"][""])
    parts = {"article_html": page["article_html"], "aside_html": page["aside_html"], **variant}
    parts = {name: mark_safe(value) if name.endswith("_html") else value for name, value in parts.items()}
    context = {"topic": topic, "parts": parts, "resources_by_kind": page["resources_by_kind"],
               "question_count": page["question_count"]}
    if request.user.is_authenticated:
        progress = TopicProgress.objects.filter(learner=request.user, topic=topic).first()
        context |= {
            "statuses": ProgressStatus.choices,
            "status": progress.status if progress else ProgressStatus.NOT_STARTED,
            "status_updated_at": progress.updated_at if progress else None,
            "ticked": ticked_resource_ids(request.user, topic),
            "note": note_of(request.user, topic),
            "history": quiz_history(request.user, topic),
            "strength": memory_strength(request.user, topic_ids=[topic.pk]).get(topic.pk),
        }
    return render(request, "roadmap/topic_detail.html", context)


def _topic_page(slug: str) -> dict:
    """The topic, its resources by kind, the rendered article and aside, and for each roadmap it is in (and
    for none named, "": the first) the breadcrumb and the previous and next topic in that roadmap."""
    topic = get_object_or_404(Topic.objects.defer("body", "search_vector"), slug=slug)
    context = {
        "topic": topic,
        "prerequisites": topic.prerequisites.order_by("title").only("slug", "title"),
        "leads_to": topic.leads_to.order_by("title").only("slug", "title"),
        "context": topic_context(topic, None),
    }
    by_roadmap = {"": _topic_pager(topic, context["context"])}
    for placement in context["context"].placements[1:]:
        by_roadmap[placement.roadmap.slug] = _topic_pager(topic, topic_context(topic, placement.roadmap.slug))
    if context["context"].roadmap:
        by_roadmap[context["context"].roadmap.slug] = by_roadmap[""]
    kind_rank = {kind: rank for rank, kind in enumerate(ResourceKind.values)}
    resources = sorted(topic.resources.all(), key=lambda r: (kind_rank[r.kind], r.order))
    return {
        "topic": topic,
        "question_count": topic.questions.filter(active=True).count(),
        "resources_by_kind": [
            (group[0].get_kind_display(), group)
            for _, items in groupby(resources, key=lambda r: r.kind)
            if (group := list(items))
        ],
        "article_html": render_to_string("roadmap/_topic_article.html", context),
        "aside_html": render_to_string("roadmap/_topic_aside.html", context),
        "by_roadmap": by_roadmap,
    }


def _topic_pager(topic: Topic, context) -> dict:
    roadmap = context.roadmap
    return {
        "roadmap_url": roadmap.get_absolute_url() if roadmap else "",
        "roadmap_title": roadmap.title if roadmap else "",
        "pager_html": render_to_string("roadmap/_topic_pager.html", {"topic": topic, "context": context}),
    }


# --- A learner's own state: the form posts behind the pages (JavaScript uses the API instead) --------


def _back_to(request, fallback: str):
    """Back to the page the form was on (a `next` field), if it is one of ours."""
    target = request.POST.get("next", "")
    ours = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return redirect(target if ours else fallback)


def _refused_switch(request, name: str, *, back_url: str):
    """A 400 page when the on/off field `name` holds anything but "1" or "0" (left out, it means on)."""
    if request.POST.get(name, "1") in ("0", "1"):
        return None
    return bad_request_page(request, back_url=back_url, errors=[f"The {name} field takes 1 (on) or 0 (off)."])


@login_required
@require_POST
def topic_status(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    status = request.POST.get("status", "")
    if status not in ProgressStatus.values:
        return bad_request_page(request, back_url=topic.get_absolute_url(), errors=[
            f"The status field takes one of: {', '.join(ProgressStatus.values)}."])
    set_topic_status(learner=request.user, topic=topic, status=status)
    messages.success(request, f"“{topic.title}” marked {ProgressStatus(status).label.lower()}.")
    return _back_to(request, topic.get_absolute_url())


@login_required
@require_POST
def topic_note(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    body = request.POST.get("body", "")
    if len(body) > MAX_NOTE_LENGTH:
        return bad_request_page(request, back_url=topic.get_absolute_url(), errors=[
            f"A note holds at most {MAX_NOTE_LENGTH:,} characters; yours has {len(body):,}."])
    note = save_note(learner=request.user, topic=topic, body=body)
    messages.success(request, "Note saved." if note else "Note deleted.")
    return redirect(f"{topic.get_absolute_url()}#note-heading")


@login_required
@require_POST
def resource_tick(request, resource_id):
    resource = get_object_or_404(Resource.objects.select_related("topic"), pk=resource_id)
    if (refused := _refused_switch(request, "ticked", back_url=resource.topic.get_absolute_url())) is not None:
        return refused
    if request.POST.get("ticked") == "0":
        untick_resource(learner=request.user, resource=resource)
    else:
        tick_resource(learner=request.user, resource=resource)
    return redirect(resource.topic.get_absolute_url())


@login_required
@require_POST
def follow(request, slug):
    roadmap = get_object_or_404(Roadmap, slug=slug)
    if (refused := _refused_switch(request, "follow", back_url=roadmap.get_absolute_url())) is not None:
        return refused
    if request.POST.get("follow") == "0":
        unfollow_roadmap(learner=request.user, roadmap=roadmap)
        messages.success(request, f"You no longer follow “{roadmap.title}”.")
    else:
        follow_roadmap(learner=request.user, roadmap=roadmap)
        messages.success(request, f"You follow “{roadmap.title}”: it is on your dashboard.")
    return redirect(roadmap.get_absolute_url())


@login_required
@cache_learner_page
def dashboard(request):
    roadmaps = followed_roadmaps(request.user)
    progress = roadmaps_progress(request.user, roadmaps)
    followed = [(roadmap, progress[roadmap.pk], progress[roadmap.pk].next_topic) for roadmap in roadmaps]
    strengths = memory_strength(request.user)
    topics = Topic.objects.only("slug", "title").in_bulk(list(strengths)) if strengths else {}
    memory = sorted(
        ({"topic": topics[pk], "percent": round(100 * s.strength), "cards": s.cards,
          "level": strength_level(s.strength)} for pk, s in strengths.items()),
        key=lambda row: row["percent"],
    )
    days = forecast_days(request.user)
    # The due count and the forecast move when a card falls due; the streak and "today" at local midnight.
    page_changes_at(request, next_due(request.user))
    page_changes_at(request, start_of_local_day(request.user, timezone.now()) + datetime.timedelta(days=1))
    return render(
        request,
        "roadmap/dashboard.html",
        {
            "followed": followed,
            "due_now": due_count(request.user),
            "forecast": days,
            "forecast_max": max((day.due for day in days), default=0),
            "forecast_marks": {"light": any(day.light for day in days), "paused": any(day.paused for day in days)},
            "paused_until": request.user.reviews_paused_until if any(day.paused for day in days[:1]) else None,
            "memory": memory[:8],
            "activity": recent_activity(request.user),
            "year_html": mark_safe(year_html(request.user)),
            "suggestions": [] if roadmaps else roadmaps_for_home(),
        },
    )
