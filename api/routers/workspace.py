"""The annotators' workspace (``/annotate/articles/{pk}/``) writes through these operations.

They return the page's own shapes (``annotations.selectors``: display labels, ``editable``), take
the workspace's payloads (checked by ``annotations.forms``) and write through the same services,
with the page's roles: annotators and editors, on their own layer. Errors are problem details like
everywhere in the API; a version conflict also carries the quote as it is now (``current``).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import Field

from annotations import selectors, services
from annotations.exceptions import VersionConflict
from annotations.forms import MentionForm, QuoteForm, SpeakerForm, StanceForm, StanceTargetForm, errors_dict
from annotations.models import EntityMention, Quote, Stance, Status
from annotations.permissions import can_annotate, can_change
from corpus import wikidata
from corpus.models import Article
from corpus.services import speaker_create

from ..errors import problem
from ..schemas import (
    WsDeleted,
    WsMentionIn,
    WsMentionOne,
    WsNewSpeaker,
    WsQuoteIn,
    WsQuoteOne,
    WsSpeakerCreated,
    WsSpeakerHits,
    WsStanceCreated,
    WsStanceIn,
    WsState,
    WsSubmitted,
    WsTargetCreated,
    WsTargetIn,
    WsTargets,
    WsWikidataMatches,
)

router = Router(tags=["workspace"])


def _annotator(request: HttpRequest) -> None:
    if not can_annotate(request.user):
        raise PermissionDenied("Your account does not have the annotator role.")


def _require_change(user: Any, obj: Any) -> None:
    if not can_change(user, obj):
        quote = obj if isinstance(obj, Quote) else getattr(obj, "quote", None)
        if getattr(obj, "status", None) == Status.ACCEPTED or getattr(quote, "status", None) == Status.ACCEPTED:
            raise PermissionDenied("This annotation has been accepted; it is read-only now.")
        raise PermissionDenied("You can only change your own annotations.")


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(errors_dict(form))
    return dict(form.cleaned_data)


def _sent(payload: Schema) -> dict[str, Any]:
    """The keys the caller sent (a partial change leaves the others as they are)."""
    return payload.model_dump(exclude_unset=True)


def _quote(request: HttpRequest, quote: Quote) -> dict[str, Any]:
    current = selectors.workspace_quotes(quote.article, quote.annotator).get(pk=quote.pk)
    return selectors.quote_data(current, request.user)


class ViewQuery(Schema):
    view: str = Field(selectors.VIEW_MINE, max_length=40, description="mine (default), or another layer view")


@router.get("/workspace/articles/{pk}", response=WsState, summary="The workspace's annotations of one article")
def workspace_state(request: HttpRequest, pk: int, query: Query[ViewQuery]) -> dict[str, Any]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    return selectors.workspace_state(article, request.user, query.view)


@router.post("/workspace/articles/{pk}/quotes", response={201: WsQuoteOne}, summary="Create a quote (a draft of yours)")
def workspace_quote_create(request: HttpRequest, pk: int, payload: WsQuoteIn) -> Reply[dict[str, Any]]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    form = QuoteForm(_sent(payload), article=article)
    _valid(form)
    quote = services.quote_save(article=article, actor=request.user, fields=form.service_fields())
    return Reply(201, {"quote": _quote(request, quote)})


@router.post(
    "/workspace/articles/{pk}/mentions", response={201: WsMentionOne}, summary="Create an entity mention of yours"
)
def workspace_mention_create(request: HttpRequest, pk: int, payload: WsMentionIn) -> Reply[dict[str, Any]]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    data = _valid(MentionForm(_sent(payload), article=article))
    mention = services.entity_mention_save(
        article=article,
        actor=request.user,
        start=data["start"],
        end=data["end"],
        label=data["label"],
        text=data.get("text") or None,
    )
    return Reply(201, {"mention": selectors.mention_data(mention, request.user)})


@router.post(
    "/workspace/articles/{pk}/submit", response=WsSubmitted, summary="Submit your drafts of the article for review"
)
def workspace_submit(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    count = services.annotations_submit(article=article, annotator=request.user)
    return {"submitted": count, **selectors.workspace_state(article, request.user)}


def _workspace_quote(pk: int) -> Quote:
    return get_object_or_404(Quote.objects.select_related("article", "annotator"), pk=pk)


@router.get("/workspace/quotes/{pk}", response=WsQuoteOne, summary="One quote, as the workspace shows it")
def workspace_quote(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    quote = _workspace_quote(pk)
    if (
        quote.annotator_id != request.user.pk
        and quote.status != Status.ACCEPTED
        and not can_change(request.user, quote)
    ):
        raise PermissionDenied("You can only see your own drafts.")
    return {"quote": _quote(request, quote)}


@router.patch(
    "/workspace/quotes/{pk}",
    response=WsQuoteOne,
    summary="Change a quote (the keys sent; with the version you saw)",
)
def workspace_quote_update(request: HttpRequest, pk: int, payload: WsQuoteIn) -> dict[str, Any] | HttpResponse:
    _annotator(request)
    quote = _workspace_quote(pk)
    _require_change(request.user, quote)
    form = QuoteForm(_sent(payload), article=quote.article, partial=True)
    data = _valid(form)
    try:
        services.quote_save(
            article=quote.article,
            actor=request.user,
            quote=quote,
            expected_version=data.get("version"),
            fields=form.service_fields(),
        )
    except VersionConflict as exc:
        return _conflict(request, exc)
    return {"quote": _quote(request, quote)}


def _conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
    return problem(
        409,
        str(exc),
        current_version=exc.current.version,
        current_status=exc.current.status,
        current=_quote(request, exc.current),
    )


@router.delete("/workspace/quotes/{pk}", response=WsDeleted, summary="Delete a quote of yours")
def workspace_quote_delete(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    quote = _workspace_quote(pk)
    _require_change(request.user, quote)
    services.quote_delete(quote=quote, actor=request.user)
    return {"deleted": pk}


@router.post("/workspace/quotes/{pk}/stances", response={201: WsStanceCreated}, summary="Set your stance on a quote")
def workspace_stance_set(request: HttpRequest, pk: int, payload: WsStanceIn) -> Reply[dict[str, Any]]:
    _annotator(request)
    quote = get_object_or_404(Quote.objects.select_related("annotator", "speaker"), pk=pk)
    _require_change(request.user, quote)
    data = _valid(StanceForm(_sent(payload)))
    target = data.get("target") or services.stance_target_get_or_create(name=data["target_name"])
    stance = services.stance_set(
        quote=quote, target=target, label=data["label"], annotator=request.user, note=data.get("note", "")
    )
    return Reply(201, {"stance": selectors.stance_data(stance)})


@router.delete("/workspace/stances/{pk}", response=WsDeleted, summary="Delete a stance of yours")
def workspace_stance_delete(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    stance = get_object_or_404(Stance.objects.select_related("quote"), pk=pk)
    _require_change(request.user, stance)
    services.stance_delete(stance=stance, actor=request.user)
    return {"deleted": pk}


def _workspace_mention(pk: int) -> EntityMention:
    return get_object_or_404(EntityMention.objects.select_related("article", "annotator"), pk=pk)


@router.patch("/workspace/mentions/{pk}", response=WsMentionOne, summary="Change an entity mention of yours")
def workspace_mention_update(request: HttpRequest, pk: int, payload: WsMentionIn) -> dict[str, Any]:
    _annotator(request)
    mention = _workspace_mention(pk)
    _require_change(request.user, mention)
    data = _valid(MentionForm(_sent(payload), article=mention.article, partial=True))
    mention = services.entity_mention_save(
        article=mention.article,
        actor=request.user,
        mention=mention,
        start=data.get("start"),
        end=data.get("end"),
        label=data.get("label") or None,
    )
    return {"mention": selectors.mention_data(mention, request.user)}


@router.delete("/workspace/mentions/{pk}", response=WsDeleted, summary="Delete an entity mention of yours")
def workspace_mention_delete(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    mention = _workspace_mention(pk)
    _require_change(request.user, mention)
    services.entity_mention_delete(mention=mention, actor=request.user)
    return {"deleted": pk}


class SearchQuery(Schema):
    q: str = Field("", max_length=300, description="Part of the name (or of an alias)")


@router.get("/workspace/speakers", response=WsSpeakerHits, summary="Speakers for the workspace's picker (10)")
def workspace_speaker_search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    _annotator(request)
    return {"results": selectors.speaker_search(query.q)}


@router.post("/workspace/speakers", response={201: WsSpeakerCreated}, summary="Create a speaker")
def workspace_speaker_create(request: HttpRequest, payload: WsNewSpeaker) -> Reply[dict[str, Any]]:
    _annotator(request)
    form = SpeakerForm(_sent(payload))
    _valid(form)
    speaker = speaker_create(**form.service_kwargs(), actor=request.user)
    return Reply(201, {"speaker": selectors.new_speaker_data(speaker)})


class WikidataQuery(Schema):
    q: str = Field("", max_length=200, description="The name to look for")


@router.get(
    "/workspace/wikidata",
    response=WsWikidataMatches,
    summary="Wikidata items for the new-speaker form (7; one attempt, WIKIDATA_TIMEOUT seconds at most)",
)
def workspace_wikidata_search(request: HttpRequest, query: Query[WikidataQuery]) -> dict[str, Any]:
    """Nothing is linked here: the form shows the items and records the QID the person picks. Off or
    unreachable, Wikidata is ``available: false`` with the reason, and the form goes on without it."""
    _annotator(request)
    try:
        # One attempt: a person waits on this, and the cache answers the same name again at once.
        matches = wikidata.search(query.q, retries=0)
    except wikidata.WikidataUnavailable as exc:
        return {"available": False, "message": str(exc), "results": []}
    return {"available": True, "message": "", "results": selectors.wikidata_matches(matches)}


@router.get("/workspace/stance-targets", response=WsTargets, summary="Stance targets for the picker (10)")
def workspace_target_search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    _annotator(request)
    return {"results": selectors.target_search(query.q)}


@router.post("/workspace/stance-targets", response={201: WsTargetCreated}, summary="Create a stance target")
def workspace_target_create(request: HttpRequest, payload: WsTargetIn) -> Reply[dict[str, Any]]:
    _annotator(request)
    data = _valid(StanceTargetForm(_sent(payload)))
    target = services.stance_target_create(name=data["name"], description=data.get("description", ""))
    return Reply(201, {"target": {"id": target.pk, "name": target.name, "description": target.description}})
