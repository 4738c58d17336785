"""The whole corpus as JSON Lines, and its restore into an empty database.

One JSON object per line, ``type`` first in meaning: a ``meta`` line, then ``speaker``,
``stance_target``, ``article``, ``entity_mention`` and ``quote`` records, in that order (each only
points to records above it). Quotes carry their content spans, stances and audit events. Users are
referenced by username; the import creates missing users without a usable password. Primary keys
are kept, so ids in CSV exports of the restored database match the original's.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from annotations.models import EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget
from clusters.services import clusters_rebuild
from corpus.models import Article, Speaker, SpeakerAlias
from corpus.text import body_hash, normalize_alias

FORMAT = "quote-corpus"
VERSION = 1
CHUNK = 500
MODELS = (Speaker, SpeakerAlias, StanceTarget, Article, EntityMention, Quote, QuoteSpan, Stance, QuoteEvent)


M = TypeVar("M", bound=Model)


class ImportRefused(Exception):
    """The file or the database does not allow a restore; nothing was written."""


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str) -> datetime:
    """A required timestamp of a record; a malformed one refuses the import (ValueError names it)."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date and time")
    return parsed


def _user(user) -> str | None:
    return user.get_username() if user is not None else None


def _batches(qs: "QuerySet[M]") -> Iterator[tuple[list[M], dict[int, list[str]]]]:
    """Objects of ``qs`` in batches of CHUNK, each with its tags by object id (one query per batch;
    taggit's own prefetch builds a queryset per object, which made the export 4x slower)."""
    content_type = ContentType.objects.get_for_model(qs.model)
    batch: list[M] = []
    for obj in qs.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) == CHUNK:
            yield batch, _tag_map(content_type, batch)
            batch = []
    if batch:
        yield batch, _tag_map(content_type, batch)


def _each(qs: "QuerySet[M]") -> Iterator[tuple[M, list[str]]]:
    for batch, tags in _batches(qs):
        for obj in batch:
            yield obj, tags.get(obj.pk, [])


def _tag_map(content_type, objects) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = defaultdict(list)
    rows = TaggedItem.objects.filter(content_type=content_type, object_id__in=[o.pk for o in objects])
    for object_id, name in rows.values_list("object_id", "tag__name"):
        tags[object_id].append(name)
    return {pk: sorted(names) for pk, names in tags.items()}


def _line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def corpus_records(
    *,
    speakers: QuerySet | None = None,
    stance_targets: QuerySet | None = None,
    articles: QuerySet | None = None,
    mentions: QuerySet | None = None,
    quotes: QuerySet | None = None,
    events: bool = True,
    meta: dict | None = None,
) -> Iterator[dict]:
    """The records of the whole corpus, or of the rows of the querysets given (a release's subset:
    ``releases``), each in id order; ``events=False`` leaves the audit history out."""
    speakers = Speaker.objects.all() if speakers is None else speakers
    stance_targets = StanceTarget.objects.all() if stance_targets is None else stance_targets
    articles = Article.objects.all() if articles is None else articles
    mentions = EntityMention.objects.all() if mentions is None else mentions
    quotes = Quote.objects.all() if quotes is None else quotes
    yield {"type": "meta", "format": FORMAT, "version": VERSION, **(meta or {})}
    for s, tags in _each(speakers.order_by("id").prefetch_related("aliases")):
        yield {
            "type": "speaker",
            "id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "description": s.description,
            "affiliation": s.affiliation_id,
            "wikidata_qid": s.wikidata_qid,
            "aliases": sorted(a.alias for a in s.aliases.all()),
            "tags": tags,
            "created": _dt(s.created),
            "updated": _dt(s.updated),
        }
    for t in stance_targets.order_by("id").iterator(chunk_size=CHUNK):
        yield {"type": "stance_target", "id": t.pk, "name": t.name, "description": t.description}
    for a, tags in _each(articles.order_by("id")):
        yield {
            "type": "article",
            "id": a.pk,
            "title": a.title,
            "slug": a.slug,
            "outlet": a.outlet,
            "byline": a.byline,
            "dateline": a.dateline,
            "published": _d(a.published),
            "url": a.url,
            "language": a.language,
            "body": a.body,
            "tags": tags,
            "created": _dt(a.created),
            "updated": _dt(a.updated),
        }
    for m in mentions.order_by("id").select_related("annotator", "reviewed_by").iterator(chunk_size=CHUNK):
        yield {
            "type": "entity_mention",
            "id": m.pk,
            "article": m.article_id,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "label": m.label,
            "speaker": m.speaker_id,
            "annotator": _user(m.annotator),
            "status": m.status,
            "reviewed_by": _user(m.reviewed_by),
            "reviewed_at": _dt(m.reviewed_at),
            "origin": m.origin,
            "layer": m.layer,
            "curated": m.curated_id,
            "support_count": m.support_count,
            "supported_by": m.supported_by,
            "created": _dt(m.created),
            "updated": _dt(m.updated),
        }
    prefetches = [
        Prefetch("spans", QuoteSpan.objects.order_by("position")),
        Prefetch("stances", Stance.objects.select_related("annotator").order_by("id")),
    ]
    if events:
        prefetches.append(Prefetch("events", QuoteEvent.objects.select_related("actor").order_by("id")))
    for q, tags in _each(
        quotes.order_by("id").select_related("annotator", "reviewed_by").prefetch_related(*prefetches)
    ):
        yield {
            "type": "quote",
            "id": q.pk,
            "article": q.article_id,
            "kind": q.kind,
            "speaker": q.speaker_id,
            "spans": [{"start": s.start, "end": s.end, "text": s.text} for s in q.spans.all()],
            "cue": [q.cue_start, q.cue_end] if q.cue_start is not None else None,
            "cue_text": q.cue_text,
            "speaker_mention": [q.speaker_mention_start, q.speaker_mention_end]
            if q.speaker_mention_start is not None
            else None,
            "speaker_mention_text": q.speaker_mention_text,
            "annotator": _user(q.annotator),
            "status": q.status,
            "reviewed_by": _user(q.reviewed_by),
            "reviewed_at": _dt(q.reviewed_at),
            "review_note": q.review_note,
            "version": q.version,
            "origin": q.origin,
            "layer": q.layer,
            "curated": q.curated_id,
            "support_count": q.support_count,
            "supported_by": q.supported_by,
            "tags": tags,
            "created": _dt(q.created),
            "updated": _dt(q.updated),
            "stances": [
                {
                    "id": st.pk,
                    "target": st.target_id,
                    "label": st.label,
                    "annotator": _user(st.annotator),
                    "note": st.note,
                    "created": _dt(st.created),
                    "updated": _dt(st.updated),
                }
                for st in q.stances.all()
            ],
            "events": [
                {
                    "id": e.pk,
                    "actor": _user(e.actor),
                    "action": e.action,
                    "at": _dt(e.at),
                    "before": e.before,
                    "after": e.after,
                    "note": e.note,
                }
                for e in (q.events.all() if events else ())
            ],
        }


def corpus_lines() -> Iterator[bytes]:
    for record in corpus_records():
        yield _line(record)


def corpus_chunks(size: int = 1 << 16) -> Iterator[bytes]:
    """The lines batched into ~64 kB chunks, for a streaming response."""
    batch, length = [], 0
    for line in corpus_lines():
        batch.append(line)
        length += len(line)
        if length >= size:
            yield b"".join(batch)
            batch, length = [], 0
    if batch:
        yield b"".join(batch)


# --- import -----------------------------------------------------------------------------------


@contextmanager
def _keep_timestamps():
    """Let bulk_create store the exported created/updated/at values instead of now."""
    saved = []
    for model in MODELS:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def existing_rows() -> dict[str, int]:
    counts = {
        str(m._meta.verbose_name_plural): m._default_manager.count()
        for m in (Article, Speaker, StanceTarget, Quote, EntityMention)
    }
    return {name: n for name, n in counts.items() if n}


class _Importer:
    def __init__(self):
        self.users: dict[str, object] = {}
        self.User = get_user_model()
        self.pending: dict[type, list] = defaultdict(list)
        self.tagged: list[tuple[type, int, list[str]]] = []
        self.affiliations: list[tuple[int, int]] = []
        self.counts: dict[str, int] = defaultdict(int)

    def user(self, username: str | None):
        if username is None:
            return None
        if username not in self.users:
            user = self.User.objects.filter(**{self.User.USERNAME_FIELD: username}).first()
            if user is None:
                user = self.User(**{self.User.USERNAME_FIELD: username})
                user.set_unusable_password()
                user.save()
            self.users[username] = user
        return self.users[username]

    def add(self, obj):
        self.pending[type(obj)].append(obj)

    def flush(self):
        for model in MODELS:  # dependency order
            rows = self.pending.pop(model, None)
            if rows:
                model.objects.bulk_create(rows, batch_size=CHUNK)
                self.counts[model._meta.verbose_name_plural] += len(rows)

    def record(self, r: dict):
        kind = r["type"]
        if kind == "speaker":
            self.add(
                Speaker(
                    id=r["id"],
                    name=r["name"],
                    kind=r["kind"],
                    description=r["description"],
                    wikidata_qid=r["wikidata_qid"],
                    created=_when(r["created"]),
                    updated=_when(r["updated"]),
                )
            )
            for alias in r["aliases"]:
                self.add(SpeakerAlias(speaker_id=r["id"], alias=alias, normalized=normalize_alias(alias)))
            if r["affiliation"] is not None:
                self.affiliations.append((r["id"], r["affiliation"]))
            self.tagged.append((Speaker, r["id"], r["tags"]))
        elif kind == "stance_target":
            self.add(StanceTarget(id=r["id"], name=r["name"], description=r["description"]))
        elif kind == "article":
            article = Article(
                id=r["id"],
                title=r["title"],
                slug=r["slug"],
                outlet=r["outlet"],
                byline=r["byline"],
                dateline=r["dateline"],
                published=parse_date(r["published"]) if r["published"] else None,
                url=r["url"],
                language=r["language"],
                body=r["body"],
                created=_when(r["created"]),
                updated=_when(r["updated"]),
            )
            article.body_hash = body_hash(article.body)
            self.add(article)
            self.tagged.append((Article, r["id"], r["tags"]))
        elif kind == "entity_mention":
            self.add(
                EntityMention(
                    id=r["id"],
                    article_id=r["article"],
                    start=r["start"],
                    end=r["end"],
                    text=r["text"],
                    label=r["label"],
                    speaker_id=r["speaker"],
                    annotator=self.user(r["annotator"]),
                    status=r["status"],
                    reviewed_by=self.user(r["reviewed_by"]),
                    reviewed_at=_parse_dt(r["reviewed_at"]),
                    origin=r["origin"],
                    **_layer_fields(r),
                    created=_when(r["created"]),
                    updated=_when(r["updated"]),
                )
            )
        elif kind == "quote":
            self.quote(r)
        else:
            raise ValueError(f"unknown record type {kind!r}")
        self.counts["_records"] += 1
        if self.counts["_records"] % CHUNK == 0:
            self.flush()

    def quote(self, r: dict):
        spans = r["spans"]
        if not spans:
            raise ValueError("a quote needs at least one content span")
        cue = r["cue"] or (None, None)
        mention = r["speaker_mention"] or (None, None)
        self.add(
            Quote(
                id=r["id"],
                article_id=r["article"],
                kind=r["kind"],
                speaker_id=r["speaker"],
                start=spans[0]["start"],
                end=spans[-1]["end"],
                text=" … ".join(s["text"] for s in spans),
                span_offsets=";".join(f"{s['start']}-{s['end']}" for s in spans),
                cue_start=cue[0],
                cue_end=cue[1],
                cue_text=r["cue_text"],
                speaker_mention_start=mention[0],
                speaker_mention_end=mention[1],
                speaker_mention_text=r["speaker_mention_text"],
                annotator=self.user(r["annotator"]),
                status=r["status"],
                reviewed_by=self.user(r["reviewed_by"]),
                reviewed_at=_parse_dt(r["reviewed_at"]),
                review_note=r["review_note"],
                version=r["version"],
                origin=r["origin"],
                **_layer_fields(r),
                created=_when(r["created"]),
                updated=_when(r["updated"]),
            )
        )
        for position, s in enumerate(spans):
            self.add(QuoteSpan(quote_id=r["id"], position=position, start=s["start"], end=s["end"], text=s["text"]))
        for st in r["stances"]:
            self.add(
                Stance(
                    id=st["id"],
                    quote_id=r["id"],
                    target_id=st["target"],
                    label=st["label"],
                    annotator=self.user(st["annotator"]),
                    note=st["note"],
                    created=_when(st["created"]),
                    updated=_when(st["updated"]),
                )
            )
        for e in r["events"]:
            self.add(
                QuoteEvent(
                    id=e["id"],
                    quote_id=r["id"],
                    actor=self.user(e["actor"]),
                    action=e["action"],
                    at=_when(e["at"]),
                    before=e["before"],
                    after=e["after"],
                    note=e["note"],
                )
            )
        self.tagged.append((Quote, r["id"], r["tags"]))

    def finish(self):
        self.flush()
        speakers = {s.pk: s for s in Speaker.objects.filter(pk__in=[s for s, _ in self.affiliations])}
        for speaker_id, affiliation_id in self.affiliations:
            speakers[speaker_id].affiliation_id = affiliation_id
        Speaker.objects.bulk_update(speakers.values(), ["affiliation"], batch_size=CHUNK)
        self._tags()
        self._check_offsets()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                cursor.execute(sql)

    def _tags(self):
        names = sorted({name for _, _, tags in self.tagged for name in tags})
        existing = {t.name: t for t in Tag.objects.filter(name__in=names)}
        Tag.objects.bulk_create(
            [Tag(name=n, slug=_unique_slug(n, i)) for i, n in enumerate(names) if n not in existing]
        )
        tags = {t.name: t.pk for t in Tag.objects.filter(name__in=names)}
        types = {m: ContentType.objects.get_for_model(m).pk for m in (Article, Speaker, Quote)}
        TaggedItem.objects.bulk_create(
            [
                TaggedItem(content_type_id=types[m], object_id=pk, tag_id=tags[n])
                for m, pk, ns in self.tagged
                for n in ns
            ],
            batch_size=CHUNK,
        )

    def _check_offsets(self):
        """Every span's text must be the article text at its offsets (one query per table)."""
        for model, _join in ((QuoteSpan, "quote__article__body"), (EntityMention, "article__body")):
            table = model._meta.db_table
            article = Article._meta.db_table
            if model is QuoteSpan:
                sql = (
                    f"SELECT s.id FROM {table} s JOIN {Quote._meta.db_table} q ON q.id = s.quote_id "
                    f'JOIN {article} a ON a.id = q.article_id WHERE substr(a.body, s.start + 1, s."end" - s.start) <> s.text'
                )
            else:
                sql = (
                    f"SELECT s.id FROM {table} s JOIN {article} a ON a.id = s.article_id "
                    f'WHERE substr(a.body, s.start + 1, s."end" - s.start) <> s.text'
                )
            with connection.cursor() as cursor:
                cursor.execute(sql + " LIMIT 1")
                bad = cursor.fetchone()
            if bad:
                raise ValueError(
                    f"a {model._meta.verbose_name} ({bad[0]}) does not match its article's text at its offsets"
                )


def _layer_fields(r: dict) -> dict:
    """Layer and curated links (files written before the curated layer hold annotators' rows only)."""
    return {
        "layer": r.get("layer", "annotation"),
        "curated_id": r.get("curated"),
        "support_count": r.get("support_count", 0),
        "supported_by": r.get("supported_by", ""),
    }


def _parse_dt(value):
    return parse_datetime(value) if value else None


def _unique_slug(name: str, i: int) -> str:
    return f"{slugify(name)[:80] or 'tag'}-{i}"


def import_lines(lines: Iterable[bytes | str]) -> dict[str, int]:
    """Restore a corpus.jsonl into an empty database, all or nothing. Raises ImportRefused with a clear message."""
    existing = existing_rows()
    if existing:
        held = ", ".join(f"{n} {name}" for name, n in existing.items())
        raise ImportRefused(
            f"The database is not empty (it holds {held}); import_jsonl restores into an empty database only."
        )
    importer = _Importer()
    number = 0
    try:
        with transaction.atomic(), _keep_timestamps():
            for number, line in enumerate(lines, start=1):
                if isinstance(line, bytes):
                    line = line.decode("utf-8")
                if not line.strip():
                    continue
                record = json.loads(line)
                if number == 1:
                    if record.get("type") != "meta" or record.get("format") != FORMAT:
                        raise ValueError("the first line is not a quote-corpus meta record")
                    if record.get("version") != VERSION:
                        raise ValueError(f"format version {record.get('version')!r} is not {VERSION}")
                    continue
                importer.record(record)
            number = 0
            importer.finish()
            # Clusters are derived from the curated layer (rows bulk-created here send no signal).
            clusters_rebuild()
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        where = f"line {number}: " if number else ""
        detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise ImportRefused(f"Nothing was imported. {where}{detail}") from error
    except IntegrityError as error:
        raise ImportRefused(f"Nothing was imported: the data breaks a database rule ({error}).".strip()) from error
    counts = dict(importer.counts)
    counts.pop("_records", None)
    return counts
