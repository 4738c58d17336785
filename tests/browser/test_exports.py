"""A researcher filters, downloads exactly that CSV from the exports page, and reads the codebook."""

import csv
import io

from playwright.sync_api import expect

from tests.exports.conftest import tricky  # noqa: F401  (the corpus fixture)


def test_filtered_download_and_codebook(page, login, researcher_user, tricky, tmp_path):
    login(researcher_user)
    page.goto("/exports/")
    page.select_option("#id_status", "all")
    # The speaker filter is a search box (no list of every speaker): type, pick from the lookup.
    page.fill("#id_speaker", "Ünal")
    page.click("#id_speaker ~ ul [role=option]:has-text('Ms. Ünal')")
    expect(page.locator("#id_speaker-value").first).to_have_value(str(tricky["zoe"].pk))
    page.click("text=Apply filters")
    page.wait_for_url("**/exports/?**")
    page.screenshot(path="/tmp/exports_index.png", full_page=True)
    with page.expect_download() as info:
        page.click("tr:has-text('quotes.csv') a:text-is('CSV')")
    path = tmp_path / "quotes.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    assert rows[0][0] == "quote_id"
    assert sorted(int(r[0]) for r in rows[1:]) == sorted(q.pk for q in tricky["quotes"][:2])
    page.click("text=codebook")
    page.wait_for_url("**/exports/codebook/")
    assert page.locator("#quotes code", has_text="quote_spans").count() == 1
    page.screenshot(path="/tmp/exports_codebook.png")
