"""Load the seed article with its annotations once; later runs change nothing."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from corpus.models import Article, Speaker

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_article.json"


class Command(BaseCommand):
    help = "Load fixtures/seed_article.json unless the seed article is there already."

    def handle(self, *args, **options):
        rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
        seed = next(row for row in rows if row["model"] == "corpus.article")
        if Article.objects.filter(slug=seed["fields"]["slug"]).exists():
            self.stdout.write("Seed article already loaded; nothing changed.")
            return
        # Fixture rows carry fixed ids; refuse rather than overwrite rows someone else created.
        article_ids = [row["pk"] for row in rows if row["model"] == "corpus.article"]
        speaker_ids = [row["pk"] for row in rows if row["model"] == "corpus.speaker"]
        if Article.objects.filter(pk__in=article_ids).exists() or Speaker.objects.filter(pk__in=speaker_ids).exists():
            raise CommandError(
                "This database already has articles or speakers with the seed's ids; load the seed into an "
                "empty database, or use `manage.py loaddata` knowingly."
            )
        with transaction.atomic():
            call_command("loaddata", str(FIXTURE), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Loaded the seed article “{seed['fields']['title']}”."))
