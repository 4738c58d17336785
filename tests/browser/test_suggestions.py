"""Real-browser tests: accept one suggestion and reject another with one key each.

In the annotator workspace (the suggestions panel is registered with annotations.extensions.workspace_panels) and on the
suggestions app's own article page.
"""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations.models import Quote
from suggestions.models import Suggestion
from suggestions.services import suggest_for_article
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "😀 Mayor Jane Doe spoke on Monday. “We will rebuild the bridge,” Ms. Doe said.\n\n"
    "The work would start in May, two city officials said."
)


@pytest.fixture
def annie(transactional_db):
    return factories.UserFactory(username="annie", roles=[Role.ANNOTATOR])


@pytest.fixture
def article_with_suggestions(transactional_db):
    article = factories.ArticleFactory(body=BODY)
    stored = suggest_for_article(article=article)
    assert len(stored) == 2
    return article, stored


def _accept_first_reject_second(page, stored, annie):
    panel = page.locator("#suggestions-panel")
    items = panel.locator(".sg-item")
    items.first.wait_for()
    expect(items).to_have_count(2)
    expect(panel.locator("[data-sg-count]")).to_have_text("2", use_inner_text=True)
    # the layer marks the suggestion in the text (two code-point spans, one per suggestion)
    page.wait_for_selector(".sg-suggestion.sg-focused")
    page.keyboard.press("y")
    page.wait_for_function("() => document.querySelectorAll('#suggestions-panel .sg-item').length === 1")
    expect(panel.locator("[data-sg-status]")).to_contain_text("Accepted", use_inner_text=True)
    page.keyboard.press("n")
    page.wait_for_selector("#suggestions-panel .sg-empty")
    expect(panel.locator("[data-sg-status]")).to_have_text("Rejected.", use_inner_text=True)
    first, second = (Suggestion.objects.get(pk=s.pk) for s in stored)
    assert first.status == "accepted" and second.status == "rejected"
    quote = Quote.objects.get()
    assert quote.annotator == annie and quote.origin == "rule:direct" and first.quote == quote
    assert quote.text == "We will rebuild the bridge," and quote.speaker.name == "Jane Doe"
    return quote


def test_accept_and_reject_in_the_annotator_workspace(page, login, live_server, annie, article_with_suggestions):
    article, stored = article_with_suggestions
    login(annie)
    page.goto(f"{live_server.url}/annotate/articles/{article.pk}/")
    page.wait_for_selector("html[data-workspace-ready=true]")
    # the highlighted suggestion covers exactly the suggested words (emoji before it: UTF-16 converted)
    page.wait_for_selector(".sg-suggestion.sg-focused")
    marked = page.evaluate(
        "Array.from(document.querySelectorAll('#ws-text .sg-focused')).map(e => e.textContent).join('')"
    )
    assert marked == "We will rebuild the bridge,"
    page.screenshot(path="/tmp/suggestions_workspace_before.png")
    quote = _accept_first_reject_second(page, stored, annie)
    # workspace.refresh() ran: the new quote is listed by the workspace itself
    page.wait_for_function(
        "() => document.querySelector('#ws-quote-list').textContent.includes('We will rebuild the bridge')"
    )
    page.screenshot(path="/tmp/suggestions_workspace_after.png")
    assert quote.pk


def test_accept_and_reject_on_the_suggestions_page(page, login, live_server, annie, article_with_suggestions):
    article, stored = article_with_suggestions
    login(annie)
    page.goto(f"{live_server.url}/suggestions/articles/{article.pk}/")
    page.wait_for_selector(".sg-suggestion.sg-focused")
    marked = page.evaluate(
        "Array.from(document.querySelectorAll('#sg-body .sg-focused')).map(e => e.textContent).join('')"
    )
    assert marked == "We will rebuild the bridge,"
    _accept_first_reject_second(page, stored, annie)
    page.wait_for_selector("#sg-body mark.sg-own-quote")
    expect(page.locator("#sg-body mark.sg-own-quote")).to_have_text("We will rebuild the bridge,", use_inner_text=True)
    page.screenshot(path="/tmp/suggestions_page.png")


def test_next_previous_and_suggest_button(page, login, live_server, annie):
    article = factories.ArticleFactory(body=BODY)
    login(annie)
    page.goto(f"{live_server.url}/suggestions/articles/{article.pk}/")
    page.wait_for_selector("#suggestions-panel .sg-empty")
    page.click("[data-sg-suggest]")
    page.wait_for_function("() => document.querySelectorAll('#suggestions-panel .sg-item').length === 2")
    page.keyboard.press("]")
    page.wait_for_function(
        "() => document.querySelectorAll('#suggestions-panel .sg-item')[1].classList.contains('sg-focused')"
    )
    page.keyboard.press("[")
    page.wait_for_function(
        "() => document.querySelectorAll('#suggestions-panel .sg-item')[0].classList.contains('sg-focused')"
    )
    # a click on a highlighted suggestion in the text focuses it in the panel
    page.locator("#sg-body .sg-suggestion").last.click()
    page.wait_for_function(
        "() => document.querySelectorAll('#suggestions-panel .sg-item')[1].classList.contains('sg-focused')"
    )
    assert Suggestion.objects.filter(status="pending").count() == 2
