"""Read-only research pages: for researchers, editors and superusers. Views stay thin (see selectors)."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from accounts.roles import Role, role_required
from annotations.filters import SORT_CHOICES
from annotations.models import Stance, StanceTarget, Status
from annotations.pagination import CappedPaginator
from corpus.models import Article, Speaker
from corpus.search import first_match
from text.spreadsheet import neutralize

from . import representation, selectors, services
from .filters import StanceTargetFilter
from .highlight import mention_highlights, quote_highlights, segments

_role = role_required(Role.RESEARCHER, Role.EDITOR)


def research_only(view):
    """Researchers, editors and superusers; GET and HEAD only (these pages change nothing)."""
    return require_safe(_role(view))


QUOTES_PER_PAGE = 50
ARTICLES_PER_PAGE = 25
SPEAKERS_PER_PAGE = 50
SNIPPET_CHARS = 110


def _page(request, queryset, per_page):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _export_query(request) -> str:
    """The browser's query string minus the page number: the filters an export needs."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_safe
@research_only
def index(request):
    uncounted = services.stats_catch_up()
    return render(request, "research/corpus_overview.html", {**selectors.corpus_overview(), "uncounted": uncounted})


@require_safe
@research_only
def quote_list(request):
    quote_filter = selectors.browse_quotes(request.GET)
    form = quote_filter.form
    rows = quote_filter.qs if form.is_valid() else quote_filter.queryset.none()
    page = CappedPaginator(selectors.quote_rows(rows), QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    speaker = form.cleaned_data.get("speaker") if form.is_valid() else None
    return render(
        request,
        "research/quote_list.html",
        {
            "filter": quote_filter,
            "form": form,
            "page": page,
            "chosen_speaker": speaker,
            "export_query": _export_query(request),
            "sort_choices": SORT_CHOICES,
            "outlets": selectors.outlets(),
            "targets": StanceTarget.objects.all(),
        },
    )


@require_safe
@research_only
def article_list(request):
    article_filter = selectors.article_search(request.GET)
    form = article_filter.form
    page = _page(request, article_filter.qs, ARTICLES_PER_PAGE)
    q = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    for article in page.object_list:
        article.snippet = _snippet(article.body, q)
    return render(
        request,
        "research/article_list.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "outlet": request.GET.get("outlet", ""),
            "outlets": selectors.outlets(),
        },
    )


def _snippet(body: str, q: str) -> dict:
    """Text around the first match (or the opening of the body), split so the match can be marked."""
    match = first_match(body, q)
    if match is None:
        head = body[: SNIPPET_CHARS * 2]
        return {"before": head, "match": "", "after": "", "cut_left": False, "cut_right": len(body) > len(head)}
    start, end = match
    left = max(0, start - SNIPPET_CHARS)
    right = min(len(body), end + SNIPPET_CHARS)
    return {
        "before": body[left:start],
        "match": body[start:end],
        "after": body[end:right],
        "cut_left": left > 0,
        "cut_right": right < len(body),
    }


@require_safe
@research_only
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.prefetch_related("tags"), pk=pk)
    quotes, mentions = selectors.article_annotations(article)
    return render(
        request,
        "research/article_detail.html",
        {
            "article": article,
            "quotes": quotes,
            "mention_count": len(mentions),
            "segments": segments(article.body, quote_highlights(quotes) + mention_highlights(mentions)),
            "entity_labels": sorted({m.label for m in mentions}),
        },
    )


@require_safe
@research_only
def speaker_list(request):
    speaker_filter = selectors.speaker_list(request.GET)
    return render(
        request,
        "research/speaker_list.html",
        {
            "form": speaker_filter.form,
            "page": _page(request, speaker_filter.qs, SPEAKERS_PER_PAGE),
            "q": request.GET.get("q", ""),
            "kind": request.GET.get("kind", ""),
            "kinds": Speaker.Kind.choices,
        },
    )


@require_safe
@research_only
def speaker_detail(request, pk):
    speaker = get_object_or_404(Speaker.objects.select_related("affiliation"), pk=pk)
    uncounted = services.stats_catch_up()
    detail = selectors.speaker_detail(speaker)
    page = _page(request, detail.pop("quotes"), QUOTES_PER_PAGE)
    return render(
        request,
        "research/speaker_detail.html",
        {
            "speaker": speaker,
            "page": page,
            "uncounted": uncounted,
            "labels": Stance.Label.choices,
            **detail,
        },
    )


@require_safe
@research_only
def stance_overview(request):
    form = StanceTargetFilter(request.GET, queryset=StanceTarget.objects.all()).form
    target = form.cleaned_data.get("target") if form.is_valid() else None
    uncounted = services.stats_catch_up()
    return render(
        request,
        "research/stance_overview.html",
        {
            "form": form,
            "target": target,
            "labels": Stance.Label.choices,
            "accepted": Status.ACCEPTED,
            "uncounted": uncounted,
            **selectors.stance_matrix(target=target),
        },
    )


WHO_DIMENSIONS = {"gender": "Gender", "role": "Role category", "kind": "Speaker kind"}


@require_safe
@research_only
def who_gets_quoted(request):
    """Shares of curated quotes and of speakers by gender, role and kind, with the browser's filters:
    from the summary table, or (filters it cannot answer) from up to LIVE_LIMIT matching quotes."""
    quote_filter = selectors.browse_quotes(request.GET)
    form = quote_filter.form
    dimension = request.GET.get("by") if request.GET.get("by") in WHO_DIMENSIONS else "gender"
    scope, unanswered = representation.summary_scope(quote_filter)
    uncounted, matching, too_many = 0, None, False
    if scope is not None:
        uncounted = services.stats_catch_up()
        figures = representation.who_from_summary(scope, dimension)
    else:
        quotes = quote_filter.qs if form.is_valid() else quote_filter.queryset.none()
        matching = quotes.order_by()[: representation.LIVE_LIMIT + 1].count()
        too_many = matching > representation.LIVE_LIMIT
        figures = representation.who_from_quotes(quotes.none() if too_many else quotes, dimension)
    table = request.GET.get("table", "")
    if request.GET.get("format") == "csv":
        return _who_csv(figures, table, dimension)
    params = request.GET.copy()
    for key in ("by", "format", "table", "page"):
        params.pop(key, None)
    return render(
        request,
        "research/who_gets_quoted.html",
        {
            **figures,
            "form": form,
            "dimensions": WHO_DIMENSIONS,
            "dimension_label": WHO_DIMENSIONS[dimension],
            "query": params.urlencode(),
            "outlets": selectors.outlets(),
            "uncounted": uncounted,
            "from_summary": scope is not None,
            "unanswered": [] if not form.is_valid() else unanswered,
            "matching": matching,
            "too_many": too_many,
            "live_limit": f"{representation.LIVE_LIMIT:,}",
        },
    )


def _who_csv(figures: dict, table: str, dimension: str):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = table if table in ("quotes", "speakers", "outlet", "month") else "quotes"
    response["Content-Disposition"] = f'attachment; filename="who-gets-quoted-{dimension}-{name}.csv"'
    writer = csv.writer(response)

    def cells(row) -> list:
        return [
            row.key,
            neutralize(row.label),
            row.count,
            row.total,
            f"{row.share:.4f}",
            f"{row.low:.4f}",
            f"{row.high:.4f}",
        ]

    header = [dimension, "label", "count", "total", "share", "ci95_low", "ci95_high"]
    if name in ("quotes", "speakers"):
        writer.writerow(header)
        for row in figures[name].rows:
            writer.writerow(cells(row))
    else:
        breakdown = next(b for b in figures["breakdowns"] if b.by == name)
        writer.writerow([name, "unit", *header])
        for group in breakdown.groups:
            for unit, rows in (("quotes", group.quotes), ("speakers", group.speakers)):
                for row in rows:
                    writer.writerow([neutralize(group.name), unit, *cells(row)])
    return response
