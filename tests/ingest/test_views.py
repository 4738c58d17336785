import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Quote, Status
from corpus.models import Article
from tests.factories import SpeakerFactory, make_mention, make_quote

INDEX = reverse("ingest:index")
EXPORT = reverse("ingest:brat_export")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, allowed",
    [
        (INDEX, {"editor", "admin"}),
        (EXPORT, {"editor", "researcher", "admin"}),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_permission_matrix(role_users, client_for, url, allowed, method):
    for role, user in role_users.items():
        response = getattr(client_for(user), method)(url)
        if user is None:
            assert response.status_code == 302 and "/login/" in response["Location"], role
        elif method == "post" and url == EXPORT:
            assert response.status_code == 405, role  # a download: it takes no writes
        elif role in allowed:
            assert response.status_code == 200, role
        else:
            assert response.status_code == 403, role


@pytest.mark.django_db
def test_upload_reports_created_and_skipped_escaping_html(client_for, editor_user):
    Article.objects.create(title="Old", slug="old", body="Old body", url="https://n.test/old")
    rows = [
        {"title": "<script>alert(1)</script>", "body": "B <i>1</i>"},
        {"title": "Dup", "body": "x", "url": "https://n.test/old"},
    ]
    upload = SimpleUploadedFile("a.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    response = client_for(editor_user).post(INDEX, {"files": [upload], "format": "", "status": "draft"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'class="count-created">1<' in html and 'class="count-skipped">1<' in html
    assert "same URL as article" in html
    assert Article.objects.get(title="<script>alert(1)</script>").body == "B <i>1</i>"


@pytest.mark.django_db
def test_paste_a_txt_article(client_for, editor_user):
    response = client_for(editor_user).post(INDEX, {"text": "Pasted title\r\n\r\nPasted body.", "status": "draft"})
    assert response.status_code == 200
    assert Article.objects.get().body == "Pasted body."


@pytest.mark.django_db
def test_bad_file_shows_line_numbers_and_imports_nothing(client_for, editor_user):
    upload = SimpleUploadedFile("a.csv", b"title,body,published\nA,ok,2024-01-01\nB,ok,31/12/2024\n")
    response = client_for(editor_user).post(INDEX, {"files": [upload], "status": "draft"})
    html = response.content.decode()
    assert "nothing was imported" in html and "<td>3</td>" in html and "YYYY-MM-DD" in html
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_non_utf8_upload_is_refused(client_for, editor_user):
    upload = SimpleUploadedFile("a.txt", "Titre\n\nÉté".encode("cp1252"))
    html = client_for(editor_user).post(INDEX, {"files": [upload], "status": "draft"}).content.decode()
    assert "is not UTF-8 text" in html and Article.objects.count() == 0


@pytest.mark.django_db
def test_oversized_upload_is_refused(client_for, editor_user):
    with override_settings(IMPORT_MAX_BYTES=100):
        upload = SimpleUploadedFile("big.txt", b"T\n\n" + b"x" * 200)
        html = client_for(editor_user).post(INDEX, {"files": [upload], "status": "draft"}).content.decode()
    assert "over the import limit of 100 bytes" in html and Article.objects.count() == 0


@pytest.mark.django_db
def test_empty_submission_asks_for_input(client_for, editor_user):
    html = client_for(editor_user).post(INDEX, {"status": "draft"}).content.decode()
    assert "Choose a file or paste an article." in html


@pytest.mark.django_db
def test_brat_pair_upload_belongs_to_current_user(client_for, editor_user):
    files = [
        SimpleUploadedFile("n.txt", "Hi, “Go,” Ann said.".encode()),
        SimpleUploadedFile("n.ann", b"T1\tQuote 5 7\tGo\nT2\tPERSON 10 13\tAnn\nR1\tSpeaker Arg1:T1 Arg2:T2\n"),
    ]
    response = client_for(editor_user).post(INDEX, {"files": files, "status": "submitted"})
    assert response.status_code == 200
    quote = Quote.objects.get()
    assert (quote.annotator, quote.status, quote.speaker.name) == (editor_user, Status.SUBMITTED, "Ann")


@pytest.mark.django_db
def test_brat_export_downloads(client_for, researcher_user, annotator_user, editor_user):
    draft = make_quote(
        annotator_user=annotator_user, speaker=SpeakerFactory(name="Jane Doe"), cue="said", status="submitted"
    )
    quote = annotation_services.quote_accept(quote=draft, reviewer=editor_user).curated  # the export is curated
    client = client_for(researcher_user)
    page = client.get(EXPORT, {"status": "all"})
    assert 'class="article-count">1<' in page.content.decode()
    response = client.get(EXPORT, {"status": "all", "download": "1"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "annotation.conf" in names and any(n.endswith(".ann") for n in names)
    ann = client.get(EXPORT, {"status": "all", "article": quote.article_id, "download": "1", "part": "ann"})
    assert ann.content.decode().startswith("T1\tQuote ") and "Speaker: Jane Doe" in ann.content.decode()
    txt = client.get(EXPORT, {"status": "all", "article": quote.article_id, "download": "1", "part": "txt"})
    assert txt.content.decode() == quote.article.body
    assert client.get(EXPORT, {"article": "999999"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("articles", [1, 12])
def test_export_pages_run_bounded_queries(
    client_for, editor_user, annotator_user, articles, django_assert_max_num_queries
):
    for _ in range(articles):
        quote = make_quote(annotator_user=annotator_user, speaker=SpeakerFactory(), cue="said")
        make_mention(article=quote.article, annotator_user=annotator_user)
    client = client_for(editor_user)
    with django_assert_max_num_queries(15):
        assert client.get(EXPORT, {"status": "all"}).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(EXPORT, {"status": "all", "download": "1"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 200])
def test_import_page_runs_bounded_queries(client_for, editor_user, rows, django_assert_max_num_queries):
    data = "\n".join(json.dumps({"title": f"T{i}", "body": f"B{i}", "tags": ["a"]}) for i in range(rows))
    client = client_for(editor_user)
    with django_assert_max_num_queries(25):
        response = client.post(INDEX, {"files": [SimpleUploadedFile("a.jsonl", data.encode())], "status": "draft"})
    assert Article.objects.count() == rows and response.status_code == 200
