"""The review loop, closed: an editor rejects a quote, the annotator opens it from /review/mine/, fixes it
in the workspace (it goes back to draft), submits again, and it is back in the editor's queue."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations import services
from annotations.models import Quote, Status
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_a_rejected_quote_is_fixed_from_mine_resubmitted_and_back_in_the_queue(page, login, live_server):
    annie = factories.UserFactory(username="loop-ann", roles=[Role.ANNOTATOR])
    editor = factories.UserFactory(username="loop-ed", roles=[Role.EDITOR])
    article = factories.ArticleFactory(title="Loop article")
    quote = factories.make_quote(
        article=article, annotator_user=annie, status="submitted", speaker=factories.SpeakerFactory(name="Jane Doe")
    )
    services.quote_reject(quote=quote, reviewer=editor, reason="This one is indirect speech")

    login(annie)
    page.goto(f"{live_server.url}/review/mine/")
    expect(page.locator("#mine").first).to_contain_text("This one is indirect speech", use_inner_text=True)
    page.click("text=Fix in the workspace")
    page.wait_for_selector("#ws-editor:not([hidden])")  # opened at that quote
    page.check('input[name="kind"][value="indirect"]')
    with page.expect_response(lambda r: "/api/v1/workspace/" in r.url and r.request.method == "PATCH") as info:
        page.keyboard.press("Control+Enter")
    assert info.value.status == 200, info.value.text()
    quote.refresh_from_db()
    assert (quote.status, quote.kind) == (Status.DRAFT, "indirect")
    page.wait_for_selector("#ws-submit:not([disabled])")
    with page.expect_response(lambda r: r.url.endswith("/workspace/articles/" + str(article.pk) + "/submit")) as info:
        page.click("#ws-submit")
    assert info.value.status == 200
    quote.refresh_from_db()
    assert quote.status == Status.SUBMITTED

    page.context.clear_cookies()
    login(editor)
    page.goto(f"{live_server.url}/review/")
    assert page.locator(f"#q{quote.pk}").count() == 1
    assert Quote.objects.annotations().get().pk == quote.pk
