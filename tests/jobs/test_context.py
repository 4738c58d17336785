import pytest

from jobs import services
from jobs.context import JobContext
from jobs.exceptions import JobCancelled
from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(enqueue):
    job = enqueue()
    return services.job_start(job_id=job.pk, task_result_id=job.task_result_id)


def test_progress_is_written_and_throttled(running):
    context = JobContext(running, interval=3600)
    context.progress(1, 10)  # the first report is written
    assert Job.objects.values_list("progress_done", "progress_total").get(pk=running.pk) == (1, 10)
    context.progress(2, 10)  # within the interval: kept in memory only
    assert Job.objects.values_list("progress_done", flat=True).get(pk=running.pk) == 1
    context.flush()
    assert Job.objects.values_list("progress_done", flat=True).get(pk=running.pk) == 2
    assert (context.done, context.total) == (2, 10)


@pytest.mark.parametrize(("done", "total"), [(-1, 3), (4, 3), (1.5, 3)])
def test_progress_refuses_nonsense(running, done, total):
    with pytest.raises(ValueError, match="0 <= done <= total"):
        JobContext(running).progress(done, total)


def test_check_cancelled(running, editor_user):
    context = JobContext(running, interval=0)
    context.check_cancelled()  # nothing asked
    services.job_cancel(job=running, user=editor_user)
    with pytest.raises(JobCancelled):
        context.check_cancelled()


def test_the_reporter_thread_writes_on_its_own_connection(running, transactional_db):
    import time

    context = JobContext(running, interval=0.05)
    with context.reporting():
        context.progress(3, 7)
        deadline = time.monotonic() + 5
        while Job.objects.get(pk=running.pk).progress_done != 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert Job.objects.values_list("progress_done", "progress_total").get(pk=running.pk) == (3, 7)
