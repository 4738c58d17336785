"""``corpus.jsonl`` of a release and its quote digests, from plain values in batches (``releases.rows``).

The records are exactly those of ``exports.jsonl.corpus_records(..., events=False)`` over the release's
rows (``tests/releases/test_records.py`` compares the two), built from ``values_list`` tuples instead of
model instances with prefetches, which made the file the slowest of the build. Each quote is
serialized twice: once for its line, once (without its times, version and events) for its digest.
"""

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO, Any

from annotations.models import Quote, QuoteSpan, Stance
from corpus.models import Article, Speaker, SpeakerAlias
from ingest.jsonl_restore import FORMAT, VERSION

from .rows import ARTICLE_BATCH, Children, TimeText, iso_time, stream, tags, username
from .selection import Selection

Check = Callable[[], None]
# Left out of a quote's digest: what changes without a change of its published content.
UNDIGESTED = ("created", "updated", "version", "events")
TIMES = (TimeText("created"), TimeText("updated"))  # as text: iso_time


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# json.dumps(record, **options) builds an encoder per call, half the cost of a record: one encoder each,
# with exactly the options of the exports' lines (compact) and of the digests (json.dumps' separators).
_encode_line = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_encode_published = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _line(record: dict[str, Any]) -> str:
    return _encode_line(record) + "\n"


def digest(published: dict[str, Any]) -> str:
    """SHA-256 of a quote record without ``UNDIGESTED`` (what the change log compares)."""
    return hashlib.sha256(_encode_published(published).encode()).hexdigest()


def speaker_records(speakers: Any) -> Iterator[list[dict[str, Any]]]:
    fields = ("id", "name", "kind", "description", "affiliation_id", "wikidata_qid", *TIMES)
    ids = speakers.order_by().values("pk")
    aliases = Children(SpeakerAlias.objects.filter(speaker_id__in=ids).order_by("speaker_id"), "speaker_id", "alias")
    tagged = tags(Speaker, ids)
    for batch in stream(speakers.order_by("id"), *fields):
        yield [
            {
                "type": "speaker",
                "id": pk,
                "name": name,
                "kind": kind,
                "description": description,
                "affiliation": affiliation,
                "wikidata_qid": qid,
                "aliases": sorted(alias for (alias,) in aliases.take(pk)),
                "tags": sorted(name for (name,) in tagged.take(pk)),
                "created": iso_time(created),
                "updated": iso_time(updated),
            }
            for pk, name, kind, description, affiliation, qid, created, updated in batch
        ]


def stance_target_records(targets: Any) -> Iterator[list[dict[str, Any]]]:
    for batch in stream(targets.order_by("id"), "id", "name", "description"):
        yield [
            {"type": "stance_target", "id": pk, "name": name, "description": description}
            for pk, name, description in batch
        ]


def article_records(articles: Any) -> Iterator[list[dict[str, Any]]]:
    fields = ("id", "title", "slug", "outlet", "byline", "dateline", "published", "url", "language", "body")
    tagged = tags(Article, articles.order_by().values("pk"))
    for batch in stream(articles.order_by("id"), *fields, *TIMES, size=ARTICLE_BATCH):
        yield [
            {
                "type": "article",
                "id": pk,
                "title": title,
                "slug": slug,
                "outlet": outlet,
                "byline": byline,
                "dateline": dateline,
                "published": _d(published),
                "url": url,
                "language": language,
                "body": body,
                "tags": sorted(name for (name,) in tagged.take(pk)),
                "created": iso_time(created),
                "updated": iso_time(updated),
            }
            for pk, title, slug, outlet, byline, dateline, published, url, language, body, created, updated in batch
        ]


MENTION_FIELDS = (
    "id",
    "article_id",
    "start",
    "end",
    "text",
    "label",
    "speaker_id",
    username("annotator"),
    "status",
    username("reviewed_by"),
    TimeText("reviewed_at"),
    "origin",
    "layer",
    "curated_id",
    "support_count",
    "supported_by",
    TimeText("created"),
    TimeText("updated"),
)


def mention_records(mentions: Any) -> Iterator[list[dict[str, Any]]]:
    for batch in stream(mentions.order_by("id"), *MENTION_FIELDS):
        yield [
            {
                "type": "entity_mention",
                "id": row[0],
                "article": row[1],
                "start": row[2],
                "end": row[3],
                "text": row[4],
                "label": row[5],
                "speaker": row[6],
                "annotator": row[7],
                "status": row[8],
                "reviewed_by": row[9],
                "reviewed_at": iso_time(row[10]),
                "origin": row[11],
                "layer": row[12],
                "curated": row[13],
                "support_count": row[14],
                "supported_by": row[15],
                "created": iso_time(row[16]),
                "updated": iso_time(row[17]),
            }
            for row in batch
        ]


QUOTE_FIELDS = (
    "id",
    "article_id",
    "kind",
    "speaker_id",
    "cue_start",
    "cue_end",
    "cue_text",
    "speaker_mention_start",
    "speaker_mention_end",
    "speaker_mention_text",
    username("annotator"),
    "status",
    username("reviewed_by"),
    TimeText("reviewed_at"),
    "review_note",
    "origin",
    "layer",
    "curated_id",
    "support_count",
    "supported_by",
    "version",
    TimeText("created"),
    TimeText("updated"),
)
SPAN_FIELDS = ("start", "end", "text")
STANCE_FIELDS = ("id", "target_id", "label", username("annotator"), "note", *TIMES)


def quote_records(quotes: Any) -> Iterator[list[tuple[dict[str, Any], str]]]:
    """(record, digest) of each quote, in id order, in batches."""
    ids = quotes.order_by().values("pk")
    spans = Children(
        QuoteSpan.objects.filter(quote_id__in=ids).order_by("quote_id", "position"), "quote_id", *SPAN_FIELDS
    )
    stances = Children(Stance.objects.filter(quote_id__in=ids).order_by("quote_id", "id"), "quote_id", *STANCE_FIELDS)
    tagged = tags(Quote, ids)
    for batch in stream(quotes.order_by("id"), *QUOTE_FIELDS):
        out = []
        for row in batch:
            pk = row[0]
            record = {
                "type": "quote",
                "id": pk,
                "article": row[1],
                "kind": row[2],
                "speaker": row[3],
                "spans": [{"start": s, "end": e, "text": t} for s, e, t in spans.take(pk)],
                "cue": [row[4], row[5]] if row[4] is not None else None,
                "cue_text": row[6],
                "speaker_mention": [row[7], row[8]] if row[7] is not None else None,
                "speaker_mention_text": row[9],
                "annotator": row[10],
                "status": row[11],
                "reviewed_by": row[12],
                "reviewed_at": iso_time(row[13]),
                "review_note": row[14],
                "origin": row[15],
                "layer": row[16],
                "curated": row[17],
                "support_count": row[18],
                "supported_by": row[19],
                "tags": sorted(name for (name,) in tagged.take(pk)),
                "stances": [
                    {
                        "id": s_id,
                        "target": target,
                        "label": label,
                        "annotator": annotator,
                        "note": note,
                        "created": iso_time(created),
                        "updated": iso_time(updated),
                    }
                    for s_id, target, label, annotator, note, created, updated in stances.take(pk)
                ],
            }
            sha = digest(record)
            record.update(version=row[20], created=iso_time(row[21]), updated=iso_time(row[22]), events=[])
            out.append((record, sha))
        yield out


def write_corpus_jsonl(meta: dict[str, Any], chosen: Selection, fh: IO[bytes], digests: IO[str], check: Check) -> int:
    """The release's ``corpus.jsonl`` into ``fh`` and its ``quote_digests.csv`` into ``digests``; the
    number of records (the meta line included)."""
    writer = csv.writer(digests, lineterminator="\n")
    writer.writerow(["quote_id", "sha256"])
    fh.write(_line({"type": "meta", "format": FORMAT, "version": VERSION, **meta}).encode())
    count = 1
    for batches in (
        speaker_records(chosen.speakers),
        stance_target_records(chosen.stance_targets),
        article_records(chosen.articles),
        mention_records(chosen.entities),
    ):
        for batch in batches:
            fh.write("".join(map(_line, batch)).encode())
            count += len(batch)
            check()
    for quote_batch in quote_records(chosen.quotes):
        fh.write("".join(_line(record) for record, _ in quote_batch).encode())
        writer.writerows((record["id"], sha) for record, sha in quote_batch)
        count += len(quote_batch)
        check()
    return count
