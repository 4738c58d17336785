"""The one task of Django's task framework that runs jobs: its argument is the Job's id."""

from typing import Any

from django_tasks import TaskContext, task

from .models import Job
from .runner import execute


class JobFailed(Exception):
    """Raised so that the task framework records a failed attempt as failed too."""


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> dict[str, Any]:
    job = execute(job_id, str(context.task_result.id))
    if job is not None and job.status == Job.Status.FAILED:
        raise JobFailed(job.error)
    return {"job": job_id, "status": job.status if job is not None else "skipped"}
