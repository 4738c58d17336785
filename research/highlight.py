"""Split an article body into segments, each with the (possibly nested) highlights covering it.

The template writes every segment as ``<mark ...><mark ...>text</mark></mark>``: marks that cover
the segment, outermost first, and the text auto-escaped. Crossing highlights (A starts inside B and
ends after it) are cut at every boundary, so the HTML always nests properly.
"""

from dataclasses import dataclass, field

from annotations.models import EntityMention, Quote


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    css: str
    title: str
    anchor: str = ""
    rank: int = 0  # between highlights of equal extent: lower is outer


@dataclass
class Mark:
    css: str
    title: str
    anchor: str = ""


@dataclass
class Segment:
    text: str
    start: int
    marks: list[Mark] = field(default_factory=list)


def quote_highlights(quotes: list[Quote]) -> list[Highlight]:
    out = []
    for quote in quotes:
        who = quote.speaker.name if quote.speaker else "unknown speaker"
        for i, span in enumerate(quote.spans.all()):
            out.append(Highlight(span.start, span.end, f"hl-quote hl-{quote.kind}",
                                 f"{quote.get_kind_display()} quote by {who}", anchor=f"q-{quote.pk}" if i == 0 else "",
                                 rank=1))
        if quote.cue_start is not None:
            out.append(Highlight(quote.cue_start, quote.cue_end, "hl-cue", f"Cue of the quote by {who}", rank=2))
        if quote.speaker_mention_start is not None:
            out.append(Highlight(quote.speaker_mention_start, quote.speaker_mention_end, "hl-speaker",
                                 f"Speaker: {who}", rank=2))
    return out


def mention_highlights(mentions: list[EntityMention]) -> list[Highlight]:
    out = []
    for mention in mentions:
        title = mention.get_label_display()
        if mention.speaker_id:
            title += f" · {mention.speaker.name}"
        out.append(Highlight(mention.start, mention.end, f"hl-entity hl-ent-{mention.label.lower()}", title, rank=3))
    return out


def segments(body: str, highlights: list[Highlight]) -> list[Segment]:
    length = len(body)
    spans = [h for h in highlights if 0 <= h.start < h.end <= length]
    cuts = sorted({0, length, *(h.start for h in spans), *(h.end for h in spans)})
    ordered = sorted(spans, key=lambda h: (h.start, -h.end, h.rank, h.css))
    out = []
    anchored = set()
    for a, b in zip(cuts, cuts[1:]):
        marks = []
        for h in ordered:
            if h.start <= a and h.end >= b:
                anchor = ""
                if h.anchor and h.anchor not in anchored:
                    anchored.add(h.anchor)
                    anchor = h.anchor
                marks.append(Mark(css=h.css, title=h.title, anchor=anchor))
        out.append(Segment(text=body[a:b], start=a, marks=marks))
    return out
