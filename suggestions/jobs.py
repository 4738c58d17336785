"""Suggestions' background job: run the rules over many articles ("suggest quotes for these articles",
editors, from the suggestions pages). Idempotent per article (``suggest_for_article`` replaces the
article's pending rule suggestions and never proposes again what was decided), all articles in one
transaction: a cancel or a failure keeps nothing. Registered in ``SuggestionsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.roles import Role
from annotations.filters import ArticleListFilter
from corpus.models import Article
from jobs.context import JobContext
from jobs.registry import JobKind

from . import services

SUGGEST_ARTICLES = "suggest_articles"
CHUNK = 200


def articles_for(params: dict[str, Any]) -> list[int]:
    """The ids the run covers: the ones chosen, or every article whose title matches ``q`` (as the
    suggestions page lists them), at most ``SUGGEST_JOB_MAX_ARTICLES``."""
    if params.get("article_ids"):
        ids = Article.objects.filter(pk__in=[int(pk) for pk in params["article_ids"]])
    else:
        # The suggestions page's own filter, so the run covers the articles the page listed.
        ids = ArticleListFilter({"q": params.get("q", "")}, queryset=Article.objects.all()).qs
    limit = settings.SUGGEST_JOB_MAX_ARTICLES
    return list(ids.order_by("pk").values_list("pk", flat=True)[:limit])


def run_suggest_articles(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    ids = articles_for(params)
    stored = 0
    context.progress(0, len(ids))
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            for article in Article.objects.filter(pk__in=ids[start : start + CHUNK]).order_by("pk"):
                stored += len(services.suggest_for_article(article=article))
            context.progress(min(start + CHUNK, len(ids)), len(ids))
            context.check_cancelled()
    return {"articles": len(ids), "suggestions": stored}


KIND = JobKind(
    name=SUGGEST_ARTICLES,
    label="Suggest quotes for articles",
    run=run_suggest_articles,
    role=Role.EDITOR,
    result_template="suggestions/includes/suggest_job_result.html",
)
