"""Search across topics and resources, forgiving typos and matching word beginnings.

On PostgreSQL every word of the query matches a word that starts with it ("backprop" finds backpropagation), or,
when no word in the content starts with it, the content words nearest to it by pg_trgm trigram similarity
("netwrk" finds network). The words are ANDed and ranked by weighted full-text rank. The vocabulary the typos are
corrected against is `SearchTerm`, rebuilt with the search vectors. On SQLite every word must begin a word of the
title, summary or body (no typo correction there).
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.db import connection, transaction
from django.db.models import Case, F, Func, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Greatest

from .models import Placement, Resource, Topic

# Letters and digits only: nothing a user types can become tsquery syntax.
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 8
MAX_WORD_LENGTH = 40
# Shorter words have too few trigrams to tell a typo from another word ("cat" is not a misspelt "cap").
MIN_TYPO_LENGTH = 4
CORRECTIONS_PER_WORD = 3
TITLE_CHANCE_SIMILARITY = 0.2

# Every lexeme of the topics' stored vectors and of the resources' titles and authors.
VOCABULARY_SQL = """
INSERT INTO roadmap_searchterm (word)
SELECT word FROM ts_stat('SELECT search_vector FROM roadmap_topic WHERE search_vector IS NOT NULL')
UNION
SELECT word FROM ts_stat($$SELECT to_tsvector('english', title || ' ' || author) FROM roadmap_resource$$)
"""

# One word of the query: its prefix, or, when no content word starts with its stem, the content words nearest to
# that stem by trigram similarity. Stems are compared with stems ("xylofones" -> "xylofon" ~ "xylophon"), and only
# with words of the same first letter: a typo there is rare, and it keeps the scan to a twentieth of the words
# (the primary key's pattern index serves both LIKEs). MATERIALIZED keeps the scan from running for a known word.
_WORD_SQL = """(to_tsquery('english', %s) || COALESCE((
    WITH typed AS MATERIALIZED (
        SELECT stem FROM (SELECT (ts_lexize('english_stem', %s))[1] AS stem) lexized
        WHERE stem IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM roadmap_searchterm known WHERE known.word LIKE lexized.stem || '%%')
    )
    SELECT to_tsquery('simple', string_agg(quote_literal(near.word), ' | '))
    FROM (
        SELECT term.word FROM roadmap_searchterm term, typed
        WHERE term.word LIKE %s
          AND similarity(term.word, typed.stem) >= %s
        ORDER BY similarity(term.word, typed.stem) DESC, term.word
        LIMIT %s
    ) near
), ''::tsquery))"""
# Low enough to forgive one swapped pair in a six-letter word ("nueral"), which shares only 3 of 11 trigrams.
MIN_SIMILARITY = 0.25


def query_words(query: str) -> list[str]:
    """The words a search is made of: lower case, letters and digits, at most MAX_WORDS of MAX_WORD_LENGTH."""
    return [word[:MAX_WORD_LENGTH] for word in _WORD.findall(query.lower())[:MAX_WORDS]]


class ForgivingQuery(SearchQuery):
    """A tsquery that ANDs, for each word, its prefix match or its nearest spellings in the vocabulary.

    One SQL expression (the corrections are uncorrelated subqueries, evaluated once), so a search stays one
    query per list.
    """

    def __init__(self, words: list[str]):
        self.words = words
        self.invert = False
        self.config = None
        Func.__init__(self, output_field=SearchQueryField())

    def as_sql(self, compiler, connection, function=None, template=None):
        parts, params = [], []
        for word in self.words:
            if len(word) < MIN_TYPO_LENGTH:
                parts.append("to_tsquery('english', %s)")
                params.append(f"{word}:*")
                continue
            parts.append(_WORD_SQL)
            params += [f"{word}:*", word, f"{word[0]}%", MIN_SIMILARITY, CORRECTIONS_PER_WORD]
        return "(" + " && ".join(parts) + ")", params


def _topic_vector():
    """Title (A), then summary and the titles of the sections it sits in (B), then body (C).

    Section titles let "linear algebra" find the vectors and matrices topics of a Linear Algebra section.
    """
    section_titles = Subquery(
        Placement.objects.filter(topic=OuterRef("pk"))
        .values("topic")
        .annotate(titles=StringAgg("section__title", delimiter=" "))
        .values("titles")
    )
    sections = Coalesce(section_titles, Value(""), output_field=TextField())
    return (
        SearchVector("title", weight="A", config="english")
        + SearchVector("summary", sections, weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )

# Weights of the D, C, B, A parts of a vector: body (C) matches count a fifth of summary (B) ones.
_WEIGHTS = [0.02, 0.1, 0.5, 1.0]


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def refresh_search_vectors(*, topic_ids: Iterable[int] | None = None) -> None:
    """Stores each topic's weighted search vector (title > summary > body); all topics when ids is None."""
    if not _full_text():
        return
    topics = Topic.objects.all()
    if topic_ids is not None:
        topic_ids = list(topic_ids)
        if not topic_ids:
            return
        topics = topics.filter(pk__in=topic_ids)
    with transaction.atomic():
        topics.update(search_vector=_topic_vector())
        refresh_search_terms()


def refresh_search_terms() -> None:
    """Rebuilds the vocabulary typos are corrected against (a few thousand words: one DELETE, one INSERT)."""
    if not _full_text():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM roadmap_searchterm")
        cursor.execute(VOCABULARY_SQL)


def search_topics(query: str) -> QuerySet[Topic]:
    """Topics matching `query`, best first."""
    words = query_words(query)
    if not words:
        return Topic.objects.none()
    if _full_text():
        search = ForgivingQuery(words)
        # A word in the title or summary counts far more than many mentions in a long body;
        # normalization 1 divides by the log of the document length for the same reason.
        # F() matters: given a plain field name, SearchRank would re-parse the stored vector as text.
        # The title's trigram similarity to the whole query lifts the topic named by it ("neural netwrk" ->
        # Neural Networks, "k means" -> K-Means Clustering) above the many that mention its words. Unrelated
        # strings share a few trigrams by chance (up to about 0.2), which must not outweigh a real text match.
        title_boost = Greatest(TrigramSimilarity("title", " ".join(words)) - TITLE_CHANCE_SIMILARITY, Value(0.0))
        return (
            Topic.objects.filter(search_vector=search)
            .annotate(
                rank=SearchRank(F("search_vector"), search, weights=_WEIGHTS, normalization=Value(1)) + title_boost
            )
            .order_by("-rank", "title")
        )
    # Fallback ranking: a match in the title beats one in the summary, which beats one in the body.
    return (
        Topic.objects.filter(_every_word_begins_a_word(words, "title", "summary", "body"))
        .annotate(
            rank=Case(
                When(_every_word_begins_a_word(words, "title"), then=Value(0)),
                When(_every_word_begins_a_word(words, "title", "summary"), then=Value(1)),
                default=Value(2),
            )
        )
        .order_by("rank", "title")
    )


def _every_word_begins_a_word(words: list[str], *fields: str) -> Q:
    """SQLite: each word begins a word in one of `fields` (Django gives SQLite a Python REGEXP)."""
    condition = Q()
    for word in words:
        begins = Q()
        for field in fields:
            begins |= Q(**{f"{field}__iregex": r"\b" + re.escape(word)})
        condition &= begins
    return condition


def search_resources(query: str) -> QuerySet[Resource]:
    """Resources whose title or author match `query`, with their topic."""
    words = query_words(query)
    if not words:
        return Resource.objects.none()
    resources = Resource.objects.select_related("topic")
    if _full_text():
        search = ForgivingQuery(words)
        vector = SearchVector("title", weight="A", config="english") + SearchVector(
            "author", weight="B", config="english"
        )
        return (
            resources.annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "title")
        )
    return resources.filter(_every_word_begins_a_word(words, "title", "author")).order_by("title")
