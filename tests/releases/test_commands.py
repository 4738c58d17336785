import datetime
import io
import uuid
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jobs.models import Job
from jobs.services import worker_name
from releases import services
from releases.models import Release


def test_release_build_prints_the_zip_path_last_and_release_verify_checks_it(seed, admin_user, media):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "release_build",
        "--name",
        "seed-corpus",
        "--version",
        "2.0.0",
        "--filter",
        "kind=direct",
        stdout=out,
        stderr=err,
    )
    path = out.getvalue().strip().splitlines()[-1]
    release = Release.objects.get()
    assert path == release.file.path and release.filters == {"kind": "direct"} and release.created_by == admin_user
    assert release.counts["quotes"] == 2
    verified = io.StringIO()
    call_command("release_verify", path, stdout=verified)
    assert verified.getvalue().startswith("OK seed-corpus 2.0.0")

    tampered = media / "tampered.zip"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tampered, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, data + b"\n" if info.filename.endswith("README.md") else data)
    errors = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("release_verify", str(tampered), stderr=errors)
    assert failure.value.returncode == 1
    assert "README.md" in errors.getvalue() and "WRONG" in errors.getvalue()


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--version", "1"], "not a semantic version"),
        (["--version", "1.0.0", "--filter", "colour=red"], "Unknown filter"),
        (["--version", "1.0.0", "--filter", "nonsense"], "KEY=VALUE"),
    ],
)
def test_release_build_refuses_bad_input_and_writes_nothing(seed, admin_user, media, arguments, words):
    with pytest.raises(CommandError, match=words):
        call_command("release_build", "--name", "seed-corpus", *arguments, stdout=io.StringIO())
    assert not Release.objects.exists()
    assert not media.exists() or not any(media.rglob("*.zip"))


BUILD_1_0_0 = ["release_build", "--name", "seed-corpus", "--version", "1.0.0"]


@pytest.fixture
def pending(seed, admin_user):
    """seed-corpus 1.0.0, created and not built."""
    return services.release_create(
        name="seed-corpus", version="1.0.0", description="", licence="CC-BY-4.0", filters={}, user=admin_user
    )


def _dead_build(release: Release, editor) -> Job:
    """What a release_build killed mid-build leaves: the release building, its job running in a dead process."""
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Release.objects.filter(pk=release.pk).update(status=Release.Status.BUILDING)
    return Job.objects.create(
        kind="release_build",
        params={"release": release.pk},
        status=Job.Status.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
        attempts=1,
        worker="elsewhere:1",
        task_result_id=str(uuid.uuid4()),  # as job_run_here gives it
        created_by=editor,
    )


def test_release_build_after_a_killed_one_reaps_it_and_builds_that_release(pending, admin_user, media):
    release = pending
    dead = _dead_build(release, admin_user)
    err = io.StringIO()
    out = io.StringIO()
    call_command(*BUILD_1_0_0, stdout=out, stderr=err)
    dead.refresh_from_db()
    release.refresh_from_db()
    assert dead.status == Job.Status.FAILED and "stopped" in dead.error
    assert release.status == Release.Status.PUBLISHED and out.getvalue().splitlines()[-1] == release.file.path
    assert "Building the existing failed release" in err.getvalue()
    built = Job.objects.exclude(pk=dead.pk).get()
    assert built.status == Job.Status.SUCCEEDED and built.result["release"] == release.pk
    assert Release.objects.count() == 1


def test_release_build_refuses_a_release_a_live_process_is_building_and_other_filters(pending, admin_user, media):
    release = pending
    Release.objects.filter(pk=release.pk).update(status=Release.Status.FAILED)
    with pytest.raises(CommandError, match="exists with other filters"):
        call_command(*BUILD_1_0_0, "--filter", "kind=direct", stdout=io.StringIO())
    job = _dead_build(release, admin_user)
    Job.objects.filter(pk=job.pk).update(worker=worker_name(), heartbeat_at=timezone.now())  # alive: this process
    with pytest.raises(CommandError, match="being built by a live process"):
        call_command(*BUILD_1_0_0, stdout=io.StringIO())
    release.refresh_from_db()
    assert release.status == Release.Status.BUILDING and not release.file and Job.objects.count() == 1


def test_release_build_needs_an_editor_as_its_creator(seed, annotator_user, media):
    with pytest.raises(CommandError, match="Pass --user with an editor"):
        call_command(*BUILD_1_0_0, "--user", annotator_user.username, stdout=io.StringIO())
    assert not Job.objects.exists() and not Release.objects.exists()
    assert not media.exists() or not any(media.rglob("*.zip"))
