"""A text cut into segments, each with the (possibly nested) highlights covering it.

Crossing highlights (A starts inside B and ends after it) are cut at every boundary, so a template
that writes every segment as ``<mark ...><mark ...>text</mark></mark>`` (marks outermost first, the
text escaped) always nests properly. No HTML is built here.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    css: str
    title: str = ""
    anchor: str = ""
    rank: int = 0  # between highlights of equal extent: lower is outer


@dataclass
class Mark:
    css: str
    title: str = ""
    anchor: str = ""


@dataclass
class Segment:
    text: str
    start: int
    marks: list[Mark] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The innermost highlight's ``css`` ("" for plain text)."""
        return self.marks[-1].css if self.marks else ""


def segments(text: str, highlights: list[Highlight], *, start: int = 0, end: int | None = None) -> list[Segment]:
    """``text[start:end]`` cut at every highlight boundary; highlights are clipped to [start, end).

    Each anchor is given to the first segment of its highlight only.
    """
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    spans = [
        Highlight(max(h.start, start), min(h.end, end), h.css, h.title, h.anchor, h.rank)
        for h in highlights
        if 0 <= h.start < h.end <= len(text) and h.start < end and h.end > start
    ]
    cuts = sorted({start, end, *(h.start for h in spans), *(h.end for h in spans)})
    ordered = sorted(spans, key=lambda h: (h.start, -h.end, h.rank, h.css))
    out = []
    anchored: set[str] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        marks = []
        for h in ordered:
            if h.start <= a and h.end >= b:
                anchor = ""
                if h.anchor and h.anchor not in anchored:
                    anchored.add(h.anchor)
                    anchor = h.anchor
                marks.append(Mark(css=h.css, title=h.title, anchor=anchor))
        out.append(Segment(text=text[a:b], start=a, marks=marks))
    return out
