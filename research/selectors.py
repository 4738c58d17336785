"""Reads behind the research pages. Each function runs a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Layer, Quote, Stance, StanceTarget, Status
from annotations.pagination import COUNT_CAP
from corpus.models import Article, Speaker

from .filters import ArticleSearchFilter, SpeakerListFilter
from .models import Tally

STANCE_LABELS = [label for label, _ in Stance.Label.choices]
TOP_SPEAKERS = 15
TOP_OUTLETS = 15


def accepted_quotes() -> Any:
    """The curated corpus: every research page counts and lists these (one row per quote)."""
    return Quote.objects.curated()


def quote_rows(queryset: Any) -> Any:
    """Quotes ready to list: article, speaker, cluster, stances (with targets) and tags in 3 extra queries."""
    return queryset.select_related("article", "speaker", "cluster_membership__cluster").prefetch_related(
        Prefetch("stances", queryset=Stance.objects.select_related("target").order_by("target__name", "id")),
        "tags",
    )


def browse_quotes(data: Any, *, default_status: str = Status.ACCEPTED) -> QuoteFilter:
    """The quote browser's filter set over the curated layer; ``.qs`` is exactly what the CSV export of
    the same query holds."""
    return QuoteFilter(data, queryset=Quote.objects.curated(), default_status=default_status)


# --- counts and charts -----------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    key: str = ""  # e.g. the month "2024-03", for links
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class TimeChart:
    bars: list[Bar]
    max_value: int
    width: int
    height: int
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label) for year marks
    y_ticks: list[tuple[float, int]] = field(default_factory=list)


def _month_add(month: datetime.date, n: int = 1) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def time_chart(series: list[tuple[datetime.date, int]], *, width: int = 880, height: int = 220) -> TimeChart | None:
    """Coordinates of an SVG bar chart (computed here; the template only places numbers and escaped labels)."""
    if not series:
        return None
    left, bottom, top = 40, 24, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    max_value = max(n for _, n in series) or 1
    step = min(plot_w / len(series), 48)  # a few months do not make fat bars
    bar_w = max(step * 0.8, 1)
    few = len(series) <= 12
    bars, ticks = [], []
    for i, (month, n) in enumerate(series):
        h = plot_h * n / max_value
        x = left + i * step
        bars.append(
            Bar(
                label=month.strftime("%B %Y"),
                value=n,
                key=month.strftime("%Y-%m"),
                x=round(x, 2),
                y=round(top + plot_h - h, 2),
                width=round(bar_w, 2),
                height=round(h, 2),
            )
        )
        if few and (i % 2 == 0 or len(series) <= 6):
            ticks.append((round(x, 2), month.strftime("%b %Y")))
        elif not few and (month.month == 1 or i == 0):
            ticks.append((round(x, 2), str(month.year)))
    y_ticks = [(round(top + plot_h - plot_h * v / max_value, 2), v) for v in sorted({0, max_value // 2, max_value})]
    return TimeChart(bars=bars, max_value=max_value, width=width, height=height, ticks=ticks, y_ticks=y_ticks)


def _tally(dimension: str, scope: int = 0) -> Any:
    return Tally.objects.filter(dimension=dimension, scope=scope, n__gt=0)


def tally_months(dimension: str = Tally.Dimension.MONTH, scope: int = 0) -> list[tuple[datetime.date, int]]:
    """Quotes per month (from the tallies), every month between the first and last (gaps as 0)."""
    counts = {}
    for key, n in _tally(dimension, scope).values_list("key", "n"):
        year, month = key.split("-")
        counts[datetime.date(int(year), int(month), 1)] = n
    if not counts:
        return []
    first, last = min(counts), max(counts)
    series, month = [], first
    while month <= last:
        series.append((month, counts.get(month, 0)))
        month = _month_add(month)
    return series


def corpus_overview() -> dict[str, Any]:
    """Counts for the overview page, from the summary tables (research.models): 7 small queries; only the
    speakers are counted in their table (an index-only count: 20,000 speakers at a million quotes)."""
    D = Tally.Dimension
    by_status = dict(_tally(D.STATUS).values_list("key", "n"))
    statuses = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    kinds = dict(_tally(D.KIND).values_list("key", "n"))
    top_outlets = list(_tally(D.OUTLET).order_by("-n", "key").values_list("key", "n")[:TOP_OUTLETS])
    articles = dict(_tally(D.ARTICLES).values_list("key", "n"))  # one row per outlet
    outlets = [{"outlet": o, "articles": articles.get(o, 0), "quote_count": n} for o, n in top_outlets]
    top = list(_tally(D.SPEAKER).order_by("-n", "key").values_list("key", "n")[:TOP_SPEAKERS])
    by_id = Speaker.objects.in_bulk([int(k) for k, _ in top])
    speakers = []
    for key, n in top:
        speaker = by_id.get(int(key))
        if speaker is not None:
            speaker.n = n  # type: ignore[attr-defined]  # for the template, as an annotation would
            speakers.append(speaker)
    series = tally_months()
    return {
        "statuses": statuses,
        "total_quotes": sum(by_status.values()),
        "accepted_count": sum(kinds.values()),
        "article_count": sum(articles.values()),
        "speaker_count": Speaker.objects.count(),
        "outlets": outlets,
        "outlet_max": max((o["quote_count"] for o in outlets), default=0),
        "top_speakers": speakers,
        "speaker_max": max((s.n for s in speakers), default=0),  # type: ignore[attr-defined]
        "kinds": [(value, label, kinds.get(value, 0)) for value, label in Quote.Kind.choices],
        "months": series,
        "time_chart": time_chart(series),
    }


@dataclass
class StanceRow:
    """Stance counts (one per annotator's stance) for one speaker or target, with bar widths in %."""

    label: str
    key: int
    counts: dict[str, Any]
    total: int = 0

    @property
    def segments(self) -> Any:
        return [
            (name, self.counts.get(name, 0), round(100 * self.counts.get(name, 0) / self.total, 2) if self.total else 0)
            for name in STANCE_LABELS
        ]


def _stance_rows(cells: Any, names: dict[int, str]) -> list[StanceRow]:
    """StanceRows from ``(id, label, n)`` triples, ordered by name as the page lists them."""
    rows: dict[int, StanceRow] = {}
    for key, label, n in cells:
        if key not in names:
            continue
        item = rows.setdefault(key, StanceRow(label=names[key], key=key, counts={}))
        item.counts[label] = item.counts.get(label, 0) + n
        item.total += n
    return sorted(rows.values(), key=lambda r: (r.label, r.key))


def _split(key: str) -> tuple[int, str]:
    pk, label = key.split(":", 1)
    return int(pk), label


def stance_rows_by_target(dimension: str, scope: int = 0) -> list[StanceRow]:
    """Stance counts by target: the corpus's (``stance``), or one speaker's (``sp_stance``, scope = speaker)."""
    cells = [(*_split(key), n) for key, n in _tally(dimension, scope).values_list("key", "n")]
    names = dict(StanceTarget.objects.filter(pk__in={c[0] for c in cells}).values_list("pk", "name"))
    return _stance_rows(cells, names)


def stance_matrix(*, target: StanceTarget | None, limit: int = 25, cap: int = COUNT_CAP) -> dict[str, Any]:
    """Stance by target, or by speaker for one target, from the summary tables: 2 queries, or 5 for one
    target (whatever the number of speakers: the top ``limit`` speakers by stances, ties by id, are an
    index walk, and the rest are counted up to ``cap``)."""
    D = Tally.Dimension
    counts = dict(_tally(D.TARGET).values_list("key", "n"))
    targets = list(StanceTarget.objects.order_by("name", "id"))
    for t in targets:
        t.n = counts.get(str(t.pk), 0)  # type: ignore[attr-defined]  # for the template
    if target is None:
        return {"targets": targets, "rows": stance_rows_by_target(D.STANCE), "group": "target"}
    totals = _tally(D.TARGET_SPEAKER_TOTAL, target.pk)
    top = [int(key) for key in totals.order_by("-n", "key").values_list("key", flat=True)[:limit]]
    keys = [f"{pk}:{label}" for pk in top for label in STANCE_LABELS]
    cells = [
        (*_split(key), n) for key, n in _tally(D.TARGET_SPEAKER, target.pk).filter(key__in=keys).values_list("key", "n")
    ]
    names = dict(Speaker.objects.filter(pk__in=top).values_list("pk", "name"))
    rows = _stance_rows(cells, names)
    rows.sort(key=lambda r: (-r.total, r.label))
    speakers = totals[: cap + 1].count() if len(top) == limit else len(top)
    return {
        "targets": targets,
        "rows": rows,
        "more": max(min(speakers, cap) - limit, 0),
        "more_capped": speakers > cap,
        "group": "speaker",
    }


# --- articles ----------------------------------------------------------------------------------


def article_search(data: Any) -> ArticleSearchFilter:
    """The article search page's filter; ``.qs`` holds the articles with their accepted-quote counts
    (one query per page), nothing when a value is invalid."""
    articles = Article.objects.defer("body_hash").annotate(
        accepted_quotes=Count("quotes", filter=Q(quotes__layer=Layer.CURATED))
    )
    return ArticleSearchFilter(data, queryset=articles.order_by("-published", "title", "id"))


def outlets() -> list[str]:
    """The outlets of the corpus's articles, A–Z, from the articles-by-outlet tally (one row per outlet)."""
    return list(_tally(Tally.Dimension.ARTICLES).exclude(key="").order_by("key").values_list("key", flat=True))


def article_annotations(article: Article) -> tuple[list[Quote], list[EntityMention]]:
    quotes = list(
        quote_rows(accepted_quotes().filter(article=article)).prefetch_related("spans").order_by("start", "end", "id")
    )
    mentions = list(
        EntityMention.objects.curated().filter(article=article).select_related("speaker").order_by("start", "end", "id")
    )
    return quotes, mentions


# --- speakers ----------------------------------------------------------------------------------


def speaker_list(data: Any) -> SpeakerListFilter:
    """The speaker list's filter; ``.qs`` holds the speakers with their accepted-quote counts."""
    speakers = Speaker.objects.select_related("affiliation").annotate(
        accepted_quotes=Count("quotes", filter=Q(quotes__layer=Layer.CURATED))
    )
    return SpeakerListFilter(data, queryset=speakers.order_by("-accepted_quotes", "name", "id"))


def speaker_detail(speaker: Speaker) -> dict[str, Any]:
    D = Tally.Dimension
    quotes = accepted_quotes().filter(speaker=speaker)
    series = tally_months(D.SPEAKER_MONTH, speaker.pk)
    count = _tally(D.SPEAKER).filter(key=str(speaker.pk)).values_list("n", flat=True).first() or 0
    return {
        "aliases": list(speaker.aliases.all()),
        "quote_count": count,
        "stance_rows": stance_rows_by_target(D.SPEAKER_STANCE, speaker.pk),
        "time_chart": time_chart(series, width=640, height=180),
        "months": series,
        "quotes": quote_rows(quotes).order_by("-article__published", "article_id", "start", "id"),
    }
