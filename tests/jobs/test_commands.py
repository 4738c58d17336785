import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobs import services
from jobs.models import Job

pytestmark = pytest.mark.django_db


def test_jobs_reap_command(enqueue, capsys):
    job = enqueue()
    services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5), worker="gone-host:42"
    )
    call_command("jobs_reap")
    assert capsys.readouterr().out.strip() == f"Reaped 1 job(s): {job.pk}."
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_jobs_prune_command_keeps_jobs_days_and_refuses_nonsense(enqueue, capsys, settings):
    first, second = enqueue(), enqueue()
    for job, days in ((first, 40), (second, 5)):
        at = timezone.now() - datetime.timedelta(days=days)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result={}, started_at=at, finished_at=at)
    enqueue()  # the latest of the kind
    settings.JOBS_KEEP_DAYS = 90
    call_command("jobs_prune")
    assert capsys.readouterr().out.strip() == "Deleted 0 job(s) that finished more than 90 day(s) ago."
    call_command("jobs_prune", "--days", "30")
    assert capsys.readouterr().out.strip() == "Deleted 1 job(s) that finished more than 30 day(s) ago."
    assert not Job.objects.filter(pk=first.pk).exists() and Job.objects.filter(pk=second.pk).exists()
    with pytest.raises(CommandError, match="at least 1"):
        call_command("jobs_prune", "--days", "0")


@pytest.mark.django_db(transaction=True)
def test_jobs_worker_runs_the_queue_through_the_task_framework(editor_user):
    from django_tasks_db.models import DBTaskResult

    from corpus.models import Article

    job = services.job_enqueue(kind="test_steps", params={"steps": 2, "tag": "batch"}, user=editor_user)
    failing = services.job_enqueue(kind="test_steps", params={"steps": 2, "fail_at": 0}, user=editor_user)
    call_command("jobs_worker", "--batch", "--no-startup-delay", "--no-reload", "--reap-every", "0", verbosity=0)
    job.refresh_from_db()
    failing.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and Article.objects.filter(title__startswith="batch").count() == 2
    assert failing.status == Job.Status.FAILED and "failed on purpose" in failing.error
    statuses = {str(pk): status for pk, status in DBTaskResult.objects.values_list("id", "status")}
    assert statuses[job.task_result_id] == "SUCCESSFUL" and statuses[failing.task_result_id] == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_the_workers_reaper_thread(editor_user):
    import threading

    from jobs.management.commands.jobs_worker import _reap_forever
    from tests.jobs.processes import wait_for

    job = services.job_enqueue(kind="test_steps", params={}, user=editor_user)
    services.job_start(job_id=job.pk, task_result_id=job.task_result_id)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5), worker="gone-host:42"
    )
    stop = threading.Event()
    thread = threading.Thread(target=_reap_forever, args=(stop, 0.01))
    thread.start()
    try:
        wait_for(lambda: Job.objects.get(pk=job.pk).status == Job.Status.FAILED, timeout=30, what="the reaper")
    finally:
        stop.set()
        thread.join()
