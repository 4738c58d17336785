"""The rule that says when two quotes are the same quote: plain Python, used by the services, the
review queue and the data migration alike.

Two quotes of one article are the same quote when their content overlaps by at least half of the
longer one (in characters, over all their spans). So a quote and a copy trimmed by a word or two
match, a split quote matches the same words taken as one span, and a short quote nested inside a
long one does not (it is another quote). Kind, speaker and cue do not decide the match: they are
what an editor compares once the quotes are matched.
"""

from collections.abc import Iterable, Sequence

Span = tuple[int, int]

SAME_QUOTE_SHARE = 0.5


def _length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)


def content_overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Characters the two span lists share (spans within one list never overlap)."""
    total = 0
    for a_start, a_end in a:
        for b_start, b_end in b:
            total += max(0, min(a_end, b_end) - max(a_start, b_start))
    return total


def match_share(a: Sequence[Span], b: Sequence[Span]) -> float:
    """Shared characters over the longer quote's characters (0 to 1)."""
    longer = max(_length(a), _length(b))
    return content_overlap(a, b) / longer if longer else 0.0


def is_same_quote(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return match_share(a, b) >= SAME_QUOTE_SHARE


def best_match(spans: Sequence[Span], candidates: Iterable[tuple[int, Sequence[Span]]]) -> int | None:
    """The key of the candidate that is the same quote as ``spans`` with the largest share (ties: lowest key)."""
    best: tuple[float, int] | None = None
    for key, other in candidates:
        share = match_share(spans, other)
        if share >= SAME_QUOTE_SHARE and (best is None or (-share, key) < (-best[0], best[1])):
            best = (share, key)
    return None if best is None else best[1]
