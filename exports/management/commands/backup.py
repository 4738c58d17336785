"""Write the whole site to one file (exports.backup): users, roles, tokens, review, history, tags."""

from django.core.management.base import BaseCommand

from exports.backup import backup


class Command(BaseCommand):
    help = "Back up everything a restored site needs into FILE (.jsonl, or .jsonl.gz/.bz2/.xz to compress)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        backup(file)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {file}."))
