"""What a running job's code gets: its Job row, a progress report and a cancel check.

Progress and the heartbeat are written on a connection of their own by a reporter thread while the job
runs (``reporting()``), at most every ``JOBS_PROGRESS_SECONDS``: so they show while the job's own work
is still inside one uncommitted transaction, and the heartbeat beats even through a long step without
a progress call. Outside ``reporting()`` (tests) the writes are made at once, throttled the same way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from .exceptions import JobCancelled
from .models import Job

logger = logging.getLogger(__name__)


class JobContext:
    def __init__(self, job: Job, *, interval: float | None = None):
        self.job = job
        self.interval = settings.JOBS_PROGRESS_SECONDS if interval is None else interval
        self._done = job.progress_done
        self._total = job.progress_total
        self._lock = threading.Lock()
        self._cancelled = threading.Event()
        self._last_write = float("-inf")
        self._reporter: threading.Thread | None = None
        self._stop = threading.Event()

    # --- what job code calls ---------------------------------------------------------------------

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps are done (0 <= done <= total); written at most every ``interval``."""
        if not (isinstance(done, int) and isinstance(total, int) and 0 <= done <= total):
            raise ValueError(f"Progress must be 0 <= done <= total, got {done!r} of {total!r}.")
        with self._lock:
            self._done, self._total = done, total
        if self._reporter is None:
            self._flush_if_due()

    def check_cancelled(self) -> None:
        """Raise JobCancelled when a cancel was asked for (seen at the latest ``interval`` after it was)."""
        if self._reporter is None:
            self._flush_if_due()
        if self._cancelled.is_set():
            raise JobCancelled(f"Job {self.job.pk} was cancelled.")

    @property
    def done(self) -> int:
        return self._done

    @property
    def total(self) -> int:
        return self._total

    # --- the writes ------------------------------------------------------------------------------

    def flush(self) -> None:
        """Write progress and heartbeat now, and read the cancel flag (one UPDATE, one SELECT)."""
        with self._lock:
            done, total = self._done, self._total
        self._last_write = time.monotonic()
        rows = Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING)
        rows.update(progress_done=done, progress_total=total, heartbeat_at=timezone.now())
        if rows.filter(cancel_requested=True).exists():
            self._cancelled.set()

    def _flush_if_due(self) -> None:
        if time.monotonic() - self._last_write >= self.interval:
            self.flush()

    @contextmanager
    def reporting(self) -> Iterator[JobContext]:
        """Run a reporter thread (its own database connection) for as long as the block runs."""
        self._stop.clear()
        self._reporter = threading.Thread(target=self._report, name=f"job-{self.job.pk}-reporter", daemon=True)
        self._reporter.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._reporter.join()
            self._reporter = None

    def _report(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.flush()
                except DatabaseError as exc:  # e.g. SQLite busy while the job holds its write lock: next time
                    logger.info("job %s: progress not written (%s)", self.job.pk, exc)
        finally:
            connection.close()  # this thread's own connection
