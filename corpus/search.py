"""Word-prefix text search, the same results on PostgreSQL and SQLite.

The one search of the project: the quote filter's ``q`` (annotations.filters) and the research
article search both call :func:`search_q`.

Semantics (both backends honour them exactly):

* Text is split into *words*: maximal runs of letters and digits (Unicode). Everything else (spaces,
  punctuation, apostrophes, hyphens, underscores, dashes, quotation marks) separates words.
* The query is split the same way. A row matches when **every** query word is the beginning of some
  word of the row's text, case-insensitively. Word order does not matter. There is no stemming and
  no accent folding: ``act`` finds "act", "acts", "acting", "Action"; ``acted`` does not find
  "acting"; ``Jose`` does not find "José"; ``don't`` is the two words ``don`` and ``t``.
* With several fields (article title and body), the fields are read as one text with a space
  between them.

PostgreSQL: ``to_tsvector('simple', regexp_replace(field, '[^[:alnum:]]+', ' ', 'g'))`` matched with
``to_tsquery('simple', 'word1:* & word2:*')``. The ``regexp_replace`` leaves only runs of letters
and digits, so PostgreSQL's parser cannot read "3.5", "U.S." or "/usr/bin" as single tokens, and
the ``simple`` configuration neither stems nor drops stop words. GIN indexes on exactly these
expressions (migration ``research.0001``) serve the searches. This needs a database with a UTF-8
locale (``C.UTF-8``, ``en_US.UTF-8``, ...): under the plain ``C`` locale ``[:alnum:]`` is ASCII-only.

SQLite: one case-insensitive regular expression per word and field,
``(?<![^\\W_])word`` ("word", not preceded by a letter or digit), evaluated by Django's Python
``REGEXP`` function. No index; fine for the development databases SQLite is used for.
"""

import json
import re
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from django.db import connections, transaction
from django.db.models import BooleanField, Func, Q, TextField, Value

WORD_RE = re.compile(r"[^\W_]+")
MAX_WORDS = 16
MAX_WORD_LENGTH = 64

# The normalisation PostgreSQL applies before its parser; an index must use the very same text.
PG_NORMALIZE = "regexp_replace({}, '[^[:alnum:]]+', ' ', 'g')"
PG_VECTOR = "to_tsvector('simple'::regconfig, " + PG_NORMALIZE + ")"


def query_words(query: str | None) -> list[str]:
    """The words of a query: runs of letters and digits, at most MAX_WORDS of MAX_WORD_LENGTH each."""
    words: list[str] = []
    for word in WORD_RE.findall(query or ""):
        word = word[:MAX_WORD_LENGTH]
        if word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    return words[:MAX_WORDS]


def word_pattern(word: str) -> str:
    """Python regular expression for one query word as a word prefix (used on SQLite and for snippets)."""
    return r"(?<![^\W_])" + re.escape(word)


class _SimpleWordsVector(Func):
    """tsvector of the fields' words (joined by a space), in the exact form the GIN indexes use."""

    arg_joiner = " || ' ' || "
    template = PG_VECTOR.format("%(expressions)s")
    output_field = TextField()


class _PrefixQuery(Func):
    function = "to_tsquery"
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = TextField()


class _Matches(Func):
    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def search_q(fields: Sequence[str], query: str | None, *, using: str = "default") -> Q:
    """A ``Q`` for rows whose ``fields`` contain every word of ``query`` (see the module docstring).

    An empty query (no letters or digits) gives an empty ``Q()``, which filters nothing out.
    ``using`` names the database the queryset will run on (``queryset.db``).
    """
    words = query_words(query)
    if not words:
        return Q()
    if connections[using].vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        vector = _SimpleWordsVector(*fields) if len(fields) > 1 else _SimpleWordsVector(fields[0])
        return Q(_Matches(vector, _PrefixQuery(Value(tsquery))))
    condition = Q()
    for word in words:
        pattern = word_pattern(word)
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__iregex": pattern})
        condition &= any_field
    return condition


PROBE_SETTINGS = ("enable_seqscan", "enable_indexscan")
PROBE_SQL = "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in PROBE_SETTINGS)


# A word the planner expects in more than this many times ``cap`` rows is not probed: the probe would
# read every match from the index (a million at a million quotes) only to find more than ``cap``.
COMMON_FACTOR = 20


def estimated_rows(queryset: Any) -> int:
    """The planner's estimate of the rows ``queryset`` returns (PostgreSQL; planning only, nothing is read).

    For a word-prefix search it comes from the statistics ANALYZE keeps on the GIN index's expression
    (its most common words and their frequencies): close for a common word, at most 0.5% of the rows for
    a word that is not among them."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def matching_ids(queryset: Any, fields: Sequence[str], query: str | None, *, cap: int) -> list[int] | None:
    """The ids of the rows of ``queryset`` matching ``query``, read from the GIN index, when there are at
    most ``cap`` of them; None when there are more (a common word), or on SQLite (no index).

    PostgreSQL cannot tell from its estimate how a rare word's matches lie in page order, and may walk a
    big table in that order computing every row's words, looking for a rare word (34 s at 1M quotes).
    Here the index alone answers (plain and ordered scans are switched off for this one statement), and
    stops at ``cap + 1``. A word the planner expects in more than ``COMMON_FACTOR * cap`` rows is not
    probed (None at once): a bitmap of its matches grows with the corpus (180 ms for a word in every
    quote at 1M quotes), while a walk in page order finds a common word's page in a few rows.
    """
    words = query_words(query)
    db = queryset.db
    if not words or connections[db].vendor != "postgresql":
        return None
    matches = queryset.filter(search_q(fields, query, using=db)).order_by().values_list("pk", flat=True)
    if estimated_rows(matches) > COMMON_FACTOR * cap:
        return None
    rows = matches[: cap + 1]
    connection = connections[db]
    # set_config(..., is_local=true) lasts to the end of the transaction: open one if none is open, and
    # set the planner back afterwards for whatever else that transaction runs.
    scope = nullcontext() if connection.in_atomic_block else transaction.atomic(using=db)
    with scope, connection.cursor() as cursor:
        cursor.execute(PROBE_SQL, ["off"] * len(PROBE_SETTINGS))
        try:
            ids = list(rows)
        finally:
            cursor.execute(PROBE_SQL, ["on"] * len(PROBE_SETTINGS))
    return ids if len(ids) <= cap else None


def search(queryset, fields: Sequence[str], query: str | None):
    """``queryset`` narrowed to the rows matching ``query`` in ``fields``."""
    condition = search_q(fields, query, using=queryset.db)
    return queryset.filter(condition) if condition else queryset


def matches(text: str, query: str | None) -> bool:
    """Whether ``text`` holds every word of ``query`` as a word start: ``search_q``'s rule in Python
    (e.g. which alias of a found speaker matched). A query without words matches nothing."""
    words = query_words(query)
    return bool(words) and all(re.search(word_pattern(w), text, flags=re.IGNORECASE) for w in words)


def first_match(text: str, query: str | None) -> tuple[int, int] | None:
    """Offsets (code points) of the earliest query word in ``text``, for snippets; None if absent."""
    best: tuple[int, int] | None = None
    for word in query_words(query):
        match = re.search(word_pattern(word), text, flags=re.IGNORECASE)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.end())
    return best
