from django.core.management.base import BaseCommand, CommandError

from annotations.models import Status
from ingest import services

from ._common import annotator as find_annotator
from ._common import print_report, read_file


class Command(BaseCommand):
    help = (
        'Import doccano JSONL ({"text", "label": [[start, end, LABEL]]} or the entities/relations form) as '
        "articles with entity mentions and quotes belonging to --annotator. All or nothing per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--annotator", required=True, metavar="USERNAME")
        parser.add_argument("--status", choices=services.IMPORT_STATUSES, default=Status.DRAFT)

    def handle(self, *args, files, annotator: str, status: str, verbosity=1, **options):
        user = find_annotator(annotator)
        failed = 0
        for path in files:
            report = services.doccano_import(data=read_file(path), name=path, annotator=user, status=status)
            print_report(self, report, verbosity)
            failed += not report.ok
        if failed:
            raise CommandError(f"{failed} file(s) had errors and imported nothing.")
