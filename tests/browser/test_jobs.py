"""An editor imports a large file: the import runs as a job on a live worker (another process, so
PostgreSQL), the job page's progress bar moves, then the page shows the import report."""

import json
import time

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from corpus.models import Article
from jobs.models import Job
from tests.factories import UserFactory
from tests.jobs.processes import Processes

pytestmark = pytest.mark.postgres

ARTICLES = 10_000


@pytest.fixture
def worker(transactional_db, tmp_path, settings):
    settings.IMPORT_BACKGROUND_BYTES = 100_000  # the file below (about 1 MB) runs as a job
    processes = Processes(tmp_path)
    processes.worker("browser-worker")
    yield processes
    processes.stop_all()


@pytest.mark.django_db(transaction=True)
def test_editor_follows_a_large_import_to_its_report(page, login, live_server, worker, tmp_path):
    page.set_default_timeout(60_000)  # a worker and a live server share the machine with the browser
    Group.objects.get_or_create(name=str(Role.EDITOR))
    path = tmp_path / "large.jsonl"
    path.write_text(
        "".join(
            json.dumps({"title": f"Harbour report {i}", "body": f"The harbour board met for the {i}th time."}) + "\n"
            for i in range(ARTICLES)
        ),
        encoding="utf-8",
    )
    login(UserFactory(username="big-importer", roles=[Role.EDITOR]))
    page.goto(f"{live_server.url}/ingest/")
    page.set_input_files("input[type=file]", str(path))
    page.click(".import-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    assert page.locator("progress#job-progress").count() == 1

    seen = []  # (value, max) of the bar as the page's script moves it
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not page.locator("#import-report").count():
        bar = page.evaluate(
            "() => { const b = document.getElementById('job-progress'); return b ? [b.value, b.max] : null; }"
        )
        if bar:
            seen.append(tuple(bar))
        time.sleep(0.1)
    moving = [(value, top) for value, top in seen if 0 < value < top and top == path.stat().st_size]
    assert moving, f"the bar never showed partial progress: {sorted(set(seen))[:10]}"
    page.wait_for_selector("#import-report")
    # The page's script fills the report in: each check waits for it (as long as the page's own waits).
    expect(page.locator("#job-status").first).to_have_text("Succeeded", use_inner_text=True, timeout=60_000)
    expect(page.locator("#import-report .count-created").first).to_have_text(str(ARTICLES), use_inner_text=True)
    expect(page.locator("#import-report .report-rows").first).to_contain_text("Harbour report 0", use_inner_text=True)
    page.screenshot(path="/tmp/jobs_import_report.png", full_page=True)
    assert Article.objects.count() == ARTICLES and Job.objects.get().status == Job.Status.SUCCEEDED
