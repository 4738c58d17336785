import dataclasses
import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from corpus.models import Article
from jobs import services
from jobs.exceptions import JobStateConflict
from jobs.models import Job
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db


def test_enqueue_creates_the_job_and_its_task_in_one_go(enqueue, editor_user):
    job = enqueue(steps=2)
    assert job.status == Job.Status.QUEUED and job.created_by == editor_user and job.params == {"steps": 2}
    task = DBTaskResult.objects.get(id=job.task_result_id)
    assert task.task_path == "jobs.tasks.run_job" and task.args_kwargs["args"] == [job.pk]


def test_enqueue_checks_kind_role_and_params(annotator_user, editor_user):
    with pytest.raises(PermissionDenied):
        services.job_enqueue(kind="test_steps", params={}, user=annotator_user)
    with pytest.raises(ValidationError, match="No job kind"):
        services.job_enqueue(kind="nope", params={}, user=editor_user)
    with pytest.raises(ValidationError, match="JSON"):
        services.job_enqueue(kind="test_steps", params={"when": timezone.now()}, user=editor_user)
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_a_job_runs_once_and_keeps_its_result(enqueue):
    job = enqueue(steps=3, tag="once")
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED and ran.attempts == 1
    assert (ran.progress_done, ran.progress_total) == (3, 3)
    assert ran.result["steps"] == 3 and ran.started_at and ran.finished_at and ran.worker
    assert Article.objects.filter(title__startswith="once step").count() == 3
    assert run_queued() == []  # nothing queued: the same attempt never runs twice
    assert services.job_start(job_id=job.pk, task_result_id=job.task_result_id) is None


def test_a_failure_keeps_nothing_and_says_why(enqueue):
    job = enqueue(steps=3, fail_at=1, tag="fails")
    run_queued()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "Step 1 of fails failed on purpose" in job.error
    assert not Article.objects.filter(title__startswith="fails").exists()  # rolled back


def test_run_here_runs_the_job_in_this_process_as_its_worker(editor_user):
    job = services.job_run_here(
        kind="test_steps", params={"steps": 2, "tag": "here"}, user=editor_user, reporting=False
    )
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1 and job.result["steps"] == 2
    assert job.worker == services.worker_name() and job.created_by == editor_user
    assert Article.objects.filter(title__startswith="here step").count() == 2
    assert not DBTaskResult.objects.exists()  # no task was enqueued: no worker can run it a second time
    assert run_queued() == []


def test_run_here_records_a_failure_and_keeps_nothing(editor_user):
    job = services.job_run_here(
        kind="test_steps", params={"steps": 3, "fail_at": 1, "tag": "boom"}, user=editor_user, reporting=False
    )
    assert job.status == Job.Status.FAILED and "Step 1 of boom failed on purpose" in job.error
    assert not Article.objects.filter(title__startswith="boom").exists()


def test_run_here_checks_kind_and_role(annotator_user, editor_user):
    with pytest.raises(PermissionDenied):
        services.job_run_here(kind="test_steps", params={}, user=annotator_user)
    with pytest.raises(ValidationError):
        services.job_run_here(kind="no_such_kind", params={}, user=editor_user)
    assert not Job.objects.exists()


def test_a_job_run_here_whose_process_died_is_reaped(editor_user):
    job = services.job_run_here(kind="test_steps", params={"steps": 1}, user=editor_user, reporting=False)
    # as if the command had been killed mid-run: still running, a dead process's name, an old heartbeat
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING,
        finished_at=None,
        result=None,
        worker="elsewhere:1",
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert services.jobs_reap() == [job.pk]  # its task id names no task result: nothing else to fail
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_cancel_a_queued_job_and_retry_it(enqueue, editor_user):
    job = services.job_cancel(job=enqueue(tag="later"), user=editor_user)
    assert job.status == Job.Status.CANCELLED and job.finished_at
    assert run_queued() == []  # its task finds it cancelled and does nothing
    first_task = job.task_result_id
    job = services.job_retry(job=job, user=editor_user)
    assert job.status == Job.Status.QUEUED and job.task_result_id != first_task and job.finished_at is None
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED and ran.attempts == 1
    # the old attempt's task can no longer claim the job
    assert services.job_start(job_id=job.pk, task_result_id=first_task) is None


def test_cancel_and_retry_refuse_the_wrong_states(enqueue, editor_user):
    job = enqueue()
    with pytest.raises(JobStateConflict, match="Only a failed or cancelled job"):
        services.job_retry(job=job, user=editor_user)
    run_queued()
    job.refresh_from_db()
    with pytest.raises(JobStateConflict, match="nothing to cancel"):
        services.job_cancel(job=job, user=editor_user)


def test_a_running_job_is_asked_to_stop(enqueue, editor_user):
    job = enqueue()
    started = services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
    job = services.job_cancel(job=started, user=editor_user)
    assert job.status == Job.Status.RUNNING and job.cancel_requested


def test_who_may_see_and_act(enqueue, editor_user, annotator_user, admin_user, django_user_model):
    from accounts.roles import Role
    from tests import factories

    other_editor = factories.UserFactory(username="ed2", roles=[Role.EDITOR])
    job = enqueue()
    assert (
        services.may_see(editor_user, job) and services.may_see(other_editor, job) and services.may_see(admin_user, job)
    )
    assert not services.may_see(annotator_user, job)
    with pytest.raises(PermissionDenied):
        services.job_cancel(job=job, user=annotator_user)
    assert list(Job.objects.visible_to(annotator_user)) == []
    assert list(Job.objects.visible_to(other_editor)) == [job]


def test_reap_marks_a_dead_workers_job_failed(enqueue):
    job = enqueue()
    services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, worker="elsewhere:1")
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="RUNNING")
    assert services.jobs_reap() == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "The worker running this job stopped (elsewhere:1" in job.error
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "FAILED"
    assert services.jobs_reap() == []


def test_reap_leaves_a_live_local_worker_and_a_fresh_heartbeat(enqueue):
    job = enqueue()
    services.job_start(job_id=job.pk, task_result_id=job.task_result_id)  # this process: alive
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.jobs_reap() == []
    other = enqueue()
    services.job_start(job_id=other.pk, task_result_id=other.task_result_id)
    Job.objects.filter(pk=other.pk).update(worker="elsewhere:1")  # gone, but its heartbeat is fresh
    assert services.jobs_reap() == []


def test_reaped_attempt_cannot_finish_afterwards(enqueue):
    job = enqueue()
    started = services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5), worker="elsewhere:1"
    )
    services.jobs_reap()
    assert not services.job_finish(job=started, status=Job.Status.SUCCEEDED, result={})
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


@pytest.mark.parametrize(
    "fields",
    [
        {"progress_done": 5, "progress_total": 4},
        {"status": "running"},  # no start time, no heartbeat, no attempt
        {"status": "failed", "finished_at": timezone.now()},  # no error
        {"status": "succeeded"},  # no finish time
        {"status": "queued", "finished_at": timezone.now()},
        {"status": "bogus"},
        {"kind": ""},
    ],
)
def test_the_database_keeps_the_invariants(fields):
    base = {"kind": "test_steps", "params": {}}
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(**{**base, **fields})


def test_reap_calls_the_kinds_abandoned_hook_and_reaps_even_when_it_fails(enqueue, monkeypatch):
    from dataclasses import replace

    from jobs import registry

    seen = []
    kind = registry.get("test_steps")

    def hook(job):
        seen.append((job.pk, job.params["tag"]))
        Article.objects.create(title="written by the hook", body="x")
        if job.params["tag"] == "bad":
            raise RuntimeError("the hook broke")

    monkeypatch.setitem(registry._kinds, "test_steps", replace(kind, abandoned=hook))
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    jobs = [enqueue(tag="good"), enqueue(tag="bad")]
    for job in jobs:
        services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago, worker="elsewhere:1")
    assert services.jobs_reap() == [job.pk for job in jobs]
    assert seen == [(jobs[0].pk, "good"), (jobs[1].pk, "bad")]
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.FAILED}
    assert Article.objects.filter(title="written by the hook").count() == 1  # the failing hook's write rolled back
    assert services.jobs_reap() == [] and len(seen) == 2  # once per reaped attempt


def _finished(job: Job, status: str, days_ago: float) -> Job:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    fields = {"status": status, "finished_at": at, "started_at": at, "attempts": 1}
    if status == Job.Status.FAILED:
        fields["error"] = "Failed on purpose."
    if status == Job.Status.SUCCEEDED:
        fields["result"] = {}
    Job.objects.filter(pk=job.pk).update(**fields)
    DBTaskResult.objects.filter(id=job.task_result_id).update(status="SUCCESSFUL")
    return job


def test_prune_deletes_old_finished_jobs_and_their_task_results_but_the_latest_of_each_kind(enqueue):
    old = [_finished(enqueue(), status, 100) for status in (Job.Status.SUCCEEDED, Job.Status.FAILED)]
    cancelled = services.job_cancel(job=enqueue(), user=old[0].created_by)
    _finished(cancelled, Job.Status.CANCELLED, 100)
    recent = _finished(enqueue(), Job.Status.SUCCEEDED, 10)
    queued = enqueue()
    newest_old = _finished(enqueue(), Job.Status.FAILED, 100)  # old, but the kind's latest job: kept
    assert services.jobs_prune(older_than=datetime.timedelta(days=90), batch=2) == 3  # two batches
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, queued.pk, newest_old.pk}
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        uuid.UUID(j.task_result_id) for j in (recent, queued, newest_old)
    }
    assert services.jobs_prune(older_than=datetime.timedelta(days=90)) == 0


def test_prune_calls_the_kinds_discard_hook_after_the_deletion_commits(
    enqueue, monkeypatch, django_capture_on_commit_callbacks
):
    from jobs import registry

    seen = []
    kind = registry.get("test_steps")

    def discard(job):
        seen.append((job.pk, Job.objects.filter(pk=job.pk).exists()))
        if len(seen) == 1:
            raise OSError("the storage is away")  # logged; the other job's hook still runs

    monkeypatch.setitem(registry._kinds, "test_steps", dataclasses.replace(kind, discard=discard))
    first, second = _finished(enqueue(), Job.Status.FAILED, 100), _finished(enqueue(), Job.Status.FAILED, 100)
    enqueue()  # the latest
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.jobs_prune(older_than=datetime.timedelta(days=90)) == 2
    assert len(callbacks) == 2 and sorted(seen) == [(first.pk, False), (second.pk, False)]
