"""With the Content-Security-Policy on, no page of any role reports a violation in the browser."""

import pytest

from tests.config.test_csp import policy_directives
from tests.research.conftest import corpus  # noqa: F401  (the corpus fixture)

PAGES = {
    "annotator": ["/", "/annotate/", "/annotate/articles/{article}/", "/review/mine/", "/accounts/tokens/"],
    "editor": [
        "/review/",
        "/review/assignments/",
        "/review/agreement/",
        "/review/speakers/merge/",
        "/review/quotes/{quote}/",
        "/jobs/",
        "/suggestions/",
    ],
    "researcher": [
        "/research/",
        "/research/quotes/?q=act",
        "/research/articles/{article}/",
        "/research/stances/",
        "/research/who/",
        "/exports/",
        "/exports/codebook/",
    ],
    "admin": ["/admin/", "/admin/corpus/article/{article}/change/", "/api/v1/docs", "/ingest/"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_no_csp_violation_on_any_page(page, login, role_users, corpus, role):
    # Each report names the page it came from, so a failure in CI says which page and which directive.
    violations = []
    page.on(
        "console",
        lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None,
    )
    login(role_users[role])
    article, quote = corpus.act.article_id, corpus.act.pk
    for url in PAGES[role]:
        response = page.goto(url.format(article=article, quote=quote))
        assert response.status == 200, url
        # Read by directive: the header's order changes from one test run to the next (see policy_directives).
        policy = policy_directives(response.headers.get("content-security-policy", ""))
        assert policy.get("script-src") == "'self'", url
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)


def test_the_policy_blocks_an_inline_script_and_the_console_says_so(page, login, researcher_user):
    """The check above can fail: an injected inline script is refused, and the console reports it."""
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    login(researcher_user)
    page.goto("/research/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert violations, "an inline script ran or was refused silently"
