"""Staff in the Django admin, in a real browser: an annotated article saves (the browser sends the body
with CRLF line breaks), and an edit of its text is refused with the body-lock message."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from corpus.models import Article


@pytest.mark.django_db(transaction=True)
def test_admin_saves_an_edited_annotated_article(page, login, live_server, django_user_model):
    call_command("load_seed", verbosity=0)
    article = Article.objects.get(slug="ice-signals-mass-immigration-arrests")
    body = article.body
    admin = django_user_model.objects.create_superuser("staff", "staff@example.com", "pw")
    login(admin)
    page.goto(f"{live_server.url}/admin/corpus/article/{article.pk}/change/")
    page.fill("#id_title", "ICE signals mass arrests (edited)")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.title == "ICE signals mass arrests (edited)" and article.body == body

    page.goto(f"{live_server.url}/admin/corpus/article/{article.pk}/change/")
    page.fill("#id_body", body + "\nOne more line.")
    page.click("input[name=_save]")
    expect(page.locator(".errorlist").first).to_contain_text("cannot be changed", use_inner_text=True)
    article.refresh_from_db()
    assert article.body == body
