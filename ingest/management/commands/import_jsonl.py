"""Restore a corpus.jsonl into an empty database: all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from ingest.jsonl_restore import ImportRefused
from ingest.services import corpus_restore


class Command(BaseCommand):
    help = "Restore a corpus exported with export_jsonl (or /exports/corpus.jsonl) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .jsonl file.")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, "rb") as fh:
                counts = corpus_restore(lines=fh)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items()) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
