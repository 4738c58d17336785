import json

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from corpus.models import Article
from tests.factories import ArticleFactory, UserFactory


def editor(username):
    # Transactional tests flush the tables, roles' groups (made by a data migration) included.
    Group.objects.get_or_create(name=str(Role.EDITOR))
    return UserFactory(username=username, roles=[Role.EDITOR])


@pytest.mark.django_db(transaction=True)
def test_editor_uploads_a_file_and_reads_the_report(page, login, live_server, tmp_path):
    ArticleFactory(title="Already here", url="https://n.test/dup")
    path = tmp_path / "batch.jsonl"
    rows = [
        {"title": "City council approves <b>budget</b>", "body": "The council voted 7-2.", "url": "https://n.test/1"},
        {"title": "Mayor speaks", "body": "“We are ready,” the mayor said.", "tags": ["local"]},
        {"title": "Dup", "body": "Other", "url": "https://n.test/dup"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    login(editor(username="edit"))
    page.goto(f"{live_server.url}/ingest/")
    page.set_input_files("input[type=file]", str(path))
    page.click(".import-form button[type=submit]")
    page.wait_for_selector(".import-report")
    expect(page.locator(".count-created").first).to_have_text("2", use_inner_text=True)
    expect(page.locator(".count-skipped").first).to_have_text("1", use_inner_text=True)
    expect(page.locator(".report-rows").first).to_contain_text(
        "City council approves <b>budget</b>", use_inner_text=True
    )
    page.screenshot(path="/tmp/ingest_report.png", full_page=True)
    assert Article.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_pasted_article_with_bad_date_csv_shows_the_line(page, login, live_server):
    login(editor(username="edit2"))
    page.goto(f"{live_server.url}/ingest/")
    page.fill("textarea", "title,body,published\nA,Body,2024-02-30\n")
    page.click(".import-form button[type=submit]")
    page.wait_for_selector(".import-report.failed")
    expect(page.locator(".import-report").first).to_contain_text("nothing was imported", use_inner_text=True)
    expect(page.locator(".report-errors td").first).to_contain_text("2", use_inner_text=True)
    page.screenshot(path="/tmp/ingest_error.png", full_page=True)
    assert Article.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_researcher_downloads_a_brat_zip(page, login, live_server, tmp_path):
    import zipfile

    from tests.factories import SpeakerFactory, make_quote

    Group.objects.get_or_create(name=str(Role.ANNOTATOR))
    Group.objects.get_or_create(name=str(Role.RESEARCHER))
    from annotations import services as annotation_services

    quote = make_quote(speaker=SpeakerFactory(name="Jane Doe"), cue="said", status="submitted")
    annotation_services.quote_accept(quote=quote, reviewer=editor(username="brat-ed"))  # the export is curated
    login(UserFactory(username="res", roles=[Role.RESEARCHER]))
    page.goto(f"{live_server.url}/ingest/brat/?status=all")
    expect(page.locator(".article-count").first).to_have_text("1", use_inner_text=True)
    page.screenshot(path="/tmp/ingest_export.png", full_page=True)
    with page.expect_download() as info:
        page.click("text=Download brat zip")
    target = tmp_path / "x.zip"
    info.value.save_as(target)
    assert any(n.endswith(".ann") for n in zipfile.ZipFile(target).namelist())
