"""Background jobs (``jobs``): list yours (editors: all), read one (its progress bar polls this), cancel,
retry. The rules are ``jobs.services``' (who may see and act, which states allow what); a cancel or
retry the job's state does not allow is a 409 of type ``job-conflict``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from jobs import selectors, services
from jobs.models import Job

from ..schemas import JobOut, JobPage

router = Router(tags=["jobs"])


class JobListParams(Schema):
    status: Job.Status | None = Field(None, description="Only jobs with this status")
    before: int | None = Field(None, ge=1, description="Only jobs older than this id (the next page)")
    limit: int = Field(50, ge=1, le=200)


def _job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if not services.may_see(request.user, job):
        raise PermissionDenied("This job is not one of yours.")
    return job


def _out(request: HttpRequest, job: Job) -> dict[str, Any]:
    data = selectors.job_data(job)
    data["url"] = request.build_absolute_uri(f"/jobs/{job.pk}/")
    return data


@router.get("/jobs", response=JobPage, summary="Your jobs, newest first (editors: every job)")
def job_list(request: HttpRequest, params: Query[JobListParams]) -> dict[str, Any]:
    jobs = Job.objects.visible_to(request.user).select_related("created_by").order_by("-id")
    if params.status:
        jobs = jobs.filter(status=params.status)
    if params.before:
        jobs = jobs.filter(pk__lt=params.before)
    rows = list(jobs[: params.limit + 1])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    next_url = None
    if more:
        query = request.GET.copy()
        query["before"] = str(rows[-1].pk)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"results": [_out(request, job) for job in rows], "next": next_url}


@router.get("/jobs/{pk}", response=JobOut, summary="One job: status, progress, error, result", url_name="job_get")
def job_get(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = services.job_reap_if_stale(job=_job(request, pk))
    return _out(request, job)


@router.post("/jobs/{pk}/cancel", response=JobOut, summary="Cancel a queued or running job (409 when finished)")
def job_cancel(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = services.job_cancel(job=_job(request, pk), user=request.user)
    return _out(request, job)


@router.post("/jobs/{pk}/retry", response=JobOut, summary="Run a failed or cancelled job again (409 otherwise)")
def job_retry(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = services.job_retry(job=_job(request, pk), user=request.user)
    return _out(request, job)
