from django.core.management.base import BaseCommand, CommandError

from ingest import parsers, services

from ._common import checked_path, print_report


class Command(BaseCommand):
    help = (
        "Import articles from .txt (first line title), .jsonl or .csv files (fields: title, body, url, outlet, "
        "published, byline, dateline, language, tags). Each file imports completely or not at all; "
        "duplicates (same URL or same text) are skipped and listed. Files are read and written a batch at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=parsers.FORMATS, help="Override the format told by the extension.")

    def handle(self, *args, files, format=None, verbosity=1, **options):
        failed = 0
        for path in files:
            with checked_path(path).open("rb") as file:  # read a piece at a time, never whole
                report = services.import_article_file(data=file, name=path, fmt=format)
            print_report(self, report, verbosity)
            failed += not report.ok
        if failed:
            raise CommandError(f"{failed} file(s) had errors and imported nothing.")
