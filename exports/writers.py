"""CSV writers: the rows of an export, streamed as bytes.

Two paths give the same rows (read back with a CSV reader) for the same data:

- ``copy`` (PostgreSQL): the SELECT renders every cell as text, formula neutralizing included, and
  ``COPY (SELECT ...) TO STDOUT WITH (FORMAT csv)`` streams PostgreSQL's own CSV through psycopg 3,
  one row per chunk as the server sends it; we only swap its LF record ends for CRLF and batch.
- ``python`` (any database, the default on SQLite): raw values through ``.iterator()`` and
  ``csv.writer``, with the identical rules applied in Python.

``sql`` (the rendered SELECT through ``csv.writer``) exists so that the SQL rendering can be
compared with the Python rules on SQLite too.
"""

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import UTC
from typing import Any

import psycopg
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import F, Max, Min, Model, QuerySet

from annotations.filters import QuoteFilter
from annotations.models import EntityMention, Layer, Quote, Stance, Status
from clusters.models import Cluster
from corpus.models import Article, Speaker
from text.spreadsheet import neutralize

from .codebook import DATE, DATETIME, INT, SPAN, TEXT, Column, ExportFile
from .filters import ArticleFilter, ClusterExportFilter, EntityFilter
from .sql import IsoDate, IsoDateTime, NeutralizedText, SpanText

BOM = "\ufeff".encode()
CHUNK_BYTES = 1 << 16
ITERATOR_CHUNK_ROWS = 2000


class InvalidFilters(ValueError):
    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = {k: list(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


# --- which rows -------------------------------------------------------------------------------


def _checked(filterset):
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return filterset.qs


def filtered_quotes(params) -> QuerySet:
    """The quotes of a quote-browser query string: exactly QuoteFilter's rows, in the page's order
    (its ``sort``), else in text order."""
    qs = _checked(QuoteFilter(params, default_status=Status.ACCEPTED, layer=Layer.CURATED))
    ordering = qs.query.order_by
    if qs.query.distinct or qs.query.annotations or qs.query.extra:
        # Keep the filter's definition but not its shape: the export selects its own columns.
        if qs.query.annotations:
            ordering = ()  # it may name the filter's own annotations
        qs = Quote.objects.filter(pk__in=qs.order_by().values("pk"))
    return qs.order_by(*(ordering or _ordering(Quote)))


def export_queryset(export: ExportFile, params) -> QuerySet:
    """The rows of ``export`` for a query string (a QueryDict or a plain dict)."""
    model = export.model
    if model is Quote:
        return filtered_quotes(params)
    if model is Stance:
        quote_ids = filtered_quotes(params).order_by().values("pk")
        return Stance.objects.filter(quote_id__in=quote_ids).order_by(*_ordering(Stance))
    if model is EntityMention:
        return _checked(EntityFilter(params, default_status=Status.ACCEPTED, layer=Layer.CURATED)).order_by(
            *_ordering(EntityMention)
        )
    if model is Article:
        return _checked(ArticleFilter(params, queryset=Article.objects.all())).order_by("id")
    if model is Speaker:
        return Speaker.objects.order_by("id")
    if model is Cluster:
        return _checked(ClusterExportFilter(params, queryset=Cluster.objects.all())).order_by("id")
    raise LookupError(export.slug)


# --- how each cell is computed ----------------------------------------------------------------


def _source(column: Column) -> Any:
    if callable(column.source):
        return column.source()
    assert isinstance(column.source, str), column.name  # a SPAN column's pair goes through _span_fields
    return F(column.source)


def _span_fields(column: Column) -> tuple[str, str]:
    assert isinstance(column.source, tuple), column.name
    return column.source


def _ordering(model: type[Model]) -> list[str]:
    return [str(field) for field in model._meta.ordering or ()]


def rendered_columns(export: ExportFile) -> dict:
    """One text-rendering SQL expression per column (the COPY path)."""
    exprs: dict[str, Any] = {}
    for i, column in enumerate(export.columns):
        name = f"x{i}"
        if column.kind == SPAN:
            exprs[name] = SpanText(*_span_fields(column))
        elif column.kind == TEXT:
            exprs[name] = NeutralizedText(_source(column))
        elif column.kind == DATE:
            exprs[name] = IsoDate(_source(column))
        elif column.kind == DATETIME:
            exprs[name] = IsoDateTime(_source(column))
        else:
            exprs[name] = _source(column)
    return exprs


def _format_datetime(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else ""


def raw_columns(export: ExportFile) -> tuple[dict, list]:
    """Raw expressions and one formatter per column (the Python path)."""
    exprs, formatters = {}, []
    for i, column in enumerate(export.columns):
        if column.kind == SPAN:
            a, b = f"x{i}a", f"x{i}b"
            start, end = _span_fields(column)
            exprs[a], exprs[b] = F(start), F(end)
            at = len(exprs) - 2
            formatters.append(lambda row, a=at: "" if row[a] is None else f"{row[a]}-{row[a + 1]}")
            continue
        exprs[f"x{i}"] = _source(column)
        at = len(exprs) - 1
        if column.kind == TEXT:
            formatters.append(lambda row, at=at: neutralize(row[at]))
        elif column.kind == DATE:
            formatters.append(lambda row, at=at: row[at].isoformat() if row[at] is not None else "")
        elif column.kind == DATETIME:
            formatters.append(lambda row, at=at: _format_datetime(row[at]))
        elif column.kind == INT:
            formatters.append(lambda row, at=at: "" if row[at] is None else str(row[at]))
        else:  # pragma: no cover - a codebook typo
            raise ValueError(f"Unknown column kind {column.kind!r}")
    return exprs, formatters


def rendered_queryset(export: ExportFile, qs: QuerySet) -> QuerySet:
    exprs = rendered_columns(export)
    return qs.annotate(**exprs).values_list(*exprs)


def copy_sql(export: ExportFile, qs: QuerySet) -> str:
    """The complete ``COPY (SELECT ...) TO STDOUT`` statement of an export, parameters bound."""
    sql, params = rendered_queryset(export, qs).query.sql_with_params()
    connection.ensure_connection()
    select = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    return f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER false)"


# --- streams ----------------------------------------------------------------------------------


def _header(export: ExportFile, bom: bool) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(export.header)
    return (BOM if bom else b"") + out.getvalue().encode()


# Key-ordered exports run as a series of COPYs over growing ranges of their first sort key: the
# first covers 1/KEY_RANGE_FIRST of the key span, each next one twice the last, up to
# 1/KEY_RANGE_LAST. One COPY of the whole ORDER BY would sort every row before sending the first
# (4.4 s at 300k quotes); a small first range is sorted in milliseconds, whatever the corpus size.
KEY_RANGE_FIRST = 4096
KEY_RANGE_LAST = 16


def key_ranges(qs: QuerySet) -> Iterator[QuerySet]:
    """``qs`` cut into consecutive ranges of its leading ascending integer sort key, in order.

    Concatenated, the ranges give exactly the rows of ``qs`` in its order: the ranges are disjoint
    and ascending in the leading key, and each keeps the whole ORDER BY. A queryset led by another
    sort (a date, a name) is one range.
    """
    ordering = [str(o) for o in qs.query.order_by]
    lead = ordering[0] if ordering else ""
    field = lead.removesuffix("_id")
    try:
        model_field = qs.model._meta.get_field(field)
    except FieldDoesNotExist:
        model_field = None
    integer_key = model_field is not None and (
        model_field.primary_key or model_field.many_to_one or model_field.get_internal_type().endswith("IntegerField")
    )
    if not integer_key:
        yield qs
        return
    column = model_field.attname  # type: ignore[union-attr]
    # min/max of the whole table (an index's two ends), not of the filter: cheap whatever it is.
    bounds = qs.model._default_manager.aggregate(low=Min(column), high=Max(column))
    low, high = bounds["low"], bounds["high"]
    if low is None:
        yield qs
        return
    span = high - low + 1
    width, widest = max(1, span // KEY_RANGE_FIRST), max(1, span // KEY_RANGE_LAST)
    start = low
    while start <= high:
        end = start + width
        yield qs.filter(**{f"{column}__gte": start, f"{column}__lt": end})
        start, width = end, min(width * 2, widest)


def _copy_rows(export: ExportFile, qs: QuerySet, *, ranges: bool = True) -> Iterator[bytes]:
    # A plain psycopg cursor on Django's connection: same transaction (tests see their data), and
    # ``with`` closes the cursor and cancels the COPY if the client goes away (GeneratorExit).
    # JIT compiling costs seconds before the first row and gains nothing on a streaming scan.
    with connection.connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        try:
            rows: list[bytes] = []
            size = 0
            for part in key_ranges(qs) if ranges else (qs,):
                with cursor.copy(copy_sql(export, part)) as copy:
                    for row in copy:  # psycopg yields one row per chunk, ending with b"\n"
                        rows.append(row[:-1])
                        size += len(row)
                        if size >= CHUNK_BYTES:
                            rows.append(b"")
                            yield b"\r\n".join(rows)
                            rows, size = [], 0
            if rows:
                rows.append(b"")
                yield b"\r\n".join(rows)
        finally:
            if cursor.connection.info.transaction_status != psycopg.pq.TransactionStatus.INERROR:
                cursor.execute("RESET jit")


def _writer_rows(rows, formatters=None) -> Iterator[bytes]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([f(row) for f in formatters] if formatters else ["" if v is None else v for v in row])
        if out.tell() >= CHUNK_BYTES:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue().encode()


def _python_rows(export: ExportFile, qs: QuerySet) -> Iterator[bytes]:
    exprs, formatters = raw_columns(export)
    rows = qs.annotate(**exprs).values_list(*exprs).iterator(chunk_size=ITERATOR_CHUNK_ROWS)
    yield from _writer_rows(rows, formatters)


def _sql_rows(export: ExportFile, qs: QuerySet) -> Iterator[bytes]:
    yield from _writer_rows(rendered_queryset(export, qs).iterator(chunk_size=ITERATOR_CHUNK_ROWS))


def default_engine() -> str:
    return "copy" if connection.vendor == "postgresql" else "python"


def csv_chunks(
    export: ExportFile, qs: QuerySet, *, bom: bool = False, engine: str | None = None, ranges: bool = True
) -> Iterator[bytes]:
    """Header first (so the first byte leaves before the query runs), then the rows in chunks of ~64 kB.

    ``ranges=False``: the COPY path runs one COPY, not one per key range (``key_ranges``), for a caller
    that wants the whole file fast rather than its first byte soon (a release build: each range runs
    the filter's subqueries again, 18 s instead of 2 s for the speakers of a 100,000-quote release)."""
    engine = engine or default_engine()
    yield _header(export, bom)
    if engine == "copy":
        yield from _copy_rows(export, qs, ranges=ranges)
    else:
        yield from {"python": _python_rows, "sql": _sql_rows}[engine](export, qs)


def csv_bytes(export: ExportFile, params, **kwargs) -> bytes:
    return b"".join(csv_chunks(export, export_queryset(export, params), **kwargs))
