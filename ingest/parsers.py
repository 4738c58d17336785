"""Reading article files (.txt, .jsonl, .csv) into records. Pure Python: no database, no Django.

Every problem becomes a ``Problem`` with the line number it was found on, so that the report can
point at it. Parsing never stops at the first problem: one pass shows the editor everything to fix.

Text rule: line breaks are normalized to ``\\n`` (CRLF and lone CR), and leading and trailing
blank lines of a body are dropped (a line is blank when it holds nothing but spaces and tabs).
Everything else (inner blank lines, indentation, spaces at the end of inner lines, the characters
themselves) is kept exactly, so offsets computed on the source text stay meaningful.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from corpus.text import normalize_newlines
from text.guard import NOT_TEXT

FORMATS = ("txt", "jsonl", "csv")
FIELDS = ("title", "body", "url", "outlet", "published", "byline", "dateline", "language", "tags")
# Other names for a field, as other tools write them.
FIELD_ALIASES = {"text": "body", "date": "published", "author": "byline", "source": "outlet", "lang": "language"}

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[ \t]*)+\Z")


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ArticleRecord:
    line: int
    title: str
    body: str
    url: str = ""
    outlet: str = ""
    published: date | None = None
    byline: str = ""
    dateline: str = ""
    language: str = "en"
    tags: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    records: list[ArticleRecord] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class FileRefused(Exception):
    """The whole file is refused before parsing (too big, not UTF-8, empty, unknown format)."""


def clean_body(text: str) -> str:
    """Normalize line breaks and drop leading/trailing blank lines; keep everything else exactly."""
    text = normalize_newlines(text)
    text = _LEADING_BLANK_LINES.sub("", text)
    return _TRAILING_BLANK_LINES.sub("", text)


def decode(data: bytes, *, max_bytes: int, name: str = "The file") -> str:
    """UTF-8 text of an uploaded file (a UTF-8 byte-order mark is dropped), or FileRefused.

    The same checks and messages as :func:`decode_chunks` (it is that function on one chunk).
    """
    return "".join(decode_chunks([data], max_bytes=max_bytes, name=name, size=len(data)))


def decode_chunks(
    chunks: Iterable[bytes], *, max_bytes: int, name: str = "The file", size: int | None = None
) -> Iterator[str]:
    """Decode a file read in byte chunks, yielding its text as it comes; FileRefused at the first problem.

    Refused: over ``max_bytes`` (before reading when ``size`` is known, else as soon as the count passes
    it), bytes that are not UTF-8 (encoded surrogates included; the message names the byte and its
    line), a NUL byte (with its line), and a file with nothing but white space (known at the end).
    A UTF-8 byte-order mark at the start is dropped. Chunk boundaries never change the result.
    """
    if size is not None and size > max_bytes:
        raise FileRefused(too_big_message(name, size, max_bytes))
    decoder = codecs.getincrementaldecoder("utf-8")()
    read = newlines = 0  # bytes and line breaks before the current chunk
    started = content = False
    for chunk in chunks:
        read += len(chunk)
        if read > max_bytes:
            raise FileRefused(
                f"{name} is over the import limit of {max_bytes:,} bytes (settings.IMPORT_MAX_BYTES). "
                f"Split it into smaller files; nothing was imported."
            )
        nul = chunk.find(b"\x00")
        before = chunk if nul < 0 else chunk[:nul]
        try:
            text = decoder.decode(before)
        except UnicodeDecodeError as exc:
            raise _not_utf8(name, exc, newlines) from None
        if nul >= 0:
            at = newlines + before.count(b"\n")
            try:
                decoder.decode(b"\x00")  # bytes of an unfinished character before the NUL are the first problem
            except UnicodeDecodeError as exc:
                raise _not_utf8(name, exc, at) from None
            raise FileRefused(
                f"{name} holds a NUL byte (0x00) on line {at + 1}, so it is not a text file. "
                f"Save it as UTF-8 text and import it again; nothing was imported."
            )
        newlines += chunk.count(b"\n")
        if text and not started:
            started = True
            if text[0] == "\ufeff":
                text = text[1:]
        if text:
            content = content or bool(text.strip())
            yield text
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, exc, newlines) from None
    if not content:
        raise FileRefused(f"{name} is empty; nothing was imported.")


def _not_utf8(name: str, exc: UnicodeDecodeError, newlines_before: int) -> FileRefused:
    # exc.object is what the decoder was reading: its pending bytes (never a line break) and the new ones
    line = newlines_before + exc.object[: exc.start].count(b"\n") + 1
    return FileRefused(
        f"{name} is not UTF-8 text: byte 0x{exc.object[exc.start]:02X} on line {line} cannot be read. "
        f"Save it as UTF-8 and import it again; nothing was imported."
    )


_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(texts: Iterable[str]) -> Iterator[str]:
    """The lines of a text given in pieces, each with its ending (\\n, \\r\\n or a lone \\r), exactly as
    ``io.StringIO(text, newline="")`` gives them, whatever the pieces."""
    pending: list[str] = []
    held_cr = False  # the last piece ended with \r: a line break, unless the next piece starts with \n
    for text in texts:
        if not text:
            continue
        if held_cr:
            if text[0] == "\n":
                pending.append("\n")
                text = text[1:]
            yield "".join(pending)
            pending, held_cr = [], False
        start = 0
        for match in _BREAK.finditer(text):
            end = match.end()
            if end == len(text) and match.group() == "\r":
                held_cr = True
                break
            pending.append(text[start:end])
            yield "".join(pending)
            pending, start = [], end
        pending.append(text[start:])
    last = "".join(pending)
    if last:
        yield last


def too_big_message(name: str, size: int, max_bytes: int) -> str:
    return (
        f"{name} is {size:,} bytes, over the import limit of {max_bytes:,} bytes "
        f"(settings.IMPORT_MAX_BYTES). Split it into smaller files; nothing was imported."
    )


def detect_format(filename: str, text: str | None = None) -> str | None:
    """The article format from the file name's extension, else guessed from the text (pasted input)."""
    lower = (filename or "").lower()
    for fmt in FORMATS:
        if lower.endswith("." + fmt):
            return fmt
    if lower.endswith((".json", ".ndjson")):
        return "jsonl"
    if text is None:
        return None
    first = text.lstrip("\ufeff \t\r\n")[:1]
    if first == "{":
        return "jsonl"
    head = text.split("\n", 1)[0].lower()
    columns = {c.strip().strip('"') for c in head.split(",")}
    if "title" in columns and ({"body", "text"} & columns):
        return "csv"
    return "txt"


def parse(text: str, fmt: str) -> ParseResult:
    """All records of a whole text (see :func:`iter_records` for a stream)."""
    result = ParseResult()
    result.records = list(iter_records([text], fmt, result))
    return result


def iter_records(texts: Iterable[str], fmt: str, result: ParseResult) -> Iterator[ArticleRecord]:
    """The records of a text given in pieces (e.g. from :func:`decode_chunks`), one at a time.

    Problems go to ``result.errors`` / ``result.warnings`` as they are found; records are yielded, not
    kept in ``result.records``. The same records and problems as :func:`parse` on the joined text.
    """
    if fmt == "txt":
        return _iter_txt(texts, result)
    if fmt == "jsonl":
        return iter_jsonl(texts, result)
    if fmt == "csv":
        return iter_csv(texts, result)
    raise FileRefused(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")


def parse_txt(text: str) -> ParseResult:
    """One article: the first line is the title, the body follows (after a blank line)."""
    result = ParseResult()
    text = normalize_newlines(text)
    text = _LEADING_BLANK_LINES.sub("", text)
    title, _, rest = text.partition("\n")
    record = _record(1, {"title": title, "body": rest}, result)
    if record is not None:
        result.records.append(record)
    return result


def _iter_txt(texts: Iterable[str], result: ParseResult) -> Iterator[ArticleRecord]:
    # one article: it is in memory anyway
    parsed = parse_txt("".join(texts))
    result.errors.extend(parsed.errors)
    result.warnings.extend(parsed.warnings)
    yield from parsed.records


def json_lines(text: str | Iterable[str]) -> Iterator[tuple[int, object, str | None]]:
    """Yield ``(line number, value, None)`` per non-blank JSON line, or ``(number, None, message)``.

    ``text`` is a whole text or its pieces; line breaks are \\n, \\r\\n or a lone \\r.
    """
    for number, line in enumerate(split_lines([text] if isinstance(text, str) else text), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON ({exc.msg} at column {exc.colno})."
            continue
        # JSON can spell what a stored text cannot hold (\u0000, \ud800): refused for every format
        # that reads JSON lines (articles, doccano), naming the field.
        problem = _not_text_in(value, "")
        if problem:
            yield number, None, problem
        else:
            yield number, value, None


def _not_text_in(value: object, field: str) -> str | None:
    if isinstance(value, str):
        return _not_text_message(field or "text", value) if NOT_TEXT.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            problem = _not_text_in(str(key), field or str(key)) or _not_text_in(item, field or str(key))
            if problem:
                return problem
    elif isinstance(value, list):
        for item in value:
            problem = _not_text_in(item, field)
            if problem:
                return problem
    return None


def parse_jsonl(text: str) -> ParseResult:
    """One JSON object per line; blank lines are allowed and ignored."""
    return parse(text, "jsonl")


def iter_jsonl(texts: Iterable[str], result: ParseResult) -> Iterator[ArticleRecord]:
    unknown: set[str] = set()
    count = 0
    for number, data, error in json_lines(texts):
        if error:
            result.errors.append(Problem(number, error))
            continue
        if not isinstance(data, dict):
            result.errors.append(Problem(number, 'each line must be a JSON object such as {"title": …, "body": …}.'))
            continue
        unknown |= _unknown_keys(data)
        record = _record(number, data, result)
        if record is not None:
            count += 1
            yield record
    if not count and not result.errors:
        result.errors.append(Problem(None, "The file holds no article."))
    _warn_unknown(unknown, result)


def parse_csv(text: str) -> ParseResult:
    """A header row naming the columns (title and body required), then one article per row."""
    return parse(text, "csv")


def iter_csv(texts: Iterable[str], result: ParseResult) -> Iterator[ArticleRecord]:
    reader = csv.reader(split_lines(texts))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(Problem(None, "The file holds no article."))
        return
    except csv.Error as exc:
        result.errors.append(Problem(1, f"the header row cannot be read as CSV ({exc})."))
        return
    columns = [FIELD_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [name for name in ("title", "body") if name not in columns]
    if missing:
        result.errors.append(
            Problem(
                1, f"the header row needs the column(s) {', '.join(missing)}; it has {', '.join(header) or 'none'}."
            )
        )
        return
    _warn_unknown({c for c in columns if c not in FIELDS}, result)
    previous_end = reader.line_num
    count = 0
    while True:
        start_line = previous_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.errors.append(Problem(start_line, f"this row cannot be read as CSV ({exc})."))
            break
        previous_end = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            result.errors.append(
                Problem(start_line, f"this row has {len(row)} cells but the header names {len(columns)} columns.")
            )
            continue
        record = _record(start_line, dict(zip(columns, row)), result)
        if record is not None:
            count += 1
            yield record
    if not count and not result.errors:
        result.errors.append(Problem(None, "The file holds no article."))


def _unknown_keys(data: dict) -> set[str]:
    return {k for k in data if FIELD_ALIASES.get(k, k) not in FIELDS}


def _warn_unknown(unknown: set[str], result: ParseResult) -> None:
    if unknown:
        result.warnings.append(Problem(None, f"Ignored unknown field(s): {', '.join(sorted(unknown))}."))


def _text(value, name: str, line: int, result: ParseResult) -> str | None:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        result.errors.append(Problem(line, f"the field “{name}” must be text."))
        return None
    if NOT_TEXT.search(value):
        result.errors.append(Problem(line, _not_text_message(name, value)))
        return None
    return value


def _not_text_message(name: str, value: str) -> str:
    match = NOT_TEXT.search(value)
    char = f"\\u{ord(match.group()):04x}" if match else ""
    what = "a NUL character" if char == "\\u0000" else "a lone surrogate (half of a UTF-16 pair)"
    return f"the field “{name}” holds {what}, {char}, which is not text; remove it."


def parse_date(value: str) -> date:
    """ISO dates (2024-05-01), optionally with a time (2024-05-01T10:00:00Z): the date part is kept."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()


def parse_tags(value) -> list[str]:
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    separator = ";" if ";" in value else ","
    return [t.strip() for t in value.split(separator) if t.strip()]


def _record(line: int, raw: dict, result: ParseResult) -> ArticleRecord | None:
    data = {FIELD_ALIASES.get(k, k): v for k, v in raw.items()}
    values: dict[str, str] = {}
    ok = True
    for name in ("title", "body", "url", "outlet", "byline", "dateline", "language"):
        value = _text(data.get(name), name, line, result)
        if value is None:
            ok = False
        values[name] = value or ""
    title = values["title"].strip()
    body = clean_body(values["body"])
    if ok and not title:
        result.errors.append(Problem(line, "the title is missing."))
        ok = False
    if ok and "\n" in title:
        result.errors.append(Problem(line, "the title must be a single line."))
        ok = False
    if ok and not body.strip():
        result.errors.append(Problem(line, "the body is empty."))
        ok = False
    published = None
    raw_date = data.get("published")
    if raw_date not in (None, ""):
        if not isinstance(raw_date, str):
            result.errors.append(Problem(line, "the date must be text such as 2024-05-01."))
            ok = False
        else:
            try:
                published = parse_date(raw_date)
            except ValueError:
                result.errors.append(
                    Problem(line, f"the date {raw_date!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-01.")
                )
                ok = False
    tags: list[str] = []
    raw_tags = data.get("tags")
    if raw_tags not in (None, ""):
        if not isinstance(raw_tags, (str, list)):
            result.errors.append(Problem(line, "tags must be a list or comma-separated text."))
            ok = False
        else:
            tags = parse_tags(raw_tags)
            bad = next((t for t in tags if NOT_TEXT.search(t)), None)
            if bad is not None:
                result.errors.append(Problem(line, _not_text_message("tags", bad)))
                ok = False
    if not ok:
        return None
    return ArticleRecord(
        line=line,
        title=title,
        body=body,
        url=values["url"].strip(),
        outlet=values["outlet"].strip(),
        published=published,
        byline=values["byline"].strip(),
        dateline=values["dateline"].strip(),
        language=values["language"].strip() or "en",
        tags=tags,
    )
