"""A local SMTP server that accepts every message and counts them: the reminder benchmark's real SMTP peer.

`python bench/reminders/smtp_sink.py PORT COUNT_FILE` listens on 127.0.0.1:PORT (aiosmtpd, the full SMTP
dialogue: EHLO, MAIL, RCPT, DATA, QUIT) and, when stopped with SIGTERM or SIGINT, writes to COUNT_FILE the
messages accepted, the distinct recipients and the most copies any recipient got, as one JSON object.
"""

import asyncio
import json
import signal
import sys
from collections import Counter

from aiosmtpd.controller import Controller


class CountingHandler:
    def __init__(self):
        self.messages = 0
        self.recipients = Counter()

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.recipients.update(envelope.rcpt_tos)
        return "250 OK"


def main():
    port, count_file = int(sys.argv[1]), sys.argv[2]
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP sink on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    stopped = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    loop.run_until_complete(stopped.wait())
    controller.stop()
    with open(count_file, "w") as out:
        json.dump({"messages": handler.messages, "recipients": len(handler.recipients),
                   "most_copies": max(handler.recipients.values(), default=0)}, out)


if __name__ == "__main__":
    main()
