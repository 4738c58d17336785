"""Writes of the accounts app: the per-user interface preferences and the personal API tokens.

The preferences are a small JSON object with known sections only: ``shortcuts`` (action name ->
single key, or "" for off) and ``layers`` (layer name -> shown or not) and ``arcs`` ("selected" or
"all"). Anything else is refused, so the row stays small and readable.
"""

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import TOKEN_PREFIX, ApiToken, Preference

LAYERS = ("quotes", "entities", "suggestions", "stances")
ARC_MODES = ("selected", "all")
MAX_ACTIONS = 50


def preferences_get(*, user: User) -> dict[str, Any]:
    pref = Preference.objects.filter(user=user).only("data").first()
    return dict(pref.data) if pref else {}


def _clean(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError("Preferences must be a JSON object.")
    unknown = set(data) - {"shortcuts", "layers", "arcs"}
    if unknown:
        raise ValidationError(f"Unknown preference sections: {', '.join(sorted(map(str, unknown)))}.")
    clean: dict[str, Any] = {}
    if "shortcuts" in data:
        shortcuts = data["shortcuts"]
        if not isinstance(shortcuts, dict) or len(shortcuts) > MAX_ACTIONS:
            raise ValidationError("Shortcuts must be an object of action names and keys.")
        for action, key in shortcuts.items():
            if not (isinstance(action, str) and action.isidentifier() and len(action) <= 40):
                raise ValidationError(f"Unknown shortcut action {action!r}.")
            if not isinstance(key, str) or len(key) > 1 or (key and (key.isspace() or not key.isprintable())):
                raise ValidationError(f"The shortcut of {action} must be one printable character, or empty for off.")
        keys = [k for k in shortcuts.values() if k]
        if len(keys) != len(set(keys)):
            raise ValidationError("Two actions cannot share one key.")
        clean["shortcuts"] = dict(shortcuts)
    if "layers" in data:
        layers = data["layers"]
        if (
            not isinstance(layers, dict)
            or set(layers) - set(LAYERS)
            or not all(isinstance(v, bool) for v in layers.values())
        ):
            raise ValidationError(f"Layers must map {', '.join(LAYERS)} to true or false.")
        clean["layers"] = dict(layers)
    if "arcs" in data:
        if data["arcs"] not in ARC_MODES:
            raise ValidationError(f"Arcs must be one of {', '.join(ARC_MODES)}.")
        clean["arcs"] = data["arcs"]
    return clean


@transaction.atomic
def preferences_update(*, user: User, changes: dict[str, Any]) -> dict[str, Any]:
    """Replace the sections given in ``changes`` (validated once) and return all preferences."""
    clean = _clean(changes)
    pref, _ = Preference.objects.select_for_update().get_or_create(user=user)
    pref.data = {**pref.data, **clean}
    pref.full_clean()
    pref.save()
    return dict(pref.data)


# --- Personal API tokens ------------------------------------------------------------------------

TOKEN_DISPLAY_CHARS = 8
TOKEN_MAX_CHARS = 100  # a real token is 3 + 43 characters; anything much longer is not one of ours
TOKEN_NAME_MAX_CHARS = 100
TOKEN_MAX_EXPIRES_DAYS = 3650
TOKENS_MAX_ACTIVE = 20
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    """The stored form of a token: SHA-256 of the secret, hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _clean_token_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the token a name, e.g. the script or notebook that uses it."})
    if len(name) > TOKEN_NAME_MAX_CHARS:
        raise ValidationError({"name": f"A token name has at most {TOKEN_NAME_MAX_CHARS} characters."})
    if not name.isprintable() or any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise ValidationError({"name": "A token name cannot contain control characters."})
    return name


def _active_tokens(user: User) -> QuerySet[ApiToken]:
    now = timezone.now()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(expires_at__lte=now)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, read_only: bool = False, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the plain token, which is never stored nor shown again."""
    if not user.is_active:
        raise ValidationError("Inactive accounts cannot have API tokens.")
    name = _clean_token_name(name)
    if expires_days is not None and not (isinstance(expires_days, int) and 1 <= expires_days <= TOKEN_MAX_EXPIRES_DAYS):
        raise ValidationError({"expires_days": f"A token expires after 1 to {TOKEN_MAX_EXPIRES_DAYS} days."})
    # Lock the user's row so two concurrent creations cannot both pass the limit.
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
    if _active_tokens(user).count() >= TOKENS_MAX_ACTIVE:
        raise ValidationError(f"You have {TOKENS_MAX_ACTIVE} active tokens already; revoke one first.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:TOKEN_DISPLAY_CHARS],
        token_hash=token_hash(raw),
        read_only=bool(read_only),
        created=now,
        expires_at=now + datetime.timedelta(days=expires_days) if expires_days else None,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke ``token`` (its owner or a superuser may); revoking twice keeps the first time."""
    if token.user_id != by.pk and not getattr(by, "is_superuser", False):
        raise PermissionDenied("You can only revoke your own tokens.")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["revoked_at"])
    token.revoked_at = locked.revoked_at
    return locked


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw`` (with its user), or None: unknown, revoked, expired, or
    its user inactive.

    The lookup is by the hash, so no comparison runs over the secret itself; the hash found is compared
    again in constant time. ``last_used_at`` is written at most once a minute per token, by one UPDATE
    (atomic by itself: no transaction is opened for the read path of every API request).
    """
    if not isinstance(raw, str) or not raw.startswith(TOKEN_PREFIX) or len(raw) > TOKEN_MAX_CHARS:
        return None
    if not raw.isascii() or not raw.isprintable():
        return None
    digest = token_hash(raw)
    token = ApiToken.objects.select_related("user").filter(token_hash=digest).first()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_status(token: ApiToken, now: datetime.datetime | None = None) -> str:
    """``active``, ``expired`` or ``revoked`` (for lists)."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"
