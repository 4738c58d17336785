"""Bounded list pages: keyset cursors (``next`` links), a capped count.

A page costs the same at row 10 as at row 1,000,000: the cursor names the last row's key, and the
next page starts after it (``WHERE key > last``) on an index. Orders that are not a key (a quote
``sort``) use an offset cursor, allowed up to ``MAX_OFFSET`` rows deep; past that, narrow the
filters or download the CSV. ``count`` stops at ``COUNT_CAP`` (``count_capped`` then says so).
"""

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
COUNT_CAP = 10_000
MAX_OFFSET = 10_000


def _encode(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": "This cursor is not one the API made; follow the next link."}) from None
    if not isinstance(payload, dict):
        raise ValidationError({"cursor": "This cursor is not one the API made; follow the next link."})
    return payload


def _after(fields: Sequence[str], values: Sequence[int]) -> Q:
    """Rows whose key ``fields`` come after ``values`` in ascending order (a row comparison, spelled out)."""
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{name}__gt": values[i]})
        for prior, value in zip(fields[:i], values[:i]):
            step &= Q(**{prior: value})
        condition |= step
    return condition


def _next_url(request: HttpRequest, cursor: str) -> str:
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path + "?" + params.urlencode())


def page(
    request: HttpRequest,
    queryset: QuerySet[M],
    *,
    key: Sequence[str] | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[M], dict[str, Any]]:
    """One page of ``queryset``: the rows and ``{"next", "count", "count_capped"}``.

    With ``key`` (integer fields, e.g. ``("id",)``) the page is in key order and the cursor is
    keyset; without it, the queryset's own order with an offset cursor.
    """
    limit = max(1, min(limit, MAX_LIMIT))
    counted = queryset.order_by()[: COUNT_CAP + 1].count()
    meta: dict[str, Any] = {"count": min(counted, COUNT_CAP), "count_capped": counted > COUNT_CAP, "next": None}
    state = _decode(cursor) if cursor else {}
    if key is not None:
        rows = queryset.order_by(*key)
        if "after" in state:
            after = state["after"]
            if not (isinstance(after, list) and len(after) == len(key) and all(type(v) is int for v in after)):
                raise ValidationError({"cursor": "This cursor is not one the API made; follow the next link."})
            rows = rows.filter(_after(key, after))
        found = list(rows[: limit + 1])
        if len(found) > limit:
            found = found[:limit]
            meta["next"] = _next_url(request, _encode({"after": [getattr(found[-1], f) for f in key]}))
        return found, meta
    offset = state.get("offset", 0)
    if type(offset) is not int or offset < 0:
        raise ValidationError({"cursor": "This cursor is not one the API made; follow the next link."})
    found = list(queryset[offset : offset + limit + 1])
    if len(found) > limit:
        found = found[:limit]
        if offset + limit < MAX_OFFSET:
            meta["next"] = _next_url(request, _encode({"offset": offset + limit}))
    return found, meta
