"""An editor assigns an article to two annotators, reviews their quotes with the keyboard, rejects one
with a reason, and the annotator sees the reason on their own page."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations import services as annotation_services
from annotations.models import Quote, Status
from review.models import Assignment
from tests.factories import ArticleFactory, SpeakerFactory, StanceTargetFactory, UserFactory, find_span, make_mention

SHOTS = os.environ.get("REVIEW_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def annotate(article, user, kind="direct", speaker=None, stance="favor"):
    body = article.body
    quote = annotation_services.quote_create(
        article=article,
        spans=[find_span(body, "We will act,")],
        annotator=user,
        kind=kind,
        speaker=speaker,
        cue=find_span(body, "said"),
        speaker_mention=find_span(body, "Jane Doe"),
        tags=["budget"],
    )
    annotation_services.stance_set(
        quote=quote, target=StanceTargetFactory(name="The plan"), label=stance, annotator=user
    )
    annotation_services.quote_create(
        article=article, spans=[find_span(body, "The plan is ready.")], annotator=user, speaker=speaker
    )
    make_mention(article=article, annotator_user=user)
    annotation_services.annotations_submit(article=article, annotator=user)


@pytest.mark.django_db(transaction=True)
def test_assign_review_reject_and_annotator_sees_reason(page, login, live_server):
    editor = UserFactory(username="edna", roles=[Role.EDITOR])
    ann = UserFactory(username="alice", roles=[Role.ANNOTATOR])
    ann2 = UserFactory(username="bob", roles=[Role.ANNOTATOR])
    article = ArticleFactory(title="Council approves the plan")

    # 1. The editor assigns the article to both annotators.
    login(editor)
    page.goto(f"{live_server.url}/review/assignments/")
    page.check(f'input[name="articles"][value="{article.pk}"]')
    page.check(f'input[name="annotators"][value="{ann.pk}"]')
    page.check(f'input[name="annotators"][value="{ann2.pk}"]')
    page.click("#assign-form button[type=submit].primary")
    page.wait_for_selector("text=2 new assignment(s).")
    assert Assignment.objects.filter(article=article).count() == 2
    expect(page.locator(".progress-list li", has_text="alice").locator(".state")).to_have_text(
        "not started", use_inner_text=True
    )
    shot(page, "assignments-empty")

    # 2. Both annotate (in the annotation workspace; here through its services) and submit.
    jane = SpeakerFactory(name="Jane Doe")
    annotate(article, ann, speaker=jane)
    annotate(article, ann2, speaker=jane, kind="indirect", stance="against")
    page.reload()
    expect(page.locator(".progress-list").first).to_contain_text("awaiting review", use_inner_text=True)
    shot(page, "assignments")

    # 3. Review with the keyboard: the queue, sorted by annotator, starts on alice's first quote.
    page.goto(f"{live_server.url}/review/?sort=annotator")
    assert page.locator("#queue .qitem").count() == 4
    expect(page.locator('.count[data-status="submitted"]')).to_have_text("4", use_inner_text=True)
    first = page.locator("#queue .qitem").first
    expect(first).to_contain_text("alice", use_inner_text=True)
    expect(first.locator("mark.q")).to_contain_text("We will act,", use_inner_text=True)
    shot(page, "queue")
    page.keyboard.press("r")
    reason = first.locator(".reason")
    expect(reason).to_be_focused()
    page.keyboard.type("The speaker is right but the quote is indirect <b>here</b>.")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=rejected.")
    assert page.dialogs == []  # no window.prompt / alert
    # Next: alice's second quote is now first; j moves to bob's first quote and a accepts it.
    page.keyboard.press("j")
    focused = page.locator("#queue .qitem.current")
    focused_id = int(focused.get_attribute("data-quote"))
    page.keyboard.press("a")
    page.wait_for_selector("text=accepted.")
    assert Quote.objects.get(pk=focused_id).status == Status.ACCEPTED

    rejected = Quote.objects.get(annotator=ann, status=Status.REJECTED)
    assert rejected.text == "We will act," and rejected.reviewed_by == editor

    # The rejection is on the quote's history.
    page.goto(f"{live_server.url}/review/quotes/{rejected.pk}/")
    expect(page.locator("#audit")).to_contain_text("Rejected by edna", use_inner_text=True)
    shot(page, "detail")
    page.go_back()

    # Bulk-accept the rest.
    page.check("#select-all")
    page.click("#bulk-form button[value=accept]")
    page.wait_for_selector("text=quote(s) accepted.")
    assert not Quote.objects.filter(status=Status.SUBMITTED).exists()

    # Side by side and agreement pages render for the article.
    page.goto(f"{live_server.url}/review/articles/{article.pk}/adjudicate/")
    assert page.locator("#adj-quotes tbody tr").count() == 2
    shot(page, "adjudicate")
    page.goto(f"{live_server.url}/review/articles/{article.pk}/agreement/")
    expect(page.locator("#fig-quote-overlap")).to_have_text("1.00", use_inner_text=True)
    shot(page, "agreement")

    # 4. The annotator logs in and sees the outcome and the reason, escaped.
    page.click("text=Log out")
    login(ann)
    page.click("nav.mainnav >> text=My reviewed quotes")
    row = page.locator("#mine tbody tr", has_text="We will act,")
    expect(row).to_contain_text("Rejected", use_inner_text=True)
    expect(row.locator(".reason")).to_have_text(
        "The speaker is right but the quote is indirect <b>here</b>.", use_inner_text=True
    )
    expect(row).to_contain_text("edna", use_inner_text=True)
    shot(page, "mine")
