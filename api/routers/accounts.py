"""The signed-in user's own settings: the workspace's interface preferences (keys, layers, arcs)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict, Field

from accounts import services

router = Router(tags=["accounts"])


class PreferencesOut(Schema):
    preferences: dict[str, Any] = Field(description="shortcuts (action → key), layers (name → shown), arcs")


class PreferencesIn(Schema):
    """The sections to replace; the others stay as they are. The service checks their contents."""

    model_config = ConfigDict(extra="forbid")

    shortcuts: dict[str, Any] | None = None
    layers: dict[str, Any] | None = None
    arcs: Any = None


@router.get("/preferences", response=PreferencesOut, summary="Your interface preferences")
def preferences_get(request: HttpRequest) -> dict[str, Any]:
    return {"preferences": services.preferences_get(user=request.user)}  # type: ignore[arg-type]


@router.post("/preferences", response=PreferencesOut, summary="Replace the preference sections sent")
def preferences_update(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    return {"preferences": services.preferences_update(user=request.user, changes=changes)}  # type: ignore[arg-type]
