"""brat standoff and doccano JSONL, read into ``AnnotatedDocument`` and (brat) written back. No database here.

Offsets: brat's server reads the ``.txt`` as UTF-8 in Python and counts code points; doccano's JSONL
offsets are code points of ``text`` as Python counts them. Both are therefore used as they are;
only CRLF line breaks, which we store as ``\\n``, shift the offsets after them (see ``OffsetMap``).

Label mapping (case-insensitive; see docs/ingest.md):

- quotes: ``Quote`` (kind from the ``Kind`` attribute, default direct), ``Direct``, ``Indirect``,
  ``Mixed`` (also ``DirectQuote``, ``IndirectQuote``, ``MixedQuote``);
- ``Cue`` (the verb or phrase introducing a quote), ``Speaker`` (the speaker's mention);
- OntoNotes entity labels PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, LAW, DATE as they are;
  PRODUCT, WORK_OF_ART, LANGUAGE and MISC as MISC; CoNLL's PER / ORGANIZATION / LOCATION as
  PERSON / ORG / LOC; the numeric ones (TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL) and
  unknown labels are skipped with a warning;
- relations ``Speaker`` (quote → speaker mention or entity) and ``Cue`` (quote → cue), in either
  argument order; a note ``Speaker: NAME`` (optionally ``(Wikidata Q123)``) on a quote names its speaker.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus.text import normalize_newlines
from text.marks import balanced_marks

from .parsers import Problem, json_lines

QUOTE_KINDS = {
    "quote": None,
    "direct": "direct",
    "indirect": "indirect",
    "mixed": "mixed",
    "directquote": "direct",
    "indirectquote": "indirect",
    "mixedquote": "mixed",
}
ENTITY_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "GPE": "GPE",
    "LOC": "LOC",
    "LOCATION": "LOC",
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "LAW": "LAW",
    "DATE": "DATE",
    "MISC": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
}
SKIPPED_LABELS = {"TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
KIND_VALUES = {"direct": "direct", "indirect": "indirect", "mixed": "mixed"}
SPEAKER_NOTE = re.compile(r"^\s*speaker\s*:\s*(?P<name>.+?)\s*(?:\((?:wikidata\s*)?(?P<qid>Q[1-9][0-9]*)\))?\s*$", re.I)
BRAT_CONF = """\
# brat configuration for exports of the quote corpus (see docs/ingest.md)
[entities]
PERSON
ORG
GPE
LOC
NORP
FAC
EVENT
LAW
DATE
MISC
Quote
Cue
Speaker

[relations]
Speaker\tArg1:Quote, Arg2:<ENTITY>
Cue\tArg1:Quote, Arg2:Cue
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Kind\tArg:Quote, Value:Direct|Indirect|Mixed
Status\tArg:Quote, Value:Draft|Submitted|Accepted|Rejected
"""
BRAT_VISUAL_CONF = """\
[labels]
Quote | Quote | Q
Cue | Cue
Speaker | Speaker | Spk

[drawing]
Quote\tbgColor:#fff2b3
Cue\tbgColor:#c9f0d3
Speaker\tbgColor:#d7e3ff
PERSON\tbgColor:#eadcff
ORG\tbgColor:#ffd8b1
"""


def classify(label: str) -> tuple[str, str | None] | None:
    """("quote", kind or None) / ("cue", None) / ("speaker", None) / ("entity", LABEL) / None if unknown."""
    key = label.strip()
    lower = key.lower()
    if lower in QUOTE_KINDS:
        return "quote", QUOTE_KINDS[lower]
    if lower == "cue":
        return "cue", None
    if lower == "speaker":
        return "speaker", None
    upper = key.upper()
    if upper in ENTITY_LABELS:
        return "entity", ENTITY_LABELS[upper]
    return None


class OffsetMap:
    """Offsets into a text before CRLF → LF normalization, mapped to offsets after it."""

    def __init__(self, original: str):
        self.removed = [i for i, ch in enumerate(original) if ch == "\r" and original[i + 1 : i + 2] == "\n"]
        self.text = normalize_newlines(original)

    def __call__(self, offset: int) -> int:
        return offset - bisect.bisect_left(self.removed, offset) if self.removed else offset


@dataclass
class EntityItem:
    ref: str
    start: int
    end: int
    label: str


@dataclass
class QuoteItem:
    ref: str
    spans: list[tuple[int, int]]
    kind: str = "direct"
    cue: tuple[int, int] | None = None
    speaker_mention: tuple[int, int] | None = None
    speaker_name: str = ""
    speaker_qid: str = ""
    speaker_is_org: bool = False


@dataclass
class AnnotatedDocument:
    name: str
    text: str
    line: int | None = None
    meta: dict = field(default_factory=dict)
    entities: list[EntityItem] = field(default_factory=list)
    quotes: list[QuoteItem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    trimmed: int = 0

    def title(self) -> str:
        title = str(self.meta.get("title") or "").strip()
        if title:
            return title.splitlines()[0][:500]
        for line in self.text.split("\n"):
            if line.strip():
                return line.strip()[:500]
        return self.name


def trim(text: str, start: int, end: int, marks: str = "") -> tuple[int, int]:
    """Shrink a span so it neither begins nor ends with white space (nor, for quotes, quotation marks)."""
    strip = " \t\n\r\u00a0" + marks
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


# --- brat -----------------------------------------------------------------------------------------

_TB_OFFSETS = re.compile(r"^\d+ \d+(;\d+ \d+)*$")


@dataclass
class _TextBound:
    ref: str
    type: str
    fragments: list[tuple[int, int]]
    line: int


def _blank(text: str) -> str:
    """brat writes a span's line breaks as spaces in the .ann; compare texts with all white space as spaces."""
    return re.sub(r"\s", " ", text)


def parse_brat(name: str, txt: str, ann: str, *, quote_marks: str = "") -> AnnotatedDocument:
    """A brat document from its ``.txt`` and ``.ann`` texts (both already decoded)."""
    offsets = OffsetMap(txt)
    doc = AnnotatedDocument(name=name, text=offsets.text)
    textbounds: dict[str, _TextBound] = {}
    relations: list[tuple[int, str, str, str]] = []
    attributes: dict[str, list[tuple[str, str]]] = {}
    notes: dict[str, list[str]] = {}
    ignored: dict[str, int] = {}
    for number, raw in enumerate(normalize_newlines(ann).split("\n"), start=1):
        if not raw.strip():
            continue
        parts = raw.split("\t")
        ref = parts[0].strip()
        kind = ref[:1]
        if kind == "T":
            if len(parts) < 2:
                doc.errors.append(Problem(number, f"{ref}: a text-bound annotation needs a type and offsets."))
                continue
            type_, _, spec = parts[1].partition(" ")
            if not _TB_OFFSETS.match(spec.strip()):
                doc.errors.append(
                    Problem(number, f"{ref}: offsets {spec!r} are not “start end” pairs separated by “;”.")
                )
                continue
            fragments: list[tuple[int, int]] = []
            for frag in spec.strip().split(";"):
                s, e = (int(x) for x in frag.split())
                if e > len(txt) or e <= s:
                    doc.errors.append(
                        Problem(number, f"{ref}: span {s}-{e} lies outside the .txt ({len(txt)} characters).")
                    )
                    fragments = []
                    break
                fragments.append((offsets(s), offsets(e)))
            if not fragments:
                continue
            expected = " ".join(txt[s:e] for s, e in (tuple(map(int, f.split())) for f in spec.strip().split(";")))
            given = parts[2] if len(parts) > 2 else None
            if given is not None and _blank(given) != _blank(expected):
                doc.errors.append(
                    Problem(
                        number,
                        f"{ref}: the text {given!r} does not match the .txt at {spec} ({expected!r}); "
                        f"offsets must count Unicode characters of this very .txt.",
                    )
                )
                continue
            textbounds[ref] = _TextBound(ref, type_, fragments, number)
        elif kind == "R":
            fields = parts[1].split() if len(parts) > 1 else []
            args = dict(f.split(":", 1) for f in fields[1:] if ":" in f)
            if len(fields) < 3 or "Arg1" not in args or "Arg2" not in args:
                doc.errors.append(Problem(number, f"{ref}: a relation reads “Type Arg1:T1 Arg2:T2”."))
                continue
            relations.append((number, fields[0], args["Arg1"], args["Arg2"]))
        elif kind in "AM":
            fields = parts[1].split() if len(parts) > 1 else []
            if len(fields) < 2:
                doc.errors.append(Problem(number, f"{ref}: an attribute reads “Name T1 [Value]”."))
                continue
            attributes.setdefault(fields[1], []).append((fields[0], fields[2] if len(fields) > 2 else ""))
        elif kind == "#":
            fields = parts[1].split() if len(parts) > 1 else []
            if len(fields) >= 2 and len(parts) > 2:
                notes.setdefault(fields[1], []).append(parts[2])
        else:
            label = {"E": "events", "*": "equivalences", "N": "normalizations"}.get(kind, f"lines starting “{kind}”")
            ignored[label] = ignored.get(label, 0) + 1
    for label, count in ignored.items():
        doc.warnings.append(Problem(None, f"{name}: {count} {label} ignored (not part of the quote model)."))
    _build(doc, textbounds, relations, attributes, notes, quote_marks)
    return doc


def _build(doc, textbounds, relations, attributes, notes, quote_marks):
    quotes: dict[str, QuoteItem] = {}
    classes = {}
    unknown: dict[str, int] = {}
    for ref, tb in textbounds.items():
        cls = classify(tb.type)
        classes[ref] = cls
        if cls is None:
            unknown[tb.type] = unknown.get(tb.type, 0) + 1
            continue
        what, value = cls
        if what == "quote":
            kind = value
            for attr, attr_value in attributes.get(ref, []):
                if attr.lower() == "kind" and attr_value.lower() in KIND_VALUES:
                    kind = kind or KIND_VALUES[attr_value.lower()]
            spans = []
            for s, e in tb.fragments:
                ts, te = trim(doc.text, s, e)
                # A mixed quote may begin or end with its quoted fragment, marks included (the project's rule).
                if not (kind == "mixed" and ts < te and balanced_marks(doc.text[ts:te])):
                    ts, te = trim(doc.text, ts, te, quote_marks)
                doc.trimmed += (ts, te) != (s, e)
                if ts < te:
                    spans.append((ts, te))
            quote = QuoteItem(ref=ref, spans=spans, kind=kind or "direct")
            for note in notes.get(ref, []):
                match = SPEAKER_NOTE.match(note)
                if match:
                    quote.speaker_name, quote.speaker_qid = match["name"], match["qid"] or ""
            quotes[ref] = quote
        elif what == "entity":
            s, e = _trimmed_extent(doc, tb)
            doc.entities.append(EntityItem(ref=ref, start=s, end=e, label=value))
    for label, count in unknown.items():
        doc.warnings.append(Problem(None, f"{doc.name}: {count} annotation(s) of type “{label}” skipped (no mapping)."))
    linked: set[str] = set()
    for number, type_, arg1, arg2 in relations:
        rel = type_.lower()
        if rel not in ("speaker", "cue"):
            doc.warnings.append(Problem(number, f"relation type “{type_}” ignored (only Speaker and Cue are read)."))
            continue
        quote_ref, other = (arg1, arg2) if arg1 in quotes else (arg2, arg1)
        if quote_ref not in quotes or other not in textbounds:
            doc.errors.append(Problem(number, f"the {type_} relation must link a quote to a text-bound annotation."))
            continue
        span = _trimmed_extent(doc, textbounds[other])
        if rel == "cue":
            quotes[quote_ref].cue = span
        else:
            quotes[quote_ref].speaker_mention = span
            quotes[quote_ref].speaker_is_org = classes.get(other) == ("entity", "ORG")
        linked.add(other)
    for ref, tb in textbounds.items():
        if classes.get(ref) in (("cue", None), ("speaker", None)) and ref not in linked:
            doc.warnings.append(Problem(tb.line, f"{ref} ({tb.type}) is linked to no quote; skipped."))
    doc.quotes = sorted(quotes.values(), key=lambda q: q.spans[0] if q.spans else (0, 0))
    for quote in doc.quotes:
        if not quote.spans:
            doc.errors.append(
                Problem(textbounds[quote.ref].line, f"{quote.ref}: the quote holds only white space or marks.")
            )
        if not quote.speaker_name and quote.speaker_mention:
            quote.speaker_name = doc.text[quote.speaker_mention[0] : quote.speaker_mention[1]]


def _trimmed_extent(doc, tb) -> tuple[int, int]:
    s, e = trim(doc.text, tb.fragments[0][0], tb.fragments[-1][1])
    doc.trimmed += (s, e) != (tb.fragments[0][0], tb.fragments[-1][1])
    return s, e


def write_brat(article, quotes, mentions) -> str:
    """The ``.ann`` text for ``article``: entities, quotes (discontinuous), cues, speaker mentions, relations,
    ``Kind`` and ``Status`` attributes, and a ``Speaker: NAME`` note on each quote with a speaker."""
    body = article.body
    lines: list[str] = []
    refs: dict[tuple[str, int, int], str] = {}
    by_span: dict[tuple[int, int], str] = {}
    counters: dict[str, int] = {}

    def next_id(prefix: str) -> str:
        counters[prefix] = counters.get(prefix, 0) + 1
        return f"{prefix}{counters[prefix]}"

    def textbound(type_: str, fragments: list[tuple[int, int]]) -> str:
        key = (type_, fragments[0][0], fragments[-1][1]) if len(fragments) == 1 else None
        if key and key in refs:
            return refs[key]
        ref = next_id("T")
        spec = ";".join(f"{s} {e}" for s, e in fragments)
        text = " ".join(body[s:e] for s, e in fragments).replace("\n", " ")
        lines.append(f"{ref}\t{type_} {spec}\t{text}")
        if key:
            refs[key] = ref
            by_span.setdefault((fragments[0][0], fragments[-1][1]), ref)
        return ref

    for mention in mentions:
        textbound(mention.label, [(mention.start, mention.end)])
    for quote in quotes:
        spans = [(s.start, s.end) for s in quote.spans.all()]
        qref = textbound("Quote", spans)
        lines.append(f"{next_id('A')}\tKind {qref} {quote.kind.capitalize()}")
        lines.append(f"{next_id('A')}\tStatus {qref} {quote.status.capitalize()}")
        if quote.cue is not None:
            cref = textbound("Cue", [quote.cue])
            lines.append(f"{next_id('R')}\tCue Arg1:{qref} Arg2:{cref}")
        if quote.speaker_mention is not None:
            mref = by_span.get(quote.speaker_mention) or textbound("Speaker", [quote.speaker_mention])
            lines.append(f"{next_id('R')}\tSpeaker Arg1:{qref} Arg2:{mref}")
        if quote.speaker is not None:
            qid = f" (Wikidata {quote.speaker.wikidata_qid})" if quote.speaker.wikidata_qid else ""
            lines.append(f"{next_id('#')}\tAnnotatorNotes {qref}\tSpeaker: {quote.speaker.name}{qid}")
    return "\n".join(lines) + ("\n" if lines else "")


# --- doccano --------------------------------------------------------------------------------------


def parse_doccano(text: str, *, name: str = "doccano", quote_marks: str = "") -> list[AnnotatedDocument]:
    """One document per JSON line: ``{"text", "label": [[s, e, L], ...]}`` or ``{"text", "entities", "relations"}``."""
    docs = []
    for number, data, error in json_lines(text):
        if error:
            docs.append(_broken(name, number, error))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("text", data.get("data")), str):
            docs.append(_broken(name, number, "each line must be an object with a “text” string."))
            continue
        docs.append(_doccano_document(name, number, data, quote_marks))
    return docs


def _broken(name: str, number: int, message: str) -> AnnotatedDocument:
    doc = AnnotatedDocument(name=name, text="", line=number)
    doc.errors.append(Problem(number, message))
    return doc


def _doccano_document(name: str, number: int, data: dict, quote_marks: str) -> AnnotatedDocument:
    raw = data["text"] if "text" in data else data["data"]  # a str: the caller checked
    offsets = OffsetMap(raw)
    meta = dict(data.get("meta") or {}) if isinstance(data.get("meta"), dict) else {}
    for key in ("title", "url", "outlet", "published", "byline", "dateline", "language", "tags"):
        if key in data:
            meta[key] = data[key]
    doc = AnnotatedDocument(name=f"{name} line {number}", text=offsets.text, line=number, meta=meta)
    spans: list[tuple[str, int, int, str]] = []  # ref, start, end, label
    relations: list[tuple[str, str, str]] = []
    if isinstance(data.get("entities"), list):
        for i, ent in enumerate(data["entities"]):
            try:
                spans.append((str(ent["id"]), int(ent["start_offset"]), int(ent["end_offset"]), str(ent["label"])))
            except (KeyError, TypeError, ValueError):
                doc.errors.append(Problem(number, f"entity #{i + 1} needs id, start_offset, end_offset and label."))
        for i, rel in enumerate(data.get("relations") or []):
            try:
                relations.append((str(rel["type"]), str(rel["from_id"]), str(rel["to_id"])))
            except (KeyError, TypeError):
                doc.errors.append(Problem(number, f"relation #{i + 1} needs from_id, to_id and type."))
    else:
        labels = data.get("label", data.get("labels")) or []
        for i, item in enumerate(labels):
            if isinstance(item, str):
                doc.warnings.append(Problem(number, f"document label “{item}” ignored (only span labels are read)."))
                continue
            try:
                start, end, label = item
                spans.append((f"L{i}", int(start), int(end), str(label)))
            except (TypeError, ValueError):
                doc.errors.append(Problem(number, f'label #{i + 1} must be [start, end, "LABEL"].'))
    textbounds = {}
    for ref, start, end, label in spans:
        if not (0 <= start < end <= len(raw)):
            doc.errors.append(
                Problem(number, f"span {start}-{end} ({label}) lies outside the text ({len(raw)} characters).")
            )
            continue
        textbounds[ref] = _TextBound(ref, label, [(offsets(start), offsets(end))], number)
    rel_rows: list[tuple[int | None, str, str, str]] = [(number, t, a, b) for t, a, b in relations]
    if not relations:
        rel_rows = _link_nearest(doc.text, textbounds)
    _build(doc, textbounds, rel_rows, {}, {}, quote_marks)
    return doc


def _link_nearest(text: str, textbounds: dict) -> list[tuple[int | None, str, str, str]]:
    """Without relations (the label-only form), link each Cue and Speaker span to the nearest quote in its paragraph."""
    quotes = [tb for tb in textbounds.values() if (classify(tb.type) or ("",))[0] == "quote"]
    rows = []
    for tb in textbounds.values():
        cls = classify(tb.type)
        if cls is None or cls[0] not in ("cue", "speaker"):
            continue
        s, e = tb.fragments[0]
        para = (text.rfind("\n", 0, s) + 1, len(text) if text.find("\n", e) < 0 else text.find("\n", e))
        candidates = [q for q in quotes if para[0] <= q.fragments[0][0] and q.fragments[-1][1] <= para[1]]
        if candidates:
            nearest = min(candidates, key=lambda q: min(abs(q.fragments[0][0] - e), abs(s - q.fragments[-1][1])))
            rows.append((tb.line, cls[0].capitalize(), nearest.ref, tb.ref))
    return rows
