"""The review quote page corrects by selection with the workspace's offset code and speaker combobox."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations import services as annotation_services
from annotations.models import Quote, Status
from tests.factories import ArticleFactory, SpeakerFactory, UserFactory, find_span

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "Fans 😀 cheered. “We 👍🏽 will act now,” Jane Doe said. “The plan is ready.”\n\nOther text."


def select_in(page, selector, needle):
    page.evaluate(
        """([selector, needle]) => {
            const root = document.querySelector(selector);
            const at = root.textContent.indexOf(needle);
            const locate = (offset) => {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                let node, seen = 0;
                while ((node = walker.nextNode())) { if (seen + node.length >= offset) return [node, offset - seen]; seen += node.length; }
            };
            const [sn, so] = locate(at), [en, eo] = locate(at + needle.length);
            const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""",
        [selector, needle],
    )


def test_editor_corrects_span_cue_and_speaker_by_selection(page, login, live_server):
    editor = UserFactory(username="edna", roles=[Role.EDITOR])
    annotator = UserFactory(username="alice", roles=[Role.ANNOTATOR])
    article = ArticleFactory(body=BODY)
    wrong = SpeakerFactory(name="John Roe")
    jane = SpeakerFactory(name="Jane Doe")
    quote = annotation_services.quote_create(
        article=article, spans=[find_span(BODY, "We 👍🏽 will act")], annotator=annotator, speaker=wrong
    )
    annotation_services.annotations_submit(article=article, annotator=annotator)
    login(editor)
    page.goto(f"{live_server.url}/review/quotes/{quote.pk}/")
    assert page.locator("#correct select[name=speaker]").count() == 0  # no list of every speaker
    select_in(page, "#correct-text", "We 👍🏽 will act now,")
    page.click("[data-take=replace]")
    select_in(page, "#correct-text", "said")
    page.click("[data-take=cue]")
    select_in(page, "#correct-text", "Jane Doe")
    page.click("[data-take=mention]")
    page.fill("#correct-speaker-input", "jane")
    page.wait_for_selector("#correct-speaker-options .ws-option")
    expect(page.locator("#correct-speaker-input").first).to_have_attribute(
        "aria-activedescendant", "correct-speaker-options-0"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#correct-speaker-chosen")).to_have_text("Jane Doe", use_inner_text=True)
    page.screenshot(path="/tmp/review-correct.png", full_page=True)
    page.click("#correct button[type=submit]")
    page.wait_for_selector("text=the curated quote is corrected")
    quote.refresh_from_db()
    assert quote.status == Status.ACCEPTED
    curated = quote.curated  # the editor's correction is on the curated quote; the annotator's stays as made
    start, end = find_span(BODY, "We 👍🏽 will act now,")
    assert curated.span_offsets == f"{start}-{end}"  # code points, the emoji counted once
    assert (curated.cue_start, curated.cue_end) == find_span(BODY, "said")
    assert (curated.speaker_mention_start, curated.speaker_mention_end) == find_span(BODY, "Jane Doe")
    assert curated.speaker == jane
    assert quote.speaker == wrong and quote.span_offsets == "{}-{}".format(*find_span(BODY, "We 👍🏽 will act"))
    assert Quote.objects.curated().count() == 1


def test_unknown_speaker_id_is_refused_server_side(client):
    editor = UserFactory(username="edna", roles=[Role.EDITOR])
    annotator = UserFactory(username="alice", roles=[Role.ANNOTATOR])
    article = ArticleFactory(body=BODY)
    quote = annotation_services.quote_create(
        article=article, spans=[find_span(BODY, "We 👍🏽 will act")], annotator=annotator
    )
    annotation_services.annotations_submit(article=article, annotator=annotator)
    client.force_login(editor)
    quote.refresh_from_db()
    response = client.post(
        f"/review/quotes/{quote.pk}/correct/",
        {
            "expected_version": quote.version,
            "spans": quote.span_offsets,
            "kind": "direct",
            "speaker": "999999",
            "cue": "",
        },
    )
    assert response.status_code == 400
    assert "pick one from the list" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Status.SUBMITTED
