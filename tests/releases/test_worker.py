"""A release build on a real ``jobs_worker`` process killed with SIGKILL mid-build (PostgreSQL): nothing of
the release is published or kept, ``jobs_reap`` fails the job and the release, and the retry on another
worker publishes the release a clean, uninterrupted build gives, byte for byte. The same for a
``release_build`` command killed mid-build: the next ``release_build`` of that version builds it."""

import datetime
import hashlib
import io
import subprocess
import sys

import pytest
from django.utils import timezone

from annotations.models import Layer, Quote, QuoteSpan, Status
from corpus.models import Article, Speaker
from corpus.text import body_hash
from jobs import services as job_services
from jobs.models import Job
from releases import archive, services
from releases.build import WORK_PREFIX, build_zip
from releases.models import Release
from tests import factories
from tests.jobs.processes import ROOT, Processes, wait_for

pytestmark = pytest.mark.postgres

ARTICLES = 300
QUOTES_PER_ARTICLE = 20  # 6,000 quotes: a build of several seconds, long enough to be killed in the middle


@pytest.fixture
def editor(transactional_db):
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    Group.objects.get_or_create(name=str(Role.EDITOR))  # transactional tests flush the migration's groups
    return factories.UserFactory(username="release-ed", roles=[Role.EDITOR], first_name="Ada", last_name="Editor")


@pytest.fixture
def work(tmp_path):
    """The workers' temporary folder (TMPDIR), where a build writes its files before the zip."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    return folder


@pytest.fixture
def processes(transactional_db, tmp_path, work, media):
    started = Processes(tmp_path, TMPDIR=str(work))
    yield started
    started.stop_all()


def _corpus(editor) -> None:
    """ARTICLES articles of 60 sentences, a curated quote on each of their first QUOTES_PER_ARTICLE sentences."""
    speakers = Speaker.objects.bulk_create([Speaker(name=f"Speaker {i}") for i in range(50)])
    now = datetime.datetime.now(datetime.UTC)
    articles, spans = [], []
    for a in range(ARTICLES):
        sentences, offsets, at = [], [], 0
        for s in range(60):
            sentence = f"Officials said on day {s} of story {a} that the plan, criticized by many, would go ahead. "
            sentences.append(sentence)
            offsets.append((at, at + len(sentence) - 1))
            at += len(sentence)
        body = "".join(sentences).strip()
        articles.append(
            Article(
                title=f"Story {a}",
                slug=f"story-{a}",
                outlet=("The Daily", "Wire Service")[a % 2],
                published=datetime.date(2024, 1, 1) + datetime.timedelta(days=a),
                body=body,
                body_hash=body_hash(body),
            )
        )
        spans.append(offsets[:QUOTES_PER_ARTICLE])
    articles = Article.objects.bulk_create(articles)
    quotes = []
    for article, offsets in zip(articles, spans, strict=True):
        for q, (start, end) in enumerate(offsets):
            quotes.append(
                Quote(
                    article=article,
                    kind=("direct", "indirect")[q % 2],
                    speaker=speakers[q % len(speakers)],
                    start=start,
                    end=end,
                    text=article.body[start:end],
                    span_offsets=f"{start}-{end}",
                    cue_start=start + 10,
                    cue_end=start + 14,
                    cue_text=article.body[start + 10 : start + 14],
                    annotator=editor,
                    status=Status.ACCEPTED,
                    reviewed_by=editor,
                    reviewed_at=now,
                    layer=Layer.CURATED,
                    supported_by="ann1;ann2",
                    support_count=2,
                )
            )
    quotes = Quote.objects.bulk_create(quotes)
    QuoteSpan.objects.bulk_create(QuoteSpan(quote=q, position=0, start=q.start, end=q.end, text=q.text) for q in quotes)


def _stored(media) -> list[str]:
    folder = media / "releases"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _jobs_reap(processes: Processes) -> str:
    """``manage.py jobs_reap`` in a process of its own, with the workers' settings (stale after 2 s)."""
    done = subprocess.run(
        [sys.executable, "manage.py", "jobs_reap"], cwd=ROOT, env=processes.env, capture_output=True, text=True
    )
    return done.stdout


def test_a_worker_killed_mid_build_leaves_nothing_and_the_retry_builds_the_clean_release(
    processes, editor, work, media
):
    _corpus(editor)
    release = services.release_create(
        name="killed", version="1.0.0", description="Killed once.", licence="CC-BY-4.0", filters={}, user=editor
    )
    job = services.release_start_build(release=release, user=editor)
    doomed = processes.worker("doomed")

    def under_way() -> bool:
        job.refresh_from_db()
        return job.status == Job.Status.RUNNING and job.progress_done >= 1  # a file of 22 written

    wait_for(under_way, timeout=120, what="the build to be under way")
    processes.kill(doomed)
    job.refresh_from_db()
    release.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.progress_done < job.progress_total  # killed in the middle
    assert release.status == Release.Status.BUILDING and not release.file
    assert _stored(media) == []  # nothing reached the storage
    # its files stay in its temporary folder, never published
    assert [p.name.startswith(f"{WORK_PREFIX}{doomed.pid}-") for p in work.iterdir()] == [True]

    # jobs_reap (heartbeat older than JOBS_STALE_SECONDS, no live process): the job and the release fail
    wait_for(lambda: f"{job.pk}" in _jobs_reap(processes), timeout=60, every=0.5, what="jobs_reap to reap the job")
    job.refresh_from_db()
    release.refresh_from_db()
    assert job.status == Job.Status.FAILED and "The worker running this job stopped (" in job.error
    assert release.status == Release.Status.FAILED and "worker building this release stopped" in release.error
    assert not release.file and not release.sha256 and release.published is None
    assert not Release.objects.filter(status=Release.Status.PUBLISHED).exists() and _stored(media) == []

    # the retry, on another worker, publishes the release; the dead build's folder is gone
    processes.worker("survivor")
    job_services.job_retry(job=job, user=editor)

    def finished() -> bool:
        job.refresh_from_db()
        return job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED)

    wait_for(finished, timeout=300, every=0.2, what="the retried build")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.attempts == 2
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED and release.counts["quotes"] == ARTICLES * QUOTES_PER_ARTICLE
    assert _stored(media) == ["killed-1.0.0.zip"] and list(work.iterdir()) == []
    _manifest, problems = archive.verify(release.file.path)
    assert problems == []

    # a clean build of the same release in this process: the same manifest and the same zip
    clean = io.BytesIO()
    built = build_zip(release, clean)
    assert built.manifest == release.manifest
    assert hashlib.sha256(clean.getvalue()).hexdigest() == release.sha256 and len(clean.getvalue()) == release.size


def test_a_release_build_command_killed_mid_build_is_built_by_the_next_one(processes, editor, work, media):
    _corpus(editor)
    arguments = ["release_build", "--name", "killed-cli", "--version", "1.0.0", "--user", editor.username]
    doomed = processes.command("doomed-command", *arguments)

    def under_way() -> Job | None:
        job = Job.objects.filter(kind="release_build").first()
        return job if job and job.status == Job.Status.RUNNING and job.progress_done >= 1 else None

    job = wait_for(under_way, timeout=120, what="the command's build to be under way")
    processes.kill(doomed)
    release = Release.objects.get(name="killed-cli")
    assert release.status == Release.Status.BUILDING and _stored(media) == []
    assert job.worker.endswith(f":{doomed.pid}")  # the command's own process ran the job

    # once its heartbeat is stale (JOBS_STALE_SECONDS=2 for these processes), the next command reaps it and builds
    def stale() -> bool:
        job.refresh_from_db()
        return timezone.now() - job.heartbeat_at > datetime.timedelta(seconds=2.5)

    wait_for(stale, timeout=30, every=0.2, what="the dead command's heartbeat to go stale")
    again = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=processes.env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    job.refresh_from_db()
    release.refresh_from_db()
    assert job.status == Job.Status.FAILED and "The worker running this job stopped (" in job.error
    assert release.status == Release.Status.PUBLISHED and again.stdout.splitlines()[-1] == release.file.path
    assert "Building the existing failed release" in again.stderr
    assert _stored(media) == ["killed-cli-1.0.0.zip"] and list(work.iterdir()) == []
    _manifest, problems = archive.verify(release.file.path)
    assert problems == []
