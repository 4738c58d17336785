"""The worker: django-tasks-db's ``db_worker`` (claims one task at a time with SELECT … FOR UPDATE SKIP
LOCKED on PostgreSQL), plus a reaper thread that marks failed the jobs of workers that died.

Run as many as you like, on as many machines as share the database: ``manage.py jobs_worker``.
"""

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from jobs.services import jobs_reap

logger = logging.getLogger("jobs")


def _reap_forever(stop: threading.Event, every: float) -> None:
    try:
        while not stop.wait(every):
            try:
                reaped = jobs_reap()
            except DatabaseError as exc:  # the database away for a moment: try again next round
                logger.warning("reaping failed: %s", exc)
            else:
                if reaped:
                    logger.warning("reaped job(s) %s", ", ".join(map(str, reaped)))
    finally:
        connection.close()


class Command(DbWorkerCommand):
    help = "Run a background job worker (django-tasks database backend) that also reaps dead workers' jobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reap-every",
            type=float,
            default=settings.JOBS_REAP_SECONDS,
            help="Seconds between looks for jobs whose worker died (default: JOBS_REAP_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        every = float(options.pop("reap_every"))
        if every > 0:
            threading.Thread(target=_reap_forever, args=(stop, every), name="jobs-reaper", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
