"""The PostgreSQL path: COPY through psycopg 3, neutralized in the SELECT, streamed in chunks."""

import pytest
from django.db import connection

from accounts.roles import Role
from exports import writers
from exports.codebook import EXPORT_FILES
from exports.writers import copy_sql, csv_bytes, csv_chunks, export_queryset
from tests import factories
from tests.api.conftest import curated_quote

pytestmark = pytest.mark.postgres


def test_default_engine_is_copy():
    assert connection.vendor == "postgresql"
    assert writers.default_engine() == "copy"


@pytest.mark.parametrize("slug", sorted(EXPORT_FILES))
def test_copy_gives_the_python_paths_bytes(tricky, slug):
    export = EXPORT_FILES[slug]
    copy = csv_bytes(export, {"status": "all"}, engine="copy")
    assert copy == csv_bytes(export, {"status": "all"}, engine="python")


def test_copy_statement_is_built_from_the_filter_sql(tricky):
    qs = export_queryset(EXPORT_FILES["quotes"], {"speaker": tricky["zoe"].pk, "q": "tokyo"})
    statement = copy_sql(EXPORT_FILES["quotes"], qs)
    assert statement.startswith("COPY (SELECT ") and statement.endswith("TO STDOUT WITH (FORMAT csv, HEADER false)")
    assert "CASE WHEN" in statement and "string_agg" in statement
    # The filter's own conditions, bound: the speaker and the text search.
    assert f'"annotations_quote"."speaker_id" = {tricky["zoe"].pk}' in statement
    # a rare word: its quotes come by id from the text index (corpus.search.matching_ids)
    assert '"annotations_quote"."id" IN (' in statement


def test_copy_chunks_are_batched_and_end_in_crlf(tricky, monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_BYTES", 10)
    export = EXPORT_FILES["quotes"]
    chunks = list(csv_chunks(export, export_queryset(export, {"status": "all"})))
    assert len(chunks) == 4  # header, then one chunk per row at this tiny chunk size
    assert all(c.endswith(b"\r\n") for c in chunks)


def test_abandoned_stream_cancels_the_copy_and_leaves_the_connection_usable(tricky, monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_BYTES", 10)
    export = EXPORT_FILES["quotes"]
    stream = csv_chunks(export, export_queryset(export, {"status": "all"}))
    next(stream)  # the header
    next(stream)  # the first row: the COPY is running
    stream.close()  # what the server does when the client disconnects
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.parametrize("slug", sorted(EXPORT_FILES))
def test_key_ranges_give_the_same_bytes_as_one_copy(tricky, slug, monkeypatch):
    export = EXPORT_FILES[slug]
    whole = csv_bytes(export, {"status": "all"}, engine="python")
    # Ranges one key wide: every row in a COPY of its own, and many empty ones between.
    monkeypatch.setattr(writers, "KEY_RANGE_FIRST", 10**9)
    monkeypatch.setattr(writers, "KEY_RANGE_LAST", 10**9)
    assert csv_bytes(export, {"status": "all"}, engine="copy") == whole


@pytest.mark.parametrize("slug", sorted(EXPORT_FILES))
def test_one_copy_without_key_ranges_gives_the_same_bytes(tricky, slug, monkeypatch):
    export = EXPORT_FILES[slug]
    qs = export_queryset(export, {"status": "all"})
    monkeypatch.setattr(writers, "KEY_RANGE_FIRST", 10**9)  # many ranges, unless ranges=False
    monkeypatch.setattr(writers, "KEY_RANGE_LAST", 10**9)
    copies = []
    real_copy_sql = writers.copy_sql
    monkeypatch.setattr(writers, "copy_sql", lambda *args: copies.append(1) or real_copy_sql(*args))
    whole = b"".join(csv_chunks(export, qs, ranges=False))
    assert len(copies) == 1
    assert whole == csv_bytes(export, {"status": "all"}, engine="python")


def test_key_ranges_cover_the_leading_key_in_order_and_nothing_twice(tricky, monkeypatch):
    editor = factories.UserFactory(roles=[Role.EDITOR])
    for _ in range(6):
        curated_quote(editor=editor, annotator_user=factories.annotator(), article=factories.ArticleFactory())
    monkeypatch.setattr(writers, "KEY_RANGE_FIRST", 8)
    monkeypatch.setattr(writers, "KEY_RANGE_LAST", 2)
    qs = export_queryset(EXPORT_FILES["quotes"], {"status": "all"})
    parts = list(writers.key_ranges(qs))
    assert len(parts) > 1
    ids = [pk for part in parts for pk in part.values_list("pk", flat=True)]
    assert ids == list(qs.values_list("pk", flat=True))


def test_an_export_sorted_by_a_name_is_one_range(tricky):
    qs = export_queryset(EXPORT_FILES["quotes"], {"status": "all", "sort": "speaker"})
    assert len(list(writers.key_ranges(qs))) == 1
