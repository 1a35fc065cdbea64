"""The Redis cache, falling back to a short-lived in-process cache while Redis cannot answer.

Everything that uses the cache (rendered pages, allauth's and DRF's rate limits) then keeps working with
Redis stopped, hung, or still loading its data after a restart, instead of raising:

- Fallback: while Redis is unavailable, each process uses a local memory cache whose entries live at most
  `fallback_ttl` seconds (10 by default). Pages stay cached, so the site keeps most of its throughput;
  rate limits count per process over at most that window, so they still slow a burst without refusing
  anyone. The price: during an outage another process sees a content change up to `fallback_ttl` late.
- Rate limits in the fallback: the counters of allauth's limits (failed sign-ins, sign-ups, resets) and of
  DRF's throttles keep their whole window there, in a store of their own (bounded, and that pages cannot
  crowd out). With the pages' 10 s they expired mid-window, and 14 of 20 wrong passwords got through where
  Redis lets 5. The count is per process while Redis is down: with N web processes, at most N times the
  limit. When Redis answers again, counting goes on in Redis from what it held before the outage.
- Circuit breaker: after a failure this process does not try Redis again for `retry_after` seconds
  (5 by default). A hung Redis then costs one socket timeout per window, not one per call.
- Lost invalidations: a write that did not reach Redis may have been one that makes other entries stale
  (the content-version bump of caching/fragments.py). So a process that wrote during the outage deletes
  every key of this cache (its KEY_PREFIX) in Redis, and empties its local fallback, when Redis answers
  again and before it reads anything: Redis may come back with its old data (compose runs it with an
  append-only file), and that must not be served as current.
- A pooled connection that a Redis restart closed is retried once on a new connection, so a quick
  restart is not mistaken for an outage.
"""

import logging
import threading
import time
from dataclasses import dataclass, field

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, OutOfMemoryError, ReadOnlyError, TimeoutError
from redis.retry import Retry

log = logging.getLogger(__name__)

# Redis down, hung, loading its data (BusyLoadingError is a ConnectionError), full, or a read-only replica.
UNAVAILABLE = (ConnectionError, TimeoutError, OutOfMemoryError, ReadOnlyError)


# Keys (before KEY_PREFIX) of rate-limit counters: allauth's, DRF's throttles (config/rate_limits.py) and
# their locks. They are never stale, so a recovery does not delete them from Redis either.
LIMIT_KEY_PREFIXES = ("allauth:rl:", "throttle")
LIMIT_ENTRIES = 20_000  # a few hundred bytes each: a few MB per process at most


def is_limit_key(key) -> bool:
    return isinstance(key, str) and key.startswith(LIMIT_KEY_PREFIXES)


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


class ReusedRedisClient(RedisCacheClient):
    """Django makes a new redis-py client for every cache call, and redis-py fills a table of some 170
    response callbacks for each: 0.17 ms, a tenth of a cached page. A client is only a handle on its
    connection pool and safe to share, so one per pool is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("retry_after", 5.0))
        self.fallback_ttl = int(options.pop("fallback_ttl", 10))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        # Retry once on a broken connection (a pooled socket closed by a restart), never on a timeout.
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(ConnectionError,)))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisClient
        location = server if isinstance(server, str) else ",".join(server)
        self.circuit = circuit_for(location)
        # LocMemCache instances of the same name share one store: one fallback per process and location.
        self.fallback = LocMemCache(
            f"degraded-redis:{location}",
            {**params, "TIMEOUT": self.fallback_ttl, "OPTIONS": {"MAX_ENTRIES": 2000}},
        )
        self.limits_fallback = LocMemCache(
            f"degraded-redis-limits:{location}", {**params, "OPTIONS": {"MAX_ENTRIES": LIMIT_ENTRIES}}
        )

    @property
    def degraded(self) -> bool:
        """True while Redis is being left alone: writes then reach this process's fallback only."""
        return self.circuit.down

    def _call(self, operation, *, write, key=None):
        """`operation(cache, ttl)` against Redis, or against a fallback when unavailable: `ttl(timeout)` is the
        timeout to pass that cache. A rate-limit counter (`key`) goes to the limits' fallback, whole."""
        circuit = self.circuit
        if not circuit.down or self._recovered():
            try:
                return operation(super(), _as_given)
            except UNAVAILABLE as error:
                self._trip(error)
        if not is_limit_key(key):
            circuit.dropped_writes |= write
            return operation(self.fallback, self._fallback_ttl)
        return operation(self.limits_fallback, _as_given)

    def _fallback_ttl(self, timeout):
        """At most fallback_ttl seconds (0 still deletes)."""
        seconds = self.get_backend_timeout(timeout)
        return self.fallback_ttl if seconds is None else min(seconds, self.fallback_ttl)

    def _trip(self, error):
        circuit = self.circuit
        circuit.failures += 1
        circuit.retry_at = time.monotonic() + self.retry_after
        if not circuit.down:
            circuit.down = True
            log.warning("cache unavailable, falling back to a %ss local cache for now: %s", self.fallback_ttl, error)

    def _recovered(self) -> bool:
        """Past the window, one thread probes Redis; the others keep using the fallback until it has answered."""
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
            self.fallback.clear()
            self.limits_fallback.clear()
            circuit.down = circuit.dropped_writes = False
            log.warning("cache available again; %d entries deleted as possibly stale", dropped)
            return True
        finally:
            circuit.lock.release()

    def _forget_everything(self, client) -> int:
        deleted, batch = 0, []
        for key in client.scan_iter(match=self.make_key("*", version="*"), count=1000):
            if is_limit_key(key.decode(errors="replace").split(":", 2)[-1]):
                continue
            batch.append(key)
            if len(batch) == 1000:
                deleted += client.unlink(*batch)
                batch = []
        if batch:
            deleted += client.unlink(*batch)
        return deleted

    # The public interface, each call going to Redis or to a fallback.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda c, ttl: c.add(key, value, ttl(timeout), version), write=True, key=key)

    def get(self, key, default=None, version=None):
        return self._call(lambda c, ttl: c.get(key, default, version), write=False, key=key)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(lambda c, ttl: c.set(key, value, ttl(timeout), version), write=True, key=key)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda c, ttl: c.touch(key, ttl(timeout), version), write=True, key=key)

    def delete(self, key, version=None):
        return self._call(lambda c, ttl: c.delete(key, version), write=True, key=key)

    def get_many(self, keys, version=None):
        return self._call(lambda c, ttl: c.get_many(keys, version), write=False)

    def has_key(self, key, version=None):
        return self._call(lambda c, ttl: c.has_key(key, version), write=False, key=key)

    def incr(self, key, delta=1, version=None):
        return self._call(lambda c, ttl: c.incr(key, delta, version), write=True, key=key)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(lambda c, ttl: c.set_many(data, ttl(timeout), version), write=True)

    def delete_many(self, keys, version=None):
        self._call(lambda c, ttl: c.delete_many(keys, version), write=True)

    def clear(self):
        self.limits_fallback.clear()
        return self._call(lambda c, ttl: c.clear(), write=True)


def _as_given(timeout):
    return timeout
