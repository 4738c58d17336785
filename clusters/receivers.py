"""Receivers of the curated layer's signals (connected in ``ClustersConfig.ready()``)."""

import threading
from typing import Any

from django.db import transaction

_pending = threading.local()


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    ids: set[int] = _pending.ids
    return ids


def curated_changed(sender: object, *, article_ids: frozenset[int], quotes: bool = True, **kwargs: object) -> None:
    if not quotes:
        return  # only stances or entity mentions: a cluster is made of quotes' text, speaker and article
    from .services import clusters_repair, clusters_sync

    clusters_sync(article_ids=article_ids)
    _flush(clusters_repair)


def _flush(repair: Any) -> None:
    ids = _pending_ids()
    if ids:
        cluster_ids = set(ids)
        ids.clear()
        repair(cluster_ids=cluster_ids)


def _flush_on_commit() -> None:
    from .services import clusters_repair

    _flush(clusters_repair)


def member_deleted(sender: object, *, instance: Any, **kwargs: object) -> None:
    # A curated quote deleted (its membership cascades) or placed again: its cluster is grouped again
    # and recounted by the next curated_changed of this transaction, else once it commits.
    ids = _pending_ids()
    if not ids:
        transaction.on_commit(_flush_on_commit, robust=True)
    ids.add(instance.cluster_id)


def article_saved(sender: object, *, instance: Any, created: bool, raw: bool = False, **kwargs: object) -> None:
    if not created and not raw:
        from .services import clusters_recount_articles

        clusters_recount_articles(article_ids=[instance.pk])
