"""Helpers for tests that run jobs in the test process (no worker): each queued attempt, as a worker would."""

from jobs import runner
from jobs.models import Job


def run_queued() -> list[Job]:
    """Run every queued job once, oldest first, in this process (the reporter thread off); the jobs after."""
    done = []
    for job in Job.objects.filter(status=Job.Status.QUEUED).order_by("pk"):
        ran = runner.execute(job.pk, job.task_result_id, reporting=False)
        if ran is not None:
            done.append(ran)
    return done
