"""Mark failed the running jobs whose worker died (heartbeat older than JOBS_STALE_SECONDS)."""

from django.core.management.base import BaseCommand

from jobs.services import jobs_reap


class Command(BaseCommand):
    help = "Mark failed the running jobs whose worker stopped sending heartbeats; they can then be retried."

    def handle(self, *args: object, **options: object) -> None:
        reaped = jobs_reap()
        self.stdout.write(f"Reaped {len(reaped)} job(s){': ' + ', '.join(map(str, reaped)) if reaped else ''}.")
