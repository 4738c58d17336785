"""Recount the research summary tables for every stale article (after a bulk import or a migration)."""

from django.core.management.base import BaseCommand

from research.services import stats_mark_missing, stats_refresh


class Command(BaseCommand):
    help = "Recount the research summary tables (research.Tally) for the articles changed since they were counted."

    def handle(self, *args: object, **options: object) -> None:
        if missing := stats_mark_missing():
            self.stdout.write(f"  {missing} article(s) had no counts yet")
        total = 0
        while n := stats_refresh(limit=5000):  # one transaction per 5,000 articles
            total += n
            self.stdout.write(f"  {total} article(s) recounted")
        self.stdout.write(f"Summary tables current: {total} article(s) recounted.")
