"""One error shape for every endpoint: RFC 9457 problem details (``application/problem+json``).

``{"type", "title", "status", "detail"}``, plus ``errors`` (field → messages) for invalid input,
``current_version`` for a version conflict and ``current_status`` for a suggestion decided already.
Handlers are registered for well-known exception types only; anything else is a bug and reaches
Django's 500 handling (and Sentry) as usual.
"""

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from accounts.auth import InvalidToken, RateLimited
from annotations.exceptions import VersionConflict
from corpus.errors import NON_FIELD, validation_errors, validation_message
from jobs.exceptions import JobStateConflict
from suggestions.exceptions import SuggestionConflict

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Version conflict",
    413: "Request body too large",
    422: "Invalid input",
    429: "Too many requests",
}
TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "version-conflict",
    413: "too-large",
    422: "invalid",
    429: "rate-limited",
}


class BadRequest(Exception):
    """A request body that is not what the API reads (not JSON, NUL characters, lone surrogates)."""


class PayloadTooLarge(Exception):
    """A request body over ``API_MAX_BODY_BYTES``."""


def problem(
    status: int,
    detail: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + TYPES.get(status, "error"),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE, headers=headers
    )
    response["Cache-Control"] = "no-store"
    return response


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """``["body", "payload", "spans", 0]`` → ``spans.0``; ``["query", "limit"]`` → ``limit``."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)  # the operation's parameter name, not a field of the payload
    return ".".join(str(p) for p in parts) or NON_FIELD


def ninja_validation_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "Invalid value.")))
    return errors


def _detail(errors: dict[str, list[str]]) -> str:
    return "; ".join(m if f == NON_FIELD else f"{f}: {m}" for f, ms in errors.items() for m in ms)


def register(api: NinjaAPI) -> None:
    """Install the problem-details handlers on ``api``."""

    def add(exc_class: type[Exception], handler: Callable[[HttpRequest, Any], HttpResponse]) -> None:
        api.add_exception_handler(exc_class, handler)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = ninja_validation_errors(exc)
        return problem(422, _detail(errors), errors=errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = validation_errors(exc)
        return problem(422 if set(errors) - {NON_FIELD} else 400, _detail(errors), errors=errors)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(404, "No such object, or it is not one you may see.")

    def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = str(exc) if isinstance(exc, InvalidToken) else "Log in, or send Authorization: Bearer TOKEN."
        return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="quotes"'})

    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem(403, str(exc) or "Your account does not have the role this needs.")

    def on_conflict(request: HttpRequest, exc: VersionConflict) -> HttpResponse:
        return problem(409, str(exc), current_version=exc.current.version, current_status=exc.current.status)

    def on_suggestion_conflict(request: HttpRequest, exc: SuggestionConflict) -> HttpResponse:
        # a ValidationError by type (the pages show its message); here a 409 of its own kind
        return problem(
            409,
            validation_message(exc),
            type=TYPE_BASE + "suggestion-conflict",
            title="Suggestion already decided or out of date",
            current_status=exc.status,
        )

    def on_job_conflict(request: HttpRequest, exc: JobStateConflict) -> HttpResponse:
        return problem(
            409,
            "; ".join(exc.messages),
            type=TYPE_BASE + "job-conflict",
            title="The job's state does not allow this",
            current_status=exc.status,
        )

    def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(413, str(exc) or "The request body is too large.")

    def on_bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        return problem(400, str(exc))

    def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return problem(429, str(exc), headers={"Retry-After": str(exc.retry_after)}, retry_after=exc.retry_after)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja wraps whatever the body parser raises in HttpError(400, "Cannot parse request body")
        # from the parser's exception: say what was wrong, and 413 for a body too large.
        cause = exc.__cause__
        if isinstance(cause, PayloadTooLarge | RequestDataTooBig):
            return on_too_large(request, cause)
        if isinstance(cause, BadRequest):
            return on_bad_request(request, cause)
        return problem(exc.status_code, str(exc))

    add(NinjaValidationError, on_ninja_validation)
    add(DjangoValidationError, on_django_validation)
    add(Http404, on_not_found)
    add(ObjectDoesNotExist, on_not_found)
    add(AuthenticationError, on_unauthenticated)
    add(InvalidToken, on_unauthenticated)
    add(PermissionDenied, on_forbidden)
    add(VersionConflict, on_conflict)
    add(SuggestionConflict, on_suggestion_conflict)
    add(JobStateConflict, on_job_conflict)
    add(PayloadTooLarge, on_too_large)
    add(RequestDataTooBig, on_too_large)
    add(BadRequest, on_bad_request)
    add(RateLimited, on_rate_limited)
    add(HttpError, on_http_error)
