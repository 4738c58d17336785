import json

import pytest
from django.test import override_settings
from taggit.models import Tag

from corpus.models import Article
from corpus.text import body_hash
from ingest import services
from tests.factories import ArticleFactory


def jsonl(*rows) -> bytes:
    return "\n".join(json.dumps(r) for r in rows).encode()


@pytest.mark.django_db
def test_jsonl_import_creates_articles_with_all_fields_and_tags():
    data = jsonl(
        {
            "title": "First",
            "body": "Body one.\r\nLine two.",
            "url": "https://n.test/1",
            "outlet": "Daily",
            "published": "2024-05-01",
            "byline": "By A",
            "dateline": "PARIS",
            "language": "fr",
            "tags": ["Politics", "eu"],
        },
        {"title": "Second", "body": "Body two.", "tags": ["politics"]},
    )
    report = services.import_article_file(data=data, name="a.jsonl")
    assert report.ok, report.errors
    assert [r.line for r in report.created] == [1, 2]
    first = Article.objects.get(title="First")
    assert first.body == "Body one.\nLine two."
    assert first.body_hash == body_hash(first.body)
    assert (first.outlet, first.byline, first.dateline, first.language, str(first.published)) == (
        "Daily",
        "By A",
        "PARIS",
        "fr",
        "2024-05-01",
    )
    assert sorted(t.name for t in first.tags.all()) == ["Politics", "eu"]
    assert [t.name for t in Article.objects.get(title="Second").tags.all()] == ["Politics"]
    assert Tag.objects.filter(name__iexact="politics").count() == 1


@pytest.mark.django_db
def test_txt_and_csv_imports():
    report = services.import_article_file(data="<b>Bold</b> title\n\nThe “body”.\n".encode(), name="x.txt")
    assert report.ok and Article.objects.get(title="<b>Bold</b> title").body == "The “body”."
    report = services.import_article_file(
        data=b"title,body,url\nC1,Text one,https://c.test/1\nC2,Text two,\n", name="c.csv"
    )
    assert [r.line for r in report.created] == [2, 3]
    assert Article.objects.filter(title__in=["C1", "C2"]).count() == 2


@pytest.mark.django_db
def test_duplicates_by_url_and_body_are_skipped_and_reported():
    existing = ArticleFactory(url="https://n.test/old", body="Old body.")
    data = jsonl(
        {"title": "Same URL", "body": "New body", "url": "https://n.test/old"},
        {"title": "Same body", "body": "Old body."},
        {"title": "Fresh", "body": "Fresh body", "url": "https://n.test/new"},
        {"title": "Fresh again", "body": "Other", "url": "https://n.test/new"},
        {"title": "Body again", "body": "Fresh body"},
    )
    report = services.import_article_file(data=data, name="d.jsonl")
    assert report.ok
    assert [r.title for r in report.created] == ["Fresh"]
    assert [(r.line, r.article_id) for r in report.skipped] == [
        (1, existing.pk),
        (2, existing.pk),
        (4, None),
        (5, None),
    ]
    assert "same URL as article" in report.skipped[0].reason
    assert "same text as line 3" in report.skipped[3].reason
    assert Article.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, name, message",
    [
        ("T\n\nCaf\xe9".encode("latin-1"), "bad.txt", "not UTF-8"),
        (jsonl({"title": "ok", "body": "x"}, {"title": "T", "body": ""}), "a.jsonl", "body is empty"),
        (jsonl({"title": "ok", "body": "x"}, {"body": "no title"}), "a.jsonl", "title is missing"),
        (
            jsonl({"title": "ok", "body": "x"}, {"title": "T", "body": "b", "published": "yesterday"}),
            "a.jsonl",
            "not a date",
        ),
        (jsonl({"title": "ok", "body": "x"}, {"title": "T", "body": "b", "url": "not a url"}), "a.jsonl", "URL"),
        (jsonl({"title": "ok", "body": "x"}, {"title": "T" * 501, "body": "b"}), "a.jsonl", "title"),
        (b"title,body\nA,\n", "a.csv", "body is empty"),
        (b"", "empty.txt", "empty"),
    ],
)
def test_bad_files_import_nothing_with_a_clear_message(data, name, message):
    report = services.import_article_file(data=data, name=name)
    assert not report.ok and not report.created
    assert message in " ".join(p.message for p in report.errors)
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_oversized_file_is_refused():
    with override_settings(IMPORT_MAX_BYTES=50):
        report = services.import_article_file(data=b"T\n\n" + b"x" * 60, name="big.txt")
    assert "over the import limit of 50 bytes" in report.errors[0].message
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_slugs_stay_unique_across_file_and_table():
    ArticleFactory(title="Same", slug="same")
    ArticleFactory(title="Same", slug="same-2")
    report = services.import_article_file(
        data=jsonl(*[{"title": "Same", "body": f"b{i}"} for i in range(3)]), name="s.jsonl"
    )
    assert report.ok
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["same", "same-2", "same-3", "same-4", "same-5"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 300])
def test_bulk_import_runs_a_bounded_number_of_queries(count, django_assert_max_num_queries):
    rows = [
        {"title": f"T{i}", "body": f"Body {i}", "url": f"https://b.test/{i}", "tags": ["a", f"t{i % 3}"]}
        for i in range(count)
    ]
    records = services.parsers.parse_jsonl(jsonl(*rows).decode()).records
    # Lookups, slugs, 4 new tags and the inserts: batches of 500, whatever the number of articles; the
    # new articles' stats rows (research.ArticleStats: one upsert, that SQLite splits at 999 variables).
    with django_assert_max_num_queries(28):
        report = services.articles_import(records=records)
    assert len(report.created) == count
    assert Article.objects.filter(tags__name="t1").count() == len(range(1, count, 3))


@pytest.mark.django_db
def test_import_submission_auto_detects_formats():
    reports = services.import_submission(
        files=[("a.txt", b"Title A\n\nBody A"), ("b.csv", b"title,body\nB,Body B\n")],
        pasted='{"title": "P", "body": "Pasted"}',
    )
    assert [(r.format, len(r.created)) for r in reports] == [("txt", 1), ("csv", 1), ("jsonl", 1)]


@pytest.mark.django_db
def test_pasted_text_with_brat_format_explains_what_brat_needs(annotator_user):
    [report] = services.import_submission(files=[], pasted="Some text", fmt="brat", annotator=annotator_user)
    assert not report.ok and "needs a .txt file with its .ann" in report.errors[0].message


@pytest.mark.django_db
def test_auto_detection_sends_span_labelled_jsonl_to_doccano(annotator_user):
    line = json.dumps({"text": "Ann said hello.", "label": [[0, 3, "PERSON"]]})
    [report] = services.import_submission(files=[("d.jsonl", line.encode())], annotator=annotator_user)
    assert (report.format, report.mentions) == ("doccano", 1)
