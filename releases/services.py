"""Writes of releases: create (validated, pending), build (freeze into a zip and publish), start a
build, change or delete an unpublished one. A published release is immutable: every service here
refuses to change it (and the database refuses an UPDATE of its row).
"""

import hashlib
import logging
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from exports.writers import InvalidFilters

from .build import build_zip, snapshot_statement
from .models import Release, release_storage
from .selection import clean_filters
from .versions import SEMVER, version_key

log = logging.getLogger(__name__)


class ReleaseImmutable(ValidationError):
    """A published release cannot change."""

    def __init__(self, release: Release) -> None:
        super().__init__(f"Release {release} is published and cannot change: publish a new version instead.")


class BuildRefused(ValidationError):
    """The release is not in a state that can be built (building already, or published)."""


def _previous(name: str, version: str) -> Release | None:
    """The highest published version of ``name`` below ``version`` (semantic-version order)."""
    key = version_key(version)
    below = [r for r in Release.objects.published().filter(name=name) if version_key(r.version) < key]
    return max(below, key=lambda r: version_key(r.version), default=None)


def release_create(
    *, name: str, version: str, description: str, licence: str, filters: dict[str, str], user: Any
) -> Release:
    """A pending release; raises ValidationError (by field) and writes nothing on bad input."""
    name, version = (name or "").strip(), (version or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        cleaned = clean_filters(dict(filters or {}))
    except InvalidFilters as error:
        errors["filters"] = [f"{key}: {' '.join(messages)}" for key, messages in error.errors.items()]
        cleaned = {}
    release = Release(
        name=name, version=version, description=description or "", licence=licence, filters=cleaned, created_by=user
    )
    try:  # (name, version) is checked below, with a message of its own
        release.full_clean(exclude=["previous"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Release.objects.select_for_update().filter(name=name, version=version).exists():
            raise ValidationError({"version": [f"{name} {version} exists already: choose another version."]})
        release.previous = _previous(name, version) if SEMVER.match(version) else None
        release.save()
    return release


def release_update(*, release: Release, description: str | None = None, licence: str | None = None) -> Release:
    """Change the description or licence of a release that is not published."""
    with transaction.atomic():
        current = Release.objects.select_for_update().get(pk=release.pk)
        if current.is_published:
            raise ReleaseImmutable(current)
        if description is not None:
            current.description = description
        if licence is not None:
            current.licence = licence
        current.full_clean(exclude=["previous"])
        current.save(update_fields=["description", "licence"])
    return current


def release_delete(*, release: Release) -> None:
    """Delete a release that is not published (a failed or pending one)."""
    with transaction.atomic():
        current = Release.objects.select_for_update().get(pk=release.pk)
        if current.is_published:
            raise ReleaseImmutable(current)
        current.delete()


def _claim(release: Release) -> Release:
    with transaction.atomic():
        current = Release.objects.select_for_update().get(pk=release.pk)
        if current.is_published:
            raise ReleaseImmutable(current)
        if current.status == Release.Status.BUILDING:
            raise BuildRefused(f"Release {current} is being built already.")
        current.status, current.error = Release.Status.BUILDING, ""
        current.save(update_fields=["status", "error"])
    return current


def _fail(release: Release, error: BaseException) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    Release.objects.filter(pk=release.pk, status=Release.Status.BUILDING).update(
        status=Release.Status.FAILED, error=message
    )
    release.status, release.error = Release.Status.FAILED, message


def release_build(
    *,
    release: Release,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], None] | None = None,
) -> Release:
    """Freeze ``release`` into its zip and publish it.

    The zip is written to a temporary file, then saved through the storage API and the row marked
    published in one transaction; on any failure (``should_stop`` raising included) the stored file is
    deleted, the row is marked failed with the error, and the error is raised again.
    """
    release = _claim(release)
    storage = release_storage()
    stored: str | None = None
    try:
        with tempfile.TemporaryFile(prefix="release-", suffix=".zip") as zip_file:
            statement = snapshot_statement()
            with transaction.atomic():
                if statement:
                    with connection.cursor() as cursor:
                        cursor.execute(statement)
                built = build_zip(release, zip_file, progress=progress, should_stop=should_stop)
            zip_file.seek(0)
            digest = hashlib.file_digest(zip_file, "sha256").hexdigest()
            size = zip_file.tell()
            if should_stop is not None:
                should_stop()
            zip_file.seek(0)
            stored = storage.save(f"releases/{release.folder}.zip", File(zip_file))
            with transaction.atomic():
                updated = Release.objects.filter(pk=release.pk, status=Release.Status.BUILDING).update(
                    status=Release.Status.PUBLISHED,
                    file=stored,
                    size=size,
                    sha256=digest,
                    manifest=built.manifest,
                    datasheet=built.datasheet,
                    counts={**built.counts, "build_seconds": {k: round(v, 3) for k, v in built.timings.items()}},
                    published=timezone.now(),
                )
                if updated != 1:
                    raise BuildRefused(f"Release {release} changed state while it was being built.")
    except BaseException as error:  # cleanup for every failure, cancellation included; re-raised
        if stored is not None:
            storage.delete(stored)
        _fail(release, error)
        log.warning("Release %s failed: %s", release, error)
        raise
    release.refresh_from_db()
    return release


def release_abandon_build(*, release_id: int, reason: str) -> bool:
    """A build whose process died (a job's worker killed mid-build): building → failed with ``reason``,
    and the zip it may have been saving deleted from the storage. What the build had written before
    was in its own temporary files and its read-only transaction, gone with the process. False when the
    release is not building (it was finished, failed or deleted meanwhile)."""
    with transaction.atomic():
        current = Release.objects.select_for_update().filter(pk=release_id, status=Release.Status.BUILDING).first()
        if current is None:
            return False
        # (name, version) is unique, so this name is this release's own zip, never published
        partial = f"releases/{current.folder}.zip"
        storage = release_storage()
        if storage.exists(partial):
            storage.delete(partial)
        current.status, current.error = Release.Status.FAILED, reason[:2000]
        current.save(update_fields=["status", "error"])
    log.warning("Release %s abandoned: %s", current, reason)
    return True


def release_start_build(*, release: Release, user: Any) -> Any:
    """Start building ``release`` on a background job (``releases.jobs``); the Job, whose page shows the
    build's progress. PermissionDenied for a user who may not start builds."""
    from jobs.services import job_enqueue

    from .jobs import RELEASE_BUILD

    if release.status != Release.Status.PENDING and release.status != Release.Status.FAILED:
        raise BuildRefused(
            f"Release {release} is {release.get_status_display().lower()}; only a pending or failed one is built."
        )
    return job_enqueue(kind=RELEASE_BUILD, params={"release": release.pk}, user=user)
