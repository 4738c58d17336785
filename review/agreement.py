"""Inter-annotator agreement: pure functions over plain data (no Django).

What each figure counts
-----------------------
* An *item* is one annotation by one annotator: a quote (its content spans, kind, speaker, stances)
  or an entity mention (its span and label).
* **Span F1** between annotators A and B on an article: items are matched one-to-one; ``exact``
  needs identical spans (and, for entities, the same label); ``overlap`` needs a character overlap
  of at least 0.5, measured as intersection over union (Jaccard) of the characters the two items
  cover, again with the same label for entities. F1 = 2·matched / (items of A + items of B), so an
  item one annotator left out counts against agreement. It is symmetric (no annotator is "gold").
* **Speaker agreement**: share of overlap-matched quote pairs with the same speaker; two quotes both
  left without a speaker count as agreeing.
* **Cohen's kappa** per pair, on overlap-matched quote pairs only: quote kind (one observation per
  matched pair), and stance labels (one observation per matched pair and stance target that either
  annotator labelled; a target one of them did not label is the category ``(none)``).
* **Krippendorff's alpha** (nominal) over all annotators: quotes are aligned across annotators into
  clusters (greedy, overlap ≥ 0.5, at most one quote per annotator per cluster). Kind: one unit per
  cluster, one value per annotator in it. Stance: one unit per cluster and target, ``(none)`` for an
  annotator in the cluster without a label on that target. Units with a single value are not
  pairable and do not count (their disagreement shows in span F1 instead).
* Corpus figures pool the counts, matched pairs and units of every article (micro-averages).
* A figure with nothing to count is ``None`` (shown as “—”), never a made-up 1.0 or 0.0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

OVERLAP_THRESHOLD = 0.5
NO_LABEL = "(none)"

Span = tuple[int, int]


@dataclass(frozen=True)
class Item:
    """One annotation. ``spans`` are half-open, non-overlapping offsets into the article body."""

    key: Hashable
    spans: tuple[Span, ...]
    label: str | None = None  # entity label, or quote kind
    speaker: Hashable | None = None
    stances: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.spans)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)


def item(key, spans: Iterable[Sequence[int]], **kwargs) -> Item:
    return Item(key=key, spans=tuple(sorted((int(s), int(e)) for s, e in spans)), **kwargs)


def intersection(a: Sequence[Span], b: Sequence[Span]) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def overlap_ratio(a: Item, b: Item) -> float:
    """Characters both items cover over characters either covers (Jaccard), in [0, 1]."""
    inter = intersection(a.spans, b.spans)
    union = a.length + b.length - inter
    return inter / union if union else 0.0


def match(
    a: Sequence[Item],
    b: Sequence[Item],
    *,
    exact: bool,
    same_label: bool = False,
    threshold: float = OVERLAP_THRESHOLD,
) -> list[tuple[Item, Item]]:
    """One-to-one matching of ``a`` to ``b``: identical spans, or greedily by best overlap ≥ threshold."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if same_label and x.label != y.label:
                continue
            if exact:
                if x.spans == y.spans:
                    candidates.append((1.0, i, j))
            else:
                ratio = overlap_ratio(x, y)
                if ratio >= threshold:
                    candidates.append((ratio, i, j))
    candidates.sort(key=lambda c: (-c[0], a[c[1]].start, b[c[2]].start, c[1], c[2]))
    used_a, used_b, pairs = set(), set(), []
    for _, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((a[i], b[j]))
    pairs.sort(key=lambda p: (p[0].start, p[1].start))
    return pairs


@dataclass
class SpanCounts:
    matched: int = 0
    n_a: int = 0
    n_b: int = 0

    @property
    def f1(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.matched / total if total else None

    def add(self, other: SpanCounts) -> None:
        self.matched += other.matched
        self.n_a += other.n_a
        self.n_b += other.n_b


def span_counts(a: Sequence[Item], b: Sequence[Item], *, exact: bool, same_label: bool = False) -> SpanCounts:
    return SpanCounts(len(match(a, b, exact=exact, same_label=same_label)), len(a), len(b))


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa for two raters; ``None`` when undefined (no observations, or no variation at all)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for x, y in pairs if x == y) / n
    count_a = Counter(x for x, _ in pairs)
    count_b = Counter(y for _, y in pairs)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units: Iterable[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha, nominal metric. Each unit is the list of values it received (missing left out).

    Units with fewer than two values are not pairable and are ignored. ``None`` when undefined.
    """
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for values in units:
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                coincidence[(c, k)] += pairs / (m - 1)
    totals: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _), value in coincidence.items():
        totals[c] += value
    n = sum(totals.values())
    if n <= 1:
        return None
    disagree_observed = sum(v for (c, k), v in coincidence.items() if c != k)
    disagree_expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if disagree_expected == 0:
        return None
    return 1 - (n - 1) * disagree_observed / disagree_expected


def _annotator_order(key: Hashable) -> tuple:
    """Numbers in numeric order (user ids: 9 before 10), then anything else by its text."""
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


def cluster(items_by_annotator: Mapping[Any, Sequence[Item]], threshold: float = OVERLAP_THRESHOLD):
    """Align items across annotators: clusters (dicts annotator → item), at most one item per annotator.

    Annotators are taken in sorted order; each one's items join the existing cluster they overlap most
    (≥ threshold, with any member), one-to-one, or start a new cluster. Sorted by position.
    """
    clusters: list[dict] = []
    for annotator in sorted(items_by_annotator, key=_annotator_order):
        items = list(items_by_annotator[annotator])
        candidates = []
        for i, it in enumerate(items):
            for c, members in enumerate(clusters):
                if annotator in members:
                    continue
                ratio = max(overlap_ratio(it, other) for other in members.values())
                if ratio >= threshold:
                    candidates.append((ratio, i, c))
        candidates.sort(key=lambda x: (-x[0], x[1], x[2]))
        used_items, used_clusters = set(), set()
        for _, i, c in candidates:
            if i in used_items or c in used_clusters:
                continue
            used_items.add(i)
            used_clusters.add(c)
            clusters[c][annotator] = items[i]
        for i, it in enumerate(items):
            if i not in used_items:
                clusters.append({annotator: it})
    clusters.sort(key=lambda members: min(it.start for it in members.values()))
    return clusters


def stance_pairs(x: Item, y: Item) -> list[tuple[str, str]]:
    targets = sorted(set(x.stances) | set(y.stances))
    return [(x.stances.get(t, NO_LABEL), y.stances.get(t, NO_LABEL)) for t in targets]


@dataclass
class PairStats:
    """Agreement counts between two annotators, over the articles both took part in."""

    articles: int = 0
    quotes_exact: SpanCounts = field(default_factory=SpanCounts)
    quotes_overlap: SpanCounts = field(default_factory=SpanCounts)
    entities_exact: SpanCounts = field(default_factory=SpanCounts)
    entities_overlap: SpanCounts = field(default_factory=SpanCounts)
    speaker_agree: int = 0
    speaker_n: int = 0
    kind_pairs: list = field(default_factory=list)
    stance_pairs: list = field(default_factory=list)

    @property
    def speaker_agreement(self) -> float | None:
        return self.speaker_agree / self.speaker_n if self.speaker_n else None

    @property
    def kind_kappa(self) -> float | None:
        return cohen_kappa(self.kind_pairs)

    @property
    def stance_kappa(self) -> float | None:
        return cohen_kappa(self.stance_pairs)

    def add(self, other: PairStats) -> None:
        self.articles += other.articles
        for name in ("quotes_exact", "quotes_overlap", "entities_exact", "entities_overlap"):
            getattr(self, name).add(getattr(other, name))
        self.speaker_agree += other.speaker_agree
        self.speaker_n += other.speaker_n
        self.kind_pairs.extend(other.kind_pairs)
        self.stance_pairs.extend(other.stance_pairs)


def compare_pair(quotes_a, quotes_b, entities_a, entities_b) -> PairStats:
    stats = PairStats(articles=1)
    stats.quotes_exact = span_counts(quotes_a, quotes_b, exact=True)
    stats.quotes_overlap = span_counts(quotes_a, quotes_b, exact=False)
    stats.entities_exact = span_counts(entities_a, entities_b, exact=True, same_label=True)
    stats.entities_overlap = span_counts(entities_a, entities_b, exact=False, same_label=True)
    for x, y in match(quotes_a, quotes_b, exact=False):
        stats.speaker_n += 1
        stats.speaker_agree += int(x.speaker == y.speaker)
        stats.kind_pairs.append((x.label, y.label))
        stats.stance_pairs.extend(stance_pairs(x, y))
    return stats


@dataclass
class Report:
    """Agreement over one article or many (``add`` pools another report into this one)."""

    annotators: set = field(default_factory=set)
    pairs: dict = field(default_factory=dict)  # (a, b) with a < b → PairStats
    kind_units: list = field(default_factory=list)
    stance_units: list = field(default_factory=list)
    quote_counts: Counter = field(default_factory=Counter)
    entity_counts: Counter = field(default_factory=Counter)
    articles: int = 0

    @property
    def kind_alpha(self) -> float | None:
        return krippendorff_alpha_nominal(self.kind_units)

    @property
    def stance_alpha(self) -> float | None:
        return krippendorff_alpha_nominal(self.stance_units)

    @property
    def pairable_kind_units(self) -> int:
        return sum(1 for u in self.kind_units if len(u) >= 2)

    @property
    def pairable_stance_units(self) -> int:
        return sum(1 for u in self.stance_units if len(u) >= 2)

    def pooled(self) -> PairStats:
        total = PairStats()
        for stats in self.pairs.values():
            total.add(stats)
        return total

    def add(self, other: Report) -> None:
        self.annotators |= other.annotators
        self.articles += other.articles
        for key, stats in other.pairs.items():
            self.pairs.setdefault(key, PairStats()).add(stats)
        self.kind_units.extend(other.kind_units)
        self.stance_units.extend(other.stance_units)
        self.quote_counts.update(other.quote_counts)
        self.entity_counts.update(other.entity_counts)


def compare_article(quotes: Mapping[Any, Sequence[Item]], entities: Mapping[Any, Sequence[Item]]) -> Report:
    """Agreement on one article among the annotators that are keys of ``quotes`` or ``entities``.

    An annotator who took part but marked no quotes is a key with an empty list: that counts.
    """
    annotators = sorted(set(quotes) | set(entities), key=_annotator_order)
    report = Report(annotators=set(annotators), articles=1)
    for name in annotators:
        report.quote_counts[name] += len(quotes.get(name, ()))
        report.entity_counts[name] += len(entities.get(name, ()))
    for a, b in combinations(annotators, 2):
        report.pairs[(a, b)] = compare_pair(
            quotes.get(a, ()), quotes.get(b, ()), entities.get(a, ()), entities.get(b, ())
        )
    for members in cluster({a: quotes.get(a, ()) for a in annotators}):
        report.kind_units.append([it.label for it in members.values()])
        targets = sorted({t for it in members.values() for t in it.stances})
        for target in targets:
            report.stance_units.append([it.stances.get(target, NO_LABEL) for it in members.values()])
    return report


# --- Stored reports ---------------------------------------------------------------------------
# A Report as JSON-ready data, so the agreement of each article is computed once per change and
# read back (review.models.ArticleAgreement). Annotator keys are user ids (ints).

SPAN_FIELDS = ("quotes_exact", "quotes_overlap", "entities_exact", "entities_overlap")


def _pair_to_data(stats: PairStats) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: [c.matched, c.n_a, c.n_b] for name, c in ((n, getattr(stats, n)) for n in SPAN_FIELDS)
    }
    data.update(
        articles=stats.articles,
        speaker=[stats.speaker_agree, stats.speaker_n],
        kind_pairs=[list(p) for p in stats.kind_pairs],
        stance_pairs=[list(p) for p in stats.stance_pairs],
    )
    return data


def _pair_from_data(data: Mapping[str, Any]) -> PairStats:
    stats = PairStats(articles=data["articles"])
    for name in SPAN_FIELDS:
        setattr(stats, name, SpanCounts(*data[name]))
    stats.speaker_agree, stats.speaker_n = data["speaker"]
    stats.kind_pairs = [tuple(p) for p in data["kind_pairs"]]
    stats.stance_pairs = [tuple(p) for p in data["stance_pairs"]]
    return stats


def report_to_data(report: Report) -> dict[str, Any]:
    return {
        "annotators": sorted(report.annotators),
        "articles": report.articles,
        "pairs": [[a, b, _pair_to_data(stats)] for (a, b), stats in sorted(report.pairs.items())],
        "kind_units": [list(u) for u in report.kind_units],
        "stance_units": [list(u) for u in report.stance_units],
        "quote_counts": sorted([k, n] for k, n in report.quote_counts.items()),
        "entity_counts": sorted([k, n] for k, n in report.entity_counts.items()),
    }


def report_from_data(data: Mapping[str, Any]) -> Report:
    return Report(
        annotators=set(data["annotators"]),
        pairs={(a, b): _pair_from_data(stats) for a, b, stats in data["pairs"]},
        kind_units=[list(u) for u in data["kind_units"]],
        stance_units=[list(u) for u in data["stance_units"]],
        quote_counts=Counter(dict(data["quote_counts"])),
        entity_counts=Counter(dict(data["entity_counts"])),
        articles=data["articles"],
    )
