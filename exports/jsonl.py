"""The whole corpus as JSON Lines (its restore into an empty database is ``ingest.services.corpus_restore``).

One JSON object per line, ``type`` first in meaning: a ``meta`` line, then ``speaker``,
``stance_target``, ``article``, ``entity_mention`` and ``quote`` records, in that order (each only
points to records above it). Quotes carry their content spans, stances and audit events. Users are
referenced by username; the restore creates missing users without a usable password. Primary keys
are kept, so ids in CSV exports of the restored database match the original's. The format's name
and version are ``ingest.jsonl_restore``'s, the reader's.
"""

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, QuerySet
from taggit.models import TaggedItem

from annotations.models import EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget
from corpus.models import Article, Speaker
from ingest.jsonl_restore import CHUNK, FORMAT, VERSION

M = TypeVar("M", bound=Model)


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


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
