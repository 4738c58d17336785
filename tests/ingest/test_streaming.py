"""The streaming article import: a file read a piece at a time and written a batch at a time gives
the same report as the same bytes read whole, rolls everything back on any error, and costs a fixed
number of queries per batch."""

import io
import json
import math
import pathlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from corpus.models import Article
from ingest import services
from tests.factories import ArticleFactory


def jsonl(*rows) -> bytes:
    return ("\n".join(json.dumps(r) for r in rows) + "\n").encode()


def outcome(report: services.ImportReport):
    """A report without the new articles' ids (they differ from run to run)."""
    return (
        report.format,
        [(r.line, r.title) for r in report.created],
        [(r.line, r.title, r.article_id, r.reason) for r in report.skipped],
        report.errors,
        report.warnings,
    )


class _Undo(Exception):
    pass


def run_and_undo(**kwargs):
    """Import, note the report and the articles written, then roll it all back."""
    seen = {}
    try:
        with transaction.atomic():
            report = services.import_article_file(**kwargs)
            seen["report"] = report
            seen["articles"] = sorted(Article.objects.values_list("title", "body", "url", "slug"))
            seen["tags"] = sorted(TaggedItem.objects.values_list("object_id", "tag__name"))
            raise _Undo
    except _Undo:
        pass
    return seen


TRICKY = [
    # BOM, CRLF and a lone CR, blank lines, an unknown field, repeats inside the file and of the corpus
    (
        "a.jsonl",
        "\ufeff"
        + "\r\n".join(
            [
                json.dumps({"title": "One", "body": "Body one", "url": "https://s.test/1", "tags": ["A", "b"]}),
                "",
                json.dumps({"title": "Old URL", "body": "new text", "url": "https://s.test/old"}),
                json.dumps({"title": "Old text", "body": "Old body."}),
                json.dumps({"title": "Two", "body": "Body two", "extra": 1, "tags": "a, c"}),
                json.dumps({"title": "One again", "body": "Body one"}),
                json.dumps({"title": "URL again", "body": "other", "url": "https://s.test/1"}),
                json.dumps({"title": "One", "body": "Body three“”"}),
            ]
        )
        + "\r"
        + json.dumps({"title": "Last", "body": "Last body\r\n\r\n"}),
    ),
    # a CSV with cells over several lines, a blank row, an HTML and a formula payload (stored as text)
    (
        "b.csv",
        'title,body,url,tags\r\n"<b>Bold</b>","line 1\r\nline 2",https://s.test/c1,x;y\r\n\r\n'
        '"=HYPERLINK(""http://evil.test"")","+1 -1 @x",,\nOld text,Old body.,,\n"Multi","a\nb\nc",,x\n',
    ),
    # errors: every one is listed, nothing is written
    (
        "c.jsonl",
        "\n".join(
            [
                json.dumps({"title": "Fine", "body": "x"}),
                json.dumps({"title": "", "body": "no title"}),
                '{"title": "broken"',
                json.dumps({"title": "Fine 2", "body": "y"}),
                json.dumps({"title": "T", "body": "b", "published": "31/12/2024"}),
                json.dumps({"title": "T", "body": "nul \u0000"}),
            ]
        ),
    ),
    # validation errors (after the parse): listed with the duplicates found, nothing written
    (
        "d.jsonl",
        "\n".join(
            [
                json.dumps({"title": "A", "body": "a", "url": "https://s.test/a"}),
                json.dumps({"title": "B", "body": "b", "url": "not a url"}),
                json.dumps({"title": "Old text", "body": "Old body."}),
                json.dumps({"title": "C" * 501, "body": "c"}),
            ]
        ),
    ),
    ("e.csv", "title,body\nA,ok\nB,ok\n,missing title\nC,\n"),
    ("f.jsonl", "\n \n"),
    ("g.txt", "Title\r\n\r\nThe body.\r\n"),
    ("pasted", '{"title": "No name", "body": "told from the text"}'),
    ("pasted", "title,body\nA,b\n"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, text", TRICKY)
def test_stream_in_small_batches_gives_the_report_of_the_whole_file(name, text):
    ArticleFactory(title="Old", url="https://s.test/old", body="Old body.")
    data = text.encode("utf-8", "surrogatepass")
    whole = run_and_undo(data=data, name=name, batch_size=10_000)
    for batch_size in (1, 2, 3):
        streamed = run_and_undo(data=io.BytesIO(data), name=name, batch_size=batch_size)
        assert outcome(streamed["report"]) == outcome(whole["report"]), batch_size
        assert streamed["articles"] == whole["articles"]
        assert [t for _, t in streamed["tags"]] == [t for _, t in whole["tags"]]


@pytest.mark.django_db
def test_tricky_jsonl_report_in_detail():
    ArticleFactory(title="Old", url="https://s.test/old", body="Old body.")
    old = Article.objects.get()
    name, text = TRICKY[0]
    report = services.import_article_file(data=io.BytesIO(text.encode()), name=name, batch_size=2)
    assert report.ok, report.errors
    assert [(r.line, r.title) for r in report.created] == [(1, "One"), (5, "Two"), (8, "One"), (9, "Last")]
    assert [(r.line, r.article_id, r.reason) for r in report.skipped] == [
        (3, old.pk, f"same URL as article #{old.pk} “Old”"),
        (4, old.pk, f"same text as article #{old.pk} “Old”"),
        (6, None, "same text as line 1 of this file"),  # line 1 was written in an earlier batch
        (7, None, "same URL as line 1 of this file"),
    ]
    assert [p.message for p in report.warnings] == ["Ignored unknown field(s): extra."]
    assert Article.objects.get(title="Last").body == "Last body"
    assert sorted(Article.objects.filter(title="One").values_list("slug", flat=True)) == ["one", "one-2"]
    assert sorted(t.name for t in Article.objects.get(title="Two").tags.all()) == ["A", "c"]
    assert Tag.objects.filter(name__iexact="a").count() == 1


@pytest.mark.django_db
def test_html_and_formula_payloads_are_stored_as_the_text_they_are():
    name, text = TRICKY[1]
    report = services.import_article_file(data=text.encode(), name=name, batch_size=1)
    assert report.ok, report.errors
    assert Article.objects.get(title="<b>Bold</b>").body == "line 1\nline 2"
    assert Article.objects.get(title='=HYPERLINK("http://evil.test")').body == "+1 -1 @x"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tail, message",
    [
        (json.dumps({"title": "Bad", "body": "x", "published": "yesterday"}) + "\n", "line 7: the date 'yesterday'"),
        ('{"title": "Bad"\n', "line 7: not valid JSON"),
        (json.dumps({"title": "Bad", "body": "x", "url": "nope"}) + "\n", "line 7: url: Enter a valid URL."),
        ('{"title": "Bad", "body": "x\\ud800"}\n', "line 7: the field “body” holds a lone surrogate"),
        ('{"title": "Bad", "body": "\xff"}\n', "not UTF-8 text: byte 0xFF on line 7"),
        ('{"title": "Bad", "body": "\x00"}\n', "NUL byte (0x00) on line 7"),
    ],
)
def test_a_bad_record_at_the_end_rolls_back_every_batch_before_it(tail, message):
    rows = [{"title": f"T{i}", "body": f"Body {i}", "tags": ["keep"]} for i in range(6)]
    data = jsonl(*rows) + tail.encode("latin-1" if "\xff" in tail else "utf-8", "surrogatepass")
    report = services.import_article_file(data=io.BytesIO(data), name="late.jsonl", batch_size=2)
    assert not report.ok and not report.created
    assert message in " ".join(str(p) for p in report.errors)
    assert Article.objects.count() == 0 and Tag.objects.count() == 0 and TaggedItem.objects.count() == 0


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused_before_anything_is_written():
    data = jsonl(*[{"title": f"T{i}", "body": f"B{i}"} for i in range(20)])
    with override_settings(IMPORT_MAX_BYTES=len(data) - 1):
        report = services.import_article_file(data=io.BytesIO(data), name="big.jsonl", batch_size=2)

        class Unseekable(io.RawIOBase):  # size unknown: refused while reading, after batches were written
            def __init__(self):
                self.inner = io.BytesIO(data)

            def readable(self):
                return True

            def readinto(self, buffer):
                return self.inner.readinto(buffer)

        unsized = services.import_article_file(data=io.BufferedReader(Unseekable(), 16), name="u.jsonl", batch_size=2)
    assert "over the import limit" in report.errors[0].message and f"is {len(data):,} bytes" in report.errors[0].message
    assert "over the import limit" in unsized.errors[0].message and not unsized.created
    assert Article.objects.count() == 0


PER_BATCH = 6  # URLs, body hashes, slugs, insert, tag names not seen yet, tag links
SETUP = 20  # savepoints, the content type, and the new tag names (a few queries each, once per import)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 100])
def test_queries_per_batch_are_bounded(count, django_assert_max_num_queries):
    batch_size = 5
    rows = [
        {"title": f"T{i}", "body": f"Body {i}", "url": f"https://q.test/{i}", "tags": ["a", f"t{i % 3}"]}
        for i in range(count)
    ]
    with django_assert_max_num_queries(PER_BATCH * math.ceil(count / batch_size) + SETUP):
        report = services.import_article_file(data=jsonl(*rows), name="q.jsonl", batch_size=batch_size)
    assert len(report.created) == count
    assert Article.objects.filter(tags__name="t1").count() == len(range(1, count, 3))
    # the re-import (every article a duplicate) costs the two lookups per batch and nothing per article
    with django_assert_max_num_queries(2 * math.ceil(count / batch_size) + 4):
        again = services.import_article_file(data=jsonl(*rows), name="q.jsonl", batch_size=batch_size)
    assert len(again.skipped) == count and not again.created


@pytest.mark.django_db
def test_command_streams_the_file_from_disk(tmp_path, monkeypatch, capsys):
    path = tmp_path / "a.csv"
    path.write_text("title,body\n" + "".join(f"T{i},Body {i}\n" for i in range(5)), encoding="utf-8")

    def whole_file(self):
        raise AssertionError("the command must not read the whole file")

    monkeypatch.setattr(pathlib.Path, "read_bytes", whole_file)
    call_command("import_articles", str(path))
    assert Article.objects.count() == 5 and "5 article(s) created" in capsys.readouterr().out


@pytest.mark.django_db
@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=100)
def test_an_upload_on_disk_is_streamed_by_the_page(client_for, editor_user):
    """Past FILE_UPLOAD_MAX_MEMORY_SIZE Django keeps the upload in a temporary file; the page reads it in pieces."""
    rows = [{"title": f"Up {i}", "body": f"Uploaded body {i} " * 5} for i in range(30)]
    upload = SimpleUploadedFile("up.jsonl", jsonl(*rows))
    response = client_for(editor_user).post(reverse("ingest:index"), {"files": [upload], "status": "draft"})
    assert response.status_code == 200
    assert Article.objects.filter(title__startswith="Up ").count() == 30


@pytest.mark.django_db
def test_the_duplicate_lookups_have_their_indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    indexed = {tuple(c["columns"]) for c in constraints.values() if c["index"] or c["unique"]}
    assert {("body_hash",), ("url",), ("slug",)} <= indexed


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.parametrize("field_name, index", [("url", "article_url_unique_when_set"), ("body_hash", "body_hash")])
def test_postgresql_can_serve_a_batch_lookup_from_the_index(field_name, index):
    """A thousand values in the IN list: the partial unique index on url is usable only when the query
    states its condition (url <> ''); with sequential scans off the plan shows which index serves it."""
    from django.db import connection

    values = [f"https://i.test/{i}" if field_name == "url" else f"{i:064x}" for i in range(1000)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = services._lookup(field_name, values).order_by().explain()  # the WHERE clause alone
    assert index in plan and "Seq Scan" not in plan, plan
