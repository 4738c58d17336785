"""Restore a backup (manage.py backup) into a new, migrated database: all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from exports.backup import RestoreRefused, restore


class Command(BaseCommand):
    help = "Restore a file written by `manage.py backup` into a new, migrated database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            count = restore(file)
        except RestoreRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {count:,} objects from {file}."))
