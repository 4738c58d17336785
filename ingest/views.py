from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.roles import Role, role_required
from annotations.filters import QuoteFilter
from annotations.models import Layer, Quote, Status
from corpus.models import Article

from . import archives, selectors, services
from .forms import ImportForm

REPORT_ROWS = 200


@role_required(Role.EDITOR)
@require_http_methods(["GET", "POST"])
def index(request):
    reports = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            # the UploadedFiles themselves: article files are read a piece at a time
            files = [(f.name, f) for f in form.cleaned_data["files"]]
            if services.import_needs_job(files):
                pasted = form.cleaned_data["text"]
                if pasted.strip():
                    files.append(("pasted text.txt", ContentFile(pasted.encode("utf-8"), name="pasted text.txt")))
                job = services.import_enqueue(
                    files=files, fmt=form.cleaned_data["format"], status=form.cleaned_data["status"], user=request.user
                )
                messages.success(request, "The import runs in the background; this page follows it.")
                return redirect("jobs:detail", pk=job.pk)
            reports = services.import_submission(
                files=files,
                pasted=form.cleaned_data["text"],
                fmt=form.cleaned_data["format"],
                annotator=request.user,
                status=form.cleaned_data["status"],
            )
            if all(r.ok for r in reports):
                form = ImportForm(
                    initial={"format": form.cleaned_data["format"], "status": form.cleaned_data["status"]}
                )
    else:
        form = ImportForm()
    return render(
        request,
        "ingest/article_import.html",
        {
            "form": form,
            "reports": reports,
            "report_rows": REPORT_ROWS,
            "max_mb": settings.IMPORT_MAX_BYTES / (1024 * 1024),
            "background_mb": settings.IMPORT_BACKGROUND_BYTES / (1024 * 1024),
        },
    )


@require_safe
@role_required(Role.EDITOR, Role.RESEARCHER)
def brat_export(request):
    quote_filter = QuoteFilter(
        request.GET, default_status=Status.ACCEPTED, queryset=Quote.objects.all(), layer=Layer.CURATED
    )
    article = None
    if request.GET.get("article"):
        if not request.GET["article"].isdigit():
            raise Http404("No such article.")
        article = get_object_or_404(Article, pk=request.GET["article"])
    if "download" in request.GET and quote_filter.is_valid():
        documents = selectors.brat_documents(quote_filter, article=article)
        part = request.GET.get("part")
        if article is not None and part in ("txt", "ann"):
            doc = documents[0]
            response = HttpResponse(
                doc.article.body if part == "txt" else doc.ann(), content_type="text/plain; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{doc.stem}.{part}"'
            return response
        name = documents[0].stem if article is not None else "brat-export"
        response = HttpResponse(archives.brat_zip(documents), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
        return response
    count = None
    if quote_filter.is_valid():
        count = quote_filter.qs.order_by().values("article_id").distinct().count() if article is None else 1
    return render(
        request,
        "ingest/article_brat_export.html",
        {
            "filter": quote_filter,
            "article": article,
            "article_count": count,
            "query": request.GET.urlencode(),
        },
    )
