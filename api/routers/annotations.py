"""Quotes (curated layer, or the caller's own), entity mentions, stances and stance targets."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja import Status as Reply  # not annotations.models.Status
from pydantic import Field

from accounts.roles import Role, has_role
from annotations import selectors as annotation_selectors
from annotations import services as annotation_services
from annotations.filters import QuoteFilter
from annotations.forms import QuoteForm, errors_dict
from annotations.models import Layer, Quote, Stance, StanceTarget, Status
from annotations.permissions import can_annotate, can_change
from corpus.models import Article
from exports.filters import EntityFilter
from exports.writers import InvalidFilters, filtered_quotes
from research.selectors import quote_rows

from .. import representation
from ..auth import require_role
from ..pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from ..schemas import MentionPage, QuoteIn, QuoteOut, QuotePage, QuotePatch, StancePage, StanceTargetPage

router = Router(tags=["quotes"])

READ_ROLES = (Role.RESEARCHER, Role.EDITOR)  # the research pages' roles
TEXT_ORDER = ("article_id", "start", "end", "id")
PAGING_PARAMS = ("cursor", "limit", "layer")


class PageQuery(Schema):
    cursor: str | None = Field(None, description="From a page's next link.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class QuoteQuery(PageQuery):
    """The quote browser's filters (annotations.filters.QuoteFilter), read by that filter itself."""

    layer: str = Field("curated", pattern="^(curated|mine)$", description="curated (default), or mine: your own.")
    status: str | None = Field(None, description="accepted (default on curated), draft, submitted, rejected, all")
    article: str | None = None
    outlet: str | None = None
    published_after: str | None = Field(None, description="YYYY-MM-DD")
    published_before: str | None = Field(None, description="YYYY-MM-DD")
    speaker: str | None = Field(None, description="Speaker id")
    speaker_name: str | None = None
    speaker_kind: str | None = None
    kind: str | None = Field(None, description="direct, indirect, mixed")
    annotator: str | None = Field(None, description="User id")
    target: str | None = Field(None, description="Stance target id")
    stance: str | None = Field(None, description="favor, against, neutral, unclear")
    tag: str | None = None
    submitted_after: str | None = None
    submitted_before: str | None = None
    q: str | None = Field(None, description="Words of the text or of the speaker's name")
    sort: str | None = Field(None, description="e.g. -published, speaker (default: text order, keyset pages)")


def filter_params(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    for name in PAGING_PARAMS:
        params.pop(name, None)
    return params


def invalid_filters(errors: Any) -> ValidationError:
    return ValidationError({field: [str(m) for m in messages] for field, messages in errors.items()})


def _quote_filter(request: HttpRequest, layer: str) -> QuoteFilter:
    params = filter_params(request)
    if layer == "mine":
        if not can_annotate(request.user):
            raise PermissionDenied("Only annotators and editors have a layer of their own.")
        return QuoteFilter(
            params,
            queryset=Quote.objects.filter(annotator_id=request.user.pk),
            layer=Layer.ANNOTATION,
            default_status="all",
        )
    require_role(request, *READ_ROLES)
    return QuoteFilter(params, layer=Layer.CURATED, default_status=Status.ACCEPTED)


@router.get("/quotes", response=QuotePage, summary="List quotes (curated layer, or layer=mine)")
def quote_list(request: HttpRequest, query: Query[QuoteQuery]) -> dict[str, Any]:
    quote_filter = _quote_filter(request, query.layer)
    if not quote_filter.is_valid():
        raise invalid_filters(quote_filter.errors)
    rows = quote_rows(quote_filter.qs).select_related("annotator")
    found, meta = page(request, rows, key=None if query.sort else TEXT_ORDER, cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [representation.quote(request, q) for q in found]}


def visible_quote(request: HttpRequest, pk: int) -> Quote:
    """A quote the caller may read: curated (research roles), or their own (editors: anyone's)."""
    quote: Quote = get_object_or_404(quote_rows(Quote.objects.select_related("annotator")), pk=pk)
    if quote.layer == Layer.CURATED:
        require_role(request, *READ_ROLES)
    elif not (
        has_role(request.user, Role.EDITOR) or (quote.annotator_id == request.user.pk and can_annotate(request.user))
    ):
        raise PermissionDenied("You can only see your own annotations and the curated layer.")
    return quote


@router.get("/quotes/{pk}", response=QuoteOut, summary="One quote")
def quote_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return representation.quote(request, visible_quote(request, pk))


def _form_fields(form: QuoteForm) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(errors_dict(form))
    return form.service_fields()


@router.post("/quotes", response={201: QuoteOut}, summary="Create a quote in your own layer (a draft)")
def quote_create(request: HttpRequest, payload: QuoteIn) -> Reply[dict[str, Any]]:
    if not can_annotate(request.user):
        raise PermissionDenied("Only annotators and editors create quotes.")
    article = get_object_or_404(Article, pk=payload.article)
    data = payload.model_dump(exclude_none=True, exclude={"article"})
    fields = _form_fields(QuoteForm(data, article=article))
    quote = annotation_services.quote_save(article=article, actor=request.user, fields=fields)
    return Reply(201, representation.quote(request, visible_quote(request, quote.pk)))


@router.patch("/quotes/{pk}", response=QuoteOut, summary="Change a quote of your own layer")
def quote_update(request: HttpRequest, pk: int, payload: QuotePatch) -> dict[str, Any]:
    if not can_annotate(request.user):
        raise PermissionDenied("Only annotators and editors change quotes.")
    quote = get_object_or_404(Quote.objects.select_related("article", "annotator"), pk=pk)
    if quote.layer != Layer.ANNOTATION or quote.annotator_id != request.user.pk:
        raise PermissionDenied("Through the API you change the quotes of your own layer only.")
    if not can_change(request.user, quote):
        raise PermissionDenied("This quote has been accepted; it is read-only now.")
    data = payload.model_dump(exclude_unset=True)
    fields = _form_fields(QuoteForm(data, article=quote.article, partial=True))
    annotation_services.quote_save(
        article=quote.article, actor=request.user, quote=quote, expected_version=payload.version, fields=fields
    )
    return representation.quote(request, visible_quote(request, pk))


@router.get("/mentions", response=MentionPage, summary="Entity mentions of the curated layer", tags=["corpus"])
def mention_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    mention_filter = EntityFilter(filter_params(request), default_status=Status.ACCEPTED, layer=Layer.CURATED)
    if not mention_filter.is_valid():
        raise invalid_filters(mention_filter.errors)
    found, meta = page(request, mention_filter.qs, key=TEXT_ORDER, cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [representation.mention(m) for m in found]}


@router.get("/stances", response=StancePage, summary="Stances of the curated quotes a quote filter selects")
def stance_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    try:
        quotes = filtered_quotes(filter_params(request))
    except InvalidFilters as exc:
        raise invalid_filters(exc.errors) from None

    rows = Stance.objects.filter(quote_id__in=quotes.order_by().values("pk")).select_related("target")
    found, meta = page(request, rows, key=("id",), cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [{**representation.stance(s), "quote_id": s.quote_id} for s in found]}


class TargetQuery(PageQuery):
    q: str | None = Field(None, max_length=200, description="Part of the target's name")


@router.get("/stance-targets", response=StanceTargetPage, summary="Stance targets")
def stance_target_list(request: HttpRequest, query: Query[TargetQuery]) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    rows = StanceTarget.objects.all()
    if query.q and query.q.strip():
        rows = rows.filter(name__icontains=query.q.strip())
    found, meta = page(request, rows, key=("id",), cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [representation.stance_target(t) for t in found]}


class LookupRow(Schema):
    value: int = Field(description="the id the filter takes")
    label: str
    detail: str = ""


class LookupOut(Schema):
    results: list[LookupRow]


@router.get(
    "/lookup/{kind}",
    response=LookupOut,
    summary="Search behind a filter's lookup box: articles, speakers or annotators (at most 10)",
    tags=["lookups"],
)
def lookup(request: HttpRequest, kind: str, q: str = "") -> dict[str, Any]:
    require_role(request, Role.ANNOTATOR, Role.EDITOR, Role.RESEARCHER)
    if kind not in annotation_selectors.LOOKUPS:
        raise Http404("No such lookup: articles, speakers or annotators.")
    return {"results": annotation_selectors.lookup(kind, q)}
