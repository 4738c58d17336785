"""Ingest's background job: an article import over ``IMPORT_BACKGROUND_BYTES`` (``import_enqueue``
stores the upload through Django's storage API and enqueues this). The job reads the stored files a
piece at a time, reports progress in bytes read, writes everything in one transaction (a cancel or a
failure keeps nothing) and leaves the import report as its result. Registered in ``IngestConfig.ready``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, Any, cast

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.roles import Role
from jobs.context import JobContext
from jobs.models import Job
from jobs.registry import JobKind

from . import services

ARTICLE_IMPORT = "article_import"
REPORT_ROWS = 200  # created and skipped rows kept in the result per file (the counts are whole)


class ProgressReader(io.RawIOBase):
    """A binary file that calls ``on_read(position)`` after each read (``position`` from ``offset``)."""

    def __init__(self, raw: IO[bytes], *, offset: int, on_read: Callable[[int], None]):
        super().__init__()
        self.raw = raw
        self.offset = offset
        self.on_read = on_read

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = os.SEEK_SET) -> int:
        return self.raw.seek(pos, whence)

    def tell(self) -> int:
        return self.raw.tell()

    def read(self, size: int | None = -1) -> bytes:
        chunk = self.raw.read(-1 if size is None else size)
        self.on_read(self.offset + self.raw.tell())
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def run_article_import(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    files: list[dict[str, Any]] = params["files"]
    total = sum(int(f["size"]) for f in files)
    owner = context.job.created_by_id
    user = get_user_model().objects.filter(pk=owner).first() if owner is not None else None

    def on_read(position: int) -> None:
        context.progress(min(position, total), total)
        context.check_cancelled()  # raises inside the transaction below: nothing is kept

    context.progress(0, total)
    with ExitStack() as stack, transaction.atomic():
        sources: list[tuple[str, services.Source]] = []
        offset = 0
        for f in files:
            raw = stack.enter_context(default_storage.open(f["path"], "rb"))
            sources.append((f["name"], cast(IO[bytes], ProgressReader(raw, offset=offset, on_read=on_read))))
            offset += int(f["size"])
        importer = (
            services.import_submission_all_or_nothing if params.get("all_or_nothing") else services.import_submission
        )
        reports = importer(files=sources, fmt=params.get("format", ""), annotator=user, status=params["status"])
    for f in files:  # done: the uploads are not needed again (a failed or cancelled job keeps them to retry)
        default_storage.delete(f["path"])
    return {
        "ok": all(r.ok for r in reports),
        "created": sum(len(r.created) for r in reports),
        "skipped": sum(len(r.skipped) for r in reports),
        "quotes": sum(r.quotes for r in reports),
        "mentions": sum(r.mentions for r in reports),
        "reports": [r.as_data(rows=REPORT_ROWS) for r in reports],
        "report_rows": REPORT_ROWS,
    }


def discard_article_import(job: Job) -> None:
    """A pruned import job: its uploads, kept while the job could be retried, go too."""
    for f in job.params.get("files", []):
        default_storage.delete(f["path"])


KIND = JobKind(
    name=ARTICLE_IMPORT,
    label="Import articles",
    run=run_article_import,
    role=Role.EDITOR,
    result_template="ingest/includes/import_job_result.html",
    discard=discard_article_import,
)
