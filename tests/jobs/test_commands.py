import datetime

import pytest
from django.core.management import call_command
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
