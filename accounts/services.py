"""Writes of the accounts app: the per-user interface preferences.

The preferences are a small JSON object with known sections only: ``shortcuts`` (action name ->
single key, or "" for off) and ``layers`` (layer name -> shown or not) and ``arcs`` ("selected" or
"all"). Anything else is refused, so the row stays small and readable.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Preference

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
