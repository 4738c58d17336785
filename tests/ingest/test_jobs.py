"""Imports over IMPORT_BACKGROUND_BYTES: the page and the API store the upload and enqueue a job; the job
imports with progress in bytes and leaves the report; small files stay synchronous."""

import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from corpus.models import Article
from jobs import services as job_services
from jobs.models import Job
from tests.api.conftest import API
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db


def _jsonl(n: int, tag: str = "Big") -> bytes:
    return b"".join(
        json.dumps({"title": f"{tag} article {i}", "body": f"The body of {tag.lower()} article number {i}."}).encode()
        + b"\n"
        for i in range(n)
    )


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_BYTES = 1000


def test_page_enqueues_a_large_import_and_the_job_page_shows_the_report(client_for, editor_user, small_threshold):
    client = client_for(editor_user)
    data = _jsonl(50)
    response = client.post(
        reverse("ingest:index"), {"files": [SimpleUploadedFile("big.jsonl", data)], "status": "draft"}
    )
    job = Job.objects.get(kind="article_import")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert not Article.objects.exists()  # nothing imported in the request
    (stored,) = job.params["files"]
    assert stored["name"] == "big.jsonl" and stored["size"] == len(data) and default_storage.exists(stored["path"])
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED, ran.error
    assert (ran.progress_done, ran.progress_total) == (len(data), len(data))
    assert Article.objects.count() == 50 and ran.result["created"] == 50
    assert not default_storage.exists(stored["path"])  # the upload goes once imported
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="import-report"' in html and "big.jsonl: 50 article(s) created" in html and "Big article 0" in html


def test_small_imports_stay_synchronous(client_for, editor_user, small_threshold):
    response = client_for(editor_user).post(
        reverse("ingest:index"), {"files": [SimpleUploadedFile("s.jsonl", _jsonl(2))], "status": "draft"}
    )
    assert response.status_code == 200 and Article.objects.count() == 2 and not Job.objects.exists()


def test_a_bad_large_file_fails_nothing_written_report_shown(client_for, editor_user, small_threshold):
    data = _jsonl(40) + b'{"title": "no body"}\n'
    client_for(editor_user).post(
        reverse("ingest:index"), {"files": [SimpleUploadedFile("bad.jsonl", data)], "status": "draft"}
    )
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED and ran.result["ok"] is False
    assert ran.result["reports"][0]["errors"][0]["line"] == 41
    assert not Article.objects.exists()


def test_a_cancelled_import_keeps_nothing(client_for, editor_user, small_threshold, monkeypatch):
    client_for(editor_user).post(
        reverse("ingest:index"), {"files": [SimpleUploadedFile("c.jsonl", _jsonl(3000))], "status": "draft"}
    )
    job = Job.objects.get()
    monkeypatch.setattr("ingest.services.READ_CHUNK", 1024)  # many reads, so the cancel is seen mid-file
    real_progress = __import__("jobs.context", fromlist=["JobContext"]).JobContext.progress
    calls = []

    def progress_then_cancel(self, done, total):
        calls.append(done)
        if len(calls) == 20:
            Job.objects.filter(pk=self.job.pk).update(cancel_requested=True)
        real_progress(self, done, total)

    monkeypatch.setattr("jobs.context.JobContext.progress", progress_then_cancel)
    monkeypatch.setattr("django.conf.settings.JOBS_PROGRESS_SECONDS", 0)
    (ran,) = run_queued()
    assert ran.status == Job.Status.CANCELLED and not Article.objects.exists()
    assert len(calls) >= 20 and calls[-1] < job.params["files"][0]["size"]  # stopped mid-file
    assert default_storage.exists(job.params["files"][0]["path"])  # kept: a retry reads it again
    job_services.job_retry(job=ran, user=editor_user)
    monkeypatch.setattr("jobs.context.JobContext.progress", real_progress)
    (again,) = run_queued()
    assert again.status == Job.Status.SUCCEEDED and Article.objects.count() == 3000


def test_api_answers_202_with_the_job(client, editor_user, small_threshold):
    client.force_login(editor_user)
    response = client.post(f"{API}articles/import", {"files": [SimpleUploadedFile("a.jsonl", _jsonl(30, "Api"))]})
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["job"])
    assert response.json()["url"].endswith(f"/api/v1/jobs/{job.pk}") and job.params["all_or_nothing"] is True
    run_queued()
    data = client.get(f"{API}jobs/{job.pk}").json()
    assert data["status"] == "succeeded" and data["result"]["created"] == 30


def test_pruning_a_failed_import_deletes_the_upload_it_kept_for_retry(
    client_for, editor_user, small_threshold, django_capture_on_commit_callbacks
):
    client_for(editor_user).post(
        reverse("ingest:index"), {"files": [SimpleUploadedFile("f.jsonl", _jsonl(40))], "status": "draft"}
    )
    failed = Job.objects.get()
    path = failed.params["files"][0]["path"]
    at = timezone.now() - datetime.timedelta(days=200)
    Job.objects.filter(pk=failed.pk).update(status=Job.Status.FAILED, error="Stopped.", started_at=at, finished_at=at)
    client_for(editor_user).post(  # a later import: the kind's latest job, which pruning keeps
        reverse("ingest:index"), {"files": [SimpleUploadedFile("g.jsonl", _jsonl(40, "Later"))], "status": "draft"}
    )
    assert default_storage.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        assert job_services.jobs_prune(older_than=datetime.timedelta(days=90)) == 1
    assert not Job.objects.filter(pk=failed.pk).exists() and not default_storage.exists(path)
