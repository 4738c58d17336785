"""SQL expressions that render export cells as text inside the SELECT (the PostgreSQL COPY path).

Each expression has a PostgreSQL and a SQLite form, so the rendered SELECT runs on both backends
(the SQLite form is what the test suite compares with the Python writer on SQLite). The Python
writer in ``exports.writers`` applies the identical rules to raw values.
"""

from django.db.models import Expression, F, TextField

from text.spreadsheet import DANGEROUS_FIRST_CHARS

# The formula rule of text.spreadsheet (DANGEROUS_FIRST_CHARS), in SQL.

ISO_DATETIME_PG = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'
ISO_DATETIME_SQLITE = "%Y-%m-%dT%H:%M:%SZ"


class _Wrapper(Expression):
    """An expression over one source expression, compiled once and spliced into a template."""

    output_field = TextField()

    def __init__(self, source):
        super().__init__(output_field=TextField())
        self.source = F(source) if isinstance(source, str) else source

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs):
        (self.source,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.is_summary = summarize
        clone.source = self.source.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone


def _sql_chars(connection) -> str:
    """``text.spreadsheet.DANGEROUS_FIRST_CHARS`` as SQL literals (control characters by code)."""
    code = "chr" if connection.vendor == "postgresql" else "char"
    return ", ".join(f"'{c}'" if c.isprintable() and c != "'" else f"{code}({ord(c)})" for c in DANGEROUS_FIRST_CHARS)


def neutralize_sql(sql: str, connection) -> str:
    """CASE expression of the formula rule (``text.spreadsheet``) over ``sql`` (which appears four times:
    keep it cheap)."""
    first = f"left({sql}, 1)" if connection.vendor == "postgresql" else f"substr({sql}, 1, 1)"
    return (
        f"CASE WHEN {sql} = '' THEN NULL WHEN {first} IN ({_sql_chars(connection)}) THEN '''' || {sql} ELSE {sql} END"
    )


class NeutralizedText(_Wrapper):
    """Empty text becomes NULL (an empty cell); a dangerous first character gets a leading apostrophe."""

    def as_sql(self, compiler, connection):
        if isinstance(self.source, JoinedNames):
            # Neutralize inside the subquery, so that it runs once per row and not four times.
            return self.source.as_sql(compiler, connection, neutralize=True)
        sql, params = compiler.compile(self.source)
        return neutralize_sql(sql, connection), (*params, *params, *params, *params)


class IsoDate(_Wrapper):
    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.source)
        if connection.vendor == "postgresql":
            return f"to_char({sql}, 'YYYY-MM-DD')", params
        return f"CAST({sql} AS TEXT)", params


class IsoDateTime(_Wrapper):
    """UTC, whole seconds: ``2024-05-01T12:34:56Z``."""

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.source)
        if connection.vendor == "postgresql":
            return f"to_char({sql} AT TIME ZONE 'UTC', %s)", (*params, ISO_DATETIME_PG)
        return f"strftime(%s, {sql})", (ISO_DATETIME_SQLITE, *params)


class SpanText(Expression):
    """``start-end`` of a nullable pair of offsets, or NULL."""

    output_field = TextField()

    def __init__(self, start, end):
        super().__init__(output_field=TextField())
        self.start, self.end = F(start), F(end)

    def get_source_expressions(self):
        return [self.start, self.end]

    def set_source_expressions(self, exprs):
        self.start, self.end = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.start = self.start.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone.end = self.end.resolve_expression(query, allow_joins, reuse, summarize, for_save)
        return clone

    def as_sql(self, compiler, connection):
        s_sql, s_params = compiler.compile(self.start)
        e_sql, e_params = compiler.compile(self.end)
        return (
            f"CASE WHEN {s_sql} IS NULL THEN NULL ELSE CAST({s_sql} AS TEXT) || '-' || CAST({e_sql} AS TEXT) END",
            (*s_params, *s_params, *e_params),
        )


class JoinedNames(_Wrapper):
    """``;``-joined names from a related table, in code-point order, by one correlated subquery per row.

    ``from_sql`` names the tables (aliased so they cannot clash with the outer query), ``name`` the
    joined column and ``key`` the column compared with the outer row's key; ``where`` adds a fixed
    condition with ``where_params``.
    """

    def __init__(self, outer_key, *, from_sql: str, name: str, key: str, where: str = "", where_params=()):
        super().__init__(outer_key)
        self.from_sql, self.name, self.key = from_sql, name, key
        self.where, self.where_params = where, tuple(where_params)

    def condition(self, outer_sql: str) -> str:
        return f"{self.key} = {outer_sql}" + (f" AND {self.where}" if self.where else "")

    def as_sql(self, compiler, connection, neutralize: bool = False):
        outer_sql, outer_params = compiler.compile(self.source)
        where = self.condition(outer_sql)
        params = (*outer_params, *self.where_params)
        if connection.vendor == "postgresql":
            # PostgreSQL computes identical aggregates of one SELECT once.
            agg = f"string_agg({self.name}, ';' ORDER BY {self.name} COLLATE \"C\")"
            value = neutralize_sql(agg, connection) if neutralize else agg
            return f"(SELECT {value} FROM {self.from_sql} WHERE {where})", params
        value = neutralize_sql("x_v", connection) if neutralize else "x_v"
        return (
            f"(SELECT {value} FROM (SELECT group_concat(x_name, ';') AS x_v FROM (SELECT {self.name} AS x_name "
            f"FROM {self.from_sql} WHERE {where} ORDER BY {self.name})))",
            params,
        )


def tags_of(model, outer_key: str = "pk"):
    """The taggit tags of each row of ``model``."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    return JoinedNames(
        outer_key,
        from_sql="taggit_taggeditem x_ti INNER JOIN taggit_tag x_t ON x_t.id = x_ti.tag_id",
        name="x_t.name",
        key="x_ti.object_id",
        where="x_ti.content_type_id = %s",
        where_params=(content_type.pk,),
    )


def aliases_of(outer_key: str = "pk"):
    from corpus.models import SpeakerAlias

    return JoinedNames(outer_key, from_sql=f"{SpeakerAlias._meta.db_table} x_a", name="x_a.alias", key="x_a.speaker_id")


class ClusterSpeakers(JoinedNames):
    """The names of the speakers a cluster's quotes are attributed to, each once (clusters.csv)."""

    def __init__(self, outer_key: str = "pk"):
        super().__init__(outer_key, from_sql="corpus_speaker x_s", name="x_s.name", key="x_s.id")

    def condition(self, outer_sql: str) -> str:
        from annotations.models import Quote
        from clusters.models import ClusterMember

        return (
            f"x_s.id IN (SELECT x_q.speaker_id FROM {ClusterMember._meta.db_table} x_m INNER JOIN "
            f"{Quote._meta.db_table} x_q ON x_q.id = x_m.quote_id WHERE x_m.cluster_id = {outer_sql})"
        )
