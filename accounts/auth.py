"""Who is calling: the session cookie, or a personal API token sent as ``Authorization: Bearer TOKEN``.

One helper for every door that takes tokens: the JSON API (``api.auth``) and the CSV / JSONL
downloads (``token_or_session`` on the export views). A token request is rate limited per token
(``API_TOKEN_RATE_PER_MINUTE`` requests in each minute, counted in the Django cache); a read-only
token may only read. The user of a valid token becomes ``request.user``, so the views' own role
checks apply to token requests unchanged.
"""

import math
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from . import services
from .models import ApiToken

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RATE_WINDOW_SECONDS = 60


class InvalidToken(Exception):
    """The bearer token is unknown, malformed, expired or revoked (HTTP 401)."""

    def __init__(self, message: str = "The API token is unknown, expired or revoked.") -> None:
        super().__init__(message)


class RateLimited(Exception):
    """Too many requests with one token in the current window (HTTP 429, ``Retry-After`` seconds)."""

    def __init__(self, retry_after: int, limit: int) -> None:
        self.retry_after = retry_after
        self.limit = limit
        super().__init__(f"More than {limit} requests a minute with this token. Retry in {retry_after} s.")


def rate_limit_per_minute() -> int:
    return int(getattr(settings, "API_TOKEN_RATE_PER_MINUTE", 600))


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None when the request sends none."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def check_rate(token: ApiToken) -> None:
    """Count one request for ``token`` in the current minute; raise RateLimited past the limit."""
    limit = rate_limit_per_minute()
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"api-token-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * RATE_WINDOW_SECONDS - now))
        raise RateLimited(retry_after=retry_after, limit=limit)


def authenticate_bearer(request: HttpRequest, raw: str) -> ApiToken:
    """Authenticate ``request`` by the token ``raw``: sets ``request.user`` and ``request.api_token``.

    Raises InvalidToken (401), RateLimited (429) or PermissionDenied (403, a write with a read-only token).
    """
    token = services.api_token_authenticate(raw=raw)
    if token is None:
        raise InvalidToken()
    check_rate(token)
    if token.read_only and request.method not in SAFE_METHODS:
        raise PermissionDenied("This token is read-only; writes need a token created without --read-only.")
    request.user = token.user
    request.api_token = token  # type: ignore[attr-defined]
    return token


def _plain(message: str, status: int, **headers: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8", headers=headers)


def token_or_session(view: Callable[..., Any]) -> Callable[..., Any]:
    """Plain Django views (the downloads): a bearer token, or else the session as everywhere else.

    The view's own role check runs after this, for both. Without a token and without a session the
    visitor goes to the login page, as the login middleware would send them.
    """

    @login_not_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raw = bearer_token(request)
        if raw is not None:
            try:
                authenticate_bearer(request, raw)
            except InvalidToken as exc:
                return _plain(str(exc), 401, **{"WWW-Authenticate": 'Bearer realm="quotes"'})
            except RateLimited as exc:
                return _plain(str(exc), 429, **{"Retry-After": str(exc.retry_after)})
        elif not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
