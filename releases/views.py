"""Release pages in the research section: the list and a release's page (researchers, editors), the
create form (editors), and the download of a published zip (session or API token, accounts.auth)."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.auth import token_or_session
from accounts.roles import Role, has_role, role_required

from . import services
from .forms import ReleaseForm, filter_form, filter_params
from .models import Release, release_storage

READ_ROLES = (Role.RESEARCHER, Role.EDITOR)
WRITE_ROLES = (Role.EDITOR,)
PER_PAGE = 25


@require_safe
@role_required(*READ_ROLES)
def release_list(request):
    page = Paginator(Release.objects.select_related("created_by"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "releases/release_list.html", {"page": page, "can_create": has_role(request.user, *WRITE_ROLES)}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(*WRITE_ROLES)
def release_create(request):
    if request.method == "POST":
        form = ReleaseForm(request.POST)
        filters = filter_form(request.POST)
        if form.is_valid():
            try:
                release = services.release_create(
                    **form.cleaned_data, filters=filter_params(request.POST), user=request.user
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
            else:
                job = services.release_start_build(release=release, user=request.user)
                return redirect("jobs:detail", pk=job.pk)
    else:
        form, filters = ReleaseForm(), filter_form()
    return render(request, "releases/release_form.html", {"form": form, "filters": filters}, status=200)


@require_safe
@role_required(*READ_ROLES)
def release_detail(request, pk: int):
    release = get_object_or_404(Release.objects.select_related("created_by", "previous"), pk=pk)
    return render(request, "releases/release_detail.html", {"release": release})


@require_safe
@token_or_session
@role_required(*READ_ROLES)
def release_download(request, pk: int):
    release = get_object_or_404(Release, pk=pk)
    if not release.is_published:
        raise Http404("This release is not published.")
    response = FileResponse(
        release_storage().open(str(release.file.name), "rb"),
        as_attachment=True,
        filename=f"{release.folder}.zip",
        content_type="application/zip",
    )
    response["Content-Length"] = str(release.size)
    response["ETag"] = f'"{release.sha256}"'
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
