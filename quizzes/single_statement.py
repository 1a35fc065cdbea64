"""A request's writes as one PostgreSQL statement: the review answer, the quiz start and the quiz submit.

Each of those requests used to send its writes one ORM statement at a time inside a transaction (BEGIN, a
locked read, three to eight INSERTs and UPDATEs, COMMIT): a round trip and half a millisecond of ORM work
each. On PostgreSQL they now read what they need in one statement and write everything in one more, a
chain of common table expressions (`WITH a AS (UPDATE ...), b AS (INSERT ... SELECT ... FROM a) ...`).
One statement is atomic on its own, so there is no transaction to open or commit.

Concurrency without holding a lock across round trips: the read notes each row's version (PostgreSQL's
`xmin`, the id of the transaction that wrote that version of the row, which every UPDATE of the row
changes, whoever sends it: a review, a quiz, the admin, a script). The write updates the row only where
`xmin` is still what was read, and everything else it writes depends on that UPDATE (`... FROM guard`). A
second request racing the first (a double click) waits at that UPDATE for the first one's row lock, then
finds the version changed and writes nothing; `ChangedMeanwhile` sends it back to read again, and it then
sees the first one's outcome (a repeat, returned as stored) or the attempt submitted. So the guarantees
of the locking code stay: one grade per submit, one review per double click, no review lost to another.

SQLite (`make run`) keeps the ORM path with its transaction: one writer at a time there anyway.
"""

import contextlib
import functools

from django.db import connection, models, transaction

TRIES = 5  # optimistic rounds before a write falls back to the locking path (a race this long is a bug)


class ChangedMeanwhile(Exception):
    """A row read for this write was changed by another request before the write: read again."""


def is_available() -> bool:
    return connection.vendor == "postgresql"


def undone_on_error():
    """A savepoint around the statement when the caller has a transaction open (tests do; requests do not): a
    failed statement then leaves the caller's transaction usable, to read again. In autocommit a statement
    that fails has written nothing already."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def insert_after(rows: list[models.Model], *, guard: str | None, prefix: str = "row") -> tuple[list[str], list]:
    """Common table expressions that insert unsaved model instances (the rows event receivers return) once
    the CTE named `guard` has produced its row (or at once, without a guard): `(sql fragments, params)`;
    `<prefix>_<n>` returns the n-th row's id. Values are cast to each column's type, as the statement gives
    PostgreSQL no other way to know them."""
    fragments, params = [], []
    for n, row in enumerate(rows):
        fields, sql = _insert_of(type(row), guard)
        fragments.append(f"{prefix}_{n} AS ({sql})")
        params += [f.get_db_prep_save(f.pre_save(row, add=True), connection) for f in fields]
    return fragments, params


@functools.cache
def _insert_of(model: type[models.Model], guard: str | None) -> tuple[list, str]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in fields)
    source = f" FROM {guard}" if guard else ""
    pk = connection.ops.quote_name(model._meta.pk.column)
    return fields, f"INSERT INTO {table(model)} ({names}) SELECT {values}{source} RETURNING {pk}"


def save_rows(rows: list[models.Model]) -> None:
    """The ORM path's version of `insert_after`: one bulk insert per model."""
    by_model: dict[type, list] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, instances in by_model.items():
        model.objects.bulk_create(instances)
