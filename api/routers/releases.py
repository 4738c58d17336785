"""Corpus releases: list, one release, its download link (researchers, editors); create (editors).
The zip itself downloads from the link with the same token (``releases.views.release_download``)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema
from ninja import Status as Reply
from pydantic import Field

from accounts.roles import has_role
from releases import services
from releases.models import Licence, Release
from releases.views import READ_ROLES, WRITE_ROLES

from ..auth import require_role
from ..pagination import page
from .annotations import PageQuery

router = Router(tags=["releases"])


class ReleaseFileOut(Schema):
    path: str
    size: int
    sha256: str


class ReleaseOut(Schema):
    id: int
    name: str
    version: str
    description: str
    licence: str
    filters: dict[str, str]
    status: str = Field(description="pending, building, published or failed")
    error: str
    size: int | None
    sha256: str
    created: datetime
    published: datetime | None
    previous: str | None = Field(description="name version of the release the change log compares with")
    counts: dict[str, Any]
    url: str
    download: str | None = Field(description="The zip (published releases): GET it with the same token.")


class ReleaseDetailOut(ReleaseOut):
    files: list[ReleaseFileOut]
    datasheet: str


class ReleasePage(Schema):
    count: int
    count_capped: bool
    next: str | None
    results: list[ReleaseOut]


class ReleaseIn(Schema):
    name: str = Field(max_length=80)
    version: str = Field(max_length=64, description="Semantic version, such as 1.0.0")
    description: str = Field("", max_length=10000)
    licence: Licence = Licence.CC_BY_4_0
    filters: dict[str, str] = Field(default_factory=dict, description="Quote filters, as in the exports")


class DownloadOut(Schema):
    url: str
    filename: str
    size: int
    sha256: str


def _out(request: HttpRequest, release: Release, detail: bool = False) -> dict[str, Any]:
    data = {
        "id": release.pk,
        "name": release.name,
        "version": release.version,
        "description": release.description,
        "licence": release.licence,
        "filters": release.filters,
        "status": release.status,
        "error": release.error,
        "size": release.size,
        "sha256": release.sha256,
        "created": release.created,
        "published": release.published,
        "previous": str(release.previous) if release.previous_id else None,
        "counts": {k: v for k, v in release.counts.items() if k != "build_seconds"},
        "url": request.build_absolute_uri(reverse("api-v1:release_detail", args=[release.pk])),
        "download": request.build_absolute_uri(reverse("releases:download", args=[release.pk]))
        if release.is_published
        else None,
    }
    if detail:
        data["files"] = release.manifest.get("files", [])
        data["datasheet"] = release.datasheet
    return data


@router.get("/releases", response=ReleasePage, summary="List releases, newest first")
def release_list(request: HttpRequest, query: Query[PageQuery]) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    found, meta = page(
        request, Release.objects.select_related("previous"), key=None, cursor=query.cursor, limit=query.limit
    )
    return {**meta, "results": [_out(request, r) for r in found]}


@router.get(
    "/releases/{pk}", response=ReleaseDetailOut, url_name="release_detail", summary="One release, with its manifest"
)
def release_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    return _out(request, get_object_or_404(Release.objects.select_related("previous"), pk=pk), detail=True)


@router.get("/releases/{pk}/download", response=DownloadOut, summary="The download link of a published release")
def release_download_link(request: HttpRequest, pk: int) -> dict[str, Any]:
    require_role(request, *READ_ROLES)
    release = get_object_or_404(Release.objects.published(), pk=pk)
    return {
        "url": request.build_absolute_uri(reverse("releases:download", args=[release.pk])),
        "filename": f"{release.folder}.zip",
        "size": release.size,
        "sha256": release.sha256,
    }


@router.post(
    "/releases",
    response={201: ReleaseDetailOut},
    summary="Create a release and queue its build as a background job (editors; GET /jobs shows it)",
)
def release_create(request: HttpRequest, payload: ReleaseIn) -> Reply[dict[str, Any]]:
    if not has_role(request.user, *WRITE_ROLES):
        raise PermissionDenied("Only editors create releases.")
    release = services.release_create(
        name=payload.name,
        version=payload.version,
        description=payload.description,
        licence=str(payload.licence),
        filters=payload.filters,
        user=request.user,
    )
    services.release_start_build(release=release, user=request.user)
    release.refresh_from_db()
    return Reply(201, _out(request, release, detail=True))
