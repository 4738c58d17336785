"""The lookup key of a name: the one normalization behind ``SpeakerAlias.normalized`` and the extractor."""

import re
import unicodedata

_PUNCTUATION = re.compile(r"[.,'’‘\"“”()\[\]]")
_WHITESPACE = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Key under which a speaker's name or alias is unique: case, forms, dots, quotes and spacing folded.

    "Mr. Trump", "mr trump" and "MR.  TRUMP" share one key; "President Trump" has its own.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = _PUNCTUATION.sub(" ", folded)
    return _WHITESPACE.sub(" ", folded).strip()
