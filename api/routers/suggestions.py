"""Machine suggestions of quotes (the suggestions panel's calls) through ``suggestions.services``.

The same roles as the suggestions pages: annotators and editors. Accepting a suggestion makes it the
caller's own draft quote; a suggestion decided already (or made on an older text) is a 409.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from annotations.permissions import can_annotate
from corpus.errors import validation_message
from corpus.models import Article
from suggestions import services
from suggestions.models import Suggestion
from suggestions.selectors import panel_payload, suggestion_counts

from ..schemas import SuggestionDecision, SuggestionList, SuggestionPushIn

router = Router(tags=["suggestions"])


def _annotator(request: HttpRequest) -> None:
    if not can_annotate(request.user):
        raise PermissionDenied("Your account does not have the annotator role.")


@router.get("/suggestions/articles/{pk}", response=SuggestionList, summary="An article's pending suggestions")
def suggestion_list(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    return panel_payload(get_object_or_404(Article, pk=pk), request.user)


@router.post(
    "/suggestions/articles/{pk}/suggest",
    response=SuggestionList,
    summary="Run the rules on an article (they replace its pending suggestions)",
)
def suggestion_run(request: HttpRequest, pk: int) -> dict[str, Any]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    try:
        services.suggest_for_article(article=article)
    except ValidationError as exc:
        raise ValidationError("No suggestions stored: " + validation_message(exc)) from exc
    return panel_payload(article, request.user)


@router.post(
    "/suggestions/articles/{pk}",
    response=SuggestionList,
    summary="Push your own model's suggestions (they replace that model's pending ones)",
)
def suggestion_push(request: HttpRequest, pk: int, payload: SuggestionPushIn) -> dict[str, Any]:
    _annotator(request)
    article = get_object_or_404(Article, pk=pk)
    services.suggestions_push(
        article=article, model=payload.model, items=[item.model_dump() for item in payload.suggestions]
    )
    return panel_payload(article, request.user)


def _decide(request: HttpRequest, pk: int, *, accept: bool) -> dict[str, Any]:
    _annotator(request)
    suggestion = get_object_or_404(Suggestion.objects.select_related("article"), pk=pk)
    quote = None  # SuggestionConflict (decided already, or an older text) is a 409: api.errors
    if accept:
        quote = services.suggestion_accept(suggestion=suggestion, user=request.user)
    else:
        services.suggestion_reject(suggestion=suggestion, user=request.user)
    return {
        "id": suggestion.pk,
        "status": suggestion.status,
        "quote_id": quote.pk if quote else None,
        "counts": suggestion_counts(suggestion.article),
    }


@router.post(
    "/suggestions/{pk}/accept", response=SuggestionDecision, summary="Accept a suggestion: your own draft quote"
)
def suggestion_accept(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _decide(request, pk, accept=True)


@router.post("/suggestions/{pk}/reject", response=SuggestionDecision, summary="Reject a suggestion")
def suggestion_reject(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _decide(request, pk, accept=False)
