"""Quotation marks: the one set of marks, the content-span rule, and their pairing into quoted runs.

**The set.** Double marks (“ ” „ « » and straight ") and single marks (‘ ’ ‚ ‹ › and straight '),
plus the CJK corner brackets. ``OPENING_MARKS`` open a quote, ``CLOSING_MARKS`` close one, and
``EDGE_MARKS`` (both) may never stand at the edge of a quote's content span.

**The content rule** (``includes_own_marks``): a content span covers the words inside the marks, so it
neither begins with an opening mark nor ends with a closing one; a mixed quote may begin or end with
its quoted fragment ("saying he wanted a “tougher direction.”"), whose own marks are then content,
as long as the double marks pair up inside the span.

**Pairing** (``find_runs``). Marks pair by kind: double marks pair only with double marks, single marks
only with single ones, so an apostrophe (“shouldn’t”, “Trump’s”) never closes a quote: a single
closing mark must not stand between two letters. Single marks inside a double-quoted run are part of
its content (a quote within the quote).

A run may cover several paragraphs: when a paragraph ends inside a quote and the next paragraph opens
with the same kind of mark, the quote continues (the previous paragraph was never closed). A run that
reaches the end of its paragraph otherwise is dropped as a stray mark.
"""

from dataclasses import dataclass, field

from .sentences import paragraphs

DOUBLE_OPEN = "“«„"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‹"
LOW_SINGLE = "‚"  # opens a quote (German style), never paired by ``find_runs``
SINGLE_CLOSE = "’›"
STRAIGHT = {"double": '"', "single": "'"}
CJK_OPEN = "「『"
CJK_CLOSE = "」』"

OPENING_MARKS = DOUBLE_OPEN + SINGLE_OPEN + LOW_SINGLE + CJK_OPEN + STRAIGHT["double"] + STRAIGHT["single"]
CLOSING_MARKS = DOUBLE_CLOSE + SINGLE_CLOSE + CJK_CLOSE + STRAIGHT["double"] + STRAIGHT["single"]
# Marks never at the edge of a content span: the extractor trims them, the services refuse them.
EDGE_MARKS = "".join(dict.fromkeys(OPENING_MARKS + CLOSING_MARKS))

OPEN_CONTEXT_BEFORE = "([{—–-/" + DOUBLE_OPEN + SINGLE_OPEN + '"'
CLOSE_CONTEXT_AFTER = ".,;:!?)]}—–-…" + DOUBLE_CLOSE + SINGLE_CLOSE + '"'


def balanced_marks(text: str) -> bool:
    """True when the double quotation marks inside ``text`` pair up."""
    return text.count("“") == text.count("”") and text.count("«") == text.count("»") and text.count('"') % 2 == 0


def includes_own_marks(text: str, kind: str) -> bool:
    """True when a content span's ``text`` includes the marks of the quote itself (the content rule).

    ``kind`` is the quote's kind; a ``"mixed"`` quote may keep its quoted fragment's marks when they
    pair up inside the span.
    """
    if not text or (text[0] not in OPENING_MARKS and text[-1] not in CLOSING_MARKS):
        return False
    return not (kind == "mixed" and balanced_marks(text))


@dataclass
class QuoteRun:
    """One quotation: its content segments (one per paragraph) and the positions of its outer marks."""

    kind: str  # "double" or "single"
    open_at: int
    close_at: int = -1
    segments: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.segments[0][0]

    @property
    def end(self) -> int:
        return self.segments[-1][1]


def trim(text: str, start: int, end: int, extra: str = "") -> tuple[int, int] | None:
    """Shrink [start, end) past white space, edge quotation marks and ``extra``; None if nothing is left."""
    strip = EDGE_MARKS + extra
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return (start, end) if end > start else None


def _is_word(ch: str | None) -> bool:
    return ch is not None and (ch.isalnum())


def _opening_context(text: str, i: int, para_start: int) -> bool:
    before = text[i - 1] if i > para_start else None
    after = text[i + 1] if i + 1 < len(text) else None
    return (before is None or before.isspace() or before in OPEN_CONTEXT_BEFORE) and (
        after is not None and not after.isspace()
    )


def _closing_context(text: str, i: int, para_end: int) -> bool:
    before = text[i - 1] if i > 0 else None
    after = text[i + 1] if i + 1 < para_end else None
    return (before is not None and not before.isspace()) and (
        after is None or after.isspace() or after in CLOSE_CONTEXT_AFTER
    )


def _mark_role(text: str, i: int, kind: str, para_start: int, para_end: int, is_open: bool) -> str | None:
    """'open', 'close' or None for the character at ``i``, given whether a run of ``kind`` is open."""
    ch = text[i]
    if kind == "double":
        if ch in DOUBLE_OPEN:
            return "open"
        if ch in DOUBLE_CLOSE:
            return "close"
    else:
        if ch in SINGLE_OPEN:
            return "open" if _opening_context(text, i, para_start) else None
        if ch in SINGLE_CLOSE:
            before = text[i - 1] if i > 0 else None
            after = text[i + 1] if i + 1 < para_end else None
            if _is_word(before) and _is_word(after):
                return None  # an apostrophe: shouldn’t, Trump’s
            return "close" if _closing_context(text, i, para_end) else None
    if ch == STRAIGHT[kind]:
        if is_open and _closing_context(text, i, para_end):
            return "close"
        if not is_open and _opening_context(text, i, para_start):
            return "open"
        if kind == "single":
            return None
        return "close" if is_open else "open"
    return None


def _next_paragraph_reopens(text: str, paras: list[tuple[int, int]], index: int, kind: str) -> int | None:
    """Offset of the opening mark that starts paragraph ``index + 1``, if it reopens a ``kind`` quote."""
    if index + 1 >= len(paras):
        return None
    start, end = paras[index + 1]
    i = start
    while i < end and text[i].isspace():
        i += 1
    if i < end and _mark_role(text, i, kind, start, end, is_open=False) == "open":
        return i
    return None


def find_runs(text: str) -> list[QuoteRun]:
    """Every quotation in ``text``, in order; nested single quotes inside double quotes are content."""
    paras = paragraphs(text)
    runs: list[QuoteRun] = []
    double: QuoteRun | None = None
    single: QuoteRun | None = None
    seg_start = {"double": 0, "single": 0}
    skip_open: int | None = None
    for index, (p_start, p_end) in enumerate(paras):
        for i in range(p_start, p_end):
            if i == skip_open:
                continue
            role = _mark_role(text, i, "double", p_start, p_end, double is not None)
            if role == "open" and double is None:
                double = QuoteRun("double", open_at=i)
                seg_start["double"] = i + 1
                single = None  # a double quote inside a single one: trust the double
                continue
            if role == "close" and double is not None:
                span = trim(text, seg_start["double"], i)
                if span:
                    double.segments.append(span)
                double.close_at = i
                if double.segments:
                    runs.append(double)
                double = None
                continue
            if role == "open" and double is not None:
                # Another opening mark while open: the earlier one was stray.
                double = QuoteRun("double", open_at=i)
                seg_start["double"] = i + 1
                continue
            if double is not None:
                continue
            role = _mark_role(text, i, "single", p_start, p_end, single is not None)
            if role == "open" and single is None:
                single = QuoteRun("single", open_at=i)
                seg_start["single"] = i + 1
            elif role == "close" and single is not None:
                span = trim(text, seg_start["single"], i)
                if span:
                    single.segments.append(span)
                single.close_at = i
                if single.segments:
                    runs.append(single)
                single = None
        skip_open = None
        for kind in ("double", "single"):
            run = double if kind == "double" else single
            if run is None:
                continue
            reopen = _next_paragraph_reopens(text, paras, index, kind)
            if reopen is not None:
                span = trim(text, seg_start[kind], p_end)
                if span:
                    run.segments.append(span)
                seg_start[kind] = reopen + 1
                skip_open = reopen
            elif kind == "double":
                double = None
            else:
                single = None
    runs.sort(key=lambda r: r.open_at)
    return runs
