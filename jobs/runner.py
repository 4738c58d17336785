"""One attempt of one job, as the worker runs it (``jobs.tasks.run_job`` calls ``execute``)."""

from __future__ import annotations

import logging

from . import registry, services
from .context import JobContext
from .exceptions import JobCancelled
from .models import Job

logger = logging.getLogger(__name__)


def execute(job_id: int, task_result_id: str, *, reporting: bool = True) -> Job | None:
    """Claim and run the attempt; record how it ended. None when it was not this attempt's to run."""
    job = services.job_start(job_id=job_id, task_result_id=task_result_id)
    if job is None:
        logger.info("job %s: attempt %s not run (cancelled or superseded)", job_id, task_result_id)
        return None
    context = JobContext(job)
    try:
        kind = registry.get(job.kind)
        if reporting:
            with context.reporting():
                result = kind.run(context, dict(job.params))
        else:
            result = kind.run(context, dict(job.params))
    except JobCancelled:
        services.job_finish(job=job, status=Job.Status.CANCELLED, error="")
    # Any exception at all ends the attempt as failed with its message: the job's code is arbitrary, and a
    # job left "running" would be a lie. Its transaction has rolled back by the time we get here.
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        services.job_finish(job=job, status=Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:5000] or "Failed")
    else:
        if context.total:
            Job.objects.filter(pk=job.pk).update(progress_done=context.total, progress_total=context.total)
        services.job_finish(job=job, status=Job.Status.SUCCEEDED, result=result or {})
    job.refresh_from_db()
    return job
