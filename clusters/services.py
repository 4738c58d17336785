"""Writes of the clusters: placing curated quotes, repairing clusters that lost a member, the rebuild.

Placement (``clusters_sync``) runs inside the transaction that changed the curated layer (the
``curated_changed`` receiver), so an accepted quote is in its cluster when the acceptance commits.
A new quote joins every cluster holding a quote of the same normalized text, or a candidate (a member
sharing an LSH band key, ``sketch``) that ``text.fingerprint.same_quote`` finds the same; several such
clusters merge into the oldest. A cluster that loses a member is grouped again (``grouping``) and may
split. ``clusters_rebuild`` recomputes every cluster from the curated layer in one pass; its clusters
are the same sets of quotes as those kept incrementally (tests check it). On PostgreSQL one advisory
lock serializes the cluster writers, so two concurrent accepts of near-duplicates cannot make two
clusters.
"""

import datetime
import hashlib
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from annotations.models import Quote
from text.fingerprint import belongs_to, is_short, normalize_quote, same_quote, shingles

from .grouping import group_texts
from .models import Cluster, ClusterBand, ClusterMember
from .sketch import band_keys, signatures

ADVISORY_LOCK = 0x17C1
CANDIDATE_LIMIT = 500
COPY_FIELDS = {
    Cluster: [
        "id",
        "first_quote_id",
        "first_article_id",
        "first_published",
        "size",
        "outlet_count",
        "speaker_count",
        "updated",
    ],
    ClusterMember: ["quote_id", "cluster_id", "normalized", "digest"],
    ClusterBand: ["member_id", "key"],
}


def digest_of(normalized: str) -> str:
    return hashlib.md5(normalized.encode(), usedforsecurity=False).hexdigest()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


# --- placement ---------------------------------------------------------------------------------


def _keys_of(found: frozenset[int]) -> list[int]:
    return band_keys(signatures([found]))[0].tolist() if found else []


def _candidates(keys: Sequence[int], digest: str) -> list[tuple[int, str, str]]:
    """``(cluster id, normalized, digest)`` of the members sharing a band key, one per other text."""
    if not keys:
        return []
    band_members = ClusterBand.objects.filter(key__in=keys).values("member_id")[:CANDIDATE_LIMIT]
    rows = ClusterMember.objects.filter(pk__in=band_members).values_list("cluster_id", "normalized", "digest")
    seen = {digest}
    found = []
    for cluster_id, other, other_digest in rows:
        if other_digest not in seen:
            seen.add(other_digest)
            found.append((cluster_id, other, other_digest))
    return found


def _home_of_short(normalized: str, found: frozenset[int], candidates: Iterable[tuple[int, str, str]]) -> int | None:
    """The cluster a short text joins: the one cluster of the longer texts it belongs to, else none."""
    homes = {
        cluster_id
        for cluster_id, other, _ in candidates
        if not is_short(other_set := shingles(other)) and belongs_to(normalized, found, other, other_set)
    }
    return homes.pop() if len(homes) == 1 else None


def _settle_short(digest: str) -> set[int]:
    """Place a short text already in a cluster again (the longer texts around it changed): it moves to the
    one cluster it belongs to, or alone. Returns the clusters whose members changed."""
    members = list(ClusterMember.objects.filter(digest=digest).values_list("pk", "cluster_id", "normalized"))
    if not members:
        return set()
    current, normalized = members[0][1], members[0][2]
    found = shingles(normalized)
    home = _home_of_short(normalized, found, _candidates(_keys_of(found), digest))
    if home == current:
        return set()
    ids = [pk for pk, _, _ in members]
    if home is None:
        if not ClusterMember.objects.filter(cluster_id=current).exclude(digest=digest).exists():
            return set()  # alone already
        home = Cluster.objects.create(size=1, outlet_count=1, speaker_count=0).pk
    ClusterMember.objects.filter(pk__in=ids).update(cluster_id=home)
    return {current, home}


def _shorts_near(cluster_id: int) -> set[str]:
    """The short texts outside a cluster that share a band key with one of its members."""
    keys = ClusterBand.objects.filter(member__cluster_id=cluster_id).values("key")
    band_members = ClusterBand.objects.filter(key__in=keys).values("member_id")[:CANDIDATE_LIMIT]
    rows = ClusterMember.objects.filter(pk__in=band_members).exclude(cluster_id=cluster_id)
    return {digest for normalized, digest in rows.values_list("normalized", "digest") if is_short(shingles(normalized))}


def _place(quotes: Iterable[tuple[int, str]]) -> set[int]:
    """Place each ``(quote id, text)``; returns the clusters whose members changed.

    A text with an exact copy joins its cluster. A short text joins the one cluster of the longer texts it
    belongs to (``text.fingerprint.belongs_to``), else a new cluster of its own. A longer text joins every
    cluster holding a candidate that ``same_quote`` finds the same (several merge into the oldest), else a
    new cluster; then the short texts around it are placed again: those that belong to it (it may be their
    only home, or a second one that makes them a common phrase), and, when clusters merged, those near the
    merged cluster (two of their homes may now be one)."""
    touched: set[int] = set()
    for quote_id, text in quotes:
        normalized = normalize_quote(text)
        digest = digest_of(normalized)
        found = shingles(normalized)
        keys = _keys_of(found)
        exact = ClusterMember.objects.filter(digest=digest).values_list("cluster_id", flat=True).first()
        resettle: set[str] = set()
        merged = False
        if exact is not None:
            matched = {exact}  # the same node as its copies: every neighbour already decided on it
        elif is_short(found):
            home = _home_of_short(normalized, found, _candidates(keys, digest))
            matched = set() if home is None else {home}
        else:
            matched = set()
            for cluster_id, other, other_digest in _candidates(keys, digest):
                other_set = shingles(other)
                if is_short(other_set):
                    if belongs_to(other, other_set, normalized, found):
                        resettle.add(other_digest)
                elif cluster_id not in matched and same_quote(found, other_set):
                    matched.add(cluster_id)
        if not matched:
            cluster_id = Cluster.objects.create(size=1, outlet_count=1, speaker_count=0).pk
        else:
            cluster_id = min(matched)
            others = matched - {cluster_id}
            if others:
                merged = True
                ClusterMember.objects.filter(cluster_id__in=others).update(cluster_id=cluster_id)
                Cluster.objects.filter(pk__in=others).delete()
                touched -= others
        ClusterMember.objects.create(quote_id=quote_id, cluster_id=cluster_id, normalized=normalized, digest=digest)
        ClusterBand.objects.bulk_create(ClusterBand(member_id=quote_id, key=key) for key in keys)
        touched.add(cluster_id)
        if merged:
            resettle |= _shorts_near(cluster_id)
        for short_digest in sorted(resettle):
            touched |= _settle_short(short_digest)
    return touched


@transaction.atomic
def clusters_sync(*, article_ids: Iterable[int]) -> set[int]:
    """Bring the clusters of these articles' curated quotes up to date: new quotes placed, quotes whose
    text changed placed again, gone ones removed, counts recomputed. Returns the clusters touched."""
    ids = set(article_ids)
    if not ids:
        return set()
    _lock()
    curated: dict[int, str] = {}
    members: dict[int, tuple[int, str]] = {}
    rows = (
        Quote.objects.curated()
        .filter(article_id__in=ids)
        .values_list("pk", "text", "cluster_membership__cluster_id", "cluster_membership__normalized")
    )
    for quote_id, text, cluster_id, normalized in rows:
        curated[quote_id] = text
        if cluster_id is not None:
            members[quote_id] = (cluster_id, normalized)
    stale = [
        quote_id
        for quote_id, (_, normalized) in members.items()
        if quote_id not in curated or normalize_quote(curated[quote_id]) != normalized
    ]
    shrunk = {members[quote_id][0] for quote_id in stale}
    if stale:
        ClusterMember.objects.filter(pk__in=stale).delete()
    placed = _place(sorted((pk, text) for pk, text in curated.items() if pk not in members or pk in stale))
    kept = {cluster_id for quote_id, (cluster_id, _) in members.items() if quote_id not in stale}
    # A speaker or a text may have changed on a kept member: its cluster is recounted.
    return _repair(shrunk, placed | kept)


@transaction.atomic
def clusters_repair(*, cluster_ids: Iterable[int], recount: Iterable[int] = ()) -> set[int]:
    """Group the members of clusters that lost members again (a cluster may split, an empty one goes),
    and recount those and ``recount``. Returns the clusters recounted."""
    _lock()
    return _repair(set(cluster_ids), set(recount))


def _repair(cluster_ids: set[int], recount: set[int]) -> set[int]:
    touched = set(recount)
    for cluster_id in sorted(cluster_ids):
        touched |= _regroup(cluster_id)
    _recount(touched)
    return touched


def _regroup(cluster_id: int) -> set[int]:
    rows = list(
        ClusterMember.objects.filter(cluster_id=cluster_id).order_by("quote_id").values_list("quote_id", "normalized")
    )
    if not rows:
        Cluster.objects.filter(pk=cluster_id).delete()
        return set()
    grouping = group_texts([normalized for _, normalized in rows])
    groups: dict[int, list[int]] = {}
    for (quote_id, _), label in zip(rows, grouping.labels, strict=True):
        groups.setdefault(label, []).append(quote_id)
    touched = {cluster_id}
    for label, quote_ids in groups.items():
        if label == 0:
            continue  # the group of the cluster's first member keeps the cluster
        split = Cluster.objects.create(size=1, outlet_count=1, speaker_count=0)
        ClusterMember.objects.filter(pk__in=quote_ids).update(cluster_id=split.pk)
        touched.add(split.pk)
    return touched


# --- counts ------------------------------------------------------------------------------------


@dataclass
class _Occurrence:
    quote_id: int
    article_id: int
    published: datetime.date | None
    outlet: str
    speaker_id: int | None
    start: int

    @property
    def order(self) -> tuple[bool, datetime.date, int, int, int]:
        """First appearance: the earliest published date (undated last), then the article, then the text."""
        return (self.published is None, self.published or datetime.date.min, self.article_id, self.start, self.quote_id)


OCCURRENCE_FIELDS = ("quote_id", "article_id", "article__published", "article__outlet", "speaker_id", "start")


Stats = tuple[int, int, datetime.date | None, int, int, int]


def _stats_of(occurrences: Sequence[_Occurrence]) -> Stats:
    """first quote, first article, first published, size, outlets, speakers."""
    first = occurrences[0] if len(occurrences) == 1 else min(occurrences, key=lambda o: o.order)
    return (
        first.quote_id,
        first.article_id,
        first.published,
        len(occurrences),
        len({o.outlet for o in occurrences}),
        len({o.speaker_id for o in occurrences if o.speaker_id is not None}),
    )


def _stats(cluster: Cluster, occurrences: Sequence[_Occurrence]) -> Cluster:
    (
        cluster.first_quote_id,
        cluster.first_article_id,
        cluster.first_published,
        cluster.size,
        cluster.outlet_count,
        cluster.speaker_count,
    ) = _stats_of(occurrences)
    return cluster


FIGURES = ("first_quote", "first_article", "first_published", "size", "outlet_count", "speaker_count")


def _figures(cluster: Cluster) -> tuple[Any, ...]:
    return tuple(
        getattr(cluster, f"{name}_id" if name.startswith("first_") and name != "first_published" else name)
        for name in FIGURES
    )


def _recount(cluster_ids: set[int]) -> None:
    if not cluster_ids:
        return
    by_cluster: dict[int, list[_Occurrence]] = {}
    rows = ClusterMember.objects.filter(cluster_id__in=cluster_ids).values_list(
        "cluster_id",
        "quote_id",
        "quote__article_id",
        "quote__article__published",
        "quote__article__outlet",
        "quote__speaker_id",
        "quote__start",
    )
    for cluster_id, quote_id, article_id, published, outlet, speaker_id, start in rows:
        by_cluster.setdefault(cluster_id, []).append(
            _Occurrence(quote_id, article_id, published, outlet, speaker_id, start)
        )
    # Only the clusters whose figures moved are written: a change to one quote of an article recounts
    # the clusters of all its curated quotes, and most of them come out the same.
    changed = []
    for cluster in Cluster.objects.filter(pk__in=by_cluster).order_by("pk"):
        before = _figures(cluster)
        if _figures(_stats(cluster, by_cluster[cluster.pk])) != before:
            changed.append(cluster)
    if empty := cluster_ids - set(by_cluster):
        Cluster.objects.filter(pk__in=empty).delete()
    if changed:
        Cluster.objects.bulk_update(changed, list(FIGURES))


def clusters_recount_articles(*, article_ids: Iterable[int]) -> None:
    """Recount the clusters of these articles' quotes (an article's outlet or date changed)."""
    ids = set(ClusterMember.objects.filter(quote__article_id__in=set(article_ids)).values_list("cluster_id", flat=True))
    if ids:
        with transaction.atomic():
            _lock()
            _recount(ids)


# --- rebuild -----------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    quotes: int
    clusters: int
    repeated: int  # clusters of two or more quotes
    seconds: float


def _insert(model: type[Any], rows: Iterable[Sequence[Any]]) -> None:
    table, fields = model._meta.db_table, COPY_FIELDS[model]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(fields)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        batch: list[Sequence[Any]] = []
        sql = f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


@contextmanager
def _bulk_load(models: Sequence[type[Any]]) -> Iterator[None]:
    """On PostgreSQL, load the tables without their foreign keys and secondary indexes, then add them back:
    one validating join and one index build each, instead of a trigger and index insert per row (the
    deferred foreign key checks of 20 band rows per quote would otherwise dominate the commit)."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f'",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary AND NOT x.indisunique",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _clear() -> None:
    """Delete every cluster row."""
    with connection.cursor() as cursor:
        tables = [m._meta.db_table for m in (ClusterBand, ClusterMember, Cluster)]
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with pending deferred checks (rows written earlier in this transaction,
            # as by the JSONL restore): run them now, then defer again (Django's foreign keys are deferred).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


@transaction.atomic
def clusters_rebuild() -> RebuildResult:
    """Every cluster from scratch, from the curated layer: the same sets of quotes as kept incrementally.
    Clusters are numbered from 1 in the order of their oldest quote (so the same corpus gets the same
    ids); an id seen before a rebuild may name another cluster after it."""
    began = time.perf_counter()
    _lock()
    rows = list(Quote.objects.curated().order_by("pk").values_list("pk", "text", *OCCURRENCE_FIELDS[1:]))
    normalized = [normalize_quote(row[1]) for row in rows]
    grouping = group_texts(normalized)
    _clear()
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(grouping.labels):
        groups.setdefault(label, []).append(i)
    cluster_of: list[int] = [0] * len(rows)
    now = datetime.datetime.now(datetime.UTC)

    def cluster_rows() -> Iterable[Sequence[Any]]:
        for n, (_label, members) in enumerate(sorted(groups.items()), start=1):
            for i in members:
                cluster_of[i] = n
            occurrences = [_Occurrence(rows[i][0], *rows[i][2:]) for i in members]
            yield (n, *_stats_of(occurrences), now)

    with _bulk_load([Cluster, ClusterMember, ClusterBand]):
        _insert(Cluster, cluster_rows())
        digests = {text: digest_of(text) for text in set(normalized)}
        _insert(
            ClusterMember,
            ((row[0], cluster_of[i], normalized[i], digests[normalized[i]]) for i, row in enumerate(rows)),
        )
        _insert(
            ClusterBand,
            ((row[0], key) for i, row in enumerate(rows) for key in grouping.keys.get(grouping.nodes[i], ())),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = Cluster._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(1, %s))", [len(groups)])
            cursor.execute(f"ANALYZE {', '.join(m._meta.db_table for m in (Cluster, ClusterMember, ClusterBand))}")
    return RebuildResult(
        quotes=len(rows),
        clusters=len(groups),
        repeated=sum(1 for members in groups.values() if len(members) > 1),
        seconds=time.perf_counter() - began,
    )
