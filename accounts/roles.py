"""The three roles of the product, held as auth groups (created by a migration)."""

from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet


class Role(StrEnum):
    ANNOTATOR = "annotator"
    EDITOR = "editor"
    RESEARCHER = "researcher"


def user_roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True for a superuser, or a user in any of ``roles``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & {str(r) for r in roles})


def role_required(*roles: str):
    """View decorator: anonymous users go to login (the middleware does it), others need a role."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied("Your account does not have the role this page needs.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def users_with_role(*roles: str) -> "QuerySet[Any]":
    """Active users in any of ``roles`` (or superusers), by username; each once (the rule of has_role)."""
    User = get_user_model()
    in_role = Q(groups__name__in=[str(r) for r in roles]) | Q(is_superuser=True)
    return (
        User.objects.filter(is_active=True)
        .filter(pk__in=User.objects.filter(in_role).values("pk"))
        .order_by("username")
    )
