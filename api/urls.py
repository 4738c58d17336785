"""/api/v1/: the operations check their own authentication (``api.auth``), so the login middleware
lets them through; the docs and the OpenAPI document take a token or the session. Paths and methods
the API does not have answer with problem details too (404, 405)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, path, reverse

from accounts.auth import token_or_session

from .errors import problem
from .main import api

_patterns, _ninja_app, app_name = api.urls  # the namespace is the one ninja reverses: "api-v1"


@login_not_required
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, f"No API operation at /api/v1/{rest}.")


@token_or_session
def root(request: HttpRequest) -> HttpResponse:
    """/api/v1/ itself: where the documentation is."""
    return JsonResponse(
        {
            "openapi": request.build_absolute_uri(reverse("api-v1:openapi-json")),
            "docs": request.build_absolute_uri(reverse("api-v1:openapi-view")),
        }
    )


def _method_problem(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return problem(
                405, f"{request.method} is not allowed here (allowed: {allowed}).", headers={"Allow": allowed}
            )
        return response

    return wrapped


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if not isinstance(pattern, URLPattern) or pattern.name in ("openapi-json", "openapi-view"):
            continue
        if pattern.name == "api-root":
            pattern.callback = root
        else:
            pattern.callback = login_not_required(_method_problem(pattern.callback))
    return patterns


urlpatterns = [*_open(_patterns), path("<path:rest>", not_found, name="not-found")]
