"""The API's two ways in: a personal token (``Authorization: Bearer``) or the session cookie.

Both are ``accounts.auth``'s rules (the export downloads use the same helper). A bearer header that
is present but wrong is a 401 at once, never a fall-back to the session. Session requests that
write must carry the CSRF token (``X-CSRFToken``), as the workspace's own calls do.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from accounts.auth import SAFE_METHODS, authenticate_bearer, bearer_token
from accounts.roles import has_role


class TokenAuth(HttpBearer):
    """``Authorization: Bearer qt_…``; raises InvalidToken (401), RateLimited (429), PermissionDenied (403)."""

    def __call__(self, request: HttpRequest) -> Any:
        raw = bearer_token(request)
        if raw is None:
            return None
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return authenticate_bearer(request, token).user


class SessionAuth(APIKeyCookie):
    """The browser session; unsafe methods must pass Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)  # so the docs page sends X-CSRFToken; checked in authenticate()

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise PermissionDenied(
                "CSRF check failed: a request with the session cookie that writes must send X-CSRFToken."
            )
        return user


AUTH = [TokenAuth(), SessionAuth()]


def require_role(request: HttpRequest, *roles: str) -> None:
    """The same role rule as the pages (``accounts.roles``): superusers pass, others need one of ``roles``."""
    if not has_role(request.user, *roles):
        raise PermissionDenied("Your account does not have the role this needs.")
