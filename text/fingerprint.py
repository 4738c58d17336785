"""The same quote across articles: normalization, word shingles and the same-quote score.

This is the one place the rules live (``clusters`` and the benchmark use them, nothing else restates them).

**Normalization** (``normalize_quote``): Unicode NFKC, case folded; the quotation marks of ``text.marks``
(apostrophes included: "don’t" and "dont" are one word) removed; ellipses ("…", "...", the " … " that
joins a quote's spans) and every other character that is neither a letter nor a digit become a space;
runs of white space become one space. Two quotes with the same normalized text are the same quote.

**Shingles** (``shingles``): the word 3-grams of the normalized text (a text of one or two words is its
own single shingle), as 32-bit CRC values, so that a MinHash of them is the same in every process.

**Score** (``resemblance``): the overlap of two shingle sets. When they share at least ``MIN_CONTAINED``
shingles (a run of 8 words or more, longer than a stock phrase), the overlap coefficient
|A∩B| / min(|A|, |B|): a trimmed quote, or one part of a quote split differently, is contained in the full
one and scores 1. Otherwise Jaccard |A∩B| / |A∪B|, so that a common phrase ("we will not back down",
3 shingles; with a neighbouring word on each side, 5) neither pulls different quotes together nor makes a
short quote that is little more than the phrase a hub joining every quote that uses it. ``SAME_QUOTE_THRESHOLD`` is the score from which two quotes are
near-duplicates (docs/clusters.md gives the measurements behind it).

**Short texts** (``is_short``: fewer than ``MIN_CONTAINED`` shingles, under 8 words) are where a part of a
split quote and a stock phrase look alike: "X we will not back down" is a run of consecutive words of
its own quote, and of every quote that puts X before the phrase. So a short text never links two quotes
(``clusters.grouping``): it *belongs to* a longer quote when it is a run of at least ``PART_WORDS``
consecutive words of it (``part_of``: a trimmed quote, one part of a split one) or is the same quote by
the score above (``belongs_to``), and it joins that quote's cluster only when every longer quote it
belongs to is in that one cluster; a short text that belongs to quotes of several clusters is a common
phrase and stays alone.
"""

import re
import unicodedata
import zlib

from .marks import EDGE_MARKS

SHINGLE_WORDS = 3
MIN_CONTAINED = 6
PART_WORDS = 6
SAME_QUOTE_THRESHOLD = 0.6

_MARKS = re.compile("[" + re.escape(EDGE_MARKS + "\u2018\u2019\u201b\u2032\u02bc`´") + "]")
_NON_WORD = re.compile(r"[\W_]+")


def normalize_quote(text: str) -> str:
    """The normalized form of a quote's text (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", _MARKS.sub("", folded)).strip()


def shingles(normalized: str) -> frozenset[int]:
    """The word 3-gram shingles of a normalized text, as CRC-32 values (empty for an empty text)."""
    words = normalized.split()
    if len(words) < SHINGLE_WORDS:
        return frozenset([zlib.crc32(normalized.encode())]) if words else frozenset()
    return frozenset(
        zlib.crc32(" ".join(words[i : i + SHINGLE_WORDS]).encode()) for i in range(len(words) - SHINGLE_WORDS + 1)
    )


def resemblance(a: frozenset[int], b: frozenset[int]) -> float:
    """The same-quote score of two shingle sets, 0 to 1 (see the module's docstring)."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    if not common:
        return 0.0
    if common >= MIN_CONTAINED:
        return common / min(len(a), len(b))
    return common / (len(a) + len(b) - common)


def same_quote(a: frozenset[int], b: frozenset[int]) -> bool:
    return resemblance(a, b) >= SAME_QUOTE_THRESHOLD


def is_short(a: frozenset[int]) -> bool:
    """Fewer than ``MIN_CONTAINED`` shingles: a text that may join a cluster but never links two."""
    return len(a) < MIN_CONTAINED


def part_of(part: str, whole: str) -> bool:
    """The normalized ``part``, of at least ``PART_WORDS`` words, is a run of consecutive words of ``whole``."""
    return part.count(" ") + 1 >= PART_WORDS and f" {part} " in f" {whole} "


def belongs_to(short: str, short_set: frozenset[int], whole: str, whole_set: frozenset[int]) -> bool:
    """A short normalized text belongs to a longer quote: a part of it, or the same quote by the score."""
    return part_of(short, whole) or same_quote(short_set, whole_set)
