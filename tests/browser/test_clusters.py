"""A researcher finds a repeated quote in the quote browser and opens its cluster page."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from clusters.models import ClusterMember
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BASE = (
    "The committee will meet again next week to decide whether the new rules on border crossings "
    "should apply to every state in the country"
)


@pytest.fixture
def repeated(transactional_db):
    first = factories.curated_quote(text=BASE, outlet="Daily", published=datetime.date(2024, 3, 1))
    factories.curated_quote(
        text=BASE.replace("decide", "consider"), outlet="Evening", published=datetime.date(2024, 3, 5)
    )
    factories.curated_quote(text="An unrelated quote about the weather in the mountains this weekend")
    return ClusterMember.objects.get(quote=first).cluster


def test_quote_browser_row_opens_the_cluster_page(page, login, live_server, repeated):
    researcher = factories.UserFactory(username="c-researcher", roles=[Role.RESEARCHER])
    login(researcher)
    page.goto(f"{live_server.url}/research/quotes/?q=weather")
    assert page.locator("a.cluster-link").count() == 0  # a quote said once has no cluster link
    page.goto(f"{live_server.url}/research/quotes/?q=committee")
    link = page.locator("a.cluster-link").first
    expect(link).to_contain_text("Repeated 2× in 2 outlets", use_inner_text=True)
    link.click()
    page.wait_for_url(f"{live_server.url}/research/clusters/{repeated.pk}/")
    page.wait_for_function("() => document.querySelectorAll('.timeline .occurrence').length === 2")
    expect(page.locator("h1")).to_have_text(f"Repeated quote #{repeated.pk}", use_inner_text=True)
    occurrences = page.locator(".timeline .occurrence")
    expect(occurrences.nth(0)).to_contain_text("Daily", use_inner_text=True)
    expect(occurrences.nth(0)).to_contain_text("First appearance", use_inner_text=True)
    expect(occurrences.nth(1).locator("ins.changed")).to_have_text("consider", use_inner_text=True)
    expect(page.locator(".subnav a[aria-current=page]")).to_have_text("Repeated quotes", use_inner_text=True)
