"""The failure, cancel and retry paths, and a worker killed mid-job, with real worker processes
(``manage.py jobs_worker``) against PostgreSQL."""

import pytest
from django_tasks_db.models import DBTaskResult

from corpus.models import Article
from jobs import services
from jobs.models import Job
from tests import factories
from tests.jobs.processes import wait_for

pytestmark = pytest.mark.postgres


@pytest.fixture
def editor(transactional_db):
    from django.contrib.auth.models import Group

    from accounts.roles import Role

    Group.objects.get_or_create(name=str(Role.EDITOR))  # transactional tests flush the migration's groups
    return factories.UserFactory(username="worker-ed", roles=[Role.EDITOR])


def _status(job: Job, *statuses: str) -> Job | None:
    job.refresh_from_db()
    return job if job.status in statuses else None


def _rows(tag: str) -> int:
    return Article.objects.filter(title__startswith=f"{tag} step").count()


def test_failure_cancel_and_retry(processes, editor, tmp_path):
    processes.worker("w1")
    # failure: its rows roll back, the error is shown; a retry (a new attempt) succeeds
    failing = services.job_enqueue(
        kind="test_steps", params={"steps": 3, "tag": "flaky", "fail_at": 1, "fail_attempts": 1}, user=editor
    )
    wait_for(lambda: _status(failing, "failed"), what="the failure")
    assert "Step 1 of flaky failed on purpose" in failing.error and _rows("flaky") == 0
    assert DBTaskResult.objects.get(id=failing.task_result_id).status == "FAILED"
    services.job_retry(job=failing, user=editor)
    wait_for(lambda: _status(failing, "succeeded"), what="the retry")
    assert failing.attempts == 2 and _rows("flaky") == 3

    # cancel while running: progress showed meanwhile (written outside the job's transaction), nothing kept
    slow = services.job_enqueue(
        kind="test_steps", params={"steps": 40, "delay": 0.05, "tag": "slow", "out": str(tmp_path)}, user=editor
    )
    wait_for(lambda: Job.objects.get(pk=slow.pk).progress_done >= 3, what="progress while running")
    assert _rows("slow") == 0  # not committed yet
    services.job_cancel(job=slow, user=editor)
    wait_for(lambda: _status(slow, "cancelled"), what="the cancel")
    assert _rows("slow") == 0 and not (tmp_path / "slow.txt").exists()
    assert 3 <= slow.progress_done < 40
    services.job_retry(job=slow, user=editor)
    wait_for(lambda: _status(slow, "succeeded"), timeout=60, what="the retried job")
    assert _rows("slow") == 40 and (tmp_path / "slow.txt").read_text().split() == [f"slow:{i}" for i in range(40)]


def test_a_killed_worker_leaves_nothing_and_the_job_is_retried(processes, editor, tmp_path):
    first = processes.worker("doomed")
    job = services.job_enqueue(
        kind="test_steps", params={"steps": 30, "delay": 0.05, "tag": "killed", "out": str(tmp_path)}, user=editor
    )
    wait_for(lambda: Job.objects.get(pk=job.pk).progress_done >= 5, what="the job to be half done")
    processes.kill(first)
    assert _rows("killed") == 0 and not (tmp_path / "killed.txt").exists()  # the partial file kept its temporary name
    processes.worker("survivor")  # its reaper finds the dead worker's job
    wait_for(lambda: _status(job, "failed"), what="the reaper")
    assert "The worker running this job stopped (" in job.error and ":" in job.worker
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"
    services.job_retry(job=job, user=editor)
    wait_for(lambda: _status(job, "succeeded"), timeout=60, what="the retry on the other worker")
    assert _rows("killed") == 30 and (tmp_path / "killed.txt").read_text().split() == [f"killed:{i}" for i in range(30)]
    assert DBTaskResult.objects.get(id=job.task_result_id).worker_ids == ["survivor"]
