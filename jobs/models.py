"""A background job: what Django's task framework does not keep (kind, params, progress, cancel, attempts).

The task framework (django-tasks, database backend) queues and runs ``jobs.tasks.run_job``; each
attempt of a job is one task result (``task_result_id``). The rows here are what the pages and the
API show; the database checks their invariants.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user) -> "JobQuerySet":
        """Each user sees their own jobs; editors (and superusers) see all (``accounts.roles``)."""
        from accounts.roles import Role, has_role

        if has_role(user, Role.EDITOR):
            return self
        return self.filter(created_by=user)

    def active(self) -> "JobQuerySet":
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    task_result_id = models.CharField(max_length=64, blank=True)  # the task framework's result of this attempt
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker running this attempt

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="job_owner_recent_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat_idx"),
            models.Index(fields=["kind", "status"], name="job_kind_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed", "cancelled"]),
                name="job_status_valid",
            ),
            models.CheckConstraint(condition=Q(progress_done__lte=F("progress_total")), name="job_done_le_total"),
            models.CheckConstraint(condition=~Q(kind=""), name="job_kind_set"),
            # started and running: a start time, at least one attempt, a heartbeat
            models.CheckConstraint(
                condition=~Q(status="running")
                | Q(started_at__isnull=False, heartbeat_at__isnull=False, attempts__gte=1),
                name="job_running_started",
            ),
            # finished exactly when the status says so
            models.CheckConstraint(
                condition=Q(status__in=["succeeded", "failed", "cancelled"], finished_at__isnull=False)
                | Q(status__in=["queued", "running"], finished_at__isnull=True),
                name="job_finished_when_done",
            ),
            # a failure says why; a success has no error and has its result
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(error=""), name="job_failed_has_error"),
            models.CheckConstraint(
                condition=~Q(status="succeeded") | Q(error="", result__isnull=False),
                name="job_succeeded_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return int(100 * self.progress_done / self.progress_total)
