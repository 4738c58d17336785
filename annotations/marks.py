"""Quotation marks and the content-span rule, in plain Python (importable without Django)."""

OPENING_MARKS = "\"“„«‹‘‚「『"
CLOSING_MARKS = "\"”»›」』"


def balanced_marks(text: str) -> bool:
    """True when the double quotation marks inside ``text`` pair up."""
    return text.count("“") == text.count("”") and text.count("«") == text.count("»") and text.count('"') % 2 == 0
