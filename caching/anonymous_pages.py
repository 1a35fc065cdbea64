"""Whole responses of the public pages and content API, cached for anonymous visitors per content version.

An anonymous visitor without a session and without pending messages sees exactly what every other one
sees, so the response is stored once (status, headers, body) and replayed without running the view or
the session, CSRF, auth and messages middleware. Entries are keyed on the content and code versions of
caching/fragments.py: a content change or a deploy makes them all miss at once.

Bounded: only the query parameters a page reads (PAGE_PARAMETERS) make an entry of its own, in one order; a
request with any other parameter, or with one of them repeated or overlong, is answered by the view and not
stored (pages echo their query string in links, so it could not share the plain page's entry either). A body
over MAX_ENTRY_BYTES is not stored. Redis itself is capped (docker-compose.yml: maxmemory, volatile-lru).

Never stored: responses to a signed-in learner or to anyone with a session or messages cookie, responses
that set a cookie (a page that used a CSRF token sets the CSRF cookie), anything but a 200, and responses
whose Vary names more than Cookie (and Accept, which API keys hold) or that say private or no-store.
"""

import hashlib
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re

from .layers import is_on
from .versions import VERSION_KEY, content_version, release_id

log = logging.getLogger(__name__)

PUBLIC_PREFIXES = ("/roadmaps/", "/topics/", "/search/", "/api/roadmaps/", "/api/topics/")
TIMEOUT = 60 * 60 * 24
# Search pages and other URLs with a query string are unbounded in number: they expire sooner.
QUERY_TIMEOUT = 60 * 10
# The query parameters each public page reads, by URL name; the others read none.
PAGE_PARAMETERS = {
    "roadmap:topic": {"roadmap"},
    "roadmap:search": {"q"},
    "api:roadmap-list": {"page"},
    "api:topic-list": {"search", "page"},
}
MAX_PARAMETER_LENGTH = 200  # the search pages read no more of a query
# The largest public page of the real content (a whole roadmap) is about 100 KB.
MAX_ENTRY_BYTES = 512 * 1024


def is_public_path(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


def is_anonymous_request(request) -> bool:
    """No session, no pending messages, no credentials: nothing about this visitor can change the page."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


def varies_on_accept(request) -> bool:
    """The API negotiates its format (JSON, or the browsable API when DEBUG is on): the key holds Accept."""
    return request.path.startswith("/api/")


def keyed_query(request) -> str | None:
    """The request's query string as the key holds it (the page's own parameters, sorted), or None if the
    request has a parameter the page does not read, or one of them repeated or overlong: not cacheable."""
    if not request.META.get("QUERY_STRING"):
        return ""
    try:
        reads = PAGE_PARAMETERS.get(resolve(request.path_info).view_name, set())
    except Resolver404:
        return None
    items = []
    for name, values in request.GET.lists():
        if name not in reads or len(values) > 1 or len(values[0]) > MAX_PARAMETER_LENGTH:
            return None
        items.append((name, values[0]))
    return urlencode(sorted(items))


def page_key(request, query: str) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    if varies_on_accept(request):
        where += f" {request.META.get('HTTP_ACCEPT', '')}"
    return f"page:{release_id()}:{hashlib.blake2b(where.encode(), digest_size=16).hexdigest()}"


def lookup(key: str) -> tuple[str, HttpResponse | None]:
    """The current content version, and the stored response for `key` if it is of that version and, for an
    entry that says when it goes stale (a learner's page), not stale yet."""
    # One round trip for both: the entry says which content version it was rendered in.
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    if version is None:
        return content_version(), None  # the cache was emptied: start a version
    if entry is None or entry["version"] != version:
        return version, None
    if "stale_at" in entry and entry["stale_at"] <= timezone.now():
        return version, None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return version, response


def is_storable(request, response) -> bool:
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    cache_control = response.get("Cache-Control", "").lower()
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and vary <= ({"cookie", "accept"} if varies_on_accept(request) else {"cookie"})
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not request.user.is_authenticated
    )


def store(key: str, version: str, response, *, timeout: int, **extra) -> None:
    """Stored under the version read before the view ran: content changed meanwhile makes it miss."""
    if len(response.content) > MAX_ENTRY_BYTES:
        log.info("page not stored: %d bytes is over the cap", len(response.content))
        return
    entry = {"version": version, "status": response.status_code, "headers": list(response.items()),
             "content": response.content, **extra}
    try:
        cache.set(key, entry, timeout)
    except Exception:  # noqa: BLE001 - a cache that is down never breaks a page
        log.warning("cache unavailable: page not stored", exc_info=True)


class AnonymousPageCacheMiddleware:
    """Sits above the session middleware: a hit skips everything below it, a miss stores what came back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (is_public_path(request.path) and is_anonymous_request(request) and is_on("anonymous_pages")):
            return self.get_response(request)
        query = keyed_query(request)
        if query is None:
            return self.get_response(request)
        key = page_key(request, query)
        try:
            version, response = lookup(key)
        except Exception:  # noqa: BLE001 - a cache that is down never breaks a page
            log.warning("cache unavailable: page not looked up", exc_info=True)
            return self.get_response(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if is_storable(request, response):
            store(key, version, response, timeout=QUERY_TIMEOUT if query else TIMEOUT)
        return response
