"""Rows → the dicts the schemas describe. Pure functions over rows loaded with their relations: no query."""

from typing import Any

from django.http import HttpRequest

from annotations.models import EntityMention, Layer, Quote, Stance, StanceTarget
from annotations.spans import parse_span_offsets
from corpus.models import Article, Speaker

API_ROOT = "/api/v1/"


def _url(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(API_ROOT + path)


def stance(row: Stance) -> dict[str, Any]:
    return {"id": row.pk, "target_id": row.target_id, "target": row.target.name, "label": row.label}


def quote(request: HttpRequest, row: Quote) -> dict[str, Any]:
    speaker = row.speaker
    return {
        "id": row.pk,
        "url": _url(request, f"quotes/{row.pk}"),
        "article_id": row.article_id,
        "layer": row.layer,
        "status": row.status,
        "kind": row.kind,
        "text": row.text,
        "spans": parse_span_offsets(row.span_offsets),
        "cue": row.cue,
        "cue_text": row.cue_text,
        "speaker_mention": row.speaker_mention,
        "speaker_mention_text": row.speaker_mention_text,
        "speaker": {"id": speaker.pk, "name": speaker.name, "kind": speaker.kind} if speaker else None,
        "support_count": row.support_count,
        "supported_by": [name for name in row.supported_by.split(";") if name],
        "annotator": row.annotator.get_username() if row.layer == Layer.ANNOTATION else None,
        "review_note": row.review_note,
        "version": row.version,
        "tags": sorted(tag.name for tag in row.tags.all()),
        "stances": [stance(s) for s in row.stances.all()],
        "reviewed_at": row.reviewed_at,
        "created": row.created,
        "updated": row.updated,
    }


def article(request: HttpRequest, row: Article, *, body: bool = False) -> dict[str, Any]:
    data = {
        "id": row.pk,
        "url": _url(request, f"articles/{row.pk}"),
        "title": row.title,
        "slug": row.slug,
        "outlet": row.outlet,
        "byline": row.byline,
        "dateline": row.dateline,
        "published": row.published,
        "source_url": row.url,
        "language": row.language,
        "body_hash": row.body_hash,
        "tags": sorted(tag.name for tag in row.tags.all()),
    }
    if body:
        data["body"] = row.body
    return data


def speaker(request: HttpRequest, row: Speaker) -> dict[str, Any]:
    return {
        "id": row.pk,
        "url": _url(request, f"speakers/{row.pk}"),
        "name": row.name,
        "kind": row.kind,
        "description": row.description,
        "affiliation_id": row.affiliation_id,
        "wikidata_qid": row.wikidata_qid,  # confirmed by an editor
        "wikidata_qid_proposed": row.wikidata_qid_proposed,  # an annotator's pick, not confirmed
        "wikidata_proposed_at": row.wikidata_proposed_at,
        "aliases": [{"alias": a.alias, "normalized": a.normalized} for a in row.aliases.all()],
    }


def mention(row: EntityMention) -> dict[str, Any]:
    return {
        "id": row.pk,
        "article_id": row.article_id,
        "start": row.start,
        "end": row.end,
        "text": row.text,
        "label": row.label,
        "speaker_id": row.speaker_id,
        "support_count": row.support_count,
    }


def stance_target(row: StanceTarget) -> dict[str, Any]:
    return {"id": row.pk, "name": row.name, "description": row.description}
