"""Profiles requests of a prepare.py request file (or one path) in process, through Django's WSGI handler.

    python bench/load/profile.py FILE.req [REQUESTS]     # the file's lines in turn, REQUESTS of them (200)
    python bench/load/profile.py /search/?q=pca [REQUESTS]
    QUERIES=1 python bench/load/profile.py ...          # also prints the SQL of the last request
    CPROFILE=1 python bench/load/profile.py ...         # cProfile's functions by own time instead of the tree
    CPROFILE=1 CPROFILE_CLOCK=cpu python bench/load/profile.py ...  # the same timing CPU: waits left out
    SAMPLE=1 python bench/load/profile.py ...           # this process's CPU sampled: ms a request per function

Run with the environment of run.sh (DEBUG=0, DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL, REDIS_URL).
The first request is left out so that caches are as warm as in a running server. Prints the mean wall and CPU time per
request (without the profiler), then pyinstrument's tree.
"""

import collections
import io
import os
import signal
import sys
import time
from pathlib import Path

# This file's own name hides the standard library's `profile`, which cProfile imports.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
import cProfile  # noqa: E402
import pstats  # noqa: E402

import django  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def environ_for(line: str) -> dict:
    method, path, headers, body = line.rstrip("\n").split("\t", 3)
    path, _, query = path.partition("?")
    data = body.encode()
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8765", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(data),
        "CONTENT_LENGTH": str(len(data)), "SERVER_PROTOCOL": "HTTP/1.1",
    }
    for header in filter(None, headers.split("|")):
        name, value = (part.strip() for part in header.split(":", 1))
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    return environ


class CPUSampler:
    """Where this process's CPU goes, without the distortion of a tracing profiler: cProfile and pyinstrument
    charge every Python call the cost of timing it (a submit makes some 4,000), so call-heavy code looks several
    times dearer than it is. SIGPROF fires every INTERVAL seconds of CPU (waits on PostgreSQL cost nothing) and
    the handler notes the stack."""

    INTERVAL = 0.0005  # asked for; the kernel may fire less often, so a sample counts its share of the CPU used

    def __init__(self):
        self.stacks = collections.Counter()
        self.cpu = 0.0

    def _sample(self, signum, frame):
        stack = []
        while frame is not None:
            code = frame.f_code
            stack.append((code.co_filename, code.co_firstlineno, code.co_name))
            frame = frame.f_back
        self.stacks[tuple(stack)] += 1

    def start(self):
        signal.signal(signal.SIGPROF, self._sample)
        self.cpu = time.process_time()
        signal.setitimer(signal.ITIMER_PROF, self.INTERVAL, self.INTERVAL)

    def stop(self):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        self.cpu = time.process_time() - self.cpu

    def report(self, requests: int, lines: int) -> str:
        inclusive, own = collections.Counter(), collections.Counter()
        for stack, n in self.stacks.items():
            own[stack[0]] += n
            for frame in set(stack):
                inclusive[frame] += n
        total = sum(self.stacks.values())
        ms = 1000 * self.cpu / max(total, 1) / requests

        def name(frame):
            filename, line, function = frame
            short = filename.split("site-packages/")[-1].replace(str(Path.cwd()) + "/", "")
            return f"{short}:{line}({function})"

        out = [f"CPU samples: {total}, {total * ms:.2f} ms a request; ms a request in each function and below it"
               " (inclusive), in it alone (own)", "inclusive    own  function"]
        for frame, n in inclusive.most_common(lines):
            out.append(f"{n * ms:9.3f} {own[frame] * ms:6.3f}  {name(frame)}")
        out.append("by own time:")
        for frame, n in own.most_common(lines // 2):
            out.append(f"{inclusive[frame] * ms:9.3f} {n * ms:6.3f}  {name(frame)}")
        return "\n".join(out)


def main():
    source, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
    lines = Path(source).read_text().splitlines() if source.endswith(".req") else [f"GET\t{source}\t\t"]
    handler = WSGIHandler()
    statuses = {}

    def call(line):
        environ = environ_for(line)
        response = handler(environ, lambda status, headers: statuses.setdefault(status, 0))
        b"".join(response)
        response.close()
        status = response.status_code
        statuses[status] = statuses.get(status, 0) + 1

    call(lines[0])
    # Timed without the profiler first: this process's CPU per request (the database's is not in it).
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        call(lines[(i + 1) % len(lines)])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"per request: {1000 * wall / count:.2f} ms wall, {1000 * cpu / count:.2f} ms CPU", file=sys.stderr)
    if os.environ.get("CPROFILE"):
        # Wall time by default; this process's CPU with CPROFILE_CLOCK=cpu, where a wait on PostgreSQL costs nothing.
        clock = time.process_time if os.environ.get("CPROFILE_CLOCK") == "cpu" else time.perf_counter
        profiler = cProfile.Profile(clock)
        profiler.start, profiler.stop = profiler.enable, profiler.disable
    elif os.environ.get("SAMPLE"):
        profiler = CPUSampler()
    else:
        profiler = Profiler(interval=0.0002)
    profiler.start()
    for i in range(count):  # the lines after the timed ones: a file of writes uses each precondition once
        call(lines[(count + i + 1) % len(lines)])
    profiler.stop()
    if os.environ.get("QUERIES"):
        with CaptureQueriesContext(connection) as queries:
            call(lines[(2 * count + 1) % len(lines)])
        for query in queries:
            print(query["sql"][:300])
        print(f"{len(queries)} queries", file=sys.stderr)
    if os.environ.get("CPROFILE"):
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("CPROFILE_SORT", "tottime"))
        stats.print_stats(int(os.environ.get("CPROFILE_LINES", "45")))
    elif os.environ.get("SAMPLE"):
        print(profiler.report(count, int(os.environ.get("SAMPLE_LINES", "80"))))
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"statuses: { {k: v for k, v in statuses.items() if isinstance(k, int)} }", file=sys.stderr)


if __name__ == "__main__":
    main()
