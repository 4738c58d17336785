"""Write the whole corpus as JSON Lines (the same bytes as the corpus.jsonl download)."""

import sys

from django.core.management.base import BaseCommand

from exports.jsonl import corpus_lines


class Command(BaseCommand):
    help = "Export the whole corpus (articles, speakers, quotes with spans, stances, tags, review state) as JSONL."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="File to write, or - for standard output.")

    def handle(self, *args, output: str, **options):
        if output == "-":
            for line in corpus_lines():
                sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
            return
        lines = 0
        with open(output, "wb") as fh:
            for line in corpus_lines():
                fh.write(line)
                lines += 1
        self.stderr.write(f"Wrote {lines:,} records to {output}.")
