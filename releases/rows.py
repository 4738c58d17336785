"""The rows of a release as plain values, in big batches: what the JSONL, Web Annotation and token
writers read.

Model instances and ``prefetch_related`` cost a queryset clone per object and a model per row (the
build spent most of its time there); here each table is one server-side cursor of ``values_list``
tuples, cut into batches of ``BATCH`` rows, and the related rows (spans, stances, tags, aliases) are
one more cursor each, ordered like their parents and walked beside them (``Children``): no per-row
query, no per-batch ``IN`` list of thousands of parameters. Memory holds a batch of each cursor (and
one article's quotes), whatever the size of the release.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Expression, Func, Model, QuerySet, TextField
from taggit.models import TaggedItem

from annotations.models import QuoteSpan
from corpus.models import Article

T = TypeVar("T")
Check = Callable[[], None]

BATCH = 2000  # rows per round trip of a cursor
ARTICLE_BATCH = 200  # articles carry their bodies (a few kB each)


def batches(rows: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


Field = str | Expression


def values(qs: QuerySet, *fields: Field) -> QuerySet:
    """``qs.values_list`` of field names and expressions (``TimeText``), in that order."""
    names, expressions = [], {}
    for i, field in enumerate(fields):
        if isinstance(field, str):
            names.append(field)
        else:
            names.append(f"_value{i}")
            expressions[f"_value{i}"] = field
    return (qs.annotate(**expressions) if expressions else qs).values_list(*names)


def stream(qs: QuerySet, *fields: Field, size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    """``values(qs, *fields)`` in its order, from one server-side cursor, in batches of ``size``."""
    return batches(values(qs, *fields).iterator(chunk_size=size), size)


class TimeText(Func):
    """A stored time as text in UTC, ``YYYY-MM-DD HH:MM:SS.ffffff`` (PostgreSQL, whatever its DateStyle) or
    as SQLite stores it (``YYYY-MM-DD HH:MM:SS[.ffffff]``): ``iso_time`` makes it what ``isoformat()``
    gives, without psycopg's datetime loader (pure Python, a fifth of the JSONL's time)."""

    output_field = TextField()
    template = "CAST(%(expressions)s AS TEXT)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        return super().as_sql(compiler, connection, template=template, **extra)


def iso_time(text: str | None) -> str | None:
    """``TimeText`` as ``datetime.isoformat()`` writes the aware UTC time: ``2024-05-01T12:34:56.500000+00:00``,
    no fraction when it is zero."""
    if text is None:
        return None
    return f"{text[:10]}T{text[11:].removesuffix('.000000')}+00:00"


def username(relation: str) -> str:
    """The lookup of a user foreign key's username (``annotator`` → ``annotator__username``)."""
    return f"{relation}__{get_user_model().USERNAME_FIELD}"


class Children:
    """The rows of a child table (spans, stances, tags, aliases) in the order of their parents: one
    server-side cursor, walked beside the parents' and taken parent by parent (a merge join). The child
    query must select the children of exactly the parents streamed, ordered by the parents' order."""

    def __init__(self, qs: QuerySet, key: str, *fields: Field) -> None:
        self._rows = values(qs, key, *fields).iterator(chunk_size=BATCH)
        self._pending = next(self._rows, None)

    def take(self, key: Any) -> list[tuple[Any, ...]]:
        """The children of the parent ``key`` (the next parent of the walk)."""
        rows = []
        while self._pending is not None and self._pending[0] == key:
            rows.append(self._pending[1:])
            self._pending = next(self._rows, None)
        return rows


def tags(model: type[Model], ids: QuerySet) -> Children:
    """The tag names of the objects ``ids`` (a ``values("pk")`` subquery), by object id: ``take`` them in
    id order and sort each object's names (Python's order, not the database's collation)."""
    content_type = ContentType.objects.get_for_model(model)
    items = TaggedItem.objects.filter(content_type=content_type, object_id__in=ids).order_by("object_id")
    return Children(items, "object_id", "tag__name")


# --- quotes with their article, in text order -------------------------------------------------


@dataclass(slots=True)
class QuoteRow:
    """What the per-article files need of a curated quote."""

    id: int
    kind: str
    speaker_name: str | None  # None: no speaker
    speaker_qid: str
    cue_start: int | None
    cue_end: int | None
    cue_text: str
    mention_start: int | None
    mention_end: int | None
    spans: list[tuple[int, int]]


@dataclass(slots=True)
class ArticleRow:
    id: int
    body: str
    url: str


QUOTE_FIELDS = (
    "id",
    "article_id",
    "kind",
    "speaker_id",
    "speaker__name",
    "speaker__wikidata_qid",
    "cue_start",
    "cue_end",
    "cue_text",
    "speaker_mention_start",
    "speaker_mention_end",
)


def _quotes_in_text_order(quotes: QuerySet) -> Iterator[tuple[int, QuoteRow]]:
    """(article id, quote) in ``quotes``' order (article, then position), with their spans."""
    order = [f"-quote__{o[1:]}" if o.startswith("-") else f"quote__{o}" for o in map(str, quotes.query.order_by)]
    in_order = QuoteSpan.objects.filter(quote_id__in=quotes.order_by().values("pk")).order_by(*order, "position")
    spans = Children(in_order, "quote_id", "start", "end")
    for batch in stream(quotes, *QUOTE_FIELDS):
        for pk, article_id, kind, speaker_id, name, qid, c_start, c_end, c_text, m_start, m_end in batch:
            yield (
                article_id,
                QuoteRow(
                    pk,
                    kind,
                    name if speaker_id is not None else None,
                    qid or "",
                    c_start,
                    c_end,
                    c_text,
                    m_start,
                    m_end,
                    spans.take(pk),  # type: ignore[arg-type]
                ),
            )


def articles_with_quotes(
    quotes: QuerySet, check: Check, every: int = 5000
) -> Iterator[tuple[ArticleRow, list[QuoteRow]]]:
    """Each article of ``quotes`` (in id order) with its quotes (in text order): two server-side
    cursors walked side by side, so one article's body and quotes are in memory at a time (and a batch
    of each cursor). ``quotes`` must be ordered by article first (a release's quotes are)."""
    quote_rows = _quotes_in_text_order(quotes)
    article_ids = quotes.order_by().values("article_id")
    articles = Article.objects.filter(pk__in=article_ids).order_by("id")
    pending = next(quote_rows, None)
    seen = 0
    for batch in stream(articles, "id", "body", "url", size=ARTICLE_BATCH):
        for pk, body, url in batch:
            group: list[QuoteRow] = []
            while pending is not None and pending[0] == pk:
                group.append(pending[1])
                pending = next(quote_rows, None)
                seen += 1
                if seen % every == 0:
                    check()
            yield ArticleRow(pk, body, url), group
