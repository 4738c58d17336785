"""The workspace at every width, by keyboard and by mouse; undo/redo, layers, shortcuts, arcs, RTL, axe."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import Preference
from accounts.roles import Role
from annotations.models import EntityMention, Quote
from tests import factories
from tests.browser.test_workspace import open_article, page, select_text  # noqa: F401 (the page fixture)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [(1366, 768), (800, 900), (390, 844)]
AXE = Path(__file__).resolve().parents[2] / ".cache/axe/node_modules/axe-core/axe.min.js"


@pytest.fixture
def annie(transactional_db):
    return factories.UserFactory(username="annie", roles=[Role.ANNOTATOR])


def login_at(page, live_server, user, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def assert_in_viewport(page, selector):
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] + 0.5, (box, size)
    assert box["y"] + box["height"] <= size["height"] + 0.5, (box, size)


def save(page, how="keyboard"):
    with page.expect_response(
        lambda r: "/api/v1/workspace/" in r.url and r.request.method in ("POST", "PATCH")
    ) as info:
        if how == "keyboard":
            page.keyboard.press("Control+Enter")
        else:
            page.click("#ws-save")
    assert info.value.status in (200, 201), info.value.text()
    page.wait_for_selector("#ws-editor", state="hidden")


@pytest.mark.parametrize("width,height", WIDTHS)
def test_quote_by_keyboard_only(page, live_server, annie, width, height):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, width, height)
    open_article(page, live_server, article)
    page.keyboard.press("v")  # word selection mode, from the first word
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("q")
    page.wait_for_selector("#ws-editor:not([hidden])")
    assert_in_viewport(page, "#ws-editor")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("m")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("c")
    page.keyboard.press("p")
    page.wait_for_selector("#ws-speaker-options .ws-option-create")
    page.keyboard.press("Enter")  # + New speaker "Jane Doe"
    page.screenshot(path=f"/tmp/ws-keyboard-{width}.png")
    save(page)
    quote = Quote.objects.get()
    body = article.body
    assert body[quote.start : quote.end] == "We will act"
    assert body[quote.cue_start : quote.cue_end] == "said"
    assert body[quote.speaker_mention_start : quote.speaker_mention_end] == "Jane Doe"
    assert quote.speaker.name == "Jane Doe"


@pytest.mark.parametrize("width,height", WIDTHS)
def test_quote_by_mouse(page, live_server, annie, width, height):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, width, height)
    open_article(page, live_server, article)
    drag_over(page, "We will act,")
    page.click("#ws-new-quote")
    page.wait_for_selector("#ws-editor:not([hidden])")
    assert_in_viewport(page, "#ws-editor")
    page.screenshot(path=f"/tmp/ws-mouse-{width}.png")
    drag_over(page, "said")
    assert page.evaluate("window.getSelection().toString()") == "said"
    page.click("#ws-take-cue")
    page.check("#ws-speaker-unknown")
    save(page, how="mouse")
    quote = Quote.objects.get()
    assert quote.text == "We will act,"
    assert article.body[quote.cue_start : quote.cue_end] == "said"
    assert quote.speaker is None and "speaker-unknown" in quote.tags.names()
    assert page.dialogs == []  # marked unknown on purpose: no question asked


def drag_over(page, needle):
    """Select ``needle`` with the mouse: press at its first character, release after its last."""
    rects = page.evaluate(
        """(needle) => {
            const root = document.getElementById('ws-text');
            const at = root.textContent.indexOf(needle);
            const locate = (offset) => {
                const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
                let node, seen = 0;
                while ((node = walker.nextNode())) { if (seen + node.length > offset) return [node, offset - seen]; seen += node.length; }
            };
            const box = (offset) => { const [n, o] = locate(offset); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1);
                                      return r.getBoundingClientRect(); };
            // a third of the way down: clear of the bottom sheet and of the edge where dragging autoscrolls
            window.scrollBy(0, box(at).top - innerHeight / 3);
            const a = box(at), b = box(at + needle.length - 1);
            return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
        }""",
        needle,
    )
    x0, y0, x1, y1 = rects
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=5)
    page.mouse.up()


def test_undo_redo_of_a_created_and_a_deleted_quote(page, live_server, annie):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    select_text(page, "We will act,")
    page.keyboard.press("q")
    page.check("#ws-speaker-unknown")
    save(page)
    assert Quote.objects.count() == 1
    page.locator("#ws-text").focus()
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        page.keyboard.press("Control+z")
    page.wait_for_selector("#ws-status:has-text('Undone')")
    assert Quote.objects.count() == 0
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+Shift+Z")
    page.wait_for_selector("#ws-status:has-text('Redone')")
    quote = Quote.objects.get()
    assert quote.text == "We will act,"
    # Delete (twice: the first press only arms it), then undo brings it back with its spans.
    page.locator(f'.ws-item[data-key="q{quote.pk}"]').click()
    page.keyboard.press("Escape")
    page.locator(f'.ws-item[data-key="q{quote.pk}"]').click()
    page.locator("#ws-text").focus()
    page.keyboard.press("Delete")
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        page.keyboard.press("Delete")
    page.wait_for_selector("#ws-status:has-text('Ctrl+Z brings it back')")
    assert Quote.objects.count() == 0
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Control+z")
    page.wait_for_selector("#ws-status:has-text('Undone')")
    back = Quote.objects.get()
    assert (back.span_offsets, back.text) == (quote.span_offsets, quote.text)
    assert back.events.filter(action="create").exists()


def test_layers_toggle_and_are_remembered(page, live_server, annie):
    article = factories.ArticleFactory()
    factories.make_quote(article=article, annotator_user=annie)
    factories.make_mention(article=article, annotator_user=annie)
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    page.evaluate("window.workspace.setLayer('suggestions', [{start: 0, end: 10, id: 1}])")
    checks = {
        "quotes": ("#ws-text .a-quote", "background-color", "rgba(0, 0, 0, 0)"),
        "entities": ("#ws-text .a-ent", "border-bottom-color", "rgba(0, 0, 0, 0)"),
        "suggestions": ("#ws-text .l-layer", "text-decoration-line", "none"),
    }
    for name, (selector, prop, hidden) in checks.items():
        shown = page.locator(selector).first.evaluate(f"(n) => getComputedStyle(n)['{prop}']")
        assert shown != hidden
        with page.expect_response(lambda r: "/api/v1/preferences" in r.url):
            page.uncheck(f'.ws-layer[value="{name}"]')
        expect(page.locator(selector).first).to_have_css(prop, hidden)
    with page.expect_response(lambda r: "/api/v1/preferences" in r.url):
        page.uncheck('.ws-layer[value="stances"]')
    assert Preference.objects.get(user=annie).data["layers"] == {
        "quotes": False,
        "entities": False,
        "suggestions": False,
        "stances": False,
    }
    page.reload()
    page.wait_for_selector("html[data-workspace-ready=true]")
    assert not page.is_checked('.ws-layer[value="quotes"]')
    assert page.locator("#ws").get_attribute("class").count("hide-") == 4


def test_help_overlay_and_a_remapped_shortcut(page, live_server, annie):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, 800, 900)
    open_article(page, live_server, article)
    page.keyboard.press("?")
    page.wait_for_selector("#ws-help[open]")
    for what in ("New quote from the selection", "Ctrl+Shift+Z", "Word selection mode", "Take the cue"):
        expect(page.locator("#ws-help")).to_contain_text(what, use_inner_text=True)
    page.screenshot(path="/tmp/ws-help-800.png")
    page.fill("#ws-key-quote", "w")
    page.fill("#ws-key-entity", "")
    with page.expect_response(lambda r: "/api/v1/preferences" in r.url):
        page.click("#ws-help-save")
    assert Preference.objects.get(user=annie).data["shortcuts"] == {"quote": "w", "entity": ""}
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.getElementById('ws-help').open")
    select_text(page, "We will act,")
    page.keyboard.press("q")
    page.keyboard.press("e")
    assert page.locator("#ws-editor").is_hidden()
    page.keyboard.press("w")
    page.wait_for_selector("#ws-editor:not([hidden])")
    expect(page.locator("#ws-editor-title")).to_have_text("New quote", use_inner_text=True)


def test_arcs_end_on_the_speaker_mention_and_cue_after_a_resize(page, live_server, annie):
    article = factories.ArticleFactory()
    speaker = factories.SpeakerFactory(name="Jane Doe")
    from annotations import services

    quote = factories.make_quote(
        article=article,
        annotator_user=annie,
        speaker=speaker,
        cue="said",
        speaker_mention=factories.find_span(article.body, "Jane Doe"),
    )
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    page.check("#ws-arcs-all")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_function("() => document.querySelectorAll('#ws-arcs path').length === 2")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # the redraw
        ends = page.evaluate("""() => {
            const wrap = document.getElementById('ws-text-wrap').getBoundingClientRect();
            const at = (sel) => { const r = document.querySelector(sel).getClientRects()[0];
                                  return [r.left - wrap.left, r.right - wrap.left, r.top - wrap.top]; };
            const arcs = Object.fromEntries([...document.querySelectorAll('#ws-arcs path')].map(p => [p.dataset.role, [p.dataset.from, p.dataset.to].map(s => s.split(',').map(Number))]));
            return {arcs, quote: at('#ws-text .a-quote'), mention: at('#ws-text .a-smention'), cue: at('#ws-text .a-cue')};
        }""")
        (qx, qy), (mx, my) = ends["arcs"]["mention"]
        (m2x, m2y), (cx, cy) = ends["arcs"]["cue"]
        for (x, y), (left, right, top) in (
            ((qx, qy), ends["quote"]),
            ((mx, my), ends["mention"]),
            ((cx, cy), ends["cue"]),
        ):
            assert left <= x <= right and abs(y - top) < 1.5, (width, x, y, left, right, top)
        page.screenshot(path=f"/tmp/ws-arcs-{width}.png")
    assert services  # imported for the factory's service path
    assert quote.pk


ARABIC = "قال الوزير: «سنعمل بسرعة» في المؤتمر."
HEBREW = "אמרה השרה: „נפעל מהר” בכנס."
MIXED = "The minister said «سنعمل 😀 بسرعة» and left שלום."


@pytest.mark.parametrize(
    "language,body,needle",
    [
        ("ar", ARABIC, "سنعمل بسرعة"),
        ("he", HEBREW, "נפעל מהר"),
        ("en", MIXED, "سنعمل 😀 بسرعة"),
    ],
)
def test_right_to_left_selection_stores_code_points(page, live_server, annie, language, body, needle):
    article = factories.ArticleFactory(body=body, language=language)
    login_at(page, live_server, annie, 800, 900)
    open_article(page, live_server, article)
    expected_dir = {"ar": "rtl", "he": "rtl", "en": "ltr"}[language]
    expect(page.locator("#ws-text").first).to_have_attribute("dir", expected_dir)
    select_text(page, needle)
    page.keyboard.press("e")
    page.wait_for_selector("#ws-editor:not([hidden])")
    save(page)
    mention = EntityMention.objects.get()
    start = body.index(needle)
    assert (mention.start, mention.end) == (start, start + len(needle))  # Python code points
    assert body[mention.start : mention.end] == mention.text == needle
    page.screenshot(path=f"/tmp/ws-rtl-{language}.png")


def test_punctuation_only_selection_is_refused(page, live_server, annie):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    select_text(page, "—")
    page.keyboard.press("e")
    expect(page.locator("#ws-status")).to_contain_text("only punctuation", use_inner_text=True)
    assert page.locator("#ws-editor").is_hidden()


def test_escape_on_a_half_filled_editor_asks_first(page, live_server, annie):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    select_text(page, "We will act,")
    page.keyboard.press("q")
    select_text(page, "said")
    page.keyboard.press("c")
    page.answer = False
    page.keyboard.press("Escape")
    assert page.dialogs == ["Discard the changes in the open form?"]
    assert page.locator("#ws-editor").is_visible()
    page.answer = True
    page.keyboard.press("Escape")
    page.wait_for_selector("#ws-editor", state="hidden")


def test_back_after_a_save_shows_the_saved_quote(page, live_server, annie):
    article = factories.ArticleFactory()
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    select_text(page, "We will act,")
    page.keyboard.press("q")
    page.check("#ws-speaker-unknown")
    save(page)
    page.goto(f"{live_server.url}/annotate/")
    page.go_back()
    page.wait_for_selector("html[data-workspace-ready=true]")
    page.wait_for_function("() => document.querySelectorAll('#ws-quote-list .ws-item').length === 1")
    expect(page.locator("#ws-quote-list")).to_contain_text("We will act,", use_inner_text=True)


def test_opens_at_the_quote_given_in_the_url(page, live_server, annie):
    article = factories.ArticleFactory()
    factories.make_quote(article=article, annotator_user=annie)
    second = factories.make_quote(article=article, annotator_user=annie, text="The plan is ready.")
    login_at(page, live_server, annie, 390, 844)
    page.goto(f"{live_server.url}/annotate/articles/{article.pk}/?quote={second.pk}")
    page.wait_for_selector("#ws-editor:not([hidden])")
    expect(page.locator(f'.ws-item[data-key="q{second.pk}"]')).to_contain_class("is-selected")
    expect(page.locator("#ws-text .seg.is-selected")).to_have_text(["The plan is ready."], use_inner_text=True)
    assert_in_viewport(page, "#ws-editor")


@pytest.mark.parametrize("width,height", WIDTHS)
def test_axe_finds_no_serious_violation(page, live_server, annie, width, height):
    assert AXE.exists(), "run `make test-browser`: it installs axe-core into .cache/axe"
    article = factories.ArticleFactory()
    factories.make_quote(article=article, annotator_user=annie, cue="said")
    factories.make_mention(article=article, annotator_user=annie)
    login_at(page, live_server, annie, width, height)
    open_article(page, live_server, article)
    # Served from our own origin: the Content-Security-Policy refuses inline scripts, axe's included.
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=f"{live_server.url}/__axe.min.js")
    for step in ("closed", "editor"):
        if step == "editor":
            page.locator(".ws-item").first.click()
            page.wait_for_selector("#ws-editor:not([hidden])")
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], (step, bad)


def test_long_article_is_drawn_by_paragraph_and_offsets_stay_exact(page, live_server, annie):
    """One block per paragraph (skipped by the browser while off screen); a selection in the last one,
    after an emoji and a right-to-left paragraph further up, still stores exact code points."""
    paragraphs = [f"Paragraph {i}: the council met and Mayor Lee Park{i} spoke." for i in range(60)]
    paragraphs[3] = "Greeting 😀 👍🏽 before the rest. قال الوزير: «سنعمل بسرعة»."
    paragraphs[-1] = "At the end, Dana Quill said the vote would wait."
    body = "\n\n".join(paragraphs)
    article = factories.ArticleFactory(body=body)
    for i in range(0, 58, 2):
        factories.make_mention(article=article, text=f"Lee Park{i}", annotator_user=annie)
    login_at(page, live_server, annie, 1366, 768)
    open_article(page, live_server, article)
    assert page.locator("#ws-text > .ws-chunk").count() == 60
    assert page.locator("#ws-text .a-ent").count() == 29
    assert page.evaluate("document.getElementById('ws-text').textContent") == body
    page.locator("#ws-text > .ws-chunk").last.scroll_into_view_if_needed()
    select_text(page, "Dana Quill")
    page.keyboard.press("e")
    page.wait_for_selector("#ws-editor:not([hidden])")
    save(page)
    mention = EntityMention.objects.get(text="Dana Quill")
    start = body.index("Dana Quill")
    assert (mention.start, mention.end) == (start, start + len("Dana Quill"))
    # From the top, k (previous) goes round to the last entity, far down the page, and scrolls to it.
    page.evaluate("window.scrollTo(0, 0)")
    page.keyboard.press("Escape")
    page.keyboard.press("k")
    selected = page.locator("#ws-text .a-ent.is-selected")
    selected.wait_for()
    expect(selected).to_have_text("Dana Quill")
    page.wait_for_function(
        "() => { const r = document.querySelector('#ws-text .a-ent.is-selected').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
