"""Export pages and downloads. Researchers, editors and admins only; the rows come from the filters.

The downloads also take a personal API token (``Authorization: Bearer``, ``accounts.auth``), so
scripts and notebooks can read them directly.
"""

from django import forms
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.auth import token_or_session
from accounts.roles import Role, role_required
from annotations import filters as quote_filters
from annotations.filters import QuoteFilter
from annotations.models import Layer, Status

from . import jsonl
from .codebook import DANGEROUS_DISPLAY, EXPORT_FILES, KIND_HELP, NOTES
from .writers import InvalidFilters, csv_chunks, export_queryset

EXPORT_ROLES = (Role.RESEARCHER, Role.EDITOR)


def _download(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@role_required(*EXPORT_ROLES)
def index(request):
    filterset = QuoteFilter(request.GET, default_status=Status.ACCEPTED, layer=Layer.CURATED)
    for name, field in filterset.form.fields.items():
        if "[invalid name]" in str(field.label):  # django-filter's label for a method filter without one
            field.label = name.replace("_", " ").capitalize()
    sort_choices = getattr(quote_filters, "SORT_CHOICES", None)
    if sort_choices and "sort" in filterset.form.fields:
        filterset.form.fields["sort"].widget = forms.Select(choices=[("", "Text order"), *sort_choices])
    params = request.GET.copy()
    for key in list(params):
        params.setlist(key, [v for v in params.getlist(key) if v.strip()])
        if not params.getlist(key):
            del params[key]
    query = params.urlencode()
    downloads = [
        {"export": export, "url": reverse(export.url_name) + (f"?{query}" if query else "")}
        for export in EXPORT_FILES.values()
    ]
    return render(
        request,
        "exports/export_index.html",
        {
            "filterset": filterset,
            "downloads": downloads,
            "query": query,
            "jsonl_url": reverse("exports:corpus_jsonl"),
        },
    )


@require_safe
@role_required(*EXPORT_ROLES)
def codebook(request):
    return render(
        request,
        "exports/codebook_detail.html",
        {
            "exports": EXPORT_FILES.values(),
            "notes": NOTES,
            "kinds": KIND_HELP,
            "dangerous": DANGEROUS_DISPLAY,
        },
    )


@require_safe
@token_or_session
@role_required(*EXPORT_ROLES)
def export_csv(request, slug: str):
    export = EXPORT_FILES[slug]
    try:
        qs = export_queryset(export, request.GET)
    except InvalidFilters as error:
        return HttpResponse(f"Invalid filters: {error}\n", status=400, content_type="text/plain; charset=utf-8")
    chunks = csv_chunks(export, qs, bom=request.GET.get("bom") == "1")
    return _download(StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8"), export.filename)


@require_safe
@token_or_session
@role_required(*EXPORT_ROLES)
def corpus_jsonl(request):
    response = StreamingHttpResponse(jsonl.corpus_chunks(), content_type="application/x-ndjson; charset=utf-8")
    return _download(response, "corpus.jsonl")
