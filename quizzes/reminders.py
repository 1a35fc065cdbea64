"""Daily review reminders at each learner's local time, exactly once per local day.

How a reminder goes out:
1. Every learner has `next_reminder_at`, the next UTC instant of its local reminder time (time zones and
   daylight saving are resolved here, in Python, once per learner per day).
2. The fan-out (every 15 minutes) selects, in batches, learners with reminders on, a verified e-mail,
   `next_reminder_at` passed and a card due: one query per batch on a partial index. It enqueues them in
   chunks with a fresh claim token; it never enqueues one task per learner.
3. A chunk claims each learner's local day with a unique row (ReminderDay) before sending. A second
   fan-out, a second beat or a redelivered task finds the day claimed by someone else and skips it.
   Learners who reviewed today, or have nothing due any more, get no e-mail.
4. A chunk reads what it needs in a few statements (learners, claims, due topics, last reviews), loads
   the templates once, and hands its e-mails to one backend connection (one SMTP session), one message
   at a time. Each e-mail's claim is marked sent by one UPDATE right after the backend took it, before
   the next e-mail is handed over; failures are retried with back-off by the task, and after the last
   retry their claims are released, so the next fan-out tries again: nothing is lost.

Why one UPDATE per e-mail and not one per batch of e-mails, although it is most of a chunk's time (the
measurements are in bench/RESULTS.md). The claim is what makes a chunk delivered again skip a learner,
so what a killed worker can resend is exactly the e-mails the backend took whose claims were not yet
marked sent. Marked one by one, that is at most the one e-mail whose delivery was ending when the process
died: the UPDATE runs in autocommit, so it is committed when `execute` returns, and the next e-mail is not
handed over before that. That e-mail goes again under the same Message-ID, which mail providers show once
(tests/faults/test_worker_killed.py). Marked per batch of 50, a kill would resend up to 50 e-mails, to 50
learners, each of whom would then really get two: not the guarantee. Claiming a batch as "sending" before
sending it would not help either: after a kill nobody can tell which of the batch went out, and the choice
is between resending them all and losing some. So the per-e-mail statement stays, made as cheap as it can
be: a statement prepared once per chunk, by primary key, with the database's clock.
"""

import datetime
import logging
import uuid
import weakref
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from .models import Card, ReminderDay, ReviewLog

log = logging.getLogger(__name__)

BATCH_SIZE = 1000  # learners selected per query
# Learners per task. 1,000 saved 2 s of 25 at 100,000 learners while each task opened a new database connection;
# workers keep theirs now (CELERY_DB_REUSE_MAX), and a chunk of 250 takes well under a second.
CHUNK_SIZE = 250
TOP_TOPICS = 3
UNSUBSCRIBE_SALT = "ascent.reminders.unsubscribe"
# How long the link in a reminder works: far longer than the gap between two reminders (a day, or as long as
# nothing is due), so the link of the latest e-mail always does; an old e-mail forwarded or leaked does not.
UNSUBSCRIBE_LINK_DAYS = 60
# No clock is further ahead of UTC (Kiribati): a pause that lasts until that clock's date at least covers every
# learner's today. The exact day a pause ends is in `next_reminder_at`, which setting a pause refreshes.
FURTHEST_AHEAD_OF_UTC = datetime.timedelta(hours=14)


def next_reminder_at(learner, *, after: datetime.datetime) -> datetime.datetime:
    """The first instant after `after` when the learner's clock shows its reminder time.

    A reminder time that does not exist on a spring-forward day (02:30 when clocks jump from 02:00 to
    03:00) resolves to the same offset as the hour before the change, i.e. shortly after the jump.
    """
    zone = zoneinfo.ZoneInfo(learner.time_zone)
    day = after.astimezone(zone).date()
    if learner.reviews_paused_until is not None:  # a holiday pause: the first reminder is on the day after it
        day = max(day, learner.reviews_paused_until + datetime.timedelta(days=1))
    for _ in range(3):
        candidate = datetime.datetime.combine(day, learner.reminder_time, zone)
        if candidate > after:
            return candidate.astimezone(datetime.UTC)
        day += datetime.timedelta(days=1)
    raise AssertionError("unreachable: a reminder time recurs every day")


def refresh_next_reminder(learner, *, now: datetime.datetime | None = None) -> None:
    """Call when a learner's time zone or reminder time changes (or it signs up)."""
    learner.next_reminder_at = next_reminder_at(learner, after=now or timezone.now())
    get_user_model().objects.filter(pk=learner.pk).update(next_reminder_at=learner.next_reminder_at)


def _due_for_reminder(now: datetime.datetime, *, after_id: int = 0):
    # The subqueries repeat the batch's lower bound: without it PostgreSQL merges the whole e-mail and card
    # indexes from the first learner on at every batch (32 ms a batch at 100,000 learners, growing with
    # each batch); with it each batch reads only its own stretch of both.
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), user__gt=after_id, verified=True, primary=True)
    due = Card.objects.filter(learner=OuterRef("pk"), learner__gt=after_id, due__lte=now, question__active=True)
    return get_user_model().objects.filter(
        reminders_enabled=True, is_active=True, next_reminder_at__lte=now, pk__gt=after_id
    ).filter(Exists(verified), Exists(due)).exclude(reviews_paused_until__gte=(now + FURTHEST_AHEAD_OF_UTC).date())


def fill_missing_schedules(*, now: datetime.datetime) -> int:
    """Learners who never got a `next_reminder_at` (created before it existed, or by a script) get one."""
    missing = list(get_user_model().objects.filter(reminders_enabled=True, next_reminder_at__isnull=True)[:BATCH_SIZE])
    for learner in missing:
        learner.next_reminder_at = next_reminder_at(learner, after=now - datetime.timedelta(days=1))
    get_user_model().objects.bulk_update(missing, ["next_reminder_at"])
    return len(missing)


def plan_chunks(*, now: datetime.datetime):
    """Yields lists of learner ids to remind now, CHUNK_SIZE at a time; one query per BATCH_SIZE learners."""
    after_id = 0
    while True:
        ids = list(
            _due_for_reminder(now, after_id=after_id).order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE]
        )
        for start in range(0, len(ids), CHUNK_SIZE):
            yield ids[start:start + CHUNK_SIZE]
        if len(ids) < BATCH_SIZE:
            return
        after_id = ids[-1]


def fan_out(*, enqueue, now: datetime.datetime | None = None) -> int:
    """Enqueues every learner due for a reminder, in chunks. `enqueue(learner_ids, claim_token)`."""
    now = now or timezone.now()
    fill_missing_schedules(now=now)
    total = 0
    for chunk in plan_chunks(now=now):
        enqueue(chunk, uuid.uuid4().hex)
        total += len(chunk)
    return total


class SendFailures(Exception):
    """Some e-mails of a chunk could not be sent; their learners' claims are still held, to retry."""

    def __init__(self, learner_ids: list[int]):
        self.learner_ids = learner_ids
        super().__init__(f"{len(learner_ids)} reminder(s) not sent")


@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0  # claimed elsewhere, reviewed today, nothing due, or reminders turned off


@dataclass
class _Recipient:
    """What a chunk needs of a learner: lighter than a User instance, which a chunk would build 250 of."""

    pk: int
    email: str
    display_name: str
    time_zone: str
    reminder_time: datetime.time
    reviews_paused_until: datetime.date | None  # next_reminder_at starts after a holiday pause


def send_batch(*, learner_ids: list[int], claim_token: str, now: datetime.datetime | None = None) -> BatchResult:
    """Claims, composes and sends one chunk of reminders through one backend connection. A fixed number of
    statements per chunk, plus one small UPDATE per e-mail sent, right after it is sent and before the next
    one goes out, so a worker killed mid-chunk resends none of them (see the module docstring)."""
    now = now or timezone.now()
    result = BatchResult()
    learners = {
        row[0]: _Recipient(*row)
        for row in get_user_model().objects.filter(pk__in=learner_ids, reminders_enabled=True, is_active=True)
        .values_list("pk", "email", "display_name", "time_zone", "reminder_time", "reviews_paused_until")
    }
    local_dates = {pk: now.astimezone(zoneinfo.ZoneInfo(u.time_zone)).date() for pk, u in learners.items()}
    mine = _claim_days(local_dates, claim_token=claim_token, now=now)
    result.skipped += len(learner_ids) - len(mine)
    due = _due_topics(list(mine), now)
    last_reviews = dict(
        ReviewLog.objects.filter(card__learner_id__in=list(mine))
        .values("card__learner_id").annotate(last=Max("reviewed_at")).values_list("card__learner_id", "last")
    )
    composer = ReminderComposer(now=now)
    failed, done, released = [], [], []
    with _Outbox() as outbox, connection.cursor() as cursor:
        mark_sent = _mark_sent_statement(cursor)
        for pk, claim_pk in mine.items():
            learner = learners[pk]
            reviewed = last_reviews.get(pk)
            if not due.get(pk) or (reviewed and reviewed.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()
                                   == local_dates[pk]):
                released.append(claim_pk)
                done.append(learner)
                result.skipped += 1
                continue
            try:
                outbox.send(composer.message(learner, due[pk], local_date=local_dates[pk]))
            except Exception:  # noqa: BLE001 - any sending error is retried by the task
                log.warning("reminder to learner %s not sent", pk, exc_info=True)
                failed.append(pk)
                continue
            # Committed (autocommit) before the next e-mail goes out: what keeps a killed worker from
            # resending it.
            cursor.execute(mark_sent, [claim_pk])
            done.append(learner)
            result.sent += 1
    # Nothing to say today: free the day (a later review-free day can still be reminded) and move on.
    if released:
        ReminderDay.objects.filter(pk__in=released).delete()
    _schedule_next_reminders(done, after=now)
    if failed:
        raise SendFailures(failed)
    return result


_DAYS = ReminderDay._meta.db_table
_CLAIMED, _SENT = ReminderDay.Status.CLAIMED.value, ReminderDay.Status.SENT.value


def _claim_days(local_dates: dict[int, datetime.date], *, claim_token: str, now) -> dict[int, int]:
    """Claims each learner's local day for this token; returns {learner id: claim id} of the days this token
    holds unsent: the ones it claimed now, and, for a chunk delivered again, the ones it claimed before."""
    if not local_dates:
        return {}
    if connection.vendor != "postgresql":  # `make run`'s SQLite: the same, in two ORM statements
        ReminderDay.objects.bulk_create(
            [ReminderDay(learner_id=pk, local_date=day, claim_token=claim_token, claimed_at=now)
             for pk, day in local_dates.items()],
            ignore_conflicts=True,
        )
        return {
            learner_id: claim_pk
            for claim_pk, learner_id, day in ReminderDay.objects.filter(
                learner_id__in=list(local_dates), claim_token=claim_token, status=_CLAIMED
            ).values_list("pk", "learner_id", "local_date")
            if day == local_dates[learner_id]
        }
    # One statement: the insert's RETURNING gives the rows claimed now; the second SELECT reads the
    # statement's snapshot, taken before the insert, so it finds only claims this token made earlier.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH wanted (learner_id, local_date) AS (SELECT * FROM unnest(%s::bigint[], %s::date[])),
            inserted AS (
                INSERT INTO {_DAYS} (learner_id, local_date, status, claim_token, claimed_at)
                SELECT learner_id, local_date, '{_CLAIMED}', %s, %s FROM wanted
                ON CONFLICT DO NOTHING RETURNING id, learner_id
            )
            SELECT id, learner_id FROM inserted
            UNION ALL
            SELECT d.id, d.learner_id FROM {_DAYS} d JOIN wanted USING (learner_id, local_date)
            WHERE d.claim_token = %s AND d.status = '{_CLAIMED}'""",
            [list(local_dates), list(local_dates.values()), claim_token, now, claim_token],
        )
        return {learner_id: claim_pk for claim_pk, learner_id in cursor.fetchall()}


_MARK_SENT_SQL = f"UPDATE {_DAYS} SET status = '{_SENT}', sent_at = CURRENT_TIMESTAMP WHERE id = %s"
_PREPARED_ON = weakref.WeakSet()  # PostgreSQL connections where the statement below is prepared


def _mark_sent_statement(cursor) -> str:
    """The per-e-mail UPDATE, by primary key. On PostgreSQL it is prepared once per chunk (its plan is then
    reused: measured about 40 % less database CPU than sending it as text each time).

    Once per chunk, not once per connection: after five executions PostgreSQL keeps a generic plan, costed on
    the table's size at that moment. A connection that outlives a chunk (CONN_MAX_AGE in a long process, or
    a worker that keeps connections across tasks) kept the plan made when the table was nearly empty, a
    sequential scan, for every later chunk. A session-level prepared statement needs a session of its own: a
    pooler in front of PostgreSQL must not hand the connection to someone else between statements
    (PgBouncer's transaction mode would)."""
    if connection.vendor != "postgresql":
        return _MARK_SENT_SQL
    raw = connection.connection
    if raw in _PREPARED_ON:
        cursor.execute("DEALLOCATE ascent_mark_reminder_sent")
    cursor.execute(f"PREPARE ascent_mark_reminder_sent (bigint) AS {_MARK_SENT_SQL.replace('%s', '$1')}")
    _PREPARED_ON.add(raw)
    return "EXECUTE ascent_mark_reminder_sent (%s)"


def _schedule_next_reminders(learners: list, *, after: datetime.datetime) -> None:
    """Moves each learner's `next_reminder_at` to its next local reminder time, in one statement."""
    if not learners:
        return
    instants = [next_reminder_at(learner, after=after) for learner in learners]
    User = get_user_model()  # noqa: N806 - the model class
    if connection.vendor != "postgresql":
        User.objects.bulk_update(
            [User(pk=learner.pk, next_reminder_at=at) for learner, at in zip(learners, instants, strict=True)],
            ["next_reminder_at"],
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {User._meta.db_table} AS u SET next_reminder_at = v.at"
            " FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE u.id = v.id",
            [[learner.pk for learner in learners], instants],
        )


class _Outbox:
    """One connection to the e-mail backend for a chunk (one SMTP session, not one per e-mail).

    `send` hands over one message, or raises what the backend raised; after a failure the connection is
    closed, and opened again for the next message, as a fresh session."""

    def __enter__(self):
        self.connection = get_connection()
        self.is_open = False
        return self

    def send(self, message) -> None:
        try:
            if not self.is_open:
                self.connection.open()
                self.is_open = True
            # One message per call, so each can be marked sent before the next is handed over.
            self.connection.send_messages([message])
        except Exception:
            self._close()
            raise

    def _close(self):
        if self.is_open:
            self.is_open = False
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - the session is dropped either way
                log.warning("closing the e-mail connection failed", exc_info=True)

    def __exit__(self, *exc):
        self._close()


def release_claims(*, learner_ids: list[int], claim_token: str) -> int:
    """After the last retry: forget the unsent claims so the next fan-out tries these learners again."""
    deleted, _ = ReminderDay.objects.filter(
        learner_id__in=learner_ids, claim_token=claim_token, status=ReminderDay.Status.CLAIMED
    ).delete()
    return deleted


@dataclass
class DueTopic:
    title: str
    slug: str
    due: int


def _due_topics(learner_ids: list[int], now) -> dict[int, list[DueTopic]]:
    """Per learner, its topics with cards due, the most due first (one grouped query)."""
    rows = (
        Card.objects.filter(learner_id__in=learner_ids, due__lte=now, question__active=True)
        .values("learner_id", "question__topic__title", "question__topic__slug")
        .annotate(n=Count("id"))
    )
    result: dict[int, list[DueTopic]] = defaultdict(list)
    for row in rows:
        result[row["learner_id"]].append(
            DueTopic(title=row["question__topic__title"], slug=row["question__topic__slug"], due=row["n"])
        )
    for topics in result.values():
        topics.sort(key=lambda t: (-t.due, t.title))
    return result


def unsubscribe_token(learner, *, signer: signing.TimestampSigner | None = None) -> str:
    """`signing.dumps(..., compress=True)`, with a signer a chunk makes once for all of its e-mails."""
    signer = signer or signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    return signer.sign_object({"learner": learner.pk}, compress=True)


class UnsubscribeLinkExpired(Exception):
    """A genuine link, older than UNSUBSCRIBE_LINK_DAYS."""


def learner_for_unsubscribe_token(token: str) -> AbstractBaseUser | None:
    """The learner a link is for; None if it is not one of ours. Raises UnsubscribeLinkExpired."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=datetime.timedelta(days=UNSUBSCRIBE_LINK_DAYS))
    except signing.SignatureExpired:
        raise UnsubscribeLinkExpired from None
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=data.get("learner")).first()


class ReminderComposer:
    """Writes reminder e-mails: the templates are loaded and the fixed URLs built once, for a whole chunk."""

    def __init__(self, *, now: datetime.datetime):
        self.now = now
        site = settings.SITE_URL
        self.site = site
        self.host = urlsplit(site).hostname or "localhost"
        # The engine's compiled templates, rendered with one Context for the whole chunk: the backend's
        # `render(dict)` builds a new Context per call. Numbers are not localised: the e-mails are in English
        # and the thousand separator is off, so `str()` gives the same text without the format lookups.
        self.text = get_template("emails/reminder.txt").template
        self.html = get_template("emails/reminder.html").template
        self.context = Context({
            "review_url": site + reverse("quizzes:review"), "unsubscribe_days": UNSUBSCRIBE_LINK_DAYS,
            "settings_url": site + reverse("accounts:settings"), "site_url": site,
        }, use_l10n=False)
        self.signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
        # reverse() once, not per learner: a signed token holds only URL-safe characters (base64, ':', '.').
        self.unsubscribe_prefix, self.unsubscribe_suffix = (
            site + reverse("quizzes:unsubscribe", args=["TOKEN"])).split("TOKEN")

    def message(self, learner, topics: list[DueTopic], *, local_date: datetime.date | None = None
                ) -> EmailMultiAlternatives:
        count = sum(t.due for t in topics)
        local_date = local_date or self.now.astimezone(zoneinfo.ZoneInfo(learner.time_zone)).date()
        token = unsubscribe_token(learner, signer=self.signer)
        unsubscribe_url = self.unsubscribe_prefix + token + self.unsubscribe_suffix
        with self.context.push(
            learner=learner, count=count, topics=topics[:TOP_TOPICS],
            more_topics=max(0, len(topics) - TOP_TOPICS), unsubscribe_url=unsubscribe_url,
        ):
            text, html = self.text.render(self.context), self.html.render(self.context)
        subject = f"{count} question{'s' if count != 1 else ''} to review today"
        message = EmailMultiAlternatives(
            subject=f"[Ascent] {subject}",
            body=text,
            to=[learner.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                # One id per learner and local day: if a worker dies after the server accepted the e-mail but
                # before its day was marked sent, the copy sent again is recognisably the same message, which
                # mail providers such as Gmail show once.
                "Message-ID": f"<reminder.{learner.pk}.{local_date:%Y%m%d}@{self.host}>",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def reminder_message(learner, topics: list[DueTopic], *, now) -> EmailMultiAlternatives:
    """One reminder on its own (a chunk uses one ReminderComposer for all of its e-mails)."""
    return ReminderComposer(now=now).message(learner, topics)
