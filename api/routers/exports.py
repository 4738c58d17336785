"""Links to the CSV and JSONL downloads for a quote filter (the downloads take the same tokens)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router

from exports.codebook import EXPORT_FILES
from exports.views import EXPORT_ROLES

from ..auth import require_role
from ..schemas import ExportLinks
from .annotations import filter_params

router = Router(tags=["exports"])


@router.get("/exports", response=ExportLinks, summary="Download links for these filters (quote filters)")
def export_links(request: HttpRequest) -> dict[str, Any]:
    require_role(request, *EXPORT_ROLES)
    params = filter_params(request)
    for key in list(params):
        values = [v for v in params.getlist(key) if v.strip()]
        if values:
            params.setlist(key, values)
        else:
            del params[key]
    query = params.urlencode()
    results = [
        {
            "slug": export.slug,
            "title": export.title,
            "format": "csv",
            "url": request.build_absolute_uri(reverse(export.url_name) + (f"?{query}" if query else "")),
        }
        for export in EXPORT_FILES.values()
    ]
    results.append(
        {
            "slug": "corpus",
            "title": "The whole corpus (backup)",
            "format": "jsonl",
            "url": request.build_absolute_uri(reverse("exports:corpus_jsonl")),
        }
    )
    return {"query": query, "results": results}
