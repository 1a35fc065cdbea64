"""Django's PostgreSQL backend with a health check that costs no round trip.

CONN_HEALTH_CHECKS makes Django ask `SELECT 1` before the first query of every request that reuses a
persistent connection: a third of a cached signed-in page's time on the database. A connection that
PostgreSQL closed (a restart, an idle timeout, a terminated backend) has something to read: the server's
termination notice, or the end of the stream. So the check first polls the socket without waiting: nothing
to read means the connection is as good as `SELECT 1` would say, and only when there is something does it
fall back to Django's own check, which reads it and tells a closed connection from a stray notice.
tests/faults/test_postgres_restarted.py restarts PostgreSQL under every worker's idle connection.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        pgconn = self.connection.pgconn
        if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        try:
            poller = select.poll()
            poller.register(pgconn.socket, select.POLLIN)
            has_input = bool(poller.poll(0))
        except Exception:  # noqa: BLE001 - a socket psycopg cannot give or poll cannot watch: ask the server
            return super().is_usable()
        return not has_input or super().is_usable()
