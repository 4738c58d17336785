"""“Who gets quoted”: shares of curated quotes, and of distinct speakers, by gender, role and kind,
overall and by outlet and month, each with a 95% Wilson interval. Unknowns are counted, never dropped.

The figures come from the summary table ``research.SpeakerTally`` (curated quotes per speaker, outlet
and month, kept by the services on commit), with the speaker's gender, role or kind joined as the page
reads: three grouped queries over that table, whatever the number of quotes. The quote browser's
filters that the table answers are applied to it (``summary_scope``); with any other filter the page
counts the matching quotes themselves, up to ``LIVE_LIMIT`` of them (``who_from_quotes``), and says so.
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, Count, FilteredRelation, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from annotations.filters import QuoteFilter, equals_ignoring_case
from annotations.models import Status
from corpus.models import RoleCategory, Speaker, SpeakerAttribute

from .models import SpeakerTally

NO_SPEAKER = "no-speaker"
UNKNOWN = "unknown"
Z95 = 1.959963984540054
# Filters the summary cannot answer: the page counts the matching quotes itself, if there are no more
# than this many of them (one capped count first).
LIVE_LIMIT = 50_000
PALETTE = 10  # colours of the stacked bars (static/css: .seg-0 … .seg-9)


def wilson(count: int, total: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the share ``count / total`` (0–1); (0, 0) for an empty total."""
    if total <= 0:
        return 0.0, 0.0
    p = count / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    @property
    def low(self) -> float:
        return wilson(self.count, self.total)[0]

    @property
    def high(self) -> float:
        return wilson(self.count, self.total)[1]

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)

    @property
    def low_percent(self) -> float:
        return round(100 * self.low, 1)

    @property
    def high_percent(self) -> float:
        return round(100 * self.high, 1)

    @property
    def bar(self) -> float:
        """Bar width in SVG units (0–100)."""
        return round(100 * self.share, 2)


@dataclass
class Table:
    dimension: str  # gender, role, kind
    unit: str  # quotes, speakers
    rows: list[Share]
    total: int


@dataclass(frozen=True)
class Segment:
    """One value's part of a 100% stacked bar (SVG units 0–100), coloured by its place in the legend."""

    share: Share
    x: float
    width: float
    colour: int


@dataclass
class Group:
    name: str  # an outlet, a month "2024-03", "(no outlet)" or "(no date)"
    quotes: list[Share]
    speakers: list[Share]
    colours: dict[str, int] = field(default_factory=dict, repr=False)

    def _stack(self, shares: list[Share]) -> list[Segment]:
        segments, x = [], 0.0
        for share in shares:
            segments.append(Segment(share, round(x, 2), share.bar, self.colours.get(share.key, 9)))
            x += share.bar
        return segments

    @property
    def quote_bar(self) -> list[Segment]:
        return self._stack(self.quotes)

    @property
    def speaker_bar(self) -> list[Segment]:
        return self._stack(self.speakers)

    @property
    def stacks(self) -> list[tuple[list[Segment], list[Share]]]:
        """Quotes, then speakers: each as its stacked bar and its rows (for the template)."""
        return [(self.quote_bar, self.quotes), (self.speaker_bar, self.speakers)]


@dataclass
class Breakdown:
    """One dimension split by outlet or month: for each group, its shares of quotes and of speakers."""

    dimension: str
    by: str  # outlet, month
    groups: list[Group] = field(default_factory=list)
    legend: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, colour)


def _labels(dimension: str) -> dict[str, str]:
    if dimension == "gender":
        labels = {value: str(label) for value, label in SpeakerAttribute.Gender.choices}
    elif dimension == "role":
        labels = dict(RoleCategory.objects.values_list("code", "label"))
        labels[UNKNOWN] = "Unknown"
    else:
        labels = {value: str(label) for value, label in Speaker.Kind.choices}
    labels[NO_SPEAKER] = "No speaker attributed"
    return labels


def _shares(counts: dict[str, int], labels: dict[str, str], order: list[str]) -> tuple[list[Share], int]:
    counts = {k: v for k, v in counts.items() if v}
    total = sum(counts.values())
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [Share(k, labels.get(k, k), counts[k], total) for k in keys], total


# A grouped row: (group, dimension value, quotes, distinct speakers); group is "" for the whole table.
Row = tuple[str, str, int, int]


def _figures(dimension: str, overall: Iterable[Row], outlets: Iterable[Row], months: Iterable[Row]) -> dict:
    """The page's tables from three grouped results (the same shape from the summary or the quotes)."""
    labels = _labels(dimension)
    order = list(dict.fromkeys([*labels, UNKNOWN, NO_SPEAKER]))  # "unknown" is a label of its own already
    by_quote: dict[str, int] = {}
    by_speaker: dict[str, int] = {}
    for _, dim, quotes, speakers in overall:
        by_quote[dim] = by_quote.get(dim, 0) + quotes
        if dim != NO_SPEAKER:
            by_speaker[dim] = by_speaker.get(dim, 0) + speakers
    quote_rows, quote_total = _shares(by_quote, labels, order)
    speaker_rows, speaker_total = _shares(by_speaker, labels, order)
    # one colour per value present, in the tables' order, the same in every group's bar
    colours = {row.key: i % PALETTE for i, row in enumerate(quote_rows)}
    legend = [(row.key, row.label, colours[row.key]) for row in quote_rows]
    breakdowns = []
    for by, rows, missing in (("outlet", outlets, "(no outlet)"), ("month", months, "(no date)")):
        grouped: dict[str, tuple[dict[str, int], dict[str, int]]] = {}
        for group, dim, quotes, speakers in rows:
            q, s = grouped.setdefault(group, ({}, {}))
            q[dim] = q.get(dim, 0) + quotes
            if dim != NO_SPEAKER:
                s[dim] = s.get(dim, 0) + speakers
        groups = []
        for group in sorted(grouped, key=lambda g: (g == "", g)):
            q, s = grouped[group]
            groups.append(Group(group or missing, _shares(q, labels, order)[0], _shares(s, labels, order)[0], colours))
        breakdowns.append(Breakdown(dimension, by, groups, legend))
    return {
        "dimension": dimension,
        "quotes": Table(dimension, "quotes", quote_rows, quote_total),
        "speakers": Table(dimension, "speakers", speaker_rows, speaker_total),
        "breakdowns": breakdowns,
    }


def _dimension_value(queryset: QuerySet, dimension: str) -> QuerySet:
    """Each row with ``dim``: its speaker's value (unknown when not set), or no-speaker.

    The attribute is one LEFT JOIN on (speaker, name), unique: a hash join the planner runs once,
    not a subquery per row. Works for quotes and for SpeakerTally rows alike (both have ``speaker``)."""
    if dimension == "kind":
        value = Coalesce("speaker__kind", Value(UNKNOWN))
    else:
        queryset = queryset.annotate(
            attr=FilteredRelation("speaker__attributes", condition=Q(speaker__attributes__name=dimension))
        )
        value = Coalesce("attr__value", Value(UNKNOWN))
    expr = Case(When(speaker__isnull=True, then=Value(NO_SPEAKER)), default=value, output_field=CharField())
    return queryset.order_by().annotate(dim=expr)


def _month_text(value: Any) -> str:
    return value.strftime("%Y-%m") if value is not None else ""


def who_from_quotes(quotes: QuerySet, dimension: str) -> dict:
    """The figures counted from the quotes themselves (any filter): three grouped queries over them."""
    rows = _dimension_value(quotes, dimension)
    overall = [
        ("", r["dim"], r["quotes"], r["speakers"])
        for r in rows.values("dim").annotate(quotes=Count("id"), speakers=Count("speaker_id", distinct=True))
    ]
    outlets = [
        (r["group"], r["dim"], r["quotes"], r["speakers"])
        for r in rows.annotate(group=Coalesce("article__outlet", Value("")))
        .values("group", "dim")
        .annotate(quotes=Count("id"), speakers=Count("speaker_id", distinct=True))
    ]
    months = [
        (_month_text(r["group"]), r["dim"], r["quotes"], r["speakers"])
        for r in rows.annotate(group=TruncMonth("article__published"))
        .values("group", "dim")
        .annotate(quotes=Count("id"), speakers=Count("speaker_id", distinct=True))
    ]
    return _figures(dimension, overall, outlets, months)


# The quote browser's filters the summary answers. Sorting changes no count.
SUMMARY_FILTERS = {"status", "outlet", "published_after", "published_before", "speaker", "speaker_kind", "sort"}


@dataclass
class SummaryScope:
    """The browser's filters as conditions on SpeakerTally rows."""

    condition: Q
    described: list[str] = field(default_factory=list)


def summary_scope(quote_filter: QuoteFilter) -> tuple[SummaryScope | None, list[str]]:
    """The filters as a condition on the summary, or None and the labels of the filters it cannot answer.

    Dates are answered when they fall on month boundaries (from the 1st, to the month's last day)."""
    form = quote_filter.form
    if not form.is_valid():
        return None, ["invalid filters"]
    data = form.cleaned_data
    missing = [
        str(form.fields[name].label or name)
        for name, value in data.items()
        if name not in SUMMARY_FILTERS and value not in (None, "", [])
    ]
    condition = Q()
    if data.get("status") not in (Status.ACCEPTED, "all"):
        condition &= Q(pk__in=[])  # curated quotes are all accepted: nothing else matches
    if outlet := (data.get("outlet") or "").strip():
        condition &= equals_ignoring_case("outlet", outlet)
    if after := data.get("published_after"):
        if after.day == 1:
            condition &= Q(month__gte=f"{after:%Y-%m}")
        else:
            missing.append("Published from (not the first day of a month)")
    if before := data.get("published_before"):
        if before.day == calendar.monthrange(before.year, before.month)[1]:
            condition &= Q(month__lte=f"{before:%Y-%m}") & ~Q(month="")
        else:
            missing.append("Published to (not the last day of a month)")
    if speaker := data.get("speaker"):
        condition &= Q(speaker_id=speaker.pk)
    if kind := data.get("speaker_kind"):
        condition &= Q(speaker__kind=kind)
    return (None, missing) if missing else (SummaryScope(condition), [])


def who_from_summary(scope: SummaryScope, dimension: str) -> dict:
    """The figures from SpeakerTally: three grouped queries over its rows (one per speaker, outlet and
    month), however many quotes they count. A speaker counts once per group (``COUNT(DISTINCT)``)."""
    rows = _dimension_value(SpeakerTally.objects.filter(scope.condition, n__gt=0), dimension)

    def grouped(*by: str) -> list[Row]:
        # In two steps: the quotes of each speaker in each group, then the groups (their speakers are those
        # rows). The same figures as SUM(n), COUNT(DISTINCT speaker) in one step, which sorts every row of
        # the table (on disk at a million quotes); two hash aggregates take about half the time. The inner
        # query is the ORM's; the outer one is plain SQL, the same on PostgreSQL and SQLite.
        per_speaker = rows.values(*by, "dim", "speaker_id").annotate(q=Sum("n"))
        try:
            sql, params = per_speaker.query.sql_with_params()
        except EmptyResultSet:  # a filter that can match nothing (an empty list of ids)
            return []
        keys = ", ".join(connection.ops.quote_name(name) for name in (*by, "dim"))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {keys}, SUM(q), COUNT(speaker_id) FROM ({sql}) per_speaker GROUP BY {keys}", params)
            return [(r[0] if by else "", r[-3], int(r[-2]), int(r[-1])) for r in cursor.fetchall()]

    return _figures(dimension, grouped(), grouped("outlet"), grouped("month"))


def who_gets_quoted(quotes: QuerySet, dimension: str) -> dict:
    """The figures of ``quotes`` counted directly (kept for callers and tests that pass a queryset)."""
    return who_from_quotes(quotes, dimension)
