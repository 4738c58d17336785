from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from annotations.models import Status
from ingest import services
from ingest.archives import read_zip

from ._common import annotator as find_annotator
from ._common import print_report, read_file


class Command(BaseCommand):
    help = (
        "Import brat standoff: .txt + .ann pairs (given as files, a directory, or a .zip) as articles with "
        "entity mentions and quotes belonging to --annotator. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="X.ann / X.txt files, directories or .zip files")
        parser.add_argument("--annotator", required=True, metavar="USERNAME")
        parser.add_argument("--status", choices=services.IMPORT_STATUSES, default=Status.DRAFT)

    def handle(self, *args, paths, annotator: str, status: str, verbosity=1, **options):
        user = find_annotator(annotator)
        files: dict[str, bytes] = {}
        for path in paths:
            p = Path(path)
            if p.is_dir():
                for child in sorted(p.rglob("*")):
                    if child.suffix.lower() in (".txt", ".ann", ".json"):
                        files[str(child)] = read_file(str(child))
            elif p.suffix.lower() == ".zip":
                try:
                    files.update(read_zip(read_file(path), max_bytes=settings.IMPORT_MAX_BYTES))
                except ValueError as exc:
                    raise CommandError(f"{path}: {exc}") from None
            else:
                data = read_file(path)
                files[str(p)] = data
                for sibling in (p.with_suffix(".txt"), p.with_suffix(".ann"), p.with_suffix(".json")):
                    if sibling.is_file() and str(sibling) not in files:
                        files[str(sibling)] = read_file(str(sibling))
        report = services.brat_pairs_import(files=files, annotator=user, status=status, source=", ".join(paths))
        print_report(self, report, verbosity)
        if not report.ok:
            raise CommandError("Nothing was imported.")
