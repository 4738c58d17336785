"""An editor links a speaker to Wikidata through the form (against the local fake server) and sees the
attributes filled in with their source."""

import pytest

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
    assert "fictional legislator used in tests" in page.inner_text("#preview")
    with page.expect_navigation():
        page.click("#confirm-link")
    assert "is linked to Q9000001" in page.content(), page.inner_text("main")
    rows = {
        row.get_attribute("data-attribute"): row for row in page.locator("#speaker-attributes tr[data-attribute]").all()
    }
    assert rows["gender"].locator(".value").inner_text() == "woman"
    assert rows["gender"].locator(".source").inner_text().startswith("Wikidata (Q9000001, ")
    assert rows["party"].locator(".value").inner_text() == "Harbour Party"
