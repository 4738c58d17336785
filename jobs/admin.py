from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from . import services
from .models import Job
from .selectors import job_label


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started by the pages, the API and the commands, and change only through the
    services. Staff cancel or retry them with the actions (the same services as the job page's buttons);
    ``jobs_prune`` deletes old ones."""

    list_display = ("id", "label", "status", "progress", "created_by", "created_at", "finished_at", "worker")
    list_filter = ("status", "kind")
    search_fields = ("=id", "kind", "created_by__username")
    list_select_related = ("created_by",)
    actions = ("cancel_jobs", "retry_jobs")

    @admin.display(description="Job")
    def label(self, job: Job) -> str:
        return job_label(job)

    @admin.display(description="Progress")
    def progress(self, job: Job) -> str:
        return f"{job.progress_done:,} / {job.progress_total:,}" if job.progress_total else ""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _each(self, request, queryset, service, done: str) -> None:
        changed, refused = 0, []
        for job in queryset.order_by("pk"):
            try:
                service(job=job, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"#{job.pk}: {' '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                changed += 1
        if changed:
            self.message_user(request, f"{done} {changed} job(s).", messages.SUCCESS)
        if refused:
            self.message_user(request, "Not changed: " + "; ".join(refused), messages.WARNING)

    @admin.action(description="Cancel the selected jobs")
    def cancel_jobs(self, request, queryset):
        self._each(request, queryset, services.job_cancel, "Cancelled (or asked to stop)")

    @admin.action(description="Retry the selected jobs")
    def retry_jobs(self, request, queryset):
        self._each(request, queryset, services.job_retry, "Queued again")
