"""CPU time used by the app server and the database while wrk loads one endpoint, per request.

    python3 bench/load/cpu_ticks.py > before.json
    ... the load ...
    python3 bench/load/cpu_ticks.py --since before.json --requests N    # prints "APP_MS DB_MS MACHINE_MS"

Reads /proc: gunicorn's master and workers are the app, every `postgres` process is the database (the
benchmark runs one cluster), and /proc/stat the whole machine, a check that the two fit in it. A process
born between the reads counts from zero; one that ended in between is lost, so run.sh keeps the database
connections open for the whole benchmark (DATABASE_CONN_MAX_AGE).
"""

import json
import os
import sys
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def family(pid: Path) -> str | None:
    arguments = (pid / "cmdline").read_bytes().decode(errors="replace").split("\0")
    if any(os.path.basename(argument) == "gunicorn" for argument in arguments[:2]):
        return "app"  # the master and workers: python .../gunicorn ..., or gunicorn ...
    if os.path.basename(arguments[0]).startswith("postgres"):
        return "db"  # the postmaster and its backends ("postgres: user db host state")
    return None


def ticks() -> dict[str, tuple[str, int]]:
    found = {}
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            kind = family(pid)
            if kind is None:
                continue
            # utime and stime are fields 14 and 15; the command name before them may hold spaces.
            fields = (pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid.name] = (kind, int(fields[11]) + int(fields[12]))  # utime, stime
    with open("/proc/stat") as stat:
        busy = stat.readline().split()[1:]
    # user, nice, system, irq, softirq: neither idle nor waiting on I/O
    found["machine"] = ("machine", sum(int(busy[i]) for i in (0, 1, 2, 5, 6)))
    return found


def main() -> None:
    now = ticks()
    if "--since" not in sys.argv:
        json.dump(now, sys.stdout)
        return
    before = json.loads(Path(sys.argv[sys.argv.index("--since") + 1]).read_text())
    requests = int(sys.argv[sys.argv.index("--requests") + 1])
    used = {"app": 0, "db": 0, "machine": 0}
    for pid, (kind, total) in now.items():
        used[kind] += total - (before[pid][1] if pid in before else 0)
    per_request = {kind: 1000 * used[kind] / TICKS_PER_SECOND / max(requests, 1) for kind in used}
    print(f"{per_request['app']:.2f} {per_request['db']:.2f} {per_request['machine']:.2f}")


if __name__ == "__main__":
    main()
