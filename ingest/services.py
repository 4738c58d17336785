"""Imports into the corpus. Each file is one transaction: it imports completely or not at all.

``import_article_file`` reads a .txt, .jsonl or .csv file a piece at a time and writes its articles a
batch at a time (``bulk_create``; tags in bulk too), so memory stays flat whatever the file's size.
``annotated_import`` writes brat / doccano documents as articles with their entity mentions and
quotes, through ``corpus.services`` and ``annotations.services`` so that every span is validated.
``corpus_restore`` reads a whole ``corpus.jsonl`` back into an empty database (``jsonl_restore``).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from annotations import services as annotation_services
from annotations.models import Quote, Status
from annotations.signals import annotations_changed
from clusters.services import clusters_rebuild
from corpus import services as corpus_services
from corpus.errors import validation_message
from corpus.models import Article, Speaker
from corpus.selectors import speaker_named
from corpus.signals import articles_created
from corpus.text import body_hash, normalize_alias
from text.marks import EDGE_MARKS

from . import interchange, jsonl_restore, parsers
from .archives import read_zip
from .jsonl_restore import ImportRefused
from .parsers import ArticleRecord, Problem

BATCH_SIZE = 1000  # articles validated and inserted together
LOOKUP_CHUNK = 500
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "hers", "their"}


@dataclass(slots=True)
class ReportRow:
    line: int | None
    title: str
    article_id: int | None = None
    reason: str = ""


@dataclass
class ImportReport:
    """What one file did: created articles, skipped duplicates, errors (then nothing was imported)."""

    source: str
    format: str
    created: list[ReportRow] = field(default_factory=list)
    skipped: list[ReportRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    quotes: int = 0
    mentions: int = 0
    speakers: int = 0
    trimmed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, message: str, line: int | None = None) -> ImportReport:
        self.errors.append(Problem(line, message))
        self.created = []
        return self

    def as_data(self, *, rows: int | None = None) -> dict[str, Any]:
        """The report as JSON (the API's answer, a background import's result); ``rows`` caps the
        created and skipped rows listed (their counts are always whole)."""
        return {
            "source": self.source,
            "format": self.format,
            "ok": self.ok,
            "summary": self.summary(),
            "created": [asdict(row) for row in self.created[:rows]],
            "skipped": [asdict(row) for row in self.skipped[:rows]],
            "created_count": len(self.created),
            "skipped_count": len(self.skipped),
            "errors": [{"line": p.line, "message": p.message} for p in self.errors],
            "warnings": [{"line": p.line, "message": p.message} for p in self.warnings],
            "quotes": self.quotes,
            "mentions": self.mentions,
            "speakers": self.speakers,
            "trimmed": self.trimmed,
        }

    def summary(self) -> str:
        if self.errors:
            return f"{self.source}: {len(self.errors)} error(s); nothing was imported."
        parts = [f"{len(self.created)} article(s) created", f"{len(self.skipped)} duplicate(s) skipped"]
        if self.quotes or self.mentions or self.format in ("brat", "doccano"):
            parts += [
                f"{self.quotes} quote(s)",
                f"{self.mentions} entity mention(s)",
                f"{self.speakers} new speaker(s)",
            ]
        return f"{self.source}: " + ", ".join(parts) + "."


def read_upload(data: bytes, *, name: str) -> str:
    return parsers.decode(data, max_bytes=settings.IMPORT_MAX_BYTES, name=name)


# --- reading a file a piece at a time -------------------------------------------------------------

# An upload as bytes, or an open binary file (an UploadedFile, a file on disk): read READ_CHUNK at a time.
Source = bytes | IO[bytes]
READ_CHUNK = 64 * 1024


def _rewind(source: Source) -> int | None:
    """Put a file back at its start; its size in bytes when it can tell."""
    if isinstance(source, bytes):
        return len(source)
    if not source.seekable():
        return None
    size = source.seek(0, os.SEEK_END)
    source.seek(0)
    return size


def _byte_chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, bytes):
        for start in range(0, len(source), READ_CHUNK):
            yield source[start : start + READ_CHUNK]
        return
    while chunk := source.read(READ_CHUNK):
        yield chunk


def _read_all(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    _rewind(source)
    return source.read()


def _texts(source: Source, *, name: str) -> Iterator[str]:
    """The text of ``source`` from its start, decoded as it is read (``parsers.decode``'s checks, its messages)."""
    size = _rewind(source)
    return parsers.decode_chunks(_byte_chunks(source), max_bytes=settings.IMPORT_MAX_BYTES, name=name, size=size)


def _head_complete(head: str) -> bool:
    # the format is told by the first line and the first non-blank character; doccano by the first non-blank line
    return bool(head.lstrip("\ufeff \t\r\n")) and any(line.strip() for line in head.split("\n")[:-1])


def _sniff(source: Source, *, name: str) -> str:
    """The start of a file's text: enough to tell its format as the whole text would (FileRefused if it
    cannot be read that far)."""
    pieces: list[str] = []
    for text in _texts(source, name=name):
        pieces.append(text)
        if "\n" in text:
            head = "".join(pieces)
            if _head_complete(head):
                return head
    return "".join(pieces)


# --- plain articles -------------------------------------------------------------------------------


def import_article_file(
    *, data: Source, name: str, fmt: str | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Decode, parse and import one article file (.txt, .jsonl or .csv), reading it a piece at a time.

    ``data`` is the file's bytes or the open file. Records are validated and written ``batch_size`` at
    a time in one transaction, so memory does not grow with the file; any error rolls everything back
    and the report lists every problem (as if the whole file had been read first).
    """
    try:
        fmt_found = fmt or parsers.detect_format(name) or parsers.detect_format(name, _sniff(data, name=name))
        if fmt_found not in parsers.FORMATS:
            for _ in _texts(data, name=name):  # a file that cannot be read says so first
                pass
            report = ImportReport(source=name, format=fmt_found or "")
            if fmt_found is None:
                return report.refuse(f"{name}: unknown format; use .txt, .jsonl or .csv.")
            return report.refuse(f"{name}: unknown format {fmt_found!r}; use .txt, .jsonl or .csv.")
        parsed = parsers.ParseResult()
        records = parsers.iter_records(_texts(data, name=name), fmt_found, parsed)
        return _import_records(
            records=records, parsed=parsed, report=ImportReport(source=name, format=fmt_found), batch_size=batch_size
        )
    except parsers.FileRefused as exc:  # raised out of _import_records: what it wrote is rolled back
        return ImportReport(source=name, format=fmt or "").refuse(str(exc))


def articles_import(
    *, records: Iterable[ArticleRecord], report: ImportReport | None = None, batch_size: int = BATCH_SIZE
) -> ImportReport:
    """Create the non-duplicate articles of ``records`` in batches: all of them, or none if one is invalid
    (atomic: ``_import_records`` is)."""
    report = report or ImportReport(source="records", format="")
    return _import_records(records=records, parsed=parsers.ParseResult(), report=report, batch_size=batch_size)


@transaction.atomic
def _import_records(
    *, records: Iterable[ArticleRecord], parsed: parsers.ParseResult, report: ImportReport, batch_size: int
) -> ImportReport:
    """Write ``records`` (a stream whose problems ``parsed`` collects) a batch at a time.

    A parse error anywhere means nothing is written and only the parse errors are reported (as the
    whole-file parser did); else every invalid record is reported and nothing is written; else all the
    new articles are. Each batch costs a fixed number of queries (see ``_ArticleWriter``).
    """
    writer = _ArticleWriter(report=report, batch_size=batch_size)
    try:
        with transaction.atomic():
            for record in records:
                if not parsed.errors:
                    writer.add(record)
            if not parsed.errors:
                writer.flush()
            if parsed.errors or writer.errors:
                raise _Rollback
    except _Rollback:
        report.created = []
        if parsed.errors:
            report.skipped = []
            report.errors.extend(parsed.errors)
        else:
            report.errors.extend(writer.errors)
    except IntegrityError as exc:
        report.refuse(f"The database refused the import ({exc}); nothing was imported. Try again.")
    report.warnings.extend(parsed.warnings)
    return report


def _chunks(items: Sequence[Any], size: int) -> Any:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing_by(field_name: str, values: Iterable[str]) -> dict[str, tuple[int, str]]:
    values = sorted(set(values))
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(values, LOOKUP_CHUNK):
        for pk, key, title in Article.objects.filter(**{f"{field_name}__in": chunk}).values_list(
            "pk", field_name, "title"
        ):
            found.setdefault(key, (pk, title))
    return found


class _ArticleWriter:
    """Dedupe, validate and insert records ``batch_size`` at a time, with a fixed number of queries per batch.

    Per batch: one query for the URLs and one for the body hashes already in the corpus (both indexed),
    one per round of slug clashes (usually one), the insert, one for the batch's tag names not seen
    yet (plus one save per *new* tag name) and the tag links. What this import already wrote is told
    apart from what the corpus held before it, so a repeat inside the file reads "line N of this file".
    """

    def __init__(self, *, report: ImportReport, batch_size: int):
        self.report = report
        self.batch_size = batch_size
        self.pending: list[ArticleRecord] = []
        self.errors: list[Problem] = []
        self.seen_urls: dict[str, int] = {}
        self.seen_hashes: dict[str, int] = {}
        self.created_pks: set[int] = set()
        self.slugs = _SlugAllocator()
        self.tags = _Tagger()

    def add(self, record: ArticleRecord) -> None:
        self.pending.append(record)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        fresh = self._fresh(batch)
        articles: list[Article] = []
        for record, digest in fresh:
            article = Article(
                title=record.title,
                body=record.body,
                url=record.url,
                outlet=record.outlet,
                published=record.published,
                byline=record.byline,
                dateline=record.dateline,
                language=record.language,
                slug="placeholder",
                body_hash=digest,
            )
            try:
                article.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                self.errors.append(Problem(record.line, validation_message(exc)))
            articles.append(article)
        if self.errors or not articles:
            return  # the import will be rolled back; the rest of the file is still checked
        for article, slug in zip(articles, self.slugs.allocate([a.title for a in articles])):
            article.slug = slug
        Article.objects.bulk_create(articles)
        articles_created.send(sender=Article, article_ids=frozenset(a.pk for a in articles))
        self.tags.tag(articles, [record.tags for record, _ in fresh])
        self.created_pks.update(a.pk for a in articles)
        self.report.created.extend(ReportRow(r.line, a.title, a.pk) for (r, _), a in zip(fresh, articles))

    def _existing(self, field_name: str, values: set[str]) -> dict[str, tuple[int, str]]:
        """Articles the corpus held before this import, by ``field_name``: one query."""
        if not values:
            return {}
        found: dict[str, tuple[int, str]] = {}
        for pk, key, title in _lookup(field_name, values):
            if pk not in self.created_pks:
                found.setdefault(key, (pk, title))
        return found

    def _fresh(self, batch: list[ArticleRecord]) -> list[tuple[ArticleRecord, str]]:
        """The batch's records whose URL and body are new to the corpus and to the file so far; the
        others are reported as skipped."""
        digests = [body_hash(r.body) for r in batch]
        by_url = self._existing("url", {r.url for r in batch if r.url})
        by_hash = self._existing("body_hash", set(digests))
        fresh = []
        for record, digest in zip(batch, digests):
            reason, existing = "", None
            if record.url and record.url in by_url:
                existing = by_url[record.url]
                reason = f"same URL as article #{existing[0]} “{existing[1]}”"
            elif digest in by_hash:
                existing = by_hash[digest]
                reason = f"same text as article #{existing[0]} “{existing[1]}”"
            elif record.url and record.url in self.seen_urls:
                reason = f"same URL as line {self.seen_urls[record.url]} of this file"
            elif digest in self.seen_hashes:
                reason = f"same text as line {self.seen_hashes[digest]} of this file"
            if reason:
                self.report.skipped.append(
                    ReportRow(record.line, record.title, existing[0] if existing else None, reason)
                )
                continue
            if record.url:
                self.seen_urls[record.url] = record.line
            self.seen_hashes[digest] = record.line
            fresh.append((record, digest))
        return fresh


def _lookup(field_name: str, values: Iterable[str]) -> QuerySet[Article, tuple[int, str, str]]:
    """``(pk, value, title)`` of the articles whose ``field_name`` is one of ``values``, by an index."""
    rows = Article.objects.filter(**{f"{field_name}__in": sorted(values)})
    if field_name == "url":
        # The unique index on url is partial (url <> ''). With a long IN list PostgreSQL cannot prove
        # that condition from the list, and scans the whole table; stated, the index serves the lookup.
        rows = rows.exclude(url="")
    return rows.values_list("pk", field_name, "title")


class _SlugAllocator:
    """Slugs for new articles, unique among themselves and against the table: one query per round of clashes."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.counters: dict[str, int] = {}

    def allocate(self, titles: list[str]) -> list[str]:
        bases = [(slugify(t)[:180].strip("-") or "article") for t in titles]
        proposed = [""] * len(bases)
        pending = list(range(len(bases)))
        while pending:
            for i in pending:
                base = bases[i]
                n = self.counters.get(base, 1)
                slug = base if n == 1 else f"{base}-{n}"
                while slug in self.taken:
                    n += 1
                    slug = f"{base}-{n}"
                self.counters[base] = n + 1
                self.taken.add(slug)
                proposed[i] = slug
            clashes = set(
                Article.objects.filter(slug__in=[proposed[i] for i in pending]).values_list("slug", flat=True)
            )
            pending = [i for i in pending if proposed[i] in clashes]
        return proposed


class _Tagger:
    """Tags of new articles through django-taggit's tables: tag names looked up once per import."""

    def __init__(self) -> None:
        self.by_key: dict[str, Tag] = {}
        self.content_type: ContentType | None = None

    def tag(self, articles: list[Article], tag_lists: list[list[str]]) -> None:
        wanted: dict[str, str] = {}
        for tags in tag_lists:
            for name in tags:
                wanted.setdefault(name.lower(), name[:100])
        if not wanted:
            return
        unknown = sorted(key for key in wanted if key not in self.by_key)
        if unknown:
            for tag in Tag.objects.annotate(key=Lower("name")).filter(key__in=unknown):
                self.by_key.setdefault(tag.key, tag)
        for key, name in wanted.items():
            if key not in self.by_key:
                tag = Tag(name=name)
                tag.save()  # taggit finds a unique slug; a few queries per *new* tag name, not per article
                self.by_key[key] = tag
        if self.content_type is None:
            self.content_type = ContentType.objects.get_for_model(Article)
        items = [
            TaggedItem(content_type=self.content_type, object_id=article.pk, tag_id=tag_id)
            for article, tags in zip(articles, tag_lists)
            for tag_id in {self.by_key[name.lower()].pk for name in tags}
        ]
        TaggedItem.objects.bulk_create(items)


# --- brat and doccano -----------------------------------------------------------------------------

IMPORT_STATUSES = (Status.DRAFT, Status.SUBMITTED)


class _Rollback(Exception):
    pass


@transaction.atomic
def annotated_import(
    *,
    documents: list[interchange.AnnotatedDocument],
    annotator: Any,
    status: str = Status.DRAFT,
    source: str,
    format: str,
) -> ImportReport:
    """Create articles with their entity mentions and quotes; every span passes annotations.services.

    A document whose text is already in the corpus (same body hash, or same URL) is skipped and
    reported. Any error in any document rolls the whole file back.
    """
    report = ImportReport(source=source, format=format)
    if status not in IMPORT_STATUSES:
        return report.refuse("Imported annotations are drafts or submitted; choose one of those.")
    for doc in documents:
        report.errors.extend(doc.errors)
        report.warnings.extend(doc.warnings)
        report.trimmed += doc.trimmed
    if report.errors:
        return report
    for doc in documents:
        if not doc.text.strip():
            report.errors.append(Problem(doc.line, f"{doc.name}: the text is empty."))
    if report.errors:
        return report
    speakers = _SpeakerResolver(report)
    try:
        with transaction.atomic():
            hashes = _existing_by("body_hash", [body_hash(d.text) for d in documents])
            urls = _existing_by("url", [str(d.meta.get("url") or "").strip() for d in documents if d.meta.get("url")])
            seen: dict[str, int | None] = {}
            for doc in documents:
                _import_document(
                    doc,
                    annotator=annotator,
                    status=status,
                    report=report,
                    speakers=speakers,
                    existing=(hashes, urls),
                    seen=seen,
                )
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = []
        report.quotes = report.mentions = report.speakers = 0
    return report


def _meta_fields(doc: interchange.AnnotatedDocument, report: ImportReport) -> dict[str, Any] | None:
    meta = doc.meta
    fields: dict[str, Any] = {
        key: str(meta.get(key) or "").strip() for key in ("url", "outlet", "byline", "dateline", "language")
    }
    fields["language"] = fields["language"] or "en"
    fields["published"] = None
    if meta.get("published"):
        try:
            fields["published"] = parsers.parse_date(str(meta["published"]))
        except ValueError:
            report.errors.append(Problem(doc.line, f"{doc.name}: the date {meta['published']!r} is not YYYY-MM-DD."))
            return None
    tags = meta.get("tags") or []
    fields["tags"] = parsers.parse_tags(tags) if isinstance(tags, (str, list)) else []
    return fields


def _import_document(
    doc: Any, *, annotator: Any, status: Any, report: Any, speakers: Any, existing: Any, seen: Any
) -> None:
    hashes, urls = existing
    digest = body_hash(doc.text)
    title = doc.title()
    fields = _meta_fields(doc, report)
    if fields is None:
        return
    duplicate = hashes.get(digest) or (urls.get(fields["url"]) if fields["url"] else None)
    if duplicate or digest in seen:
        reason = (
            f"same text or URL as article #{duplicate[0]} “{duplicate[1]}”"
            if duplicate
            else "same text as an earlier document of this file"
        )
        report.skipped.append(ReportRow(doc.line, title, duplicate[0] if duplicate else None, reason))
        return
    seen[digest] = doc.line
    where = f"{doc.name}: "
    try:
        with transaction.atomic():
            article = corpus_services.article_create(title=title, body=doc.text, **fields)
    except ValidationError as exc:
        report.errors.append(Problem(doc.line, where + validation_message(exc)))
        return
    report.created.append(ReportRow(doc.line, article.title, article.pk))
    for entity in doc.entities:
        try:
            with transaction.atomic():
                annotation_services.entity_mention_create(
                    article=article,
                    start=entity.start,
                    end=entity.end,
                    label=entity.label,
                    annotator=annotator,
                    status=status,
                    origin=f"import:{report.format}",
                )
            report.mentions += 1
        except ValidationError as exc:
            report.errors.append(Problem(doc.line, f"{where}{entity.ref}: {validation_message(exc)}"))
        except IntegrityError:
            report.warnings.append(Problem(doc.line, f"{where}{entity.ref}: the same entity twice; kept once."))
    for quote in doc.quotes:
        speaker = speakers.resolve(quote, doc)
        try:
            with transaction.atomic():
                annotation_services.quote_create(
                    article=article,
                    spans=quote.spans,
                    annotator=annotator,
                    kind=quote.kind,
                    speaker=speaker,
                    cue=quote.cue,
                    speaker_mention=quote.speaker_mention,
                    status=status,
                    origin=f"import:{report.format}",
                )
            report.quotes += 1
        except ValidationError as exc:
            report.errors.append(Problem(doc.line, f"{where}{quote.ref}: {validation_message(exc)}"))


class _SpeakerResolver:
    """Speaker names to Speakers: by Wikidata QID, then by name or alias, else a new speaker (cached per file)."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.cache: dict[str, Speaker | None] = {}

    def resolve(self, quote: interchange.QuoteItem, doc: Any) -> Speaker | None:
        name = (quote.speaker_name or "").strip()
        if not name:
            return None
        key = quote.speaker_qid or normalize_alias(name)
        if key in self.cache:
            return self.cache[key]
        speaker = None
        if quote.speaker_qid:
            speaker = Speaker.objects.filter(wikidata_qid=quote.speaker_qid).first()
        if speaker is None and normalize_alias(name) in PRONOUNS:
            self.report.warnings.append(
                Problem(
                    doc.line,
                    f"{doc.name}: {quote.ref}'s speaker is the pronoun “{name}”; no speaker set "
                    f"(add a “Speaker: NAME” note to name it).",
                )
            )
            self.cache[key] = None
            return None
        if speaker is None:
            match = speaker_named(name)
            speaker = match.speaker
            if match.ambiguous:
                self.report.warnings.append(
                    Problem(doc.line, f"{doc.name}: “{name}” matches several speakers; {quote.ref} left without one.")
                )
                self.cache[key] = None
                return None
        if speaker is None:
            try:
                with transaction.atomic():
                    speaker = corpus_services.speaker_create(
                        name=name[:300],
                        wikidata_qid=quote.speaker_qid,
                        kind=Speaker.Kind.ORGANIZATION if quote.speaker_is_org else Speaker.Kind.PERSON,
                    )
                self.report.speakers += 1
            except ValidationError as exc:
                self.report.errors.append(Problem(doc.line, f"{doc.name}: speaker “{name}”: {validation_message(exc)}"))
        self.cache[key] = speaker
        return speaker


def brat_pairs_import(
    *, files: dict[str, bytes], annotator: Any, status: str = Status.DRAFT, source: str = "brat"
) -> ImportReport:
    """brat standoff from ``{file name: bytes}``: each ``X.txt`` with its ``X.ann`` (and optional ``X.json``
    metadata: title, url, outlet, published, byline, dateline, language, tags)."""
    report = ImportReport(source=source, format="brat")
    texts: dict[str, str] = {}
    total = sum(len(data) for data in files.values())
    if total > settings.IMPORT_MAX_BYTES:
        return report.refuse(parsers.too_big_message(source, total, settings.IMPORT_MAX_BYTES))
    for name, data in files.items():
        if not name.lower().endswith((".txt", ".ann", ".json")):
            continue
        try:
            texts[name] = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            report.errors.append(
                Problem(None, f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}).")
            )
    if report.errors:
        report.errors.append(Problem(None, "Nothing was imported."))
        return report
    stems = sorted(
        {n[:-4] for n in texts if n.lower().endswith(".ann")} | {n[:-4] for n in texts if n.lower().endswith(".txt")}
    )
    documents = []
    for stem in stems:
        txt, ann = texts.get(stem + ".txt"), texts.get(stem + ".ann")
        if txt is None or ann is None:
            missing = ".txt" if txt is None else ".ann"
            report.errors.append(
                Problem(None, f"{stem}: the {missing} file is missing; brat needs both .txt and .ann.")
            )
            continue
        doc = interchange.parse_brat(stem.rsplit("/", 1)[-1], txt, ann, quote_marks=EDGE_MARKS)
        meta_text = texts.get(stem + ".json")
        if meta_text:
            try:
                meta = json.loads(meta_text)
            except ValueError as exc:
                doc.errors.append(Problem(None, f"{stem}.json is not valid JSON ({exc})."))
            else:
                if isinstance(meta, dict):
                    doc.meta = meta
        doc.errors = [Problem(p.line, f"{doc.name}.ann: {p.message}") if p.line else p for p in doc.errors]
        documents.append(doc)
    if not stems:
        report.errors.append(
            Problem(None, "No brat document found: upload each .txt with its .ann (or a .zip of them).")
        )
    if report.errors:
        return report
    result = annotated_import(documents=documents, annotator=annotator, status=status, source=source, format="brat")
    return result


def doccano_import(*, data: bytes, name: str, annotator: Any, status: str = Status.DRAFT) -> ImportReport:
    report = ImportReport(source=name, format="doccano")
    try:
        text = read_upload(data, name=name)
    except parsers.FileRefused as exc:
        return report.refuse(str(exc))
    documents = interchange.parse_doccano(text, name=name, quote_marks=EDGE_MARKS)
    if not documents:
        return report.refuse(f"{name} holds no document.")
    return annotated_import(documents=documents, annotator=annotator, status=status, source=name, format="doccano")


# --- one submission of the import page (or one command run) ---------------------------------------

ANNOTATED_FORMATS = ("brat", "doccano")
ALL_FORMATS = (*parsers.FORMATS, *ANNOTATED_FORMATS)


def looks_like_doccano(text: str) -> bool:
    """A JSONL file is doccano's when its first object carries span labels (``label`` or ``entities``)."""
    for line in text.split("\n"):
        if line.strip():
            try:
                data = json.loads(line)
            except ValueError:
                return False
            return isinstance(data, dict) and bool({"label", "labels", "entities"} & set(data))
    return False


def import_submission(
    *,
    files: Sequence[tuple[str, Source]],
    pasted: str = "",
    fmt: str = "",
    annotator: Any = None,
    status: str = Status.DRAFT,
) -> list[ImportReport]:
    """Import what an editor uploaded or pasted; one report per file (all brat files together are one).

    Each file is its bytes or the open file (an UploadedFile); article files are read a piece at a time.
    ``fmt`` empty means auto: by extension (.zip and .ann mean brat; .jsonl with span labels means doccano).
    """
    reports: list[ImportReport] = []
    max_bytes = settings.IMPORT_MAX_BYTES
    brat_files: dict[str, bytes] = {}
    brat_names = {name[:-4] for name, _ in files if name.lower().endswith(".ann")}
    plain: list[tuple[str, Source]] = []
    for name, data in files:
        lower = name.lower()
        size = _rewind(data)
        if size is not None and size > max_bytes:
            reports.append(ImportReport(source=name, format=fmt).refuse(parsers.too_big_message(name, size, max_bytes)))
        elif fmt == "brat" or (
            not fmt
            and (
                lower.endswith((".zip", ".ann"))
                or name[:-4] in brat_names
                or (lower.endswith(".json") and name[:-5] in brat_names)
            )
        ):
            if lower.endswith(".zip"):
                try:
                    brat_files.update(read_zip(_read_all(data), max_bytes=max_bytes))
                except ValueError as exc:
                    reports.append(
                        ImportReport(source=name, format="brat").refuse(f"{name}: {exc}; nothing was imported.")
                    )
            else:
                brat_files[name] = _read_all(data)
        else:
            plain.append((name, data))
    if brat_files:
        source = (
            ", ".join(sorted(n.rsplit("/", 1)[-1] for n in brat_files if n.lower().endswith(".ann"))) or "brat files"
        )
        reports.append(brat_pairs_import(files=brat_files, annotator=annotator, status=status, source=source))
    if pasted.strip():
        plain.append(("pasted text", pasted.encode("utf-8")))
    for name, data in plain:
        file_fmt: str | None = fmt
        if not file_fmt:
            try:
                head = _sniff(data, name=name)
            except parsers.FileRefused as exc:
                reports.append(ImportReport(source=name, format="").refuse(str(exc)))
                continue
            file_fmt = parsers.detect_format(name, head)
            if file_fmt == "jsonl" and looks_like_doccano(head):
                file_fmt = "doccano"
        if file_fmt == "doccano":
            reports.append(doccano_import(data=_read_all(data), name=name, annotator=annotator, status=status))
        elif file_fmt in parsers.FORMATS:
            # told from the file itself (fmt empty): import_article_file tells it the same way
            reports.append(import_article_file(data=data, name=name, fmt=fmt or None))
        elif file_fmt == "brat":
            reports.append(
                ImportReport(source=name, format="brat").refuse(
                    f"{name}: brat needs a .txt file with its .ann file (or a .zip of them); upload them as files."
                )
            )
        else:
            reports.append(
                ImportReport(source=name, format="").refuse(
                    f"{name}: the format cannot be told from the name; choose it in the form."
                )
            )
    return reports


def import_submission_all_or_nothing(
    *, files: Sequence[tuple[str, Source]], fmt: str = "", annotator: Any = None, status: str = Status.DRAFT
) -> list[ImportReport]:
    """``import_submission``, but one transaction for all the files: an error in any file (its report
    lists it) means nothing of any file is written. The API's import; the page imports file by file."""
    with transaction.atomic():
        reports = import_submission(files=files, fmt=fmt, annotator=annotator, status=status)
        if all(report.ok for report in reports):
            return reports
        transaction.set_rollback(True)
    for report in reports:
        report.created = []
        report.quotes = report.mentions = report.speakers = 0
    return reports


# --- the corpus.jsonl restore ---------------------------------------------------------------------


def corpus_restore(*, lines: Iterable[bytes | str]) -> dict[str, int]:
    """Restore a ``corpus.jsonl`` (exports.jsonl) into an empty database, all or nothing: the rows by
    table. Raises ``ImportRefused`` with a message naming the line, and then writes nothing."""
    existing = jsonl_restore.existing_rows()
    if existing:
        held = ", ".join(f"{n} {name}" for name, n in existing.items())
        raise ImportRefused(
            f"The database is not empty (it holds {held}); import_jsonl restores into an empty database only."
        )
    importer = jsonl_restore.Importer()
    try:
        with transaction.atomic():
            importer.read(lines)
            # Clusters are derived from the curated layer (rows bulk-created here send no signal).
            clusters_rebuild()
            # Likewise the summary tables and the stored agreement: every restored article is marked for
            # a recount (done once this commits), as any change of its annotations would mark it.
            restored = frozenset(Article.objects.values_list("pk", flat=True))
            if restored:
                annotations_changed.send(sender=Quote, article_ids=restored)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        where = f"line {importer.line}: " if importer.line else ""
        detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise ImportRefused(f"Nothing was imported. {where}{detail}") from error
    except IntegrityError as error:
        raise ImportRefused(f"Nothing was imported: the data breaks a database rule ({error}).".strip()) from error
    return importer.imported()


# --- imports too big for one request: a background job (ingest.jobs) -----------------------------

UPLOAD_DIR = "jobs/uploads"


def import_needs_job(files: Sequence[tuple[str, Source]]) -> bool:
    """Whether an import of ``files`` runs in the background: over ``IMPORT_BACKGROUND_BYTES`` in all."""
    sizes = [_rewind(data) or 0 for _, data in files]
    return sum(sizes) > settings.IMPORT_BACKGROUND_BYTES


def import_enqueue(
    *,
    files: Sequence[tuple[str, IO[bytes]]],
    fmt: str = "",
    status: str = Status.DRAFT,
    user: Any,
    all_or_nothing: bool = False,
) -> Any:
    """Store the uploaded files (Django's storage API, under ``UPLOAD_DIR``) and enqueue their import as
    a job (``ingest.jobs``); the Job. ``all_or_nothing``: one transaction for all files (the API's rule);
    else each file imports or not on its own (the page's), the whole job still rolled back if cancelled."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    from jobs.services import job_enqueue

    from .jobs import ARTICLE_IMPORT

    folder = f"{UPLOAD_DIR}/{uuid.uuid4().hex}"
    stored = []
    for name, data in files:
        size = _rewind(data) or 0
        path = default_storage.save(f"{folder}/{os.path.basename(name) or 'upload'}", File(data, name=name))
        stored.append({"name": name, "path": path, "size": size})
    return job_enqueue(
        kind=ARTICLE_IMPORT,
        params={"files": stored, "format": fmt, "status": status, "all_or_nothing": all_or_nothing},
        user=user,
    )
