"""/api/v1/: the operations check their own authentication (``api.auth``), so the login middleware
lets them through; the docs and the OpenAPI document take a token or the session."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from .errors import problem
from .main import api

_patterns, _ninja_app, app_name = api.urls  # the namespace is the one ninja reverses: "api-v1"


@login_not_required
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return problem(404, f"No API operation at /api/v1/{rest}.")


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name not in ("openapi-json", "openapi-view"):
            login_not_required(pattern.callback)
    return patterns


urlpatterns = [*_open(_patterns), path("<path:rest>", not_found, name="not-found")]
