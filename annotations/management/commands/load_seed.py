"""Load the seed article with its annotations once; later runs change nothing."""

import json
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from corpus.models import Article, Speaker

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed_article.json"


def _user_keys_to_pks(rows: list[dict[str, Any]], pks: dict[str, int]) -> None:
    """Replace the fixture's natural keys of users (``["seed-annotator"]``) by their primary keys.

    ``loaddata`` resolves a natural key with one query per reference: the seed's 500 rows asked 496
    times for the same two users, which made loading it 1 s, and the test suite loads it often."""
    User = get_user_model()
    for row in rows:
        model = apps.get_model(row["model"])
        for field in model._meta.fields:
            if field.is_relation and field.related_model is User:
                value = row["fields"].get(field.name)
                if isinstance(value, list):
                    row["fields"][field.name] = pks[value[0]]


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
        user_label = get_user_model()._meta.label_lower
        users = [row for row in rows if row["model"] == user_label]
        others = [row for row in rows if row["model"] != user_label]
        with transaction.atomic():
            # As loaddata does: raw saves (no save() side effects, signals told raw=True), then the
            # sequences moved past the fixture's fixed ids (PostgreSQL).
            for obj in serializers.deserialize("python", users):
                obj.save()
            _user_keys_to_pks(
                others,
                {
                    obj.username: obj.pk
                    for obj in get_user_model().objects.filter(
                        username__in=[row["fields"]["username"] for row in users]
                    )
                },
            )
            models = set()
            for obj in serializers.deserialize("python", others):
                obj.save()
                models.add(type(obj.object))
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
                    cursor.execute(sql)
        self.stdout.write(self.style.SUCCESS(f"Loaded the seed article “{seed['fields']['title']}”."))
