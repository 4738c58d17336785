"""Suggestion pages and JSON endpoints. Thin: permissions, parsing, and a call to a service or selector.

Every view needs an annotator or editor (anonymous visitors are sent to log in by the middleware);
every write is a POST with the CSRF token (the JSON endpoints read it from the X-CSRFToken header).
"""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, role_required
from annotations.models import Quote
from corpus.models import Article

from . import services
from .models import Suggestion
from .selectors import article_suggestions, suggestion_counts, suggestion_json

ANNOTATING_ROLES = (Role.ANNOTATOR, Role.EDITOR)
PAGE_SIZE = 50


def _current_filter(status: str) -> Q:
    return Q(suggestions__status=status, suggestions__body_hash=F("body_hash"))


@role_required(*ANNOTATING_ROLES)
@require_GET
def index(request):
    """Articles with their suggestion counts; one query for the page whatever its size."""
    term = request.GET.get("q", "").strip()
    articles = (
        Article.objects.search_title(term)
        .annotate(
            pending=Count("suggestions", filter=_current_filter(Suggestion.Status.PENDING)),
            accepted=Count("suggestions", filter=_current_filter(Suggestion.Status.ACCEPTED)),
            rejected=Count("suggestions", filter=_current_filter(Suggestion.Status.REJECTED)),
        )
        .order_by("-pending", "title", "id")
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/suggestion_index.html", {"page": page, "q": term})


@role_required(*ANNOTATING_ROLES)
@require_GET
def article_suggestions_page(request, pk: int):
    """The article with its suggestions as a highlight layer; accept (y) or reject (n) each."""
    article = get_object_or_404(Article, pk=pk)
    return render(request, "suggestions/suggestion_article.html", {"article": article})


@role_required(*ANNOTATING_ROLES)
@require_POST
def article_suggest(request, pk: int):
    """Form variant of the suggest endpoint (works without JavaScript)."""
    article = get_object_or_404(Article, pk=pk)
    try:
        stored = services.suggest_for_article(article=article)
    except ValidationError as error:
        messages.error(request, "No suggestions stored: " + "; ".join(error.messages))
    else:
        messages.success(request, f"{len(stored)} suggestion(s) ready for “{article.title}”.")
    return redirect("suggestions:article", pk=article.pk)


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _own_quotes(article: Article, user) -> list[dict]:
    quotes = Quote.objects.for_article(article).by_annotator(user).prefetch_related("spans").in_text_order()
    return [{"id": q.pk, "spans": [[s.start, s.end] for s in q.spans.all()], "origin": q.origin} for q in quotes]


def _list_payload(article: Article, user) -> dict:
    return {
        "article": article.pk,
        "suggestions": [suggestion_json(s, article.body) for s in article_suggestions(article)],
        "counts": suggestion_counts(article),
        "quotes": _own_quotes(article, user),
    }


@role_required(*ANNOTATING_ROLES)
@require_GET
def api_list(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    return JsonResponse(_list_payload(article, request.user))


@role_required(*ANNOTATING_ROLES)
@require_POST
def api_suggest(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    try:
        services.suggest_for_article(article=article)
    except ValidationError as error:
        return _error("No suggestions stored: " + "; ".join(error.messages))
    return JsonResponse(_list_payload(article, request.user))


def _decide(request, pk: int, accept: bool) -> JsonResponse:
    suggestion = get_object_or_404(Suggestion.objects.select_related("article"), pk=pk)
    if request.body:
        try:
            json.loads(request.body)
        except ValueError:
            return _error("The request body is not JSON.")
    try:
        if accept:
            quote = services.suggestion_accept(suggestion=suggestion, user=request.user)
        else:
            services.suggestion_reject(suggestion=suggestion, user=request.user)
            quote = None
    except ValidationError as error:
        return _error("; ".join(error.messages), status=409 if "already" in " ".join(error.messages) else 400)
    return JsonResponse(
        {
            "id": suggestion.pk,
            "status": suggestion.status,
            "quote_id": quote.pk if quote else None,
            "counts": suggestion_counts(suggestion.article),
        }
    )


@role_required(*ANNOTATING_ROLES)
@require_POST
def api_accept(request, pk: int):
    return _decide(request, pk, accept=True)


@role_required(*ANNOTATING_ROLES)
@require_POST
def api_reject(request, pk: int):
    return _decide(request, pk, accept=False)
