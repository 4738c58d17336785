"""Which rows a release holds: the curated quotes its filters choose, and what they point to.

- quotes: the curated quotes of ``QuoteFilter`` (the exports' rule, ``exports.writers.filtered_quotes``),
  in text order;
- stances: the curated stances of those quotes; stance targets: the targets of those stances;
- articles: the articles those quotes are in; entities: the curated (accepted) entity mentions of
  those articles;
- speakers: the quotes' speakers, the organizations they speak for, and the speakers entity mentions
  link to (so every id in the release points to a row of the release).
"""

from dataclasses import dataclass

from django.db.models import Model, Q, QuerySet

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Layer, Quote, Stance, StanceTarget, Status
from corpus.models import Article, Speaker
from exports.codebook import ARTICLES, ENTITIES, QUOTES, SPEAKERS, STANCES, ExportFile
from exports.writers import InvalidFilters, filtered_quotes

# QuoteFilter's parameters a release may use: not ``status`` (curated quotes are all accepted) nor
# ``sort`` (a release is in text order, always).
FILTER_NAMES: tuple[str, ...] = tuple(name for name in QuoteFilter.base_filters if name not in ("status", "sort"))

# The five tables of the exports, in the order the zip holds them.
TABLES: tuple[ExportFile, ...] = (QUOTES, STANCES, ENTITIES, SPEAKERS, ARTICLES)


def _ordering(model: type[Model]) -> list[str]:
    return [str(field) for field in model._meta.ordering or ()]


def clean_filters(filters: dict[str, object]) -> dict[str, str]:
    """Known names with non-empty values, as strings, in name order; raises InvalidFilters."""
    unknown = sorted(set(filters) - set(FILTER_NAMES))
    if unknown:
        raise InvalidFilters({name: [f"Unknown filter. Known filters: {', '.join(FILTER_NAMES)}."] for name in unknown})
    cleaned = {name: str(value).strip() for name, value in sorted(filters.items()) if str(value or "").strip()}
    filtered_quotes(cleaned)  # raises InvalidFilters with the filter's own messages
    return cleaned


@dataclass(frozen=True)
class Selection:
    quotes: QuerySet  # text order

    @property
    def quote_ids(self) -> QuerySet:
        return self.quotes.order_by().values("pk")

    @property
    def article_ids(self) -> QuerySet:
        return self.quotes.order_by().values("article_id")

    @property
    def stances(self) -> QuerySet:
        return Stance.objects.filter(quote_id__in=self.quote_ids).order_by(*_ordering(Stance))

    @property
    def stance_targets(self) -> QuerySet:
        return StanceTarget.objects.filter(pk__in=self.stances.order_by().values("target_id")).order_by("id")

    @property
    def articles(self) -> QuerySet:
        return Article.objects.filter(pk__in=self.article_ids).order_by("id")

    @property
    def entities(self) -> QuerySet:
        return EntityMention.objects.filter(
            layer=Layer.CURATED, status=Status.ACCEPTED, article_id__in=self.article_ids
        ).order_by(*_ordering(EntityMention))

    @property
    def speakers(self) -> QuerySet:
        # DISTINCT: under an OR, PostgreSQL cannot make these IN lists semi-joins; it hashes a subquery only
        # when it expects the hash to fit in work_mem, which it did not for the 960,000 speaker ids of a 1M
        # release (not hashed: the subquery ran again per speaker, 99 s instead of 0.8 s).
        quoted = self.quotes.order_by().filter(speaker__isnull=False).values("speaker_id").distinct()
        affiliations = (
            Speaker.objects.filter(pk__in=quoted, affiliation__isnull=False).values("affiliation_id").distinct()
        )
        mentioned = self.entities.order_by().filter(speaker__isnull=False).values("speaker_id").distinct()
        return Speaker.objects.filter(Q(pk__in=quoted) | Q(pk__in=affiliations) | Q(pk__in=mentioned)).order_by("id")

    def table(self, export: ExportFile) -> QuerySet:
        return {
            QUOTES.slug: self.quotes,
            STANCES.slug: self.stances,
            ENTITIES.slug: self.entities,
            SPEAKERS.slug: self.speakers,
            ARTICLES.slug: self.articles,
        }[export.slug]

    def quotes_by_article(self) -> QuerySet:
        """The quotes in (article, position) order with what the per-article files need."""
        return self.quotes.order_by("article_id", "start", "end", "id").select_related("speaker")


def selection(filters: dict[str, str]) -> Selection:
    qs = filtered_quotes(filters)
    if [str(o) for o in qs.query.order_by] != _ordering(Quote):
        qs = qs.order_by(*_ordering(Quote))
    return Selection(quotes=qs)
