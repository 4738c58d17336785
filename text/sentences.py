"""Paragraphs and sentence boundaries, aware of abbreviations ("Mr.", "D.", "U.S.") and quotes.

Offsets are Python code points, half-open. A sentence never crosses a paragraph (line) break.
"""

import re

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "no",
        "vs",
        "jan",
        "feb",
        "mar",
        "apr",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "u.s",
        "u.n",
        "u.k",
        "d.c",
        "rev",
        "mt",
        "ft",
        "ave",
        "blvd",
        "dept",
        "univ",
        "approx",
        "est",
        "mx",
        "messrs",
    }
)

_END = re.compile(r"[.!?…]+[”\"’»)]*(?=\s+|$)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DATELINE = re.compile(r"^[A-Z][A-Z.,' ]{1,60}?(?:\([^)]{1,40}\))?\s+[—–-]+\s+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank paragraphs (lines) of ``text`` as [start, end) offsets."""
    result, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            result.append((start, end))
        start = end + 1
    return result


def is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    match = _WORD_BEFORE.search(text, max(0, dot - 40), dot)  # a window: searching from 0 is quadratic
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Ronald D. Vitiello"
    return word in ABBREVIATIONS


def _paragraph_sentences(text: str, p_start: int, p_end: int) -> list[tuple[int, int]]:
    result = []
    start = p_start
    for match in _END.finditer(text, p_start, p_end):
        if text[match.start()] == "." and match.end() - match.start() == 1 and is_abbreviation(text, match.start()):
            continue
        nxt = match.end()
        while nxt < p_end and text[nxt].isspace():
            nxt += 1
        if nxt < p_end and text[nxt].islower():
            continue  # "“They know,” he said." has no break after the comma; "e.g. this" neither
        result.append((start, match.end()))
        start = nxt
    if start < p_end and text[start:p_end].strip():
        result.append((start, p_end))
    return result


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; a sentence never crosses a paragraph break."""
    result = []
    for p_start, p_end in paragraphs(text):
        result.extend(_paragraph_sentences(text, p_start, p_end))
    return result


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """[left, right) of the sentences that [start, end) touches, within its paragraph (to show a span in context).

    Only the paragraph around the span is split, so the cost does not grow with the text.
    """
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    if p_end == -1:
        p_end = len(text)
    left, right = p_start, p_end
    for s, e in _paragraph_sentences(text, p_start, p_end):
        if s <= start:
            left = s
        if e >= end:
            right = e
            break
    return left, right


def dateline_end(text: str, start: int, end: int) -> int:
    """Skip a dateline ("WASHINGTON — ") at the start of a paragraph."""
    match = _DATELINE.match(text[start:end])
    return start + match.end() if match else start
