"""Research pages in Chromium: a researcher filters quotes, reads the seed article and a speaker page.

Screenshots land in $SCREENSHOT_DIR when it is set (to look at the pages), nowhere otherwise.
"""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.roles import Role
from annotations.models import Quote
from corpus.models import Article, Speaker
from tests.factories import UserFactory
from tests.research.conftest import corpus  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.fixture
def seeded(transactional_db):
    call_command("loaddata", "fixtures/seed_article.json", verbosity=0)


@pytest.fixture
def researcher(seeded, corpus):
    """The seed article first (its rows have fixed ids), then the small test corpus."""
    return UserFactory(username="b-researcher", roles=[Role.RESEARCHER])


def test_researcher_browses_filters_and_reads(page, login, live_server, researcher):
    login(researcher)
    page.click("text=Browse the corpus")
    expect(page.locator("h1")).to_have_text("Corpus overview", use_inner_text=True)
    expect(page.locator("svg[role=img] rect.bar").nth(2)).to_be_attached()  # at least 3
    shot(page, "overview")

    page.click(".subnav >> text=Quotes")
    accepted = Quote.objects.curated().count()
    expect(page.locator(".resultbar")).to_contain_text(f"{accepted} quotes", use_inner_text=True)
    page.fill("#id_q", "act")
    page.select_option("#id_speaker_kind", "person")
    page.click("button:has-text('Filter')")
    expect(page.locator(".resultbar")).to_contain_text("2 quotes", use_inner_text=True)
    shot(page, "quotes")

    seed = Article.objects.get(outlet="The New York Times")
    page.goto(f"{live_server.url}/research/articles/{seed.pk}/")
    assert page.locator(".article-body mark.hl-quote").count() >= 17
    assert page.locator(".article-body").inner_text().strip() == seed.body.strip()
    shot(page, "article")

    speaker = Speaker.objects.filter(quotes__article=seed).order_by("name").first()
    page.goto(f"{live_server.url}/research/speakers/{speaker.pk}/")
    expect(page.locator("h1")).to_have_text(speaker.name, use_inner_text=True)
    shot(page, "speaker")

    page.goto(f"{live_server.url}/research/stances/")
    page.select_option("#id_target", label=page.locator("#id_target option").nth(1).inner_text())
    page.click("button:has-text('Show')")
    expect(page.locator(".stackbar .seg").first).to_be_attached()  # at least 1
    shot(page, "stances")

    page.goto(f"{live_server.url}/research/articles/?q=immigra+arrests")
    assert page.locator(".result").count() == 1
    assert page.locator(".snippet mark").count() == 1
    shot(page, "article-search")


def test_who_gets_quoted_reads_on_a_phone_and_a_laptop(page, login, live_server, researcher):
    """The page's tables and bars fit the window (tables scroll inside their cards), at 390 and 1366 px."""
    from research.services import stats_refresh

    stats_refresh()  # the loaddata bypassed the services that mark articles
    login(researcher)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/research/who/?by=kind")
        expect(page.locator("h1")).to_have_text("Who gets quoted", use_inner_text=True)
        assert page.locator("table.shares .sharebar").count() >= 2
        assert page.locator("#by-outlet .stackbar rect").count() >= 2
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, overflow  # the wide tables scroll inside their card, never the page
        shot(page, f"who-{width}")
