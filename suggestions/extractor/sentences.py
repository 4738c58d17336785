"""Sentence boundaries inside paragraphs, aware of abbreviations ("Mr.", "D.", "U.S.") and quotes."""

import re

from .cues import ABBREVIATIONS
from .marks import paragraphs

_END = re.compile(r"[.!?…]+[”\"’»)]*(?=\s+|$)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DATELINE = re.compile(r"^[A-Z][A-Z.,' ]{1,60}?(?:\([^)]{1,40}\))?\s+[—–-]+\s+")


def _is_abbreviation(text: str, dot: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, dot - 40), dot)  # a window: searching from 0 is quadratic
    if not match:
        return False
    word = match.group(1).lower().rstrip(".")
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "Ronald D. Vitiello"
    return word in ABBREVIATIONS


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; a sentence never crosses a paragraph break."""
    result = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        for match in _END.finditer(text, p_start, p_end):
            if text[match.start()] == "." and match.end() - match.start() == 1 and _is_abbreviation(text, match.start()):
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


def dateline_end(text: str, start: int, end: int) -> int:
    """Skip a dateline ("WASHINGTON — ") at the start of a paragraph."""
    match = _DATELINE.match(text[start:end])
    return start + match.end() if match else start
