"""A load loop for fault drills: threads sending requests back to back, each outcome timed, so a drill can
tell which requests failed and whether they were in flight while a service was down."""

import http.client
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    call: Call
    started: float  # time.monotonic()
    ended: float
    status: int  # 0: no HTTP answer at all

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


class Load:
    def __init__(self, base_url: str, calls: list[Call], *, threads: int = 4, timeout: float = 10):
        parts = urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.calls = calls
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, offset: int):
        i = offset
        while not self._stop.is_set():
            call = self.calls[i % len(self.calls)]
            i += 1
            started = time.monotonic()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                conn.request(call.method, call.path, body=call.body, headers=dict(call.headers))
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except OSError:
                status = 0
            self.outcomes.append(Outcome(call, started, time.monotonic(), status))

    def start(self):
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for thread in self._threads:
            thread.join()
        return sorted(self.outcomes, key=lambda o: o.started)
