"""Build the gold JSON files of dev/ and heldout/ from the hand-marked texts in marked/.

A marked file holds header lines, a blank line, then the text with each quote span written as
``[[id|content]]``; a quote with several spans repeats its id. Headers:

    # name: slug
    # set: dev | heldout | blind
    # id: kind | speaker | alias; alias   (kind: direct, indirect or mixed; speaker may be empty)

Offsets are computed here (code points of the text with the marks removed), never by hand, and
each span's text is checked against the text at its offsets. Run from the repository root:
``python suggestions/evaluation/build_gold.py``. Pure Python.
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\[\[([A-Za-z0-9]+)\|(.*?)\]\]", re.S)
SOURCE = "Written and annotated by hand for this project (fictional events)."


def _paired_at_end(piece: str) -> bool:
    """The span ends with a closing mark whose opening mark is inside the span."""
    if piece[-1] == "”":
        return "“" in piece
    return piece[-1] == '"' and piece.count('"') % 2 == 0


def build(path: Path) -> tuple[str, dict]:
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta: dict[str, str] = {}
    quotes: dict[str, dict] = {}
    for line in head.splitlines():
        key, _, value = line.lstrip("# ").partition(":")
        key, value = key.strip(), value.strip()
        if key in ("name", "set"):
            meta[key] = value
        else:
            kind, speaker, aliases = (part.strip() for part in (value + "||").split("|")[:3])
            assert kind in ("direct", "indirect", "mixed"), (path, key, kind)
            quotes[key] = {"kind": kind, "spans": [], "speaker": speaker or None}
            if aliases:
                quotes[key]["aliases"] = [a.strip() for a in aliases.split(";")]
    text, pos, pieces = [], 0, []
    length = 0
    for m in MARK.finditer(body):
        before = body[pos : m.start()]
        text.append(before)
        length += len(before)
        qid, content = m.group(1), m.group(2)
        assert qid in quotes, (path, qid)
        quotes[qid]["spans"].append([length, length + len(content)])
        pieces.append((qid, content))
        text.append(content)
        length += len(content)
        pos = m.end()
    text.append(body[pos:])
    full = "".join(text)
    assert "[[" not in full and "]]" not in full, path
    for q in quotes.values():
        assert q["spans"], (path, q)
        for s, e in q["spans"]:
            piece = full[s:e]
            assert piece == piece.strip() and piece, (path, piece)
            assert piece[0] not in '“”"‘’', (path, piece)
            # a mixed quote may end with its quoted fragment: the closing mark stays, paired inside
            assert piece[-1] not in '“”"' or _paired_at_end(piece), (path, piece)
    for qid, content in pieces:
        assert any(full[s:e] == content for s, e in quotes[qid]["spans"]), (path, content)
    ordered = sorted(quotes.values(), key=lambda q: q["spans"][0][0])
    return meta["set"], {"name": meta["name"], "source": SOURCE, "text": full, "quotes": ordered}


def main() -> None:
    for path in sorted((HERE / "marked").glob("*.txt")):
        folder, data = build(path)
        out = HERE / folder / f"{data['name']}.json"
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{out.relative_to(HERE)}: {len(data['quotes'])} quotes, {len(data['text'].split())} words")  # noqa: T201


if __name__ == "__main__":
    main()
