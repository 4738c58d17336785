"""Write a CSV export to a file: the same bytes as the download for the same filters."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from annotations.filters import QuoteFilter
from exports.codebook import EXPORT_FILES
from exports.filters import ArticleFilter, EntityFilter
from exports.writers import InvalidFilters, csv_chunks, export_queryset


def filter_names() -> list[str]:
    names: dict[str, None] = {}
    for filterset in (QuoteFilter, EntityFilter, ArticleFilter):
        names.update(dict.fromkeys(filterset.base_filters))
    return list(names)


class Command(BaseCommand):
    help = (
        "Export quotes (or --file stances/entities/speakers/articles) as CSV. Filters are the quote "
        "browser's query-string parameters, e.g. --speaker 3 --status all --q word."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="File to write, or - for standard output.")
        parser.add_argument(
            "--file",
            dest="export",
            choices=sorted(EXPORT_FILES),
            default="quotes",
            help="Which export (default: quotes).",
        )
        parser.add_argument("--bom", action="store_true", help="Start with a UTF-8 byte order mark (as ?bom=1).")
        for name in filter_names():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                dest=f"filter_{name}",
                metavar="VALUE",
                help=f"Filter {name}, as in the query string.",
            )

    def handle(self, *args, output: str, export: str, bom: bool, **options):
        params = QueryDict(mutable=True)
        for name in filter_names():
            value = options.get(f"filter_{name}")
            if value is not None:
                params[name] = value
        spec = EXPORT_FILES[export]
        try:
            qs = export_queryset(spec, params)
        except InvalidFilters as error:
            raise CommandError(f"Invalid filters: {error}") from error
        chunks = csv_chunks(spec, qs, bom=bom)
        if output == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        written = 0
        with open(output, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                written += len(chunk)
        self.stderr.write(f"Wrote {written:,} bytes to {output}.")
