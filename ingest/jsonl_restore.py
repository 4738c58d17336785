"""Restore of a ``corpus.jsonl`` (written by ``exports.jsonl``) into an empty database.

The format (``FORMAT``, ``VERSION``) is defined here, below ``exports``, which writes it. Rows are written
with ``bulk_create`` in dependency order, keeping their primary keys; the exported timestamps are
written back by a ``bulk_update`` of those fields right after (``bulk_create`` gives ``auto_now`` fields
the current time, ``bulk_update`` stores the values as they are). The transaction, the emptiness check and
the messages live in ``ingest.services.corpus_restore``.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection
from django.db.models import DateTimeField, Model
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from annotations.models import EntityMention, Quote, QuoteEvent, QuoteSpan, Stance, StanceTarget
from corpus.models import Article, Speaker, SpeakerAlias
from corpus.text import body_hash, normalize_alias

FORMAT = "quote-corpus"
VERSION = 1
CHUNK = 500
MODELS = (Speaker, SpeakerAlias, StanceTarget, Article, EntityMention, Quote, QuoteSpan, Stance, QuoteEvent)


class ImportRefused(Exception):
    """The file or the database does not allow a restore; nothing was written."""


def _when(value: str) -> datetime:
    """A required timestamp of a record; a malformed one refuses the import (ValueError names it)."""
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date and time")
    return parsed


def timestamp_fields(model: type[Model]) -> list[str]:
    """The fields of ``model`` that ``save()`` and ``bulk_create`` stamp with the current time."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add)
    ]


class Importer:
    """Reads the records, writes them a batch at a time (``flush``), then the links and checks (``finish``)."""

    def __init__(self) -> None:
        self.users: dict[str, object] = {}
        self.User = get_user_model()
        self.pending: dict[type, list] = defaultdict(list)
        self.tagged: list[tuple[type, int, list[str]]] = []
        self.affiliations: list[tuple[int, int]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.line = 0  # the line being read (0 before the first and after the last)

    def read(self, lines: Iterable[bytes | str]) -> None:
        """Every record of the file, the meta line first, then the references and counts. The caller
        holds the transaction; an error (ValueError, KeyError, ...) leaves ``line`` at the bad line."""
        for self.line, line in enumerate(lines, start=1):
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            if not line.strip():
                continue
            record = json.loads(line)
            if self.line == 1:
                if record.get("type") != "meta" or record.get("format") != FORMAT:
                    raise ValueError("the first line is not a quote-corpus meta record")
                if record.get("version") != VERSION:
                    raise ValueError(f"format version {record.get('version')!r} is not {VERSION}")
                continue
            self.record(record)
        self.line = 0
        self.finish()

    def imported(self) -> dict[str, int]:
        """Rows written, by table."""
        return {name: n for name, n in self.counts.items() if name != "_records"}

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
                _create_keeping_timestamps(model, rows)
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


def _create_keeping_timestamps(model: type[Model], rows: list) -> None:
    """``bulk_create`` the rows, then write their own timestamps back over the ones it gave them."""
    fields = timestamp_fields(model)
    kept = [[getattr(row, name) for name in fields] for row in rows]
    model._default_manager.bulk_create(rows, batch_size=CHUNK)
    if not fields:
        return
    for row, values in zip(rows, kept, strict=True):
        for name, value in zip(fields, values, strict=True):
            setattr(row, name, value)
    model._default_manager.bulk_update(rows, fields, batch_size=CHUNK)


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


def existing_rows() -> dict[str, int]:
    """Rows a restore would collide with, by table (empty for an empty corpus)."""
    counts = {
        str(m._meta.verbose_name_plural): m._default_manager.count()
        for m in (Article, Speaker, StanceTarget, Quote, EntityMention)
    }
    return {name: n for name, n in counts.items() if n}
