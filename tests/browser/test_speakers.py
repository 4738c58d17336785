"""An editor links a speaker to Wikidata through the form (against the local fake server) and sees the
attributes filled in with their source; an annotator's pick in the workspace is stored as a proposal."""

import re

import pytest
from playwright.sync_api import expect

from corpus import services
from tests.corpus.test_wikidata import fake  # noqa: F401  (fixture)
from tests.factories import editor


@pytest.mark.django_db(transaction=True)
def test_editor_links_a_speaker_to_wikidata(page, login, live_server, fake):
    scott = services.speaker_create(name="Maria Scott")
    login(editor(username="wd-editor"))
    page.goto(f"{live_server.url}/review/speakers/{scott.pk}/wikidata/")
    page.click(".wd-results a >> nth=0")  # the first result: the legislator
    page.wait_for_selector("#preview")
    expect(page.locator("#preview").first).to_contain_text("fictional legislator used in tests", use_inner_text=True)
    with page.expect_navigation():
        page.click("#confirm-link")
    assert "is linked to Q9000001" in page.content(), page.inner_text("main")
    rows = {
        row.get_attribute("data-attribute"): row for row in page.locator("#speaker-attributes tr[data-attribute]").all()
    }
    expect(rows["gender"].locator(".value")).to_have_text("woman", use_inner_text=True)
    expect(rows["gender"].locator(".source")).to_have_text(re.compile(r"^Wikidata \(Q9000001, "), use_inner_text=True)
    expect(rows["party"].locator(".value")).to_have_text("Harbour Party", use_inner_text=True)


# --- the workspace's new-speaker form ---------------------------------------------------------------

QUOTED = "“We are ready,” Maria Scott said. The Harbour League said nothing."


def _open_new_speaker(page, live_server, article, mention):
    """Select the quote and take ``mention`` as the speaker mention; create the speaker it pre-fills."""
    from tests.browser.test_workspace import open_article, select_text

    open_article(page, live_server, article)
    select_text(page, "We are ready,")
    page.keyboard.press("q")
    page.wait_for_selector("#ws-editor:not([hidden])")
    select_text(page, mention)
    page.keyboard.press("m")
    page.wait_for_selector(".ws-option-create")
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ws-newspeaker:not([hidden])")


def _save(page):
    with page.expect_response(lambda r: "/api/v1/workspace/articles/" in r.url and r.request.method == "POST") as info:
        page.keyboard.press("Control+Enter")
    assert info.value.status == 201, info.value.text()
    page.wait_for_selector("#ws-editor", state="hidden")


@pytest.mark.django_db(transaction=True)
def test_annotator_gives_gender_and_role_described_in_the_article(page, login, live_server):
    from annotations.models import Quote
    from corpus.models import RoleCategory, SpeakerAttribute
    from tests.factories import ArticleFactory, UserFactory

    # A transactional test's database was flushed: the codebook the migration wrote may be gone.
    RoleCategory.objects.get_or_create(code="politician", defaults={"label": "Politician"})
    article = ArticleFactory(body=QUOTED)
    annie = UserFactory(username="annie-speakers", roles=["annotator"])
    login(annie)
    _open_new_speaker(page, live_server, article, "Maria Scott")
    expect(page.locator("#ws-ns-gender").first).to_be_visible()
    page.select_option("#ws-ns-kind", "organization")
    expect(page.locator("#ws-ns-gender").first).to_be_hidden()  # no gender for an organization or a group
    page.select_option("#ws-ns-kind", "person")
    page.select_option("#ws-ns-gender", "woman")
    page.select_option("#ws-ns-role", "politician")
    # Unticked, an annotator's own judgment is refused with the reason, in the form.
    with page.expect_response(lambda r: r.request.method == "POST" and "/quotes" in r.url) as info:
        page.keyboard.press("Control+Enter")
    assert info.value.status == 422
    page.wait_for_selector('.ws-err[data-for="new_speaker"]:not(:empty)')
    expect(page.locator('.ws-err[data-for="new_speaker"]').first).to_contain_text(
        "tick “The article says so”", use_inner_text=True
    )
    page.check("#ws-ns-described")
    _save(page)

    quote = Quote.objects.get()
    rows = {a.name: a for a in SpeakerAttribute.objects.filter(speaker=quote.speaker)}
    assert (rows["gender"].value, rows["role"].value) == ("woman", "politician")
    start = QUOTED.index("Maria Scott")
    for row in rows.values():
        assert (row.source, row.article_id, row.span_start, row.span_end) == ("article", article.pk, start, start + 11)
        assert (row.evidence, row.set_by_id) == ("Maria Scott", annie.pk)


@pytest.mark.django_db(transaction=True)
def test_annotator_picks_a_wikidata_item_for_a_new_speaker(page, login, live_server, fake):
    from django.core.cache import cache

    from annotations.models import Quote
    from corpus.models import Speaker, SpeakerAttribute
    from tests.factories import ArticleFactory, UserFactory

    article = ArticleFactory(body=QUOTED)
    annie = UserFactory(username="annie-wikidata", roles=["annotator"])
    login(annie)
    _open_new_speaker(page, live_server, article, "Maria Scott")
    assert "is a proposal: an editor confirms it" in page.inner_text("#ws-ns-wd-hint")
    fake.mode = "down"  # first unreachable: the form says so and goes on
    page.click("#ws-ns-wd-search")
    page.locator("#ws-ns-wd-message", has_text="could not be reached").wait_for()  # (no eval: the page's CSP)
    expect(page.locator("#ws-ns-wd-message").first).to_contain_text("can be created without it", use_inner_text=True)
    expect(page.locator("#ws-ns-wd-results").first).to_be_hidden()
    assert fake.requests[-1]["search"] == "Maria Scott"
    fake.mode = "ok"
    cache.clear()
    page.click("#ws-ns-wd-search")
    page.wait_for_selector("#ws-ns-wd-results button >> nth=1")
    expect(page.locator("#ws-ns-wd-results").first).to_contain_text("fictional painter", use_inner_text=True)
    assert page.is_hidden("#ws-ns-wd-chosen")  # nothing linked before the pick
    page.click('#ws-ns-wd-results button[data-qid="Q9000001"]')
    expect(page.locator("#ws-ns-wd-chosen").first).to_contain_text("Q9000001", use_inner_text=True)
    expect(page.locator("#ws-ns-description").first).to_have_value("fictional legislator used in tests")
    _save(page)

    speaker = Quote.objects.get().speaker
    # An annotator's pick is a proposal: not linked, nothing read from it, until an editor confirms it.
    assert (speaker.name, speaker.wikidata_qid, speaker.wikidata_qid_proposed, speaker.description) == (
        "Maria Scott",
        "",
        "Q9000001",
        "fictional legislator used in tests",
    )
    assert speaker.wikidata_proposed_by == annie
    assert not SpeakerAttribute.objects.filter(speaker=speaker).exists()  # the claims wait for an editor
    assert [r["action"] for r in fake.requests].count("wbgetentities") == 0  # the save itself asks Wikidata nothing
    assert Speaker.objects.count() == 1
