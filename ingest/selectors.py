"""Reads for the brat export: articles with the quotes and entity mentions to write, in a fixed number of queries."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Quote, QuoteSpan, Status
from corpus.models import Article

from . import interchange

MAX_EXPORT_ARTICLES = 5000


@dataclass
class BratDocument:
    article: Article
    quotes: list[Quote]
    mentions: list[EntityMention]

    @property
    def stem(self) -> str:
        return f"{self.article.pk}-{self.article.slug}"[:120]

    def ann(self) -> str:
        return interchange.write_brat(self.article, self.quotes, self.mentions)

    def meta(self) -> str:
        a = self.article
        return json.dumps(
            {
                "title": a.title,
                "url": a.url,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else "",
                "byline": a.byline,
                "dateline": a.dateline,
                "language": a.language,
                "tags": sorted(t.name for t in a.tags.all()),
            },
            ensure_ascii=False,
            indent=1,
        )


def brat_documents(quote_filter: QuoteFilter, *, article: Article | None = None) -> list[BratDocument]:
    """The articles to export (``article``, or every article with a quote passing the filter), each with the
    filtered quotes and the entity mentions of the same status (and annotator, when the filter names one)."""
    quotes_qs = (
        quote_filter.qs.select_related("speaker")
        .prefetch_related(Prefetch("spans", queryset=QuoteSpan.objects.order_by("position")))
        .order_by("article_id", "start", "end", "id")
    )
    if article is not None:
        articles = list(Article.objects.filter(pk=article.pk).with_tags())
    else:
        ids = quote_filter.qs.order_by().values_list("article_id", flat=True).distinct()[:MAX_EXPORT_ARTICLES]
        articles = list(Article.objects.filter(pk__in=list(ids)).with_tags().order_by("pk"))
    ids = [a.pk for a in articles]
    quotes: dict[int, list[Quote]] = {}
    for quote in quotes_qs.filter(article_id__in=ids):
        quotes.setdefault(quote.article_id, []).append(quote)
    mentions_qs = EntityMention.objects.filter(layer=quote_filter.layer, article_id__in=ids).order_by(
        "article_id", "start", "end", "label", "id"
    )
    data = quote_filter.form.cleaned_data if quote_filter.is_bound and quote_filter.form.is_valid() else {}
    status = data.get("status") or Status.ACCEPTED
    if status != "all":
        mentions_qs = mentions_qs.filter(status=status)
    if data.get("annotator"):
        supported = EntityMention.objects.filter(annotator_id=data["annotator"], curated__isnull=False)
        mentions_qs = mentions_qs.filter(Q(annotator_id=data["annotator"]) | Q(pk__in=supported.values("curated_id")))
    mentions: dict[int, list[EntityMention]] = {}
    for mention in mentions_qs:
        mentions.setdefault(mention.article_id, []).append(mention)
    return [BratDocument(a, quotes.get(a.pk, []), mentions.get(a.pk, [])) for a in articles]
