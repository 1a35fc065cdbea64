"""The Redis cache, degrading to no cache at all while Redis cannot answer, instead of raising.

Everything that uses the cache (rendered pages, allauth's and DRF's rate limits) then keeps working with
Redis stopped, hung or still loading its data after a restart. While it is unreachable the cache behaves
like Django's dummy cache: reads miss, writes are dropped, `add()` succeeds, so rate limits let requests
through rather than refusing everyone, and a lock taken with `add()` never blocks.

- Circuit breaker: after a failure this process does not try Redis again for `retry_after` seconds
  (5 by default). A hung Redis then costs one socket timeout per window, not one per call.
- Lost invalidations: a write dropped during the outage may have been one that makes other entries stale
  (the content-version bump of roadmap/caching.py). So a process that dropped a write deletes every key
  of this cache (its KEY_PREFIX) when Redis answers again, before it reads anything: Redis may come back
  with its old data (compose runs it with appendonly), and that data must not be served as current.
- A pooled connection that a Redis restart closed is retried once on a new connection, so a quick
  restart is not mistaken for an outage.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, OutOfMemoryError, ReadOnlyError, TimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

# Redis down, hung, loading its data (BusyLoadingError is a ConnectionError), full, or a read-only replica.
UNAVAILABLE = (ConnectionError, TimeoutError, OutOfMemoryError, ReadOnlyError)


@dataclass
class Circuit:
    """Per process and per Redis location, shared by the threads' cache instances."""

    down: bool = False
    retry_at: float = 0.0
    dropped_writes: bool = False
    failures: int = 0  # calls that found Redis unavailable (tests and drills read it)
    lock: threading.Lock = field(default_factory=threading.Lock)


_circuits: dict[str, Circuit] = {}
_circuits_lock = threading.Lock()


def circuit_for(location: str) -> Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, Circuit())


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5.0))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        # Retry once on a broken connection (a pooled socket closed by a restart), never on a timeout.
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(ConnectionError,)))
        super().__init__(server, {**params, "OPTIONS": options})
        self.circuit = circuit_for(server if isinstance(server, str) else ",".join(server))

    def _call(self, method, *args, fallback, write):
        circuit = self.circuit
        if circuit.down and not self._recovered():
            circuit.dropped_writes |= write
            return fallback
        try:
            return method(*args)
        except UNAVAILABLE as error:
            self._trip(error)
            circuit.dropped_writes |= write
            return fallback

    def _trip(self, error):
        circuit = self.circuit
        circuit.failures += 1
        circuit.retry_at = time.monotonic() + self.retry_after
        if not circuit.down:
            circuit.down = True
            log.warning("cache unavailable, running without it for now: %s", error)

    def _recovered(self) -> bool:
        """Past the window, one thread probes Redis; the others keep missing until it has answered."""
        circuit = self.circuit
        if time.monotonic() < circuit.retry_at or not circuit.lock.acquire(blocking=False):
            return False
        try:
            if not circuit.down:
                return True
            client = self._cache.get_client(write=True)
            try:
                client.ping()
                dropped = self._forget_everything(client) if circuit.dropped_writes else 0
            except UNAVAILABLE as error:
                self._trip(error)
                return False
            circuit.down = circuit.dropped_writes = False
            log.warning("cache available again; %d entries deleted as possibly stale", dropped)
            return True
        finally:
            circuit.lock.release()

    def _forget_everything(self, client) -> int:
        deleted, batch = 0, []
        for key in client.scan_iter(match=self.make_key("*", version="*"), count=1000):
            batch.append(key)
            if len(batch) == 1000:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
        return deleted

    # The public interface: the fallbacks are what Django's dummy cache answers.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, fallback=True, write=True)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default, write=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, key, value, timeout, version, fallback=None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, fallback=False, write=True)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=False, write=True)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={}, write=False)

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False, write=False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call(super().incr, key, delta, version, fallback=missing, write=True)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, fallback=[], write=True)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, keys, version, fallback=None, write=True)

    def clear(self):
        return self._call(super().clear, fallback=False, write=True)
