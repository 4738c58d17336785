"""Writes of the research app: the summary tables (research/models.py), kept equal to a fresh count.

``stats_mark_stale`` runs inside the transaction that changed an article's quotes or stances (one or
two queries); ``stats_refresh`` recounts the stale articles in one grouped query per kind of row and
applies the difference to ``Tally``, so the work is proportional to the change, never to the corpus.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from annotations.models import Layer, Quote, Stance
from corpus.models import Article

from .models import ArticleStats, SpeakerTally, Tally

REFRESH_BATCH = 500
TALLY_LOCK = 0x7461_6C6C  # 'tall': the advisory lock key of _apply
D = Tally.Dimension


def stats_mark_stale(*, article_ids: Iterable[int]) -> None:
    ids = sorted(set(article_ids))
    if not ids:
        return
    # one upsert: a new row, or stale=True on the existing one (its counts stay: they are in Tally)
    ArticleStats.objects.bulk_create(
        [ArticleStats(article_id=pk, stale=True) for pk in ids],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["stale"],
    )


def _month_key(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.year:04d}-{value.month:02d}"


Cell = tuple[str, int, str]  # (dimension, scope, key)

# Cells of this dimension go to SpeakerTally, not Tally: scope is the speaker id (0: no speaker), key
# is "<month>\t<outlet>" (month "" when the article has no date).
WHO = "who"


def who_key(month: str, outlet: str) -> str:
    return f"{month}\t{outlet}"


def article_counts(article_ids: list[int]) -> dict[int, Counter[Cell]]:
    """What each article adds to the tallies, counted afresh (4 queries)."""
    counts: dict[int, Counter[Cell]] = {pk: Counter() for pk in article_ids}
    for article_id, outlet in Article.objects.filter(pk__in=article_ids).values_list("pk", "outlet"):
        counts[article_id][(D.ARTICLES, 0, outlet)] += 1
    for article_id, status, n in (
        Quote.objects.annotations()
        .filter(article_id__in=article_ids)
        .values_list("article_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[article_id][(D.STATUS, 0, status)] += n
    curated = (
        Quote.objects.curated()
        .filter(article_id__in=article_ids)
        .annotate(month=TruncMonth("article__published"))
        .values_list("article_id", "kind", "speaker_id", "article__outlet", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for article_id, kind, speaker_id, outlet, month, n in curated:
        cells = counts[article_id]
        cells[(D.KIND, 0, kind)] += n
        cells[(D.OUTLET, 0, outlet)] += n
        cells[(WHO, speaker_id or 0, who_key(_month_key(month) if month is not None else "", outlet))] += n
        if speaker_id is not None:
            cells[(D.SPEAKER, 0, str(speaker_id))] += n
        if month is not None:
            cells[(D.MONTH, 0, _month_key(month))] += n
            if speaker_id is not None:
                cells[(D.SPEAKER_MONTH, speaker_id, _month_key(month))] += n
    stances = (
        Stance.objects.filter(quote__layer=Layer.CURATED, quote__article_id__in=article_ids)
        .values_list("quote__article_id", "target_id", "label", "quote__speaker_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for article_id, target_id, label, speaker_id, n in stances:
        cells = counts[article_id]
        cells[(D.TARGET, 0, str(target_id))] += n
        if speaker_id is not None:
            cells[(D.STANCE, 0, f"{target_id}:{label}")] += n
            cells[(D.SPEAKER_STANCE, speaker_id, f"{target_id}:{label}")] += n
            cells[(D.TARGET_SPEAKER, target_id, f"{speaker_id}:{label}")] += n
            cells[(D.TARGET_SPEAKER_TOTAL, target_id, str(speaker_id))] += n
    return counts


def _to_data(cells: Counter[Cell]) -> list[list[Any]]:
    return sorted([d, scope, key, n] for (d, scope, key), n in cells.items() if n)


def _from_data(data: Any) -> Counter[Cell]:
    return Counter({(d, scope, key): n for d, scope, key, n in data or []})


class TallyDrift(RuntimeError):
    """A count would go below zero or lacks its row: the tallies no longer match ArticleStats."""


def _apply(delta: Counter[Cell]) -> None:
    """Add ``delta`` to the tallies: decreases as one UPDATE batch, increases as one upsert batch.

    On PostgreSQL a transaction-level advisory lock serializes the refreshes that apply deltas, so two
    of them never wait on each other's rows in opposite orders (SQLite serializes writes anyway)."""
    who = Counter({cell: n for cell, n in delta.items() if cell[0] == WHO and n})
    down = [(n, d, scope, key) for (d, scope, key), n in sorted(delta.items()) if n < 0 and d != WHO]
    up = [(d, scope, key, n) for (d, scope, key), n in sorted(delta.items()) if n > 0 and d != WHO]
    if not down and not up and not who:
        return
    q = connection.ops.quote_name
    table, dim, scope_, key_, n_ = (q(x) for x in (Tally._meta.db_table, "dimension", "scope", "key", "n"))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TALLY_LOCK])
        if who:
            _apply_who(cursor, who)
        if down:
            cursor.executemany(
                f"UPDATE {table} SET {n_} = {n_} + %s WHERE {dim} = %s AND {scope_} = %s AND {key_} = %s", down
            )
            if cursor.rowcount != len(down):
                raise TallyDrift(f"{len(down) - cursor.rowcount} decreased count(s) had no row")
        if up:
            cursor.executemany(
                f"INSERT INTO {table} ({dim}, {scope_}, {key_}, {n_}) VALUES (%s, %s, %s, %s) "
                f"ON CONFLICT ({dim}, {scope_}, {key_}) DO UPDATE SET {n_} = {table}.{n_} + excluded.{n_}",
                up,
            )


def _apply_who(cursor: Any, delta: Counter[Cell]) -> None:
    """The WHO cells of a delta, into SpeakerTally: rows with a speaker and rows without one (NULL)
    each have their own unique index, so each has its own statements."""
    q = connection.ops.quote_name
    table, speaker, outlet, month, n_ = (
        q(x) for x in (SpeakerTally._meta.db_table, "speaker_id", "outlet", "month", "n")
    )
    rows = []
    for (_, speaker_id, key), n in sorted(delta.items()):
        month_key, outlet_key = key.split("\t", 1)
        rows.append((speaker_id or None, outlet_key, month_key, n))
    for with_speaker in (True, False):
        which = f"{speaker} = %s" if with_speaker else f"{speaker} IS NULL"
        part = [row for row in rows if (row[0] is not None) == with_speaker]
        keys = (lambda row: row[:3]) if with_speaker else (lambda row: row[1:3])
        down = [(row[3], *keys(row)) for row in part if row[3] < 0]
        up = [(*keys(row), row[3]) for row in part if row[3] > 0]
        if down:
            cursor.executemany(
                f"UPDATE {table} SET {n_} = {n_} + %s WHERE {which} AND {outlet} = %s AND {month} = %s", down
            )
            if cursor.rowcount != len(down):
                raise TallyDrift(f"{len(down) - cursor.rowcount} decreased speaker count(s) had no row")
        if up:
            columns, values = (f"{speaker}, ", "%s, ") if with_speaker else ("", "")
            cursor.executemany(
                f"INSERT INTO {table} ({columns}{outlet}, {month}, {n_}) VALUES ({values}%s, %s, %s) "
                f"ON CONFLICT ({columns}{outlet}, {month}) WHERE {which.replace(' = %s', ' IS NOT NULL')} "
                f"DO UPDATE SET {n_} = {table}.{n_} + excluded.{n_}",
                up,
            )


@transaction.atomic
def stats_refresh(*, article_ids: Iterable[int] | None = None, limit: int | None = None) -> int:
    """Recount the stale articles (or those of ``article_ids`` that are stale); returns how many.

    The rows are locked first, so a change committed meanwhile marks its article stale again after
    this transaction instead of being lost."""
    stale = ArticleStats.objects.filter(stale=True)
    if article_ids is not None:
        stale = stale.filter(article_id__in=sorted(set(article_ids)))
    rows = list(
        stale.select_for_update().order_by("article_id")[:limit]
        if limit
        else stale.select_for_update().order_by("article_id")
    )
    now = timezone.now()
    for start in range(0, len(rows), REFRESH_BATCH):
        batch = rows[start : start + REFRESH_BATCH]
        fresh = article_counts([row.article_id for row in batch])
        delta: Counter[Cell] = Counter()
        for row in batch:
            delta.update(fresh[row.article_id])
            delta.subtract(_from_data(row.counts))
            row.counts, row.stale, row.refreshed_at = _to_data(fresh[row.article_id]), False, now
        _apply(delta)
        ArticleStats.objects.bulk_update(batch, ["counts", "stale", "refreshed_at"])
    return len(rows)


def stats_mark_missing() -> int:
    """Give every article without a stats row one, stale (after a restore or a load that bypassed the
    services); returns how many. One scan of the articles: for ``refresh_stats``, never for a page."""
    missing = Article.objects.filter(~Exists(ArticleStats.objects.filter(article_id=OuterRef("pk"))))
    ids = list(missing.order_by("pk").values_list("pk", flat=True))
    ArticleStats.objects.bulk_create([ArticleStats(article_id=pk, stale=True) for pk in ids], batch_size=2000)
    return len(ids)


def stats_forget_article(*, article_id: int) -> None:
    """An article is being deleted: take what it added out of the tallies (its row goes with it)."""
    row = ArticleStats.objects.select_for_update().filter(article_id=article_id).first()
    if row is not None:
        delta: Counter[Cell] = Counter()
        delta.subtract(_from_data(row.counts))
        _apply(delta)


# A page that reads the tallies first recounts this many stale articles itself (bounded work); more
# than that (after a bulk import or a migration) waits for `manage.py refresh_stats`, and the page says
# how many articles are not counted yet.
INLINE_REFRESH = 200


def stats_catch_up(*, limit: int = INLINE_REFRESH) -> int:
    """Recount up to ``limit`` stale articles when no more than that are stale; returns how many stay stale."""
    stale = ArticleStats.objects.filter(stale=True)
    waiting = stale[: limit + 1].count()
    if 0 < waiting <= limit:
        stats_refresh(limit=limit)
        return 0
    return waiting if waiting <= limit else stale.count()
