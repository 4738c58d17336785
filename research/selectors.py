"""Reads behind the research pages. Each function runs a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Layer, Quote, Stance, StanceTarget, Status
from corpus.models import Article, Speaker
from corpus.search import search

STANCE_LABELS = [label for label, _ in Stance.Label.choices]
TOP_SPEAKERS = 15


def accepted_quotes() -> Any:
    """The curated corpus: every research page counts and lists these (one row per quote)."""
    return Quote.objects.curated()


def quote_rows(queryset: Any) -> Any:
    """Quotes ready to list: article, speaker, stances (with targets) and tags in 3 extra queries."""
    return queryset.select_related("article", "speaker").prefetch_related(
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


def monthly_counts(queryset: Any) -> list[tuple[datetime.date, int]]:
    """Quotes per month of article publication, every month between the first and last (gaps as 0)."""
    rows = (
        queryset.filter(article__published__isnull=False)
        .annotate(month=TruncMonth("article__published"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    counts = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        counts[month.replace(day=1)] = row["n"]
    if not counts:
        return []
    first, last = min(counts), max(counts)
    series, month = [], first
    while month <= last:
        series.append((month, counts.get(month, 0)))
        month = _month_add(month)
    return series


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


def corpus_overview() -> dict[str, Any]:
    """Counts for the overview page: 8 queries."""
    by_status = dict(Quote.objects.annotations().values_list("status").annotate(n=Count("id")).order_by())
    statuses = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    accepted = accepted_quotes()
    outlets = list(
        Article.objects.values("outlet")
        .annotate(
            articles=Count("id", distinct=True), quote_count=Count("quotes", filter=Q(quotes__layer=Layer.CURATED))
        )
        .order_by("-quote_count", "-articles", "outlet")
    )
    speakers = list(
        Speaker.objects.annotate(n=Count("quotes", filter=Q(quotes__layer=Layer.CURATED)))
        .filter(n__gt=0)
        .order_by("-n", "name", "id")[:TOP_SPEAKERS]
    )
    kinds = dict(accepted.values_list("kind").annotate(n=Count("id")).order_by())
    series = monthly_counts(accepted)
    return {
        "statuses": statuses,
        "total_quotes": sum(by_status.values()),
        "accepted_count": accepted.count(),
        "article_count": Article.objects.count(),
        "speaker_count": Speaker.objects.count(),
        "outlets": outlets,
        "outlet_max": max((o["quote_count"] for o in outlets), default=0),
        "top_speakers": speakers,
        "speaker_max": max((s.n for s in speakers), default=0),
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


def stance_rows(stances: Any, group: str) -> list[StanceRow]:
    """Group stance counts by ``group`` ("target" or "speaker"): one query."""
    name_field = "quote__speaker__name" if group == "speaker" else "target__name"
    id_field = "quote__speaker_id" if group == "speaker" else "target_id"
    rows: dict[int, StanceRow] = {}
    for row in stances.values(id_field, name_field, "label").annotate(n=Count("id")).order_by(name_field, id_field):
        item = rows.setdefault(row[id_field], StanceRow(label=row[name_field], key=row[id_field], counts={}))
        item.counts[row["label"]] = row["n"]
        item.total += row["n"]
    return list(rows.values())


def accepted_stances() -> Any:
    return Stance.objects.filter(quote__layer=Layer.CURATED)


def stance_matrix(*, target: StanceTarget | None, limit: int = 25) -> dict[str, Any]:
    """Stance by speaker for one target (or by target over all speakers): 2 queries."""
    stances = accepted_stances().filter(quote__speaker__isnull=False)
    targets = list(StanceTarget.objects.annotate(n=Count("stances", filter=Q(stances__quote__layer=Layer.CURATED))))
    if target is None:
        return {"targets": targets, "rows": stance_rows(stances, "target"), "group": "target"}
    rows = stance_rows(stances.filter(target=target), "speaker")
    rows.sort(key=lambda r: (-r.total, r.label))
    return {"targets": targets, "rows": rows[:limit], "more": max(len(rows) - limit, 0), "group": "speaker"}


# --- articles ----------------------------------------------------------------------------------


def article_search(data: Any) -> tuple[Any, ...]:
    """Articles for the article search page, with their accepted-quote counts (one query per page)."""
    q = (data.get("q") or "").strip()
    articles = Article.objects.defer("body_hash").annotate(
        accepted_quotes=Count("quotes", filter=Q(quotes__layer=Layer.CURATED))
    )
    if data.get("outlet"):
        articles = articles.filter(outlet__iexact=data["outlet"].strip())
    articles = search(articles, ["title", "body"], q)
    return articles.order_by("-published", "title", "id"), q


def outlets() -> list[str]:
    return list(Article.objects.exclude(outlet="").values_list("outlet", flat=True).distinct().order_by("outlet"))


def article_annotations(article: Article) -> tuple[list[Quote], list[EntityMention]]:
    quotes = list(
        quote_rows(accepted_quotes().filter(article=article)).prefetch_related("spans").order_by("start", "end", "id")
    )
    mentions = list(
        EntityMention.objects.curated().filter(article=article).select_related("speaker").order_by("start", "end", "id")
    )
    return quotes, mentions


# --- speakers ----------------------------------------------------------------------------------


def speaker_list(data: Any) -> Any:
    q = (data.get("q") or "").strip()
    speakers = Speaker.objects.select_related("affiliation").annotate(
        accepted_quotes=Count("quotes", filter=Q(quotes__layer=Layer.CURATED))
    )
    if data.get("kind") in Speaker.Kind.values:
        speakers = speakers.filter(kind=data["kind"])
    speakers = search(speakers, ["name"], q)
    return speakers.order_by("-accepted_quotes", "name", "id"), q


def speaker_detail(speaker: Speaker) -> dict[str, Any]:
    quotes = accepted_quotes().filter(speaker=speaker)
    series = monthly_counts(quotes)
    return {
        "aliases": list(speaker.aliases.all()),
        "quote_count": quotes.count(),
        "stance_rows": stance_rows(accepted_stances().filter(quote__speaker=speaker), "target"),
        "time_chart": time_chart(series, width=640, height=180),
        "months": series,
        "quotes": quote_rows(quotes).order_by("-article__published", "article_id", "start", "id"),
    }
