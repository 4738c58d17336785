"""Real processes for the job tests: workers (``manage.py jobs_worker``) and app servers (gunicorn)
against the test database, which must be PostgreSQL (another process cannot open SQLite's in-memory
test database). Every process started is stopped at the end, by its own id."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JOBS_PROGRESS_SECONDS": "0.1",
        "JOBS_STALE_SECONDS": "2",
        "JOBS_REAP_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], Any], *, timeout: float = 30, every: float = 0.05, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")
        time.sleep(every)


class Processes:
    def __init__(self, log_dir: Path, **env: str):
        self.log_dir = log_dir
        self.env = environment(**env)
        self.running: list[subprocess.Popen[bytes]] = []

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def worker(self, name: str) -> subprocess.Popen[bytes]:
        args = [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--no-startup-delay"]
        return self._start(name, [*args, "--interval", "0.05", "--worker-id", name])

    def command(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """``manage.py <args>`` in a process of its own (its output in the log ``name``)."""
        return self._start(name, [sys.executable, "manage.py", *args])

    def server(self, name: str) -> str:
        port = free_port()
        args = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2"]
        self._start(name, args)
        url = f"http://127.0.0.1:{port}"

        def answers() -> bool:
            try:
                urllib.request.urlopen(f"{url}/api/v1/jobs", timeout=1)
            except urllib.error.HTTPError:
                return True  # 401: it is up
            except OSError:
                return False
            return True

        wait_for(answers, timeout=30, what=f"{name} to listen")
        return url

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)  # reaped: its pid is gone, as a dead worker's is

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")
