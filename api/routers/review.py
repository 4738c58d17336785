"""Editors' review decisions through ``review.services`` (the API adds no rule of its own), and the
agreement figures from ``review.selectors``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from accounts.roles import Role
from annotations.models import Quote
from corpus.models import Article, Speaker
from review import agreement_csv, selectors, services

from .. import representation
from ..auth import require_role
from ..schemas import AcceptIn, AgreementOut, CorrectIn, QuoteOut, RejectIn
from .annotations import visible_quote

router = Router(tags=["review"])


def _reviewed(request: HttpRequest, quote: Quote) -> dict[str, Any]:
    return representation.quote(request, visible_quote(request, quote.pk))


@router.post("/review/quotes/{pk}/accept", response=QuoteOut, summary="Accept a submitted quote")
def quote_accept(request: HttpRequest, pk: int, payload: AcceptIn) -> dict[str, Any]:
    require_role(request, Role.EDITOR)
    quote = get_object_or_404(Quote, pk=pk)
    services.quote_review(
        quote=quote, reviewer=request.user, decision="accept", expected_version=payload.version, reason=payload.note
    )
    return _reviewed(request, quote)


@router.post("/review/quotes/{pk}/reject", response=QuoteOut, summary="Reject a submitted quote, with a reason")
def quote_reject(request: HttpRequest, pk: int, payload: RejectIn) -> dict[str, Any]:
    require_role(request, Role.EDITOR)
    quote = get_object_or_404(Quote, pk=pk)
    services.quote_review(
        quote=quote, reviewer=request.user, decision="reject", expected_version=payload.version, reason=payload.reason
    )
    return _reviewed(request, quote)


@router.post(
    "/review/quotes/{pk}/correct",
    response=QuoteOut,
    summary="Accept and correct (returns the curated quote); on a curated quote, correct it",
)
def quote_correct(request: HttpRequest, pk: int, payload: CorrectIn) -> dict[str, Any]:
    require_role(request, Role.EDITOR)
    quote = get_object_or_404(Quote, pk=pk)
    changes: dict[str, Any] = {}
    if payload.spans is not None:
        changes["spans"] = [list(span) for span in payload.spans]
    if payload.kind is not None:
        if payload.kind not in Quote.Kind.values:
            raise ValidationError({"kind": f"One of {', '.join(Quote.Kind.values)}."})
        changes["kind"] = payload.kind
    if payload.clear_speaker:
        changes["speaker"] = None
    elif payload.speaker_id is not None:
        speaker = Speaker.objects.filter(pk=payload.speaker_id).first()
        if speaker is None:
            raise ValidationError({"speaker_id": f"No speaker #{payload.speaker_id}."})
        changes["speaker"] = speaker
    if payload.cue is not None:
        changes["cue"] = list(payload.cue)
    if payload.speaker_mention is not None:
        changes["speaker_mention"] = list(payload.speaker_mention)
    curated = services.quote_correct_and_accept(
        quote=quote, reviewer=request.user, expected_version=payload.version, note=payload.note, **changes
    )
    return _reviewed(request, curated)


def _agreement_rows(rows: list[list[Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        data = dict(zip(agreement_csv.HEADER, row))
        data["article_id"] = data["article_id"] or None
        data["value"] = float(data["value"]) if data["value"] != "" else None
        out.append(data)
    return out


@router.get("/agreement", response=AgreementOut, summary="Agreement over the corpus and per article")
def agreement_corpus(request: HttpRequest) -> dict[str, Any]:
    require_role(request, Role.EDITOR)
    stored = services.agreement_catch_up()  # the stored figures, as the agreement page shows them
    return {
        "articles": stored.compared,
        "rows": _agreement_rows(list(agreement_csv.stored_rows(stored))),
        "computed_at": stored.computed_at,
        "current": stored.current,
    }


@router.get("/agreement/articles/{pk}", response=AgreementOut, summary="Agreement on one article")
def agreement_article(request: HttpRequest, pk: int) -> dict[str, Any]:
    require_role(request, Role.EDITOR)
    article = get_object_or_404(Article.objects.only("id", "title", "slug"), pk=pk)
    result = selectors.agreement_figures([article.pk])
    rows = agreement_csv.article_rows(result, article)
    return {"articles": 1 if rows else 0, "rows": _agreement_rows(rows)}
