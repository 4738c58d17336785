"""The one parser of the ``span_offsets`` text that quotes keep beside their spans ("120-188;215-301")."""

Span = tuple[int, int]


def parse_span_offsets(value: str) -> list[Span]:
    """``"120-188;215-301"`` → ``[(120, 188), (215, 301)]``; white space and empty parts are ignored.

    Raises ValueError on anything else (so forms can say what is wrong)."""
    spans = []
    for part in value.split(";"):
        part = part.strip()
        if part:
            start, dash, end = part.partition("-")
            if not dash:
                raise ValueError(part)
            spans.append((int(start), int(end)))
    return spans


def format_span_offsets(spans: list[Span] | list[list[int]]) -> str:
    return ";".join(f"{start}-{end}" for start, end in spans)
