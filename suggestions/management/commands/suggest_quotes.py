"""Suggest quotes for a plain text file (printed) or for an article (stored, replacing its pending ones)."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from corpus.errors import validation_message
from corpus.models import Article
from suggestions import extractor
from suggestions.selectors import known_speaker_aliases
from suggestions.services import suggest_for_article


class Command(BaseCommand):
    help = (
        "Suggest quotes. --text-file FILE prints them (--json: a JSON list of objects with keys kind, "
        "spans, cue, speaker, speaker_mention; code-point offsets into the file's text). --article ID "
        "stores them for an article, replacing its pending suggestions (all or nothing)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--text-file", help="A UTF-8 plain text file.")
        source.add_argument("--article", type=int, help="The id of an article; its suggestions are stored.")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of a readable list.")
        parser.add_argument(
            "--no-aliases",
            action="store_true",
            help="With --text-file: do not use the known speakers' aliases (no database access at all).",
        )

    def handle(self, *args, **options):
        if options["text_file"]:
            text = self._read(options["text_file"])
            aliases = None if options["no_aliases"] else self._aliases(text)
            items = extractor.extract(text, aliases)
            self._print(text, [i.as_dict() | {"rule": i.rule} for i in items], options["json"])
            return
        try:
            article = Article.objects.get(pk=options["article"])
        except Article.DoesNotExist:
            raise CommandError(f"There is no article with id {options['article']}.") from None
        try:
            stored = suggest_for_article(article=article)
        except ValidationError as error:
            raise CommandError(f"Nothing stored: {validation_message(error)}") from None
        rows = [
            {
                "kind": s.kind,
                "spans": s.spans,
                "cue": s.cue,
                "speaker": s.speaker_name or None,
                "speaker_mention": s.speaker_mention,
                "rule": s.rule,
            }
            for s in stored
        ]
        if options["json"]:
            self._print(article.body, rows, True)
        else:
            self.stdout.write(f"Stored {len(stored)} pending suggestion(s) for article {article.pk} “{article.title}”.")

    def _read(self, name: str) -> str:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        try:
            # newline="" keeps the text exactly as in the file, so offsets point into it.
            with path.open(encoding="utf-8", newline="") as handle:
                text = handle.read()
        except UnicodeDecodeError as error:
            raise CommandError(f"{name} is not UTF-8 text (byte {error.start}); convert it to UTF-8 first.") from None
        return text

    def _aliases(self, text: str) -> dict[str, str] | None:
        from django.db import DatabaseError

        try:
            return known_speaker_aliases(text)
        except DatabaseError:
            return None  # no database yet (a clean clone before migrate): rules alone

    def _print(self, text: str, rows: list[dict], as_json: bool) -> None:
        if as_json:
            public = [{k: r[k] for k in ("kind", "spans", "cue", "speaker", "speaker_mention")} for r in rows]
            self.stdout.write(json.dumps(public, ensure_ascii=False, indent=2))
            return
        for r in rows:
            quoted = " … ".join(text[s:e] for s, e in r["spans"])
            self.stdout.write(f"[{r['kind']}, {r['rule']}] {r['speaker'] or '(no speaker)'}: “{quoted}”")
        self.stdout.write(f"{len(rows)} suggestion(s).")
