"""Celery's Redis transport with one fix: a worker that loses Redis while it waits for its next task and still
runs a task it has not acknowledged no longer exits.

kombu 5.7's `Channel.close()` first reads the reply of the BRPOP it is waiting on. With Redis gone that read
raises, so `close()` stops before it marks the channel closed; the worker then tears the connection's transport
down and closes the channel again, and this time it puts the unacknowledged message back through the torn-down
transport: AttributeError, "Unrecoverable error", the worker exits. With this transport a connection lost while
closing counts as no reply, as kombu counts an empty one, and the close goes on. The message stays in Redis's
set of unacknowledged messages, as it does when a worker is killed, and the task acknowledges it once the
worker is connected again (tests/faults/test_redis_stopped.py).

A worker with every process busy is not waiting on BRPOP, which is why the fault drill, with more chunks than
processes, never showed it (bench/RESULTS.md, 2026-12-04, session 24)."""

from queue import Empty

from kombu.transport import redis


class Channel(redis.Channel):
    def _brpop_read(self, **options):
        try:
            return super()._brpop_read(**options)
        except self.connection_errors:
            if not self._closing:
                raise
            raise Empty() from None


class Transport(redis.Transport):
    Channel = Channel
