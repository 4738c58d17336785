"""Delete finished jobs older than JOBS_KEEP_DAYS (or --days), keeping the latest of each kind."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.services import jobs_prune


class Command(BaseCommand):
    help = (
        "Delete the jobs that finished more than --days days ago (default: JOBS_KEEP_DAYS), with their task "
        "results and kept uploads; the latest job of each kind stays. Run it from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep jobs that finished within this many days.")

    def handle(self, *args: object, days: int | None, **options: object) -> None:
        keep = settings.JOBS_KEEP_DAYS if days is None else days
        if keep < 1:
            raise CommandError("--days must be at least 1.")
        deleted = jobs_prune(older_than=datetime.timedelta(days=keep))
        self.stdout.write(f"Deleted {deleted} job(s) that finished more than {keep} day(s) ago.")
