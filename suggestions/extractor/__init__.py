"""Rule-based quote suggestions: plain text in, suggested quotes out. Pure Python, no Django.

    >>> from suggestions.extractor import extract
    >>> [s.as_dict() for s in extract("“We will act,” Jane Doe said.")]
    [{'kind': 'direct', 'spans': [[1, 13]], 'cue': [24, 28], 'speaker': 'Jane Doe', 'speaker_mention': [15, 23]}]

Offsets are Python code points (``str`` indices). Content spans exclude quotation marks and never
start or end with white space. See docs/suggestions.md for the rules and word lists.
"""

from .cues import CUE_VERBS
from .rules import Suggestion, extract

__all__ = ["CUE_VERBS", "Suggestion", "extract"]
