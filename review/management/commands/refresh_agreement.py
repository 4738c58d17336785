"""Recompute the stored agreement of changed articles and pool the corpus figures (for cron or a worker)."""

from django.core.management.base import BaseCommand

from review.services import agreement_refresh


class Command(BaseCommand):
    help = "Recompute stored inter-annotator agreement for the articles changed since the last run."

    def handle(self, *args: object, **options: object) -> None:
        result = agreement_refresh()
        self.stdout.write(f"Recomputed {result.articles} changed article(s); corpus figures pooled.")
