"""Score the rule-based suggestions against gold quotes: the corpus's accepted quotes, or a directory."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from annotations.models import Quote
from corpus.models import Article, SpeakerAlias
from suggestions import extractor
from suggestions.scoring import THRESHOLDS, Item, Scores, score
from suggestions.selectors import known_speaker_aliases

GGT_ENGLISH = {"0.3": {"precision": 84.6, "recall": 82.7, "f1": 83.7}, "0.8": {"f1": 76.1}, "speaker_accuracy": 86.5}


def load_gold_file(path: Path) -> tuple[str, list[Item]]:
    """A gold file: {"text": ..., "quotes": [{"spans": [[s, e], ...], "speaker": ..., "aliases": [...]}]}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        text, quotes = data["text"], data["quotes"]
        items = []
        for q in quotes:
            spans = [(int(s), int(e)) for s, e in q["spans"]]
            for s, e in spans:
                if not 0 <= s < e <= len(text):
                    raise ValueError(f"span {s}-{e} is outside the text")
            items.append(Item(spans, q.get("speaker"), tuple(q.get("aliases", ())), q.get("kind")))
        return text, items
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{path}: not a gold file ({error}).") from None


class Command(BaseCommand):
    help = (
        "Score suggestions against the ACCEPTED quotes of the corpus (or --gold-dir): precision, recall "
        "and F1 at character-overlap thresholds 0.3 and 0.8 (shared characters / gold characters), and "
        "speaker accuracy on matched quotes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--article", type=int, action="append", help="Only these article ids (repeatable).")
        parser.add_argument(
            "--gold-dir",
            "--folder",
            dest="gold_dir",
            help="Score the JSON gold files of this directory (an evaluation folder) instead of the corpus.",
        )
        parser.add_argument(
            "--no-aliases", action="store_true", help="Do not pass known speakers' aliases to the rules."
        )
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--verbose-errors", action="store_true", help="List missed and spurious quotes.")

    def handle(self, *args, **options):
        if options["gold_dir"]:
            docs = self._gold_dir(Path(options["gold_dir"]), options["no_aliases"])
        else:
            docs = self._corpus(options["article"], options["no_aliases"])
        total = Scores()
        per_doc = []
        for name, text, predicted, gold in docs:
            scores = score(predicted, gold)
            total.add(scores)
            per_doc.append({"name": name, **scores.figures()})
            if options["verbose_errors"]:
                self._errors(name, text, predicted, gold)
        figures = {"documents": len(per_doc), **total.figures(), "per_document": per_doc, "ggt_english": GGT_ENGLISH}
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self._table(figures)

    def _predict(self, text: str, no_aliases: bool) -> list[Item]:
        aliases = None if no_aliases else known_speaker_aliases(text)
        return [Item(s.spans, s.speaker, kind=s.kind) for s in extractor.extract(text, aliases)]

    def _corpus(self, article_ids, no_aliases):
        accepted = (
            Quote.objects.curated()
            .select_related("speaker")
            .prefetch_related(
                "spans", Prefetch("speaker__aliases", queryset=SpeakerAlias.objects.only("alias", "speaker_id"))
            )
        )
        articles = (
            Article.objects.filter(quotes__layer="curated")
            .distinct()
            .prefetch_related(Prefetch("quotes", queryset=accepted, to_attr="gold_quotes"))
            .order_by("id")
        )
        if article_ids:
            articles = articles.filter(pk__in=article_ids)
        result = []
        for article in articles:
            gold = [
                Item(
                    [(s.start, s.end) for s in q.spans.all()],
                    q.speaker.name if q.speaker_id else None,
                    tuple(a.alias for a in q.speaker.aliases.all()) if q.speaker_id else (),
                    q.kind,
                )
                for q in article.gold_quotes
            ]
            result.append(
                (f"article {article.pk}: {article.title}", article.body, self._predict(article.body, no_aliases), gold)
            )
        if not result:
            raise CommandError(
                "No article has accepted quotes to score against (load a fixture or review quotes first)."
            )
        return result

    def _gold_dir(self, directory: Path, no_aliases: bool):
        if not directory.is_dir():
            raise CommandError(f"No such directory: {directory}")
        files = sorted(directory.glob("*.json"))
        if not files:
            raise CommandError(f"{directory} holds no .json gold files.")
        result = []
        for path in files:
            text, gold = load_gold_file(path)
            predicted = [
                Item(s.spans, s.speaker, kind=s.kind) for s in extractor.extract(text, None if no_aliases else {})
            ]
            result.append((path.name, text, predicted, gold))
        return result

    def _errors(self, name, text, predicted, gold):
        pred_chars = [p.chars() for p in predicted]
        gold_chars = [g.chars() for g in gold]
        self.stdout.write(f"== {name}")
        for g, gc in zip(gold, gold_chars):
            best = max((len(gc & pc) / len(gc) for pc in pred_chars), default=0)
            if best < 0.3:
                self.stdout.write(f"  MISSED ({g.speaker}): {' … '.join(text[s:e] for s, e in g.spans)[:160]}")
        from suggestions.scoring import _match, speakers_agree

        for p, g in _match(predicted, gold, min(THRESHOLDS)):
            if not speakers_agree(p.speaker, g):
                self.stdout.write(
                    f"  SPEAKER {p.speaker!r} for {g.speaker!r}: {' … '.join(text[s:e] for s, e in g.spans)[:100]}"
                )
        for p, pc in zip(predicted, pred_chars):
            if not any(len(gc & pc) / len(gc) >= 0.3 for gc in gold_chars if gc):
                self.stdout.write(f"  SPURIOUS ({p.speaker}): {' … '.join(text[s:e] for s, e in p.spans)[:160]}")

    def _table(self, f):
        self.stdout.write(f"Documents: {f['documents']}; suggestions: {f['suggestions']}; gold quotes: {f['gold']}")
        self.stdout.write(f"{'':<22}{'precision':>10}{'recall':>10}{'F1':>8}")
        for t in THRESHOLDS:
            row = f[str(t)]
            self.stdout.write(f"{'overlap ≥ ' + str(t):<22}{row['precision']:>10}{row['recall']:>10}{row['f1']:>8}")
        self.stdout.write(f"{'by kind':<22}{'gold':>6}{'R @0.3':>8}{'R @0.8':>8}{'sugg.':>7}{'P @0.3':>8}{'P @0.8':>8}")
        for kind, row in f["by_kind"].items():
            cells = [row["0.3"]["recall"], row["0.8"]["recall"], row["0.3"]["precision"], row["0.8"]["precision"]]
            r3, r8, p3, p8 = ("—" if c is None else c for c in cells)
            self.stdout.write(f"{kind:<22}{row['gold']:>6}{r3:>8}{r8:>8}{row['suggestions']:>7}{p3:>8}{p8:>8}")
        bp = f["boundary_precision"]
        self.stdout.write(
            f"Boundary precision: {bp if bp is not None else '—'} (predicted characters inside the gold span, "
            "matched quotes)"
        )
        acc = f["speaker_accuracy"]
        self.stdout.write(
            f"Speaker accuracy: {acc if acc is not None else '—'} (on {f['speaker_matched']} matched quotes)"
        )
        self.stdout.write(
            "Gender Gap Tracker (English): P 84.6, R 82.7, F1 83.7 at 0.3; F1 76.1 at 0.8; speaker accuracy 86.5"
        )
