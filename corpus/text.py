"""Article text helpers that belong to the corpus: stored newlines and the body hash.

Sentences, quotation marks and name keys are Django-free and live in the ``text`` package.
"""

import hashlib
import re

from text.names import normalize_name as normalize_alias  # the key of SpeakerAlias.normalized

__all__ = ["body_hash", "normalize_alias", "normalize_newlines"]

_NEWLINES = re.compile(r"\r\n?")


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF; everything else is kept exactly."""
    return _NEWLINES.sub("\n", text)


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
