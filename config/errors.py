"""Refusals in the caller's format: problem details under /api/, the app's error page elsewhere."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from api.errors import problem

API_PREFIX = "/api/"
PAGES = {400: "400.html", 403: "403.html", 404: "404.html", 405: "405.html", 413: "413.html"}


def wants_json(request: HttpRequest) -> bool:
    """The API, and any script that asks for JSON (the lookup widgets do), get problem details."""
    accept = request.headers.get("Accept", "")
    return request.path.startswith(API_PREFIX) or accept.startswith(("application/json", "application/problem+json"))


def refuse(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    if wants_json(request):
        return problem(status, detail)
    return render(request, PAGES[status], {"exception": detail}, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return refuse(
        request,
        413,
        _("The request is over %(limit)s bytes (settings.DATA_UPLOAD_MAX_MEMORY_SIZE). Nothing was saved.")
        % {"limit": f"{limit:,}"},
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a body over the limit is a 413 with its size, whatever read it first.

    Other reasons (a bad Host header, too many fields) are not repeated back to the caller.
    """
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if wants_json(request):
        return problem(400, _("The request could not be read."))
    return render(request, "400.html", status=400)
