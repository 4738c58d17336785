"""The data files of a release beyond the exports' CSV and JSONL: Parquet tables, W3C Web Annotation
JSON-LD, a PARC-style token file, and the codebook as Markdown. Each writer streams: rows come from
server-side cursors (``iterator(chunk_size=...)``) and leave in bounded batches, whatever the size.
"""

import bisect
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db.models import Prefetch, QuerySet

from annotations.models import Quote, QuoteSpan
from corpus.models import Article
from exports.codebook import DATE, DATETIME, INT, KIND_HELP, NOTES, SPAN, TEXT, ExportFile
from exports.writers import ITERATOR_CHUNK_ROWS, raw_columns
from text.sentences import sentences

Check = Callable[[], None]
CHECK_EVERY = 5000

# --- Parquet ----------------------------------------------------------------------------------

ARROW_TYPES = {INT: pa.int64(), TEXT: pa.string(), DATE: pa.date32(), DATETIME: pa.timestamp("ms", tz="UTC")}
# A row group is held as Python values before it is written: these caps bound the build's memory
# (about 20 MB for the widest table), whatever the number of rows.
ROW_GROUP_ROWS = 10_000
ROW_GROUP_TEXT_BYTES = 8 << 20  # a row group of long texts (articles) closes at ~8 MB of text


def parquet_schema(export: ExportFile) -> pa.Schema:
    """The CSV's columns with plain types: a span column becomes ``<name>_start`` and ``<name>_end``."""
    fields = []
    for column in export.columns:
        if column.kind == SPAN:
            fields += [pa.field(f"{column.name}_start", pa.int64()), pa.field(f"{column.name}_end", pa.int64())]
        else:
            fields.append(pa.field(column.name, ARROW_TYPES[column.kind]))
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
    schema = parquet_schema(export)
    exprs, _ = raw_columns(export)
    converters: list[Callable[[Any], Any]] = []
    for column in export.columns:
        if column.kind == SPAN:
            converters += [lambda v: v, lambda v: v]
        elif column.kind == DATETIME:
            converters.append(_whole_seconds)
        elif column.kind == TEXT:
            converters.append(lambda v: v if v else None)
        else:
            converters.append(lambda v: v)
    rows = qs.annotate(**exprs).values_list(*exprs).iterator(chunk_size=ITERATOR_CHUNK_ROWS)
    width = len(schema)
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="snappy", write_statistics=True) as writer:
        batch: list[list[Any]] = [[] for _ in range(width)]
        text_bytes = 0
        for row in rows:
            for i in range(width):
                value = converters[i](row[i])
                batch[i].append(value)
                if isinstance(value, str):
                    text_bytes += len(value)
            count += 1
            if count % CHECK_EVERY == 0:
                check()
            if len(batch[0]) >= ROW_GROUP_ROWS or text_bytes >= ROW_GROUP_TEXT_BYTES:
                writer.write_table(pa.table(batch, schema=schema))
                batch, text_bytes = [[] for _ in range(width)], 0
        if batch[0] or count == 0:
            writer.write_table(pa.table(batch, schema=schema))
    return count


# --- quotes with their article, in text order -------------------------------------------------


def _articles_with_quotes(quotes: QuerySet, check: Check) -> Iterator[tuple[Article, list[Quote]]]:
    """Each article of ``quotes`` (in id order) with its quotes (in text order): two server-side
    cursors walked side by side, so one article's body is in memory at a time."""
    quote_rows = (
        quotes.prefetch_related(Prefetch("spans", QuoteSpan.objects.order_by("position")))
        .select_related("speaker")
        .iterator(chunk_size=ITERATOR_CHUNK_ROWS)
    )
    article_ids = quotes.order_by().values("article_id")
    articles = Article.objects.filter(pk__in=article_ids).order_by("id").iterator(chunk_size=200)
    pending = next(quote_rows, None)
    seen = 0
    for article in articles:
        group: list[Quote] = []
        while pending is not None and pending.article_id == article.pk:
            group.append(pending)
            pending = next(quote_rows, None)
            seen += 1
            if seen % CHECK_EVERY == 0:
                check()
        yield article, group


# --- W3C Web Annotation -----------------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # prefix and suffix of a TextQuoteSelector, in code points


def iri(release_folder: str, *parts: object) -> str:
    return "urn:quote-corpus:" + ":".join([release_folder, *(str(p) for p in parts)])


def web_annotation(folder: str, article: Article, quote: Quote) -> dict[str, Any]:
    """One Web Annotation of a curated quote: a target per content span (code-point offsets of the
    article body), the kind, the speaker and the cue as bodies, told apart by ``purpose``."""
    body = article.body
    source = iri(folder, "article", article.pk)
    targets = []
    for span in quote.spans.all():
        target: dict[str, Any] = {
            "type": "SpecificResource",
            "source": source,
            "selector": [
                {"type": "TextPositionSelector", "start": span.start, "end": span.end},
                {
                    "type": "TextQuoteSelector",
                    "exact": body[span.start : span.end],
                    "prefix": body[max(0, span.start - CONTEXT_CHARS) : span.start],
                    "suffix": body[span.end : span.end + CONTEXT_CHARS],
                },
            ],
        }
        if article.url:
            target["scope"] = article.url
        targets.append(target)
    bodies: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "classifying", "value": quote.kind}]
    if quote.speaker is not None:
        bodies.append({"type": "TextualBody", "purpose": "identifying", "value": quote.speaker.name})
        if quote.speaker.wikidata_qid:
            bodies.append(
                {
                    "type": "SpecificResource",
                    "purpose": "identifying",
                    "source": f"http://www.wikidata.org/entity/{quote.speaker.wikidata_qid}",
                }
            )
    if quote.cue_start is not None:
        bodies.append({"type": "TextualBody", "purpose": "describing", "value": quote.cue_text})
    return {
        "@context": ANNO_CONTEXT,
        "id": iri(folder, "quote", quote.pk),
        "type": "Annotation",
        "motivation": "tagging",
        "body": bodies,
        "target": targets,
    }


def write_web_annotations(selection_quotes: QuerySet, folder: str, fh: IO[bytes], check: Check) -> int:
    """An AnnotationCollection with one AnnotationPage holding every annotation (each one complete,
    its own ``@context`` included), written item by item."""
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
    for article, quotes in _articles_with_quotes(selection_quotes, check):
        for quote in quotes:
            line = json.dumps(web_annotation(folder, article, quote), ensure_ascii=False, sort_keys=True)
            fh.write(((",\n" if count else "") + line).encode())
            count += 1
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


def _label(tokens: list[tuple[int, int]], starts: list[int], spans, labels: list[str], role: str) -> None:
    for start, end in spans:
        first = max(0, bisect.bisect_right(starts, start) - 1)
        begun = False
        for i in range(first, len(tokens)):
            t_start, t_end = tokens[i]
            if t_start >= end:
                break
            if t_end <= start:
                continue
            if not begun:
                labels[i] = f"B-{role}"
                begun = True
            elif labels[i] != f"B-{role}":
                labels[i] = f"I-{role}"


def article_tokens(article: Article, quotes: list[Quote]) -> Iterator[str]:
    """The lines of one article: its sentences (``text.sentences``), tokens and labels."""
    body = article.body
    tokens: list[tuple[int, int]] = []
    sentence_of: list[int] = []
    for number, (s_start, s_end) in enumerate(sentences(body)):
        for match in TOKEN.finditer(body, s_start, s_end):
            tokens.append((match.start(), match.end()))
            sentence_of.append(number)
    starts = [t[0] for t in tokens]
    labels = {role: ["O"] * len(tokens) for role in ("SOURCE", "CUE", "CONTENT")}
    members: dict[int, list[str]] = {}
    for quote in quotes:
        roles: dict[str, list[tuple[int, int]]] = {
            "CONTENT": [(s.start, s.end) for s in quote.spans.all()],
            "CUE": [(quote.cue_start, quote.cue_end)]  # type: ignore[list-item]  # both or neither (a constraint)
            if quote.cue_start is not None
            else [],
            "SOURCE": [(quote.speaker_mention_start, quote.speaker_mention_end)]  # type: ignore[list-item]
            if quote.speaker_mention_start is not None
            else [],
        }
        for role, spans in roles.items():
            _label(tokens, starts, spans, labels[role], role)
            # who: every token the quote's spans touch, labelled now or earlier by another quote
            for start, end in spans:
                lo = max(0, bisect.bisect_right(starts, start) - 1)
                for i in range(lo, len(tokens)):
                    if tokens[i][0] >= end:
                        break
                    if tokens[i][1] > start:
                        members.setdefault(i, []).append(f"{quote.pk}:{role.lower()}")
    sentence = -1
    position = 0
    for i, (start, end) in enumerate(tokens):
        if sentence_of[i] != sentence:
            if sentence >= 0:
                yield "\n"
            sentence, position = sentence_of[i], 0
        cells = (
            str(article.pk),
            str(sentence),
            str(position),
            str(start),
            str(end),
            body[start:end],
            labels["SOURCE"][i],
            labels["CUE"][i],
            labels["CONTENT"][i],
            ";".join(members.get(i, ())) or "_",
        )
        yield "\t".join(cells) + "\n"
        position += 1
    if tokens:
        yield "\n"


def write_tokens(selection_quotes: QuerySet, fh: IO[bytes], check: Check) -> int:
    fh.write(TOKENS_HEADER.encode())
    count = 0
    buffer: list[str] = []
    size = 0
    for article, quotes in _articles_with_quotes(selection_quotes, check):
        for line in article_tokens(article, quotes):
            buffer.append(line)
            size += len(line)
            count += line != "\n"
        if size >= 1 << 20:
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
