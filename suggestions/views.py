"""Suggestion pages. Thin: permissions, parsing, and a call to a service or selector.

Every view needs an annotator or editor (anonymous visitors are sent to log in by the middleware);
every write is a POST with the CSRF token. The pages' scripts call the public API
(``/api/v1/suggestions/…``, ``api.routers.suggestions``), with the same roles.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Role, role_required
from annotations.filters import ArticleListFilter
from corpus.errors import validation_message
from corpus.models import Article
from jobs.services import job_enqueue

from . import services
from .jobs import SUGGEST_ARTICLES
from .models import Suggestion

ANNOTATING_ROLES = (Role.ANNOTATOR, Role.EDITOR)
PAGE_SIZE = 50


def _current_filter(status: str) -> Q:
    return Q(suggestions__status=status, suggestions__body_hash=F("body_hash"))


@role_required(*ANNOTATING_ROLES)
@require_GET
def index(request):
    """Articles with their suggestion counts; one query for the page whatever its size."""
    articles = Article.objects.annotate(
        pending=Count("suggestions", filter=_current_filter(Suggestion.Status.PENDING)),
        accepted=Count("suggestions", filter=_current_filter(Suggestion.Status.ACCEPTED)),
        rejected=Count("suggestions", filter=_current_filter(Suggestion.Status.REJECTED)),
    ).order_by("-pending", "title", "id")
    # The annotators' article filter: the same title search (and outlet, tag, dates) as /annotate/.
    article_filter = ArticleListFilter(request.GET, queryset=articles)
    page = Paginator(article_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/suggestion_index.html",
        {"page": page, "q": request.GET.get("q", "").strip(), "form": article_filter.form},
    )


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
        messages.error(request, "No suggestions stored: " + validation_message(error))
    else:
        messages.success(request, f"{len(stored)} suggestion(s) ready for “{article.title}”.")
    return redirect("suggestions:article", pk=article.pk)


@role_required(Role.EDITOR)
@require_POST
def suggest_many(request):
    """Editors: a background job running the rules over the chosen articles, or over every article the
    page's title search matches (``suggestions.jobs``)."""
    chosen = [pk for pk in request.POST.getlist("article") if pk.isdigit()]
    params: dict[str, object] = (
        {"article_ids": [int(pk) for pk in chosen]} if chosen else {"q": request.POST.get("q", "")}
    )
    job = job_enqueue(kind=SUGGEST_ARTICLES, params=params, user=request.user)
    messages.success(request, "Suggestions run in the background; this page follows them.")
    return redirect("jobs:detail", pk=job.pk)
