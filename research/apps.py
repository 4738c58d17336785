from functools import partial

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save, pre_delete


class ResearchConfig(AppConfig):
    name = "research"

    def ready(self) -> None:
        from annotations.signals import annotations_changed, curated_changed
        from corpus.models import Article
        from corpus.signals import articles_created

        # Summary tables (research/models.py): a change marks its articles inside its own transaction,
        # and they are recounted once it commits.
        annotations_changed.connect(_quotes_changed, dispatch_uid="research.stats.annotations")
        curated_changed.connect(_quotes_changed, dispatch_uid="research.stats.curated")
        articles_created.connect(_quotes_changed, dispatch_uid="research.stats.articles_created")
        post_save.connect(_article_saved, sender=Article, dispatch_uid="research.stats.article_saved")
        pre_delete.connect(_article_deleted, sender=Article, dispatch_uid="research.stats.article_deleted")


def _mark(article_ids: frozenset[int]) -> None:
    from .services import stats_mark_stale, stats_refresh

    stats_mark_stale(article_ids=article_ids)
    # robust: a failed recount after the commit is logged, and the rows stay stale for the next read
    transaction.on_commit(partial(stats_refresh, article_ids=article_ids), robust=True)


def _quotes_changed(sender: object, *, article_ids: frozenset[int], **kwargs: object) -> None:
    _mark(article_ids)


def _article_saved(sender: object, *, instance: object, created: bool, raw: bool = False, **kwargs: object) -> None:
    # outlet and publication date are tally keys, and every article counts in the articles by outlet
    if not raw:
        _mark(frozenset([instance.pk]))  # type: ignore[attr-defined]


def _article_deleted(sender: object, *, instance: object, **kwargs: object) -> None:
    from .services import stats_forget_article

    stats_forget_article(article_id=instance.pk)  # type: ignore[attr-defined]
