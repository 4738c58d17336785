"""Articles (list with filters, detail with the body) and speakers with their aliases."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from pydantic import Field

from accounts.roles import Role
from annotations.filters import ArticleListFilter
from corpus.models import Article, Speaker

from .. import representation
from ..auth import require_role
from ..pagination import page
from ..schemas import ArticleDetail, ArticlePage, SpeakerOut, SpeakerPage
from .annotations import READ_ROLES, PageQuery, filter_params, invalid_filters

router = Router(tags=["corpus"])

# Annotators read every article in the workspace; researchers and editors on the research pages.
ARTICLE_ROLES = (Role.ANNOTATOR, Role.RESEARCHER, Role.EDITOR)


class ArticleQuery(PageQuery):
    q: str | None = Field(None, description="Words of the title")
    tag: str | None = None
    outlet: str | None = None
    published_from: str | None = Field(None, description="YYYY-MM-DD")
    published_to: str | None = Field(None, description="YYYY-MM-DD")


@router.get("/articles", response=ArticlePage, summary="List articles (without their bodies)")
def article_list(request: HttpRequest, query: Query[ArticleQuery]) -> dict[str, Any]:
    require_role(request, *ARTICLE_ROLES)
    article_filter = ArticleListFilter(filter_params(request), queryset=Article.objects.defer("body").with_tags())
    if not article_filter.is_valid():
        raise invalid_filters(article_filter.errors)
    found, meta = page(request, article_filter.qs, key=("id",), cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [representation.article(request, a) for a in found]}


@router.get("/articles/{pk}", response=ArticleDetail, summary="One article, with its body")
def article_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    require_role(request, *ARTICLE_ROLES)
    article = get_object_or_404(Article.objects.with_tags(), pk=pk)
    return representation.article(request, article, body=True)


class SpeakerQuery(PageQuery):
    q: str | None = Field(None, max_length=300, description="Words of the name, or of one of its aliases")
    kind: str | None = Field(None, description="person, organization, group, unknown")


def _speakers() -> Any:
    return Speaker.objects.prefetch_related("aliases")


@router.get("/speakers", response=SpeakerPage, summary="List speakers with their aliases")
def speaker_list(request: HttpRequest, query: Query[SpeakerQuery]) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    rows = _speakers()
    if query.kind:
        if query.kind not in Speaker.Kind.values:
            raise ValidationError({"kind": f"One of {', '.join(Speaker.Kind.values)}."})
        rows = rows.filter(kind=query.kind)
    rows = rows.search_words(query.q)
    found, meta = page(request, rows, key=("id",), cursor=query.cursor, limit=query.limit)
    return {**meta, "results": [representation.speaker(request, s) for s in found]}


@router.get("/speakers/{pk}", response=SpeakerOut, summary="One speaker")
def speaker_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    return representation.speaker(request, get_object_or_404(_speakers(), pk=pk))
