from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations.filters import STATUS_CHOICES, QuoteFilter
from annotations.models import Layer, Quote, Status
from corpus.models import Article
from ingest import archives, selectors
from ingest.interchange import BRAT_CONF, BRAT_VISUAL_CONF


class Command(BaseCommand):
    help = (
        "Export articles with their annotations as brat standoff: a .zip, or a directory holding "
        "annotation.conf and per article ID-slug.txt / .ann / .json."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", metavar="OUTPUT", help="a .zip file, or a directory")
        parser.add_argument(
            "--article",
            type=int,
            action="append",
            dest="articles",
            metavar="ID",
            help="export this article (repeatable); default: every article with a matching quote",
        )
        parser.add_argument("--status", choices=[c for c, _ in STATUS_CHOICES], default=Status.ACCEPTED)
        parser.add_argument("--annotator-id", type=int, help="only this annotator's quotes and entity mentions")
        parser.add_argument(
            "--layer",
            choices=Layer.values,
            default=Layer.CURATED,
            help="the curated corpus (default), or the annotators' own layers",
        )

    def handle(
        self, *args, output: str, articles=None, status: str, annotator_id=None, layer: str = Layer.CURATED, **options
    ):
        data = {"status": status}
        if annotator_id:
            data["annotator"] = str(annotator_id)
        documents = []
        if articles:
            found = {a.pk: a for a in Article.objects.filter(pk__in=articles)}
            missing = sorted(set(articles) - set(found))
            if missing:
                raise CommandError(f"No article with id {', '.join(map(str, missing))}.")
            for pk in articles:
                documents += selectors.brat_documents(
                    QuoteFilter(data, queryset=Quote.objects.all(), layer=layer), article=found[pk]
                )
        else:
            documents = selectors.brat_documents(QuoteFilter(data, queryset=Quote.objects.all(), layer=layer))
        target = Path(output)
        if target.suffix.lower() == ".zip":
            target.write_bytes(archives.brat_zip(documents))
        else:
            target.mkdir(parents=True, exist_ok=True)
            (target / "annotation.conf").write_text(BRAT_CONF, encoding="utf-8")
            (target / "visual.conf").write_text(BRAT_VISUAL_CONF, encoding="utf-8")
            for doc in documents:
                (target / f"{doc.stem}.txt").write_text(doc.article.body, encoding="utf-8", newline="")
                (target / f"{doc.stem}.ann").write_text(doc.ann(), encoding="utf-8", newline="")
                (target / f"{doc.stem}.json").write_text(doc.meta(), encoding="utf-8")
        quotes = sum(len(d.quotes) for d in documents)
        self.stdout.write(f"Exported {len(documents)} article(s), {quotes} quote(s) to {output}.")
