"""Job pages: the list (your own jobs; editors see all) and a job's page with its progress, Cancel,
Retry and its error or result. Writes are POST forms; the page's script polls GET /api/v1/jobs/{id}."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.roles import Role, has_role

from . import registry, selectors, services
from .exceptions import JobStateConflict
from .models import Job

PAGE_SIZE = 50


@require_safe
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("created_by")
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "rows": [(job, selectors.job_label(job)) for job in page.object_list],
            "is_editor": has_role(request.user, Role.EDITOR),
            "status": status,
            "statuses": Job.Status.choices,
        },
    )


def _visible(request, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if not services.may_see(request.user, job):
        raise PermissionDenied("This job is not one of yours.")
    return job


@require_safe
def job_detail(request, pk: int):
    job = services.job_reap_if_stale(job=_visible(request, pk))
    try:
        kind: registry.JobKind | None = registry.get(job.kind)
    except KeyError:
        kind = None
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "label": selectors.job_label(job),
            "result_template": kind.result_template if kind is not None else "",
            "poll": {"url": reverse("api-v1:job_get", args=[job.pk]), "finished": job.finished},
        },
    )


@require_POST
def job_cancel(request, pk: int):
    job = _visible(request, pk)
    try:
        job = services.job_cancel(job=job, user=request.user)
    except JobStateConflict as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Cancelled." if job.status == Job.Status.CANCELLED else "Cancelling…")
    return redirect("jobs:detail", pk=pk)


@require_POST
def job_retry(request, pk: int):
    job = _visible(request, pk)
    try:
        services.job_retry(job=job, user=request.user)
    except JobStateConflict as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Queued again.")
    return redirect("jobs:detail", pk=pk)
