"""axe-core finds no serious or critical violation on the pages of each role, on a phone and a laptop, and
in the dark theme (the workspace has its own axe test in test_workspace_layout.py). Fails on colour contrast below WCAG AA,
and on a table that scrolls in its box but cannot take keyboard focus (static/js/scrollregions.js)."""

import pytest

from tests.browser.test_layout import wide_data  # noqa: F401  (the fixture: a job, a release, long values)
from tests.browser.test_workspace_layout import AXE
from tests.research.conftest import corpus  # noqa: F401  (the corpus fixture)

PAGES = {
    "annotator": ["/", "/annotate/", "/review/mine/", "/accounts/tokens/", "/annotate/guidelines/"],
    "editor": [
        "/review/",
        "/review/quotes/{quote}/",
        "/review/articles/{article}/adjudicate/",
        "/review/assignments/",
        "/review/agreement/",
        "/review/speakers/merge/",
        "/review/speakers/wikidata-proposals/",
        "/jobs/",
        "/jobs/{job}/",
        "/research/releases/new/",
    ],
    "researcher": [
        "/research/",
        "/research/quotes/?q=act",
        "/research/articles/{article}/",
        "/research/speakers/{speaker}/",
        "/research/stances/",
        "/research/who/",
        "/research/releases/{release}/",
        "/exports/",
    ],
}

RUN_AXE = (
    "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
    ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
)


@pytest.mark.parametrize(("width", "scheme"), [(390, "light"), (1366, "light"), (1366, "dark")])
@pytest.mark.parametrize("role", sorted(PAGES))
def test_axe_finds_no_serious_violation(page, login, role_users, wide_data, live_server, role, width, scheme):
    assert AXE.exists(), "run `make test-browser`: it installs axe-core into .cache/axe"
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)  # the dark theme follows prefers-color-scheme
    login(role_users[role])
    # Served from our own origin: the Content-Security-Policy refuses inline scripts, axe's included.
    page.route("**/__axe.min.js", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    ids = {
        "quote": wide_data.quote.pk,
        "article": wide_data.quote.article_id,
        "speaker": wide_data.speaker.pk,
        "job": wide_data.job.pk,
        "release": wide_data.release.pk,
    }
    found = {}
    for url in PAGES[role]:
        response = page.goto(url.format(**ids))
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
        page.add_script_tag(url=f"{live_server.url}/__axe.min.js")
        violations = page.evaluate(RUN_AXE)
        if violations:
            found[url] = violations
    assert found == {}
