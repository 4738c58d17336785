"""An occurrence's words against the first occurrence's: what a later outlet changed, word by word.

Words are compared by their normalized form (``text.fingerprint``), so punctuation and case alone are
not differences; the words shown are the occurrence's own.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from text.fingerprint import normalize_quote


@dataclass(frozen=True)
class Piece:
    text: str
    changed: bool = False  # words not in the first occurrence (changed or inserted)
    dropped: int = 0  # a gap: this many words of the first occurrence are not here


def word_diff(first: str, text: str) -> list[Piece]:
    ours, theirs = text.split(), first.split()
    matcher = SequenceMatcher(
        None, [normalize_quote(w) for w in theirs], [normalize_quote(w) for w in ours], autojunk=False
    )
    pieces: list[Piece] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(" ".join(ours[b1:b2])))
        elif op == "delete":
            pieces.append(Piece("", dropped=a2 - a1))
        else:
            pieces.append(Piece(" ".join(ours[b1:b2]), changed=True))
    return pieces
