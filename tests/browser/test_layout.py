"""No page widens past a phone's screen: at 390 px the document is never wider than the window,
whatever the data holds (a long target's name in a select, a release's SHA-256 in a job's result, a
datasheet's long lines, a correction form's long marks, two annotators' columns side by side)."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from annotations import services
from jobs.models import Job
from tests import factories
from tests.research.conftest import corpus  # noqa: F401  (the corpus fixture)

SHA = "6df85103d29d5cfff3292f4b93d30423af604ed40ab14c22cfe5efcbcc1abef8"
LONG_TARGET = "The regional water authority's plan to rebuild the northern coastal flood defences by 2031"


@pytest.fixture
def wide_data(corpus):
    long_target = factories.StanceTargetFactory(name=LONG_TARGET)
    services.stance_set(quote=corpus.act, target=long_target, label="against", annotator=corpus.ann)
    job = Job.objects.create(
        kind="release_build",
        params={"release": 1},
        status=Job.Status.SUCCEEDED,
        progress_done=22,
        progress_total=22,
        attempts=1,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        created_by=corpus.ed,
        result={"release": 1, "size": 66938, "sha256": SHA},
    )
    long_line = "- `csv/quotes.csv`: one row per curated quote, " * 12
    release = factories.published_release(user=corpus.ed, datasheet=f"# corpus\n\n{long_line}")
    return SimpleNamespace(job=job, release=release, quote=corpus.act, speaker=corpus.jane)


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize(
    ("role", "url", "wide"),
    [
        ("researcher", "/research/stances/", f"#id_target >> text={LONG_TARGET}"),
        ("editor", "/jobs/{job}/", f"code >> text={SHA}"),
        ("editor", "/jobs/", "#jobs >> text=Build a corpus release"),
        ("researcher", "/research/releases/{release}/", "pre.datasheet"),
        ("editor", "/review/quotes/{quote}/", "form.form-grid"),
        ("editor", "/review/articles/{article}/adjudicate/", "#adj-quotes"),
        ("researcher", "/research/speakers/{speaker}/", "text=Stances by target"),
        ("editor", "/research/releases/new/", "#id_licence"),
    ],
)
def test_pages_with_long_values_fit_a_390_px_screen(page, login, role_users, wide_data, role, url, wide):
    page.set_viewport_size({"width": 390, "height": 800})
    login(role_users[role])
    data = wide_data
    page.goto(
        url.format(
            job=data.job.pk,
            release=data.release.pk,
            quote=data.quote.pk,
            article=data.quote.article_id,
            speaker=data.speaker.pk,
        )
    )
    page.wait_for_load_state("networkidle")
    assert page.locator(wide).count() == 1  # the long value is on the page, where it could widen it
    assert _overflow(page) <= 1
