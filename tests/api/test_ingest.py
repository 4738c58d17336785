"""POST /api/v1/articles/import: the import page's formats and checks, for editors; the report as JSON,
413 for a file over the limit, 422 with problem details for one that does not import (nothing written)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Quote, Status
from corpus.models import Article, Speaker
from tests.api.conftest import API, assert_problem

pytestmark = pytest.mark.django_db

URL = API + "articles/import"


@pytest.fixture
def editor(client, editor_user):
    client.force_login(editor_user)
    return client


def _jsonl(*rows):
    return "\n".join(json.dumps(r) for r in rows).encode()


def _upload(client, *files, **fields):
    return client.post(URL, {"files": list(files), **fields})


def test_import_answers_the_report(editor):
    old = Article.objects.create(title="Old", slug="old", body="Old body", url="https://n.test/old")
    data = _jsonl(
        {"title": "<b>New</b>", "body": "B <i>1</i>", "tags": ["x"]},
        {"title": "Dup", "body": "x", "url": "https://n.test/old"},
    )
    response = _upload(editor, SimpleUploadedFile("a.jsonl", data))
    assert response.status_code == 200, response.content
    body = response.json()
    new = Article.objects.get(title="<b>New</b>")
    assert (body["created"], body["skipped"], body["quotes"], body["mentions"]) == (1, 1, 0, 0)
    (report,) = body["reports"]
    assert report["source"] == "a.jsonl" and report["format"] == "jsonl" and report["ok"] is True
    assert report["created"] == [{"line": 1, "title": "<b>New</b>", "article_id": new.pk, "reason": ""}]
    assert report["skipped"][0]["article_id"] == old.pk and "same URL" in report["skipped"][0]["reason"]
    assert report["errors"] == [] and "1 article(s) created" in report["summary"]
    assert new.body == "B <i>1</i>" and list(new.tags.names()) == ["x"]


def test_brat_pair_belongs_to_the_caller(editor, editor_user):
    files = [
        SimpleUploadedFile("n.txt", "Hi, “Go,” Ann said.".encode()),
        SimpleUploadedFile("n.ann", b"T1\tQuote 5 7\tGo\nT2\tPERSON 10 13\tAnn\nR1\tSpeaker Arg1:T1 Arg2:T2\n"),
    ]
    body = _upload(editor, *files, status="submitted").json()
    assert body["created"] == 1 and body["quotes"] == 1 and body["reports"][0]["format"] == "brat"
    quote = Quote.objects.get()
    assert (quote.annotator, quote.status, quote.speaker.name) == (editor_user, Status.SUBMITTED, "Ann")


def test_a_bad_file_is_a_422_with_line_numbers_and_nothing_is_written(editor):
    good = SimpleUploadedFile("good.jsonl", _jsonl({"title": "Fine", "body": "Fine body"}))
    bad = SimpleUploadedFile("a.csv", b"title,body,published\nA,ok,2024-01-01\nB,ok,31/12/2024\n")
    body = assert_problem(_upload(editor, good, bad), 422)
    assert "a.csv" in body["errors"] and any("line 3" in m and "YYYY-MM-DD" in m for m in body["errors"]["a.csv"])
    assert "nothing was imported" in body["detail"]
    reports = {r["source"]: r for r in body["reports"]}
    assert reports["a.csv"]["ok"] is False and reports["good.jsonl"]["created"] == []
    assert not Article.objects.exists()  # not even the good file's article


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("a.txt", "Titre\n\nÉté".encode("cp1252"), "is not UTF-8 text"),
        ("a.txt", b"Title\n\nA NUL \x00 here", "NUL"),
        ("a.jsonl", b'{"title": "T", "body": "lone \\ud800"}', "surrogate"),
        ("a.jsonl", b'{"title": "T", "body": "nul \\u0000"}', "NUL"),
        ("a.jsonl", b"{not json", "line 1"),
        ("a.bin", b"\x89PNG\r\n", ""),
        ("a.txt", b"   \n\n", ""),
    ],
)
def test_malformed_files_are_refused_with_nothing_written(editor, name, data, words):
    body = assert_problem(_upload(editor, SimpleUploadedFile(name, data)), 422)
    assert words in " ".join(body["errors"][name])
    assert not Article.objects.exists()


def test_an_oversized_file_is_a_413(editor, settings):
    settings.IMPORT_MAX_BYTES = 100
    body = assert_problem(_upload(editor, SimpleUploadedFile("big.txt", b"T\n\n" + b"x" * 200)), 413)
    assert "over the import limit of 100 bytes" in body["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"format": "docx"}, "format"), ({"status": "accepted"}, "status")],
)
def test_bad_form_fields_are_422(editor, fields, field):
    upload = SimpleUploadedFile("a.jsonl", _jsonl({"title": "T", "body": "B"}))
    body = assert_problem(_upload(editor, upload, **fields), 422)
    assert field in body["errors"]
    assert not Article.objects.exists()


def test_no_file_is_a_422(editor):
    body = assert_problem(editor.post(URL, {"format": "txt"}), 422)
    assert "files" in body["errors"]
    body = assert_problem(editor.post(URL, {"title": "x"}, content_type="application/json"), 422)
    assert not Article.objects.exists() and not Speaker.objects.exists()


def test_nul_in_a_form_field_is_refused(editor):
    upload = SimpleUploadedFile("a.jsonl", _jsonl({"title": "T", "body": "B"}))
    body = assert_problem(_upload(editor, upload, format="txt\x00"), 400)
    assert "NUL" in body["detail"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("rows", [2, 200])
def test_import_runs_a_bounded_number_of_queries(editor, rows, django_assert_max_num_queries):
    data = _jsonl(*({"title": f"T{i}", "body": f"B{i}", "tags": ["a"]} for i in range(rows)))
    with django_assert_max_num_queries(25):
        response = _upload(editor, SimpleUploadedFile("a.jsonl", data))
    assert response.status_code == 200 and response.json()["created"] == rows == Article.objects.count()
