"""Pure helpers on article text. Offsets everywhere are Python code points of ``Article.body``."""

import hashlib
import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?")
_ALIAS_PUNCTUATION = re.compile(r"[.,'’‘\"“”()\[\]]")
_WHITESPACE = re.compile(r"\s+")


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF; everything else is kept exactly."""
    return _NEWLINES.sub("\n", text)


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def normalize_alias(alias: str) -> str:
    """Key under which a speaker's name or alias is unique: case, accents of form, dots and spacing folded.

    "Mr. Trump", "mr trump" and "MR.  TRUMP" share one key; "President Trump" has its own.
    """
    folded = unicodedata.normalize("NFKC", alias).casefold()
    folded = _ALIAS_PUNCTUATION.sub(" ", folded)
    return _WHITESPACE.sub(" ", folded).strip()


def sentence_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph-bounded sentence around [start, end): used to show a quote in context."""
    para_start = body.rfind("\n", 0, start) + 1
    para_end = body.find("\n", end)
    if para_end == -1:
        para_end = len(body)
    left = para_start
    for match in re.finditer(r"[.!?][”\"’]?\s+", body[para_start:start]):
        left = para_start + match.end()
    right = para_end
    match = re.search(r"[.!?][”\"’]?(\s|$)", body[end:para_end])
    if match:
        right = end + match.end()
    return left, min(right, para_end)
