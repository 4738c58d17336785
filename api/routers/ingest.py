"""Article import: the import page's formats and checks (``ingest.forms``, ``ingest.services``), for editors.

A multipart upload of one or more files. The answer is the import report as JSON; a file over the
import limit is a 413, a form that is not right a 422, and a file that does not import (its report
lists every problem, with line numbers) a 422 whose ``reports`` say why: then nothing of any file
was written.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from accounts.roles import Role
from annotations.forms import errors_dict
from ingest import services
from ingest.forms import ImportForm
from ingest.parsers import too_big_message

from ..auth import require_role
from ..errors import PayloadTooLarge, problem
from ..schemas import ImportOut, ImportQueuedOut

router = Router(tags=["ingest"])


class ImportParams(Schema):
    format: str = Field("", description="txt, jsonl, csv, brat, doccano; empty: told from each file")
    status: str = Field("draft", description="brat and doccano: the imported annotations are draft or submitted")


def _report(report: services.ImportReport) -> dict[str, Any]:
    return report.as_data()


@router.post(
    "/articles/import",
    response={200: ImportOut, 202: ImportQueuedOut},
    summary="Import articles from files (multipart), all or none; over IMPORT_BACKGROUND_BYTES, as a background job (202)",
)
def article_import(
    request: HttpRequest, params: Form[ImportParams], files: File[list[UploadedFile]]
) -> dict[str, Any] | Status[dict[str, Any]] | HttpResponse:
    require_role(request, Role.EDITOR)
    limit = settings.IMPORT_MAX_BYTES
    for upload in files:
        if upload.size is not None and upload.size > limit:
            raise PayloadTooLarge(too_big_message(upload.name or "The file", upload.size, limit))
    form = ImportForm(
        {"format": params.format, "status": params.status, "text": ""}, MultiValueDict({"files": list(files)})
    )
    if not form.is_valid():
        raise ValidationError(errors_dict(form))
    uploads = [(f.name or "upload", f) for f in form.cleaned_data["files"]]
    if services.import_needs_job(uploads):
        job = services.import_enqueue(
            files=uploads,
            fmt=form.cleaned_data["format"],
            status=form.cleaned_data["status"],
            user=request.user,
            all_or_nothing=True,
        )
        url = request.build_absolute_uri(reverse("api-v1:job_get", args=[job.pk]))
        return Status(202, {"job": job.pk, "status": job.status, "url": url})
    reports = services.import_submission_all_or_nothing(
        files=[(f.name or "upload", f) for f in form.cleaned_data["files"]],
        fmt=form.cleaned_data["format"],
        annotator=request.user,
        status=form.cleaned_data["status"],
    )
    out = [_report(r) for r in reports]
    if not all(r.ok for r in reports):
        errors = {r.source: [str(p) for p in r.errors] for r in reports if r.errors}
        detail = " ".join(r.summary() for r in reports if r.errors)
        return problem(422, detail, errors=errors, reports=out)
    return {
        "created": sum(len(r.created) for r in reports),
        "skipped": sum(len(r.skipped) for r in reports),
        "quotes": sum(r.quotes for r in reports),
        "mentions": sum(r.mentions for r in reports),
        "reports": out,
    }
