"""E-mail backends for tests: one fails for chosen recipients, like an SMTP server refusing them; one is
slow and records what it delivered in a file that another process can read."""

import os
import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    failing: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.failing:
                raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)


class SlowRecordingBackend(BaseEmailBackend):
    """Takes EMAIL_SEND_SECONDS per message, like a slow SMTP server, then appends each recipient to the
    file EMAIL_RECORD_FILE, one line per delivered message. A worker killed during the wait has not
    delivered that message, just as an SMTP transaction cut before its end delivers nothing."""

    def send_messages(self, messages):
        delay = float(os.environ.get("EMAIL_SEND_SECONDS", "0"))
        for message in messages:
            time.sleep(delay)
            with open(os.environ["EMAIL_RECORD_FILE"], "a") as record:
                # No fsync: other processes read the page cache, and syncing would widen the gap between
                # delivery and the sender marking it sent, which drills measure.
                record.write("".join(f"{to}\n" for to in message.to))
        return len(messages)
