"""What may enter as text: the one rule below every surface (forms, query strings, JSON, files).

A stored text holds neither NUL (PostgreSQL refuses it) nor a lone surrogate (no encoder takes it),
and what arrives as bytes must be UTF-8: anything else is refused with a message, never replaced by
U+FFFD and never a 500. ``config.middleware.InputGuardMiddleware`` applies this to every request,
``api.parser`` to JSON bodies and ``ingest.parsers`` to imported files (with the line).
"""

import re
from urllib.parse import unquote_to_bytes

NOT_TEXT = re.compile("[\x00\ud800-\udfff]")

# What Django's parsers put in place of bytes that are not UTF-8 (they decode with errors="replace").
REPLACEMENT = "\ufffd"


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None."""
    match = NOT_TEXT.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "holds a NUL character (\\u0000), which is not text"
    return f"holds a lone surrogate (\\u{ord(match.group()):04x}, half of a UTF-16 pair), which is not text"


def bytes_problem(raw: bytes) -> str | None:
    """Why ``raw`` is not UTF-8 text that can be stored, or None."""
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"holds byte 0x{raw[exc.start]:02x} at position {exc.start + 1}, which is not UTF-8"
    return text_problem(value)


def form_pairs(encoded: bytes) -> list[tuple[bytes, bytes]]:
    """The raw (name, value) pairs of a query string or an ``application/x-www-form-urlencoded`` body."""
    pairs = []
    for part in encoded.split(b"&"):
        if not part:
            continue
        name, _, value = part.partition(b"=")
        pairs.append((unquote_to_bytes(name.replace(b"+", b" ")), unquote_to_bytes(value.replace(b"+", b" "))))
    return pairs


def shown_name(raw: bytes) -> str:
    """A field name as a message can show it, whatever bytes it holds."""
    return raw.decode("utf-8", errors="replace").replace("\x00", "\\u0000")[:80] or "(unnamed)"
