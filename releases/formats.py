"""The data files of a release beyond the exports' CSV and JSONL: Parquet tables, W3C Web Annotation
JSON-LD, a PARC-style token file, and the codebook as Markdown. Each writer streams: rows come from
server-side cursors (``iterator(chunk_size=...)``) and leave in bounded batches, whatever the size.
"""

import bisect
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db.models import QuerySet

from exports.codebook import DATE, DATETIME, INT, KIND_HELP, NOTES, SPAN, TEXT, ExportFile
from exports.writers import ITERATOR_CHUNK_ROWS, raw_columns
from text.sentences import sentences

from .rows import ArticleRow, QuoteRow, articles_with_quotes

if TYPE_CHECKING:
    import pyarrow as pa

Check = Callable[[], None]
CHECK_EVERY = 5000

# --- Parquet ----------------------------------------------------------------------------------

# pyarrow is imported by the Parquet functions themselves, on first use: at start-up it cost every
# process (web workers, commands) about 40 MB and 200 ms for the release builds that need it.


def arrow_types() -> dict[str, "pa.DataType"]:
    import pyarrow as pa

    return {INT: pa.int64(), TEXT: pa.string(), DATE: pa.date32(), DATETIME: pa.timestamp("ms", tz="UTC")}


# A row group is held as Python values before it is written: these caps bound the build's memory
# (about 20 MB for the widest table), whatever the number of rows.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_TEXT_BYTES = 8 << 20  # a row group of long texts (articles) closes at ~8 MB of text


def parquet_schema(export: ExportFile) -> "pa.Schema":
    """The CSV's columns with plain types: a span column becomes ``<name>_start`` and ``<name>_end``."""
    import pyarrow as pa

    types = arrow_types()
    fields = []
    for column in export.columns:
        if column.kind == SPAN:
            fields += [pa.field(f"{column.name}_start", pa.int64()), pa.field(f"{column.name}_end", pa.int64())]
        else:
            fields.append(pa.field(column.name, types[column.kind]))
    metadata = {f.name: c.description for f, c in zip(fields, _expanded(export), strict=True)}
    return pa.schema(fields, metadata={"columns": json.dumps(metadata, ensure_ascii=False, sort_keys=True)})


def _expanded(export: ExportFile):
    for column in export.columns:
        yield column
        if column.kind == SPAN:
            yield column


def _whole_seconds(value: datetime | None) -> datetime | None:
    return value.replace(microsecond=0) if value is not None else None


def write_parquet(export: ExportFile, qs: QuerySet, path: Path, check: Check) -> int:
    """The rows of ``export`` for ``qs`` (the CSV's rows, in its order), raw values: text is not
    formula-neutralized (Parquet is no spreadsheet) and empty text is null, as an empty CSV cell."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema(export)
    exprs, _ = raw_columns(export)
    # One converter per column (the columns of a group are converted at once, not value by value);
    # None: the value as it is.
    converters: list[Callable[[list[Any]], list[Any]] | None] = []
    for column in export.columns:
        if column.kind == SPAN:
            converters += [None, None]
        elif column.kind == DATETIME:
            converters.append(lambda values: [_whole_seconds(v) for v in values])
        elif column.kind == TEXT:
            converters.append(lambda values: [v if v else None for v in values])
        else:
            converters.append(None)
    text = [i for i, f in enumerate(schema) if f.type == pa.string()]
    rows = qs.annotate(**exprs).values_list(*exprs).iterator(chunk_size=ITERATOR_CHUNK_ROWS)
    count = 0

    def table(group: list[tuple[Any, ...]]) -> "pa.Table":
        columns = [list(c) for c in zip(*group, strict=True)] if group else [[] for _ in schema]
        return pa.table([f(c) if f else c for f, c in zip(converters, columns, strict=True)], schema=schema)

    with pq.ParquetWriter(str(path), schema, compression="snappy", write_statistics=True) as writer:
        group: list[tuple[Any, ...]] = []
        text_bytes = 0
        for row in rows:
            group.append(row)
            text_bytes += sum([len(row[i]) for i in text if row[i]])
            count += 1
            if count % CHECK_EVERY == 0:
                check()
            if len(group) >= ROW_GROUP_ROWS or text_bytes >= ROW_GROUP_TEXT_BYTES:
                writer.write_table(table(group))
                group, text_bytes = [], 0
        if group or count == 0:
            writer.write_table(table(group))
    return count


# --- W3C Web Annotation -----------------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # prefix and suffix of a TextQuoteSelector, in code points


def iri(release_folder: str, *parts: object) -> str:
    return "urn:quote-corpus:" + ":".join([release_folder, *(str(p) for p in parts)])


def web_annotation(folder: str, article: ArticleRow, quote: QuoteRow) -> dict[str, Any]:
    """One Web Annotation of a curated quote: a target per content span (code-point offsets of the
    article body), the kind, the speaker and the cue as bodies, told apart by ``purpose``."""
    body = article.body
    source = iri(folder, "article", article.id)
    targets = []
    for start, end in quote.spans:
        target: dict[str, Any] = {
            "type": "SpecificResource",
            "source": source,
            "selector": [
                {"type": "TextPositionSelector", "start": start, "end": end},
                {
                    "type": "TextQuoteSelector",
                    "exact": body[start:end],
                    "prefix": body[max(0, start - CONTEXT_CHARS) : start],
                    "suffix": body[end : end + CONTEXT_CHARS],
                },
            ],
        }
        if article.url:
            target["scope"] = article.url
        targets.append(target)
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "classifying", "value": quote.kind}]
    if quote.speaker_name is not None:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": quote.speaker_name})
        if quote.speaker_qid:
            bodies.append(
                {
                    "type": "SpecificResource",
                    "purpose": "identifying",
                    "source": f"http://www.wikidata.org/entity/{quote.speaker_qid}",
                }
            )
    if quote.cue_start is not None:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": quote.cue_text})
    return {
        "@context": ANNO_CONTEXT,
        "id": iri(folder, "quote", quote.id),
        "type": "Annotation",
        "motivation": "tagging",
        "body": bodies,
        "target": targets,
    }


def write_web_annotations(selection_quotes: QuerySet, folder: str, fh: IO[bytes], check: Check) -> int:
    """An AnnotationCollection with one AnnotationPage holding every annotation (each one complete,
    its own ``@context`` included), written article by article."""
    total = selection_quotes.count()
    head = {
        "@context": ANNO_CONTEXT,
        "id": iri(folder, "annotations"),
        "type": "AnnotationCollection",
        "label": f"Curated quotes of {folder}",
        "total": total,
    }
    fh.write(json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1].encode())
    fh.write(b',"first":{"type":"AnnotationPage","startIndex":0,"items":[\n')
    count = 0
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # one encoder, not one per json.dumps
    for article, quotes in articles_with_quotes(selection_quotes, check, CHECK_EVERY):
        if not quotes:
            continue
        lines = [encode(web_annotation(folder, article, quote)) for quote in quotes]
        fh.write(((",\n" if count else "") + ",\n".join(lines)).encode())
        count += len(lines)
    fh.write(b"\n]}}\n")
    return count


# --- PARC-style tokens ------------------------------------------------------------------------

TOKEN = re.compile(r"\w+|[^\w\s]")
TOKEN_COLUMNS = ("article_id", "sentence", "token", "start", "end", "word", "source", "cue", "content", "attribution")
TOKENS_HEADER = (
    "# One token per line, a blank line after each sentence, in the style of PARC 3.0. Columns (tab-separated):\n"
    "# " + "\t".join(TOKEN_COLUMNS) + "\n"
    "# sentence and token count from 0 within the article and the sentence; start and end are code-point\n"
    "# offsets of the article body (end exclusive). source, cue and content are BIO labels (B-SOURCE,\n"
    "# I-SOURCE, B-CUE, ..., O) of the speaker mention, the cue and the quoted content of any quote;\n"
    "# attribution lists the quotes (id:role) the token belongs to, or _.\n"
)
UNLABELLED = "\tO\tO\tO\t_\n"  # the tail of a token no quote touches (most of them)


def _label(
    starts: list[int], ends: list[int], spans: list[tuple[int, int]], labels: dict[int, str], role: str
) -> list[int]:
    """Label the tokens ``spans`` touch (B- on the first of each span, I- on the rest unless a B- of the
    same role is there already); the indexes touched, in order, span by span."""
    first_label, inside = f"B-{role}", f"I-{role}"
    touched = []
    count = len(starts)
    for start, end in spans:
        i = max(0, bisect.bisect_right(starts, start) - 1)
        begun = False
        while i < count and starts[i] < end:
            if ends[i] > start:
                if not begun:
                    labels[i] = first_label
                    begun = True
                elif labels.get(i) != first_label:
                    labels[i] = inside
                touched.append(i)
            i += 1
    return touched


def article_tokens(article: ArticleRow, quotes: list[QuoteRow]) -> list[str]:
    """The lines of one article: its sentences (``text.sentences``), tokens and labels.

    Labels are kept for the tokens a quote touches only; every other token's line ends in
    ``UNLABELLED``. One f-string per token."""
    body = article.body
    # the tokens of each sentence (its number, its [start, end) pairs); every token's start and end
    sentence_tokens = [
        (number, [m.span() for m in TOKEN.finditer(body, s_start, s_end)])
        for number, (s_start, s_end) in enumerate(sentences(body))
    ]
    starts = [start for _, tokens in sentence_tokens for start, _ in tokens]
    ends = [end for _, tokens in sentence_tokens for _, end in tokens]
    labels: dict[str, dict[int, str]] = {"SOURCE": {}, "CUE": {}, "CONTENT": {}}
    members: dict[int, list[str]] = {}
    for quote in quotes:
        roles = (
            ("CONTENT", quote.spans),
            ("CUE", [(quote.cue_start, quote.cue_end)] if quote.cue_start is not None else []),
            ("SOURCE", [(quote.mention_start, quote.mention_end)] if quote.mention_start is not None else []),
        )
        for role, spans in roles:
            # who: every token the quote's spans touch, labelled now or earlier by another quote
            member = f"{quote.id}:{role.lower()}"
            for i in _label(starts, ends, spans, labels[role], role):  # type: ignore[arg-type]  # both ends or none
                members.setdefault(i, []).append(member)
    source, cue, content = labels["SOURCE"], labels["CUE"], labels["CONTENT"]
    tails = {
        i: f"\t{source.get(i, 'O')}\t{cue.get(i, 'O')}\t{content.get(i, 'O')}\t{';'.join(who)}\n"
        for i, who in members.items()
    }
    tail = tails.get
    lines: list[str] = []
    first = 0  # the article-wide index of the sentence's first token
    for number, tokens in sentence_tokens:
        if not tokens:
            continue
        head = f"{article.id}\t{number}\t"
        lines += [
            f"{head}{position}\t{start}\t{end}\t{body[start:end]}{tail(first + position, UNLABELLED)}"
            for position, (start, end) in enumerate(tokens)
        ]
        lines.append("\n")  # a blank line after each sentence
        first += len(tokens)
    return lines


def write_tokens(selection_quotes: QuerySet, fh: IO[bytes], check: Check) -> int:
    fh.write(TOKENS_HEADER.encode())
    count = 0
    buffer: list[str] = []
    size = 0
    for article, quotes in articles_with_quotes(selection_quotes, check, CHECK_EVERY):
        lines = article_tokens(article, quotes)
        buffer += lines
        count += len(lines) - lines.count("\n")
        size += len(lines)
        if size >= 1 << 16:
            fh.write("".join(buffer).encode())
            buffer, size = [], 0
    fh.write("".join(buffer).encode())
    return count


# --- the codebook as Markdown -----------------------------------------------------------------


def codebook_markdown(exports: tuple[ExportFile, ...], formats: dict[str, str]) -> str:
    """The codebook page's content (the same definitions the writers use), for the zip."""
    out = ["# Codebook", "", "Every file of this release and every column of its tables.", ""]
    out += ["## Files", ""]
    out += [f"- `{path}`: {text}" for path, text in formats.items()]
    out += ["", "## Column kinds", ""]
    out += [f"- **{kind}**: {help_text}" for kind, help_text in KIND_HELP.items()]
    for export in exports:
        out += ["", f"## {export.title} (`csv/{export.filename}`, `parquet/{export.slug}.parquet`)", ""]
        out += [f"One row is {export.row}.", "", "| column | kind | meaning |", "|---|---|---|"]
        for column in export.columns:
            description = column.description.replace("|", "\\|").replace("\n", " ")
            out.append(f"| `{column.name}` | {column.kind} | {description} |")
    out += ["", "## Notes", ""]
    for title, text in NOTES.items():
        out += [f"**{title.capitalize()}.** {text}", ""]
    out += [
        "**Parquet.** The same rows and columns as the CSV file, in the same order, with plain types: "
        "integers (int64), text (UTF-8 strings, never formula-neutralized; null where the CSV cell is empty), "
        "dates (date32), times (timestamp in milliseconds, UTC, whole seconds). A span column start-end becomes two integer columns, "
        "`<name>_start` and `<name>_end`.",
        "",
    ]
    return "\n".join(out)
