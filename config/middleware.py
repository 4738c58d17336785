"""The input guard: every text that enters through a form or a query string is UTF-8 without NUL.

Django's own parsers decode with ``errors="replace"``, so bytes that are not UTF-8 would be stored
as U+FFFD without a word, and a NUL reaches PostgreSQL as a 500. This middleware looks at what was
sent (the raw query string, the raw urlencoded body, the decoded multipart fields) before any view,
and refuses it with a 400 that names the field, in the caller's format: problem details for the
API, the app's error page otherwise. A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413. JSON
bodies are the API parser's to check (``api.parser``), files the importer's (``ingest.parsers``).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from config.errors import refuse, too_large
from text.guard import REPLACEMENT, bytes_problem, form_pairs, shown_name, text_problem

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def _form_problem(encoded: bytes, what: str) -> str | None:
    for raw_name, raw_value in form_pairs(encoded):
        problem = bytes_problem(raw_name)
        if problem:
            return _("The name of a %(what)s %(problem)s.") % {"what": what, "problem": problem}
        problem = bytes_problem(raw_value)
        if problem:
            return _("The %(what)s “%(name)s” %(problem)s.") % {
                "what": what,
                "name": shown_name(raw_name),
                "problem": problem,
            }
    return None


def _multipart_problem(request: HttpRequest) -> str | None:
    # The raw multipart body is not kept (files stream to disk), so what Django decoded is checked:
    # a U+FFFD there stands for bytes that were not UTF-8.
    for name, values in request.POST.lists():
        for value in [name, *values]:
            problem = text_problem(value)
            if problem is None and REPLACEMENT in value:
                problem = _("holds bytes that are not UTF-8")
            if problem:
                return _("The field “%(name)s” %(problem)s.") % {"name": shown_name(name.encode()), "problem": problem}
    return None


def input_problem(request: HttpRequest) -> str | None:
    """Why what this request sends cannot be read as text, or None."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        # WSGI hands the query string over as latin-1, one character per byte (PEP 3333).
        problem = _form_problem(query.encode("latin-1", errors="replace"), _("parameter"))
        if problem:
            return problem
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type == FORM:
        return _form_problem(request.body, _("field"))
    if content_type == MULTIPART:
        return _multipart_problem(request)
    return None


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            # Django's require_safe/require_POST answer an empty 405: give it words and the layout.
            allowed = response.get("Allow", "")
            response = refuse(request, 405, _("This address takes %(allowed)s only.") % {"allowed": allowed})
            response["Allow"] = allowed
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        # In process_view, after the login and CSRF checks: an anonymous or forged request is refused
        # for that first. Multipart bodies have been parsed by the CSRF check by now.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refuse(request, 400, _("The Content-Length header is not a number."))
        if limit is not None and declared > limit and request.content_type != MULTIPART:
            return too_large(request)
        problem = input_problem(request)
        if problem:
            return refuse(request, 400, problem + " " + _("Nothing was saved."))
        return None
