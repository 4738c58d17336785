"""The highlights of an article page: accepted quotes (spans, cue, speaker mention) and entity mentions.

``text.segments.segments`` cuts the body at their boundaries; the template writes every segment as
``<mark ...><mark ...>text</mark></mark>``, marks outermost first, the text auto-escaped.
"""

from annotations.models import EntityMention, Quote
from text.segments import Highlight, Segment, segments

__all__ = ["Highlight", "Segment", "mention_highlights", "quote_highlights", "segments"]


def quote_highlights(quotes: list[Quote]) -> list[Highlight]:
    out = []
    for quote in quotes:
        who = quote.speaker.name if quote.speaker else "unknown speaker"
        for i, span in enumerate(quote.spans.all()):
            out.append(
                Highlight(
                    span.start,
                    span.end,
                    f"hl-quote hl-{quote.kind}",
                    f"{quote.get_kind_display()} quote by {who}",
                    anchor=f"q-{quote.pk}" if i == 0 else "",
                    rank=1,
                )
            )
        if quote.cue is not None:
            out.append(Highlight(*quote.cue, "hl-cue", f"Cue of the quote by {who}", rank=2))
        if quote.speaker_mention is not None:
            out.append(Highlight(*quote.speaker_mention, "hl-speaker", f"Speaker: {who}", rank=2))
    return out


def mention_highlights(mentions: list[EntityMention]) -> list[Highlight]:
    out = []
    for mention in mentions:
        title = mention.get_label_display()
        if mention.speaker is not None:
            title += f" · {mention.speaker.name}"
        out.append(Highlight(mention.start, mention.end, f"hl-entity hl-ent-{mention.label.lower()}", title, rank=3))
    return out
