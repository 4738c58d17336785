"""“Who gets quoted”: shares of curated quotes, and of distinct speakers, by gender, role and kind,
overall and by outlet and month, each with a 95% Wilson interval. Unknowns are counted, never dropped.

Every table is one GROUP BY over the filtered curated quotes (the quote browser's filters), so the page
costs the same number of queries for any corpus size.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from corpus.models import RoleCategory, Speaker, SpeakerAttribute

NO_SPEAKER = "no-speaker"
UNKNOWN = "unknown"
Z95 = 1.959963984540054


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


@dataclass
class Breakdown:
    """One dimension split by outlet or month: for each group, its shares."""

    dimension: str
    by: str  # outlet, month
    groups: list[tuple[str, list[Share]]] = field(default_factory=list)


def _with_dimension(quotes: QuerySet, dimension: str) -> QuerySet:
    """Each quote with ``dim``: its speaker's value (unknown when not set), or no-speaker.

    The attribute is one LEFT JOIN on (speaker, name), unique: a hash join the planner runs once,
    not a subquery per quote."""
    if dimension == "kind":
        value = Coalesce("speaker__kind", Value(NO_SPEAKER))
    else:
        quotes = quotes.annotate(
            attr=FilteredRelation("speaker__attributes", condition=Q(speaker__attributes__name=dimension))
        )
        value = Coalesce("attr__value", Value(UNKNOWN))
    expr = Case(When(speaker__isnull=True, then=Value(NO_SPEAKER)), default=value, output_field=CharField())
    return quotes.order_by().annotate(dim=expr)


def _labels(dimension: str) -> dict[str, str]:
    if dimension == "gender":
        labels = dict(SpeakerAttribute.Gender.choices)
    elif dimension == "role":
        labels = dict(RoleCategory.objects.values_list("code", "label"))
        labels[UNKNOWN] = "Unknown"
    else:
        labels = dict(Speaker.Kind.choices)
    labels[NO_SPEAKER] = "No speaker attributed"
    return labels


def _shares(counts: dict[str, int], labels: dict[str, str], order: list[str]) -> tuple[list[Share], int]:
    total = sum(counts.values())
    keys = [k for k in order if k in counts] + sorted(k for k in counts if k not in order)
    return [Share(k, labels.get(k, k), counts[k], total) for k in keys], total


def who_gets_quoted(quotes: QuerySet, dimension: str) -> dict:
    """For one dimension (gender, role, kind): shares of quotes and of speakers, then by outlet and by
    month (shares of quotes). Three queries (and one for the role labels)."""
    labels = _labels(dimension)
    order = list(labels)
    rows = _with_dimension(quotes, dimension)
    by_quote: dict[str, int] = {}
    by_speaker: dict[str, int] = {}
    for row in rows.values("dim").annotate(quotes=Count("id"), speakers=Count("speaker_id", distinct=True)):
        by_quote[row["dim"]] = row["quotes"]
        if row["dim"] != NO_SPEAKER:
            by_speaker[row["dim"]] = row["speakers"]
    quote_rows, quote_total = _shares(by_quote, labels, [*order, UNKNOWN, NO_SPEAKER])
    speaker_rows, speaker_total = _shares({k: v for k, v in by_speaker.items() if v}, labels, [*order, UNKNOWN])
    breakdowns = []
    for by, expr in (("outlet", Coalesce("article__outlet", Value(""))), ("month", TruncMonth("article__published"))):
        grouped: dict = {}
        for row in rows.annotate(group=expr).values("group", "dim").annotate(n=Count("id")):
            grouped.setdefault(row["group"], {})[row["dim"]] = row["n"]
        groups = []
        for group in sorted(grouped, key=lambda g: (g is None, g)):
            shares, _ = _shares(grouped[group], labels, [*order, UNKNOWN, NO_SPEAKER])
            name = group.strftime("%Y-%m") if hasattr(group, "strftime") else (group or "(no outlet)")
            groups.append((name if group is not None else "(no date)", shares))
        breakdowns.append(Breakdown(dimension, by, groups))
    return {
        "dimension": dimension,
        "quotes": Table(dimension, "quotes", quote_rows, quote_total),
        "speakers": Table(dimension, "speakers", speaker_rows, speaker_total),
        "breakdowns": breakdowns,
    }
