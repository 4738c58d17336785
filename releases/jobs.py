"""Releases' background job: freeze a pending release into its zip (``releases.services.release_build``)
with progress, on a worker. The build publishes atomically, so a cancelled, failed or killed job leaves
no partial release: the row is marked failed and can be built again (for a killed worker, by the
kind's ``abandoned`` hook when the job is reaped). Registered in ``ReleasesConfig.ready``."""

from typing import Any

from accounts.roles import Role
from jobs.context import JobContext
from jobs.models import Job
from jobs.registry import JobKind

from .models import Release
from .services import release_abandon_build, release_build

RELEASE_BUILD = "release_build"


def run_release_build(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    release = Release.objects.get(pk=int(params["release"]))
    built = release_build(release=release, progress=context.progress, should_stop=context.check_cancelled)
    return {"release": built.pk, "size": built.size, "sha256": built.sha256}


def release_build_abandoned(job: Job) -> None:
    """The worker died mid-build (``jobs_reap`` found it): the release it had marked building is failed,
    so that Retry (or a new build) can claim it again."""
    release_abandon_build(
        release_id=int(job.params["release"]),
        reason=f"The worker building this release stopped (job {job.pk}); nothing was published. Build it again.",
    )


KIND = JobKind(
    name=RELEASE_BUILD,
    label="Build a corpus release",
    run=run_release_build,
    role=Role.EDITOR,
    result_template="releases/includes/release_job_result.html",
    abandoned=release_build_abandoned,
)
