"""Real-browser tests of the annotator workspace (Playwright driving Debian's Chromium)."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from annotations.models import EntityMention, Quote, Stance
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser, live_server):
    """The workspace asks before saving a quote with no speaker: these tests answer ``page.answer``."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(int(os.environ.get("PLAYWRIGHT_TIMEOUT_MS", "10000")))
    page.dialogs = []
    page.unload_prompts = []
    page.answer = True

    def on_dialog(dialog):
        (page.unload_prompts if dialog.type == "beforeunload" else page.dialogs).append(dialog.message)
        dialog.accept() if page.answer else dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()


@pytest.fixture
def annie(transactional_db):
    return factories.UserFactory(username="annie", roles=[Role.ANNOTATOR])


def open_article(page, live_server, article):
    page.goto(f"{live_server.url}/annotate/articles/{article.pk}/")
    page.wait_for_selector("html[data-workspace-ready=true]")


def select_text(page, needle, occurrence=0):
    """Select ``needle`` in the article text with a real DOM Range (UTF-16 offsets, as a mouse would)."""
    page.evaluate(
        """([needle, occurrence]) => {
            const root = document.getElementById('ws-text');
            const full = root.textContent;
            let at = -1;
            for (let i = 0; i <= occurrence; i++) at = full.indexOf(needle, at + 1);
            if (at < 0) throw new Error('not found: ' + needle);
            const locate = (offset) => {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                let node, seen = 0;
                while ((node = walker.nextNode())) {
                    if (seen + node.length >= offset) return [node, offset - seen];
                    seen += node.length;
                }
            };
            const [sn, so] = locate(at);
            const [en, eo] = locate(at + needle.length);
            const range = document.createRange();
            range.setStart(sn, so); range.setEnd(en, eo);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""",
        [needle, occurrence],
    )


def test_smoke_screenshot(page, login, live_server, annie):
    user = annie
    article = factories.ArticleFactory()
    factories.make_quote(article=article, annotator_user=user, cue="said")
    factories.make_mention(article=article, annotator_user=user, text="Jane Doe")
    login(user)
    open_article(page, live_server, article)
    page.screenshot(path="/tmp/ws1.png", full_page=True)
    assert page.locator("#ws-quote-list .ws-item").count() == 1


def save_and_wait(page, kind="quote"):
    with page.expect_response(
        lambda r: "/api/v1/workspace/" in r.url and r.request.method in ("POST", "PATCH")
    ) as info:
        page.keyboard.press("Control+Enter")
    response = info.value
    assert response.status in (200, 201), response.text()
    page.wait_for_selector("#ws-editor", state="hidden")
    return response.json()


def test_direct_quote_with_new_speaker_and_stance_by_shortcuts(page, login, live_server, annie):
    article = factories.ArticleFactory()
    login(annie)
    open_article(page, live_server, article)
    select_text(page, "“We will act,”")  # marks and all: the workspace trims them
    page.keyboard.press("q")
    page.wait_for_selector("#ws-editor:not([hidden])")
    select_text(page, "said")
    page.keyboard.press("c")
    select_text(page, "Jane Doe")
    page.keyboard.press("m")
    # The mention pre-fills the speaker search; nobody is known yet, so the only option creates her.
    page.wait_for_selector(".ws-option-create")
    page.keyboard.press("p")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ws-newspeaker:not([hidden])")
    expect(page.locator("#ws-ns-name").first).to_have_value("Jane Doe")
    page.fill("#ws-ns-description", "spokeswoman")
    page.fill("#ws-target-input", "the plan")
    page.select_option("#ws-stance-label", "favor")
    page.press("#ws-target-input", "Enter")
    page.fill("#ws-tags", "policy, test")
    save_and_wait(page)

    quote = Quote.objects.get()
    body = article.body
    assert (quote.start, quote.end) == (body.index("We will act,"), body.index("We will act,") + len("We will act,"))
    assert quote.text == "We will act,"
    assert quote.cue_text == "said" and body[quote.cue_start : quote.cue_end] == "said"
    assert quote.speaker_mention_text == "Jane Doe"
    assert quote.speaker.name == "Jane Doe" and quote.speaker.description == "spokeswoman"
    assert quote.annotator == annie and quote.kind == "direct" and quote.status == "draft"
    stance = Stance.objects.get()
    assert (stance.target.name, stance.label, stance.quote_id) == ("the plan", "favor", quote.pk)
    assert sorted(t.name for t in quote.tags.all()) == ["policy", "test"]

    page.reload()
    page.wait_for_selector("html[data-workspace-ready=true]")
    expect(page.locator("#ws-text .a-quote")).to_have_text(["We will act,"], use_inner_text=True)
    expect(page.locator("#ws-text .a-cue")).to_have_text(["said"], use_inner_text=True)
    expect(page.locator("#ws-text .a-smention")).to_have_text(["Jane Doe"], use_inner_text=True)
    item = page.locator("#ws-quote-list .ws-item")
    expect(item).to_contain_text("Jane Doe", use_inner_text=True)
    expect(item).to_contain_text("Favor the plan", use_inner_text=True)
    page.screenshot(path="/tmp/ws-quote.png", full_page=True)


def test_entity_and_split_quote(page, login, live_server, annie):
    article = factories.ArticleFactory()
    login(annie)
    open_article(page, live_server, article)
    select_text(page, " Civic League")  # leading space is trimmed
    page.keyboard.press("e")
    page.wait_for_selector("#ws-editor:not([hidden])")
    page.keyboard.press("2")  # ORG
    save_and_wait(page)
    mention = EntityMention.objects.get()
    start = article.body.index("Civic League")
    assert (mention.start, mention.end, mention.text, mention.label) == (start, start + 12, "Civic League", "ORG")

    select_text(page, "We will act,")
    page.keyboard.press("q")
    select_text(page, "The plan is ready.")
    page.keyboard.press("s")
    expect(page.locator("#ws-spans li")).to_have_count(2)
    save_and_wait(page)
    quote = Quote.objects.get()
    first, second = (
        factories.find_span(article.body, "We will act,"),
        factories.find_span(article.body, "The plan is ready."),
    )
    assert quote.span_offsets == f"{first[0]}-{first[1]};{second[0]}-{second[1]}"
    assert [(s.start, s.end, s.text) for s in quote.spans.all()] == [
        (*first, "We will act,"),
        (*second, "The plan is ready."),
    ]

    page.reload()
    page.wait_for_selector("html[data-workspace-ready=true]")
    expect(page.locator("#ws-text .a-quote")).to_have_text(["We will act,", "The plan is ready."], use_inner_text=True)
    expect(page.locator("#ws-text .a-ent-ORG")).to_have_text(["Civic League"], use_inner_text=True)
    # Clicking the quote in the text selects its panel item, and the other way round.
    page.locator("#ws-text .a-quote").first.click()
    expect(page.locator(f'.ws-item[data-key="q{quote.pk}"]')).to_contain_class("is-selected")
    page.locator(f'.ws-item[data-key="m{mention.pk}"]').click()
    expect(page.locator("#ws-text .seg.is-selected")).to_have_text(["Civic League"], use_inner_text=True)


EMOJI_BODY = "Fans 😀👍🏽 cheered. “We 👍🏽 will act,” Jane 😀 Doe said.\n\nThe 🎉 Civic League agreed."


def test_emoji_before_and_inside_spans(page, login, live_server, annie):
    article = factories.ArticleFactory(body=EMOJI_BODY)
    login(annie)
    open_article(page, live_server, article)
    select_text(page, "We 👍🏽 will act,")
    page.keyboard.press("q")
    select_text(page, "said")
    page.keyboard.press("c")
    save_and_wait(page)
    select_text(page, "Civic League")
    page.keyboard.press("2")  # quick entity: ORG, straight from the selection
    page.wait_for_function("() => document.querySelectorAll('#ws-text .a-ent-ORG').length === 1")

    quote = Quote.objects.get()
    assert quote.text == "We 👍🏽 will act,"
    assert (quote.start, quote.end) == factories.find_span(EMOJI_BODY, "We 👍🏽 will act,")
    assert EMOJI_BODY[quote.cue_start : quote.cue_end] == "said"
    mention = EntityMention.objects.get()
    assert (mention.start, mention.end) == factories.find_span(EMOJI_BODY, "Civic League")
    assert mention.text == "Civic League"

    page.reload()
    page.wait_for_selector("html[data-workspace-ready=true]")
    expect(page.locator("#ws-text .a-quote")).to_have_text(["We 👍🏽 will act,"], use_inner_text=True)
    expect(page.locator("#ws-text .a-cue")).to_have_text(["said"], use_inner_text=True)
    expect(page.locator("#ws-text .a-ent-ORG")).to_have_text(["Civic League"], use_inner_text=True)


def test_offsets_module_converts_utf16_and_code_points(page, login, live_server, annie):
    login(annie)
    result = page.evaluate(
        """async () => {
            const m = await import('/static/annotations/offsets.js');
            const text = 'a😀b👍🏽c';
            const map = m.offsetMap(text);
            return {
                cpLength: map.cpLength, length: text.length,
                toU: [0,1,2,3,4,5,6].map(map.cpToUtf16),
                toCp: [0,1,2,3,4,5,6,7,8,9].map(map.utf16ToCp),
                plain: [m.cpToUtf16('abc', 2), m.utf16ToCp('abc', 3)],
            };
        }"""
    )
    text = "a😀b👍🏽c"
    assert result["cpLength"] == len(text) == 6 and result["length"] == 9
    assert result["toU"] == [0, 1, 3, 4, 6, 8, 9]
    # Units inside a surrogate pair round up to the next code point; never split a character.
    assert result["toCp"] == [0, 1, 2, 2, 3, 4, 4, 5, 5, 6]
    assert result["plain"] == [2, 3]


XSS = "<img src=x onerror=alert(1)>"


def test_payloads_render_as_text(page, login, live_server, annie):
    body = f"Intro {XSS} and <script>alert(2)</script>. “We will act,” Jane said. The end."
    article = factories.ArticleFactory(title=f"Title {XSS}", body=body, tags=[f"{XSS}tag"])
    speaker = factories.SpeakerFactory(name=f"Mal {XSS}")
    target = factories.StanceTargetFactory(name="<script>alert(3)</script>")
    quote = factories.make_quote(
        article=article, annotator_user=annie, speaker=speaker, tags=["<script>alert(4)</script>"]
    )
    from annotations import services

    services.stance_set(quote=quote, target=target, label="favor", annotator=annie, note=f"note {XSS}")
    login(annie)
    open_article(page, live_server, article)
    page.locator(f'.ws-item[data-key="q{quote.pk}"]').click()
    page.wait_for_selector("#ws-editor:not([hidden])")
    expect(page.locator("#ws-stances")).to_contain_text("note " + XSS, use_inner_text=True)
    page.keyboard.press("Escape")
    select_text(page, "Jane")
    page.keyboard.press("q")
    page.fill("#ws-speaker-input", "<img")
    page.wait_for_selector("#ws-speaker-options .ws-option")
    page.screenshot(path="/tmp/ws-xss.png", full_page=True)
    assert page.dialogs == []
    assert page.locator("#ws img").count() == 0
    assert (
        page.locator("#ws script:not([src])").count() == 0
    )  # panels (annotations.extensions.workspace_panels) load modules by src
    expect(page.locator("#ws-text")).to_contain_text(XSS, use_inner_text=True)
    expect(page.locator("#ws-text")).to_contain_text("<script>alert(2)</script>", use_inner_text=True)
    expect(page.locator("#ws-quote-list")).to_contain_text(XSS, use_inner_text=True)
    expect(page.locator("#ws-quote-list")).to_contain_text("<script>alert(4)</script>", use_inner_text=True)
    expect(page.locator("#ws-speaker-options")).to_contain_text(XSS, use_inner_text=True)
    expect(page.locator("#ws-article-title")).to_contain_text(XSS, use_inner_text=True)
    page.goto(f"{live_server.url}/annotate/")
    assert len(page.unload_prompts) == 1  # the open form held a typed speaker
    assert page.locator("main img").count() == 0 and page.dialogs == []
    expect(page.locator("main")).to_contain_text(XSS, use_inner_text=True)


def test_plugin_api_layers_and_ready_event(page, login, live_server, annie):
    article = factories.ArticleFactory()
    factories.make_quote(article=article, annotator_user=annie)
    login(annie)
    page.add_init_script(
        """document.addEventListener('workspace:ready', (e) => { window.__readyDetail = e.detail.articleId; });"""
    )
    open_article(page, live_server, article)
    assert page.evaluate("window.__readyDetail") == article.pk
    start, end = factories.find_span(article.body, "Jane Doe")
    page.evaluate(
        """([s, e]) => {
            window.__clicks = [];
            document.addEventListener('workspace:layer-click', (ev) => window.__clicks.push(ev.detail));
            window.workspace.setLayer('suggestions', [{start: s, end: e, id: 7, className: 'sugg', title: 'PERSON?'}]);
        }""",
        [start, end],
    )
    layer = page.locator("#ws-text .l-layer")
    # The DOM's text, not innerText: a paragraph block drawn a moment ago is skipped by the browser's
    # rendering (content-visibility) until its next frame, and innerText reads "" until then.
    expect(layer).to_have_text(["Jane Doe"])
    expect(page.locator("#ws-text .a-quote")).to_have_text(["We will act,"])  # annotations untouched
    layer.click()
    page.wait_for_function("() => window.__clicks.length > 0")
    assert page.evaluate("window.__clicks") == [{"name": "suggestions", "id": 7}]
    page.evaluate("window.workspace.clearLayer('suggestions')")
    expect(page.locator("#ws-text .l-layer")).to_have_count(0)
    assert page.evaluate("window.workspace.body") == article.body
    assert page.evaluate("window.workspace.cpToUtf16(3)") == 3


def test_mixed_quote_ending_in_its_fragment_keeps_the_fragment_marks(page, login, live_server, annie):
    body = "Mr. Trump pulled the nomination in April, saying he wanted the agency to go in a “tougher direction.”"
    article = factories.ArticleFactory(body=body)
    login(annie)
    open_article(page, live_server, article)
    select_text(page, "he wanted the agency to go in a “tougher direction.”")
    page.keyboard.press("q")
    page.wait_for_selector("#ws-editor:not([hidden])")
    page.keyboard.press("3")  # mixed
    save_and_wait(page)
    quote = Quote.objects.get()
    assert quote.kind == "mixed"
    assert quote.text == "he wanted the agency to go in a “tougher direction.”"
    assert (quote.start, quote.end) == factories.find_span(body, quote.text)
