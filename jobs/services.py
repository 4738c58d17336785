"""Writes of jobs: enqueue, cancel, retry (the pages and the API), start, finish and reap (the worker).

Each attempt of a job is one task of Django's task framework (``jobs.tasks.run_job``), enqueued in the
same transaction as the row change, so a worker never sees a task without its job.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import socket
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from accounts.roles import Role, has_role

from . import registry
from .exceptions import JobStateConflict
from .models import Job

logger = logging.getLogger(__name__)


def may_start(user: Any, kind: registry.JobKind) -> bool:
    return has_role(user, kind.role)


def may_see(user: Any, job: Job) -> bool:
    """The job's owner (while they hold its kind's role) and editors."""
    if has_role(user, Role.EDITOR):
        return True
    if job.created_by_id is None or job.created_by_id != getattr(user, "pk", None):
        return False
    try:
        return may_start(user, registry.get(job.kind))
    except KeyError:
        return False


def _check_params(params: dict[str, Any]) -> None:
    if not isinstance(params, dict):
        raise ValidationError({"params": ["Job parameters must be an object."]})
    try:
        json.dumps(params)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"params": [f"Job parameters must be JSON ({exc})."]}) from exc


def _enqueue_attempt(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job.pk)
    job.task_result_id = str(result.id)
    job.save(update_fields=["task_result_id"])


def _new_job(kind: str, params: dict[str, Any], user: Any) -> Job:
    """An unsaved job of ``kind`` for ``user``, checked: a known kind, the kind's role, JSON params."""
    try:
        job_kind = registry.get(kind)
    except KeyError as exc:
        raise ValidationError({"kind": [str(exc.args[0])]}) from exc
    if not may_start(user, job_kind):
        raise PermissionDenied(f"Your account may not start “{job_kind.label}”.")
    _check_params(params)
    return Job(kind=kind, params=params, created_by=user if getattr(user, "pk", None) else None)


@transaction.atomic
def job_enqueue(*, kind: str, params: dict[str, Any], user: Any) -> Job:
    """A new job of ``kind`` for ``user``, queued for a worker. PermissionDenied without the kind's role."""
    job = _new_job(kind, params, user)
    job.full_clean()
    job.save()
    _enqueue_attempt(job)
    return job


def job_run_here(*, kind: str, params: dict[str, Any], user: Any, reporting: bool = True) -> Job:
    """Run a new job of ``kind`` in this process, now (a management command's long work), and return it
    finished. It is a Job like any other: its page shows its progress, and it records this process as
    its worker and beats its heartbeat, so that if the process is killed, ``jobs_reap`` fails the job and
    runs its kind's ``abandoned`` hook, as for a dead worker. PermissionDenied without the kind's role."""
    job = _new_job(kind, params, user)
    # No task is enqueued: no worker can claim this attempt; its id only has to be unique.
    job.task_result_id = str(uuid.uuid4())
    job.full_clean()
    job.save()
    from .runner import execute

    ran = execute(job.pk, job.task_result_id, reporting=reporting)
    if ran is None:  # nothing else knows this attempt's id: only a job deleted meanwhile gets here
        raise JobStateConflict(f"Job {job.pk} was removed before it could start.", status="")
    return ran


def _locked(job: Job, user: Any) -> Job:
    if not may_see(user, job):
        raise PermissionDenied("This job is not one of yours.")
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if not has_role(user, Role.EDITOR) and not may_start(user, registry.get(locked.kind)):
        raise PermissionDenied("Your account may not run this kind of job.")
    return locked


@transaction.atomic
def job_cancel(*, job: Job, user: Any) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop (its work rolls back)."""
    job = _locked(job, user)
    if job.status == Job.Status.QUEUED:
        job.status = Job.Status.CANCELLED
        job.cancel_requested = True
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "cancel_requested", "finished_at"])
    elif job.status == Job.Status.RUNNING:
        job.cancel_requested = True
        job.save(update_fields=["cancel_requested"])
    else:
        raise JobStateConflict(f"This job has {job.status} already; there is nothing to cancel.", status=job.status)
    return job


@transaction.atomic
def job_retry(*, job: Job, user: Any) -> Job:
    """A failed or cancelled job runs again, as a new attempt (a new task), from the start."""
    job = _locked(job, user)
    if job.status not in (Job.Status.FAILED, Job.Status.CANCELLED):
        raise JobStateConflict(
            f"Only a failed or cancelled job can be retried; this one is {job.status}.", status=job.status
        )
    job.status = Job.Status.QUEUED
    job.progress_done = job.progress_total = 0
    job.error = ""
    job.result = None
    job.started_at = job.finished_at = job.heartbeat_at = None
    job.cancel_requested = False
    job.worker = ""
    job.save()
    _enqueue_attempt(job)
    return job


# --- the worker's side ----------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def job_start(*, job_id: int, task_result_id: str) -> Job | None:
    """Claim the job for this attempt: queued → running. None when it is not this attempt's to run
    (cancelled while queued, or retried meanwhile as another task): each attempt runs at most once."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, task_result_id=task_result_id).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        worker=worker_name()[:200],
    )
    return Job.objects.get(pk=job_id) if claimed else None


def job_finish(*, job: Job, status: str, result: dict[str, Any] | None = None, error: str = "") -> bool:
    """Record the end of the running attempt; False when it was reaped meanwhile (then nothing changes)."""
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if status == Job.Status.SUCCEEDED:
        fields["result"] = result if result is not None else {}
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, task_result_id=job.task_result_id).update(
        **fields
    )
    return bool(updated)


def _process_alive(worker: str) -> bool:
    """True when ``worker`` (host:pid) is a live process on this machine; False when it is known dead
    or runs elsewhere (then only its heartbeat can tell)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_reap(*, now: datetime.datetime | None = None) -> list[int]:
    """Mark failed the running jobs whose worker died: heartbeat older than ``JOBS_STALE_SECONDS`` and
    no live worker process of that name on this machine. Their work rolled back with the dead worker's
    transaction (or was never published); they can be retried. Returns the ids reaped."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff).order_by("pk")
    reaped = []
    for job in stale.only("pk", "kind", "params", "worker", "heartbeat_at", "task_result_id")[:500]:
        if _process_alive(job.worker):
            continue
        if job_reap(job=job, now=now):
            reaped.append(job.pk)
    return reaped


def job_reap(*, job: Job, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    heartbeat = job.heartbeat_at.isoformat(timespec="seconds") if job.heartbeat_at else "never"
    error = (
        f"The worker running this job stopped ({job.worker or 'unknown'}; last heartbeat {heartbeat}). "
        "Nothing it wrote was kept; retry the job."
    )
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat_at=job.heartbeat_at).update(
            status=Job.Status.FAILED, finished_at=now, error=error
        )
        if updated and job.task_result_id:
            _fail_task_result(job.task_result_id, now)
        if updated:
            _abandoned(job)
    if updated:
        logger.warning("job %s reaped: %s", job.pk, error)
    return bool(updated)


def _kind_hook(job: Job, name: str) -> Callable[[Job], None] | None:
    """The ``abandoned`` or ``discard`` hook of the job's kind; None when the kind has none or is no longer
    registered (a job row outlives a kind that was removed)."""
    try:
        kind = registry.get(job.kind)
    except KeyError:
        return None
    hook: Callable[[Job], None] | None = getattr(kind, name)
    return hook


def _abandoned(job: Job) -> None:
    """The kind's ``abandoned`` hook, in a savepoint: a hook that fails is logged and rolled back, and
    the job is reaped all the same (a job that can never be reaped would block its retry forever)."""
    hook = _kind_hook(job, "abandoned")
    if hook is None:
        return
    try:
        with transaction.atomic():
            hook(job)
    except Exception:
        logger.exception("job %s: the %s kind's abandoned hook failed", job.pk, job.kind)


def _fail_task_result(task_result_id: str, now: datetime.datetime) -> None:
    """The task framework's own row of a dead attempt: failed too, so its admin does not show it running."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_result_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED, finished_at=now
    )


def job_reap_if_stale(*, job: Job) -> Job:
    """The status page's read: a job whose worker died shows as failed at once (one cheap check)."""
    if job.status != Job.Status.RUNNING or job.heartbeat_at is None:
        return job
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS)
    if job.heartbeat_at < cutoff and not _process_alive(job.worker) and job_reap(job=job):
        job.refresh_from_db()
    return job


# --- keeping the table small ----------------------------------------------------------------------

FINISHED = (Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.CANCELLED)


def jobs_prune(*, older_than: datetime.timedelta, now: datetime.datetime | None = None, batch: int = 1000) -> int:
    """Delete the jobs that finished more than ``older_than`` ago, with their task results, but the latest
    job of each kind (the agreement page links the last recomputation). Each kind's ``discard`` hook then
    removes what a deleted job kept outside the database. Deletes in batches of ``batch``, each in its own
    transaction; returns how many jobs were deleted."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - older_than
    latest = Job.objects.order_by().values("kind").annotate(last=Max("pk")).values("last")
    prunable = Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(pk__in=latest).order_by("pk")
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(prunable.only("pk", "kind", "params", "status", "task_result_id")[:batch])
            if not rows:
                return deleted
            task_ids = [row.task_result_id for row in rows if _is_uuid(row.task_result_id)]
            DBTaskResult.objects.filter(id__in=task_ids).delete()
            Job.objects.filter(pk__in=[row.pk for row in rows]).delete()
            for row in rows:
                transaction.on_commit(functools.partial(_discard, row))
        deleted += len(rows)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _discard(job: Job) -> None:
    hook = _kind_hook(job, "discard")
    if hook is None:
        return
    try:
        hook(job)
    except OSError:
        logger.exception("job %s: the %s kind's discard hook failed", job.pk, job.kind)
