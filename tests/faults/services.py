"""Real PostgreSQL, Redis, Celery worker and gunicorn processes that a fault test owns, so it can stop,
hang, restart or kill them without disturbing the rest of the suite (which runs on the services that
scripts/with_test_services.sh started). The commands are those of scripts/with_test_services.sh.
bench/faults/drill.py uses them too, outside pytest and Django."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout=30.0, interval=0.05, what="the condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(interval)


class RedisServer:
    """A Redis of our own. `persistent` writes an append-only file, as docker-compose.yml runs it, so a
    restart comes back with the data it had."""

    def __init__(self, *, persistent=False, options=()):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ascent-fault-redis-"))
        self.persistent = persistent
        self.options = list(options)
        self.url = f"redis://127.0.0.1:{self.port}"

    def start(self):
        persistence = ["--appendonly", "yes", "--save", ""] if self.persistent else ["--appendonly", "no", "--save", ""]
        subprocess.run(
            ["redis-server", *persistence, "--bind", "127.0.0.1", "--port", str(self.port), "--daemonize", "yes",
             "--pidfile", str(self.dir / "redis.pid"), "--logfile", str(self.dir / "redis.log"),
             "--dir", str(self.dir), *self.options],
            check=True,
        )
        wait_for(self.answers, what="redis to start")
        return self

    def answers(self) -> bool:
        return subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n"

    def stop(self):
        """A clean stop, as `docker compose stop redis` does (SIGTERM): the append-only file is kept."""
        pid = int((self.dir / "redis.pid").read_text())
        os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not _alive(pid), what="redis to stop")

    def pause(self):
        """Hung: the port accepts connections but nothing answers."""
        os.kill(int((self.dir / "redis.pid").read_text()), signal.SIGSTOP)

    def resume(self):
        os.kill(int((self.dir / "redis.pid").read_text()), signal.SIGCONT)

    def close(self):
        pid_file = self.dir / "redis.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text())
            if _alive(pid):
                os.kill(pid, signal.SIGCONT)
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.dir, ignore_errors=True)


class PostgresServer:
    """A PostgreSQL cluster of our own (initdb takes about a second)."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ascent-fault-pg-"))
        self.data = self.dir / "data"
        self.data.mkdir()
        if AS_POSTGRES:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.data, "postgres", "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/ascent"

    def _pg_ctl(self, *args):
        subprocess.run([*AS_POSTGRES, str(PGBIN / "pg_ctl"), "-D", str(self.data), *args], check=True,
                       capture_output=True)

    def start(self, *, copy_of: str | None = None):
        """`copy_of`: a database URL whose schema and rows to copy in (quicker than running migrations)."""
        subprocess.run([*AS_POSTGRES, str(PGBIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                        "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
        self._pg_ctl("-l", str(self.data / "log"), "-w", "-o", self._options(), "start")
        subprocess.run([str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "ascent"],
                       check=True)
        if copy_of:
            dump = subprocess.run([str(PGBIN / "pg_dump"), "--no-owner", "-d", copy_of], check=True,
                                  capture_output=True).stdout
            subprocess.run([str(PGBIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url], input=dump,
                           check=True, capture_output=True)
        return self

    def _options(self):
        return (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")

    def restart(self):
        """`pg_ctl restart -m fast`, as a container restart does: sessions are ended, in-flight queries fail."""
        self._pg_ctl("-l", str(self.data / "log"), "-w", "-m", "fast", "-o", self._options(), "restart")

    def close(self):
        subprocess.run([*AS_POSTGRES, str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def app_env(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update({"FSRS_ENABLE_FUZZING": "0", "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)


def seed_site(*, env, content: Path) -> str:
    """Migrates, loads the content and creates learner@example.com; returns its API token."""
    out = subprocess.run([sys.executable, "-m", "tests.faults.seed_site", str(content)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()[-1]


class Gunicorn:
    """The web app as docker-compose.yml serves it: gunicorn with sync workers."""

    def __init__(self, *, env, log: Path, workers=2, preload=False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = open(log, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(workers), "--log-level", "warning", *(["--preload"] if preload else [])],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
        )
        wait_for(self.answers, timeout=60, what="gunicorn to start")

    def answers(self) -> bool:
        assert self.process.poll() is None, "gunicorn exited"
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


class Worker:
    """A real Celery worker process; `pool="solo"` runs tasks in the worker process itself, so killing it
    kills the task; with "prefork" the task runs in a child process of its own."""

    def __init__(self, *, env, log: Path, pool="solo", concurrency=1):
        self.log = log
        offset = log.stat().st_size if log.exists() else 0
        self.log_file = open(log, "a")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"fault-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: "ready." in log.read_text()[offset:] or self.process.poll() is not None,
                 timeout=60, what="the worker to start")
        assert self.process.poll() is None, log.read_text()

    def children(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in out.stdout.split()]

    def kill(self):
        """SIGKILL to the worker and its pool processes at once, as when its container is killed."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log_file.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
