"""static/review/queue.js: accept and reject call /api/v1/review/quotes/{pk}/accept|reject and update
the row in place (no page load), announced in the aria-live region; a conflict is announced too."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations.models import Quote, Status
from tests.browser.test_review_flow import annotate
from tests.factories import ArticleFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Mayor Jane Doe spoke. “We will act,” Jane Doe said. The plan is ready. Officials agreed."


@pytest.fixture
def queue(page, login, live_server):
    editor = UserFactory(username="edna", roles=[Role.EDITOR])
    ann = UserFactory(username="alice", roles=[Role.ANNOTATOR])
    annotate(ArticleFactory(body=BODY), ann, speaker=SpeakerFactory(name="Jane Doe"))
    login(editor)
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url.removeprefix(live_server.url))))
    page.goto(f"{live_server.url}/review/")
    page.evaluate("() => { window.sameDocument = true; }")  # survives only if no page is loaded
    return requests


def test_accept_and_reject_update_the_rows_in_place(page, queue):
    items = page.locator("#queue .qitem")
    assert items.count() == 2
    first_id, second_id = (int(items.nth(i).get_attribute("data-quote")) for i in range(2))
    expect(page.locator('.count[data-status="submitted"]')).to_have_text("2", use_inner_text=True)
    page.keyboard.press("a")
    page.wait_for_function("() => document.getElementById('queue-status').textContent.includes('accepted.')")
    expect(page.locator("#queue-status")).to_have_text(f"Quote #{first_id} accepted.", use_inner_text=True)
    assert page.locator("#queue-status").get_attribute("aria-live") == "polite"
    assert ("POST", f"/api/v1/review/quotes/{first_id}/accept") in queue
    assert page.evaluate("() => window.sameDocument === true")
    row = items.nth(0)
    expect(row.locator(".qhead .badge")).to_have_text("Accepted", use_inner_text=True)
    expect(row.locator(".accept-form")).to_have_count(0)
    expect(row.locator(".qselect")).to_be_disabled()
    expect(page.locator('.count[data-status="submitted"]')).to_have_text("1", use_inner_text=True)
    assert Quote.objects.get(pk=first_id).status == Status.ACCEPTED
    # the focus moved on to the next undecided quote: r, a reason, Enter rejects it
    expect(items.nth(1)).to_contain_class("current")
    page.keyboard.press("r")
    page.keyboard.type("Not a quote <b>here</b>.")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('queue-status').textContent.includes('rejected.')")
    assert ("POST", f"/api/v1/review/quotes/{second_id}/reject") in queue
    assert page.evaluate("() => window.sameDocument === true")
    expect(items.nth(1).locator(".note")).to_have_text("Reason: Not a quote <b>here</b>.", use_inner_text=True)
    rejected = Quote.objects.get(pk=second_id)
    assert rejected.status == Status.REJECTED and rejected.review_note == "Not a quote <b>here</b>."
    expect(page.locator('.count[data-status="submitted"]')).to_have_text("0", use_inner_text=True)


def test_a_conflict_is_announced_and_changes_nothing(page, queue):
    first_id = int(page.locator("#queue .qitem").first.get_attribute("data-quote"))
    Quote.objects.filter(pk=first_id).update(version=99)  # changed elsewhere since the page was drawn
    page.keyboard.press("a")
    page.wait_for_function("() => document.getElementById('queue-status').textContent.includes('unchanged')")
    message = page.locator("#queue-status").inner_text()
    assert message.startswith(f"Quote #{first_id} unchanged:") and "Reload the page" in message
    expect(page.locator("#queue-status.error")).to_have_count(1)
    assert page.locator("#queue .qitem").first.locator(".accept-form").count() == 1
    assert Quote.objects.get(pk=first_id).status == Status.SUBMITTED
