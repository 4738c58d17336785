"""Reads of jobs for the pages and the API."""

from typing import Any

from . import registry
from .models import Job


def job_label(job: Job) -> str:
    try:
        return registry.get(job.kind).label
    except KeyError:
        return job.kind


def latest_job(*, kind: str) -> Job | None:
    """The most recent job of ``kind`` (the agreement page shows it beside its figures)."""
    return Job.objects.filter(kind=kind).order_by("-created_at", "-id").first()


def job_data(job: Job) -> dict[str, Any]:
    """One job as the API and the page's script read it."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": job_label(job),
        "status": job.status,
        "done": job.progress_done,
        "total": job.progress_total,
        "error": job.error,
        "result": job.result,
        "created_by": job.created_by.get_username() if job.created_by else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "attempts": job.attempts,
        "cancel_requested": job.cancel_requested,
        "finished": job.finished,
    }
