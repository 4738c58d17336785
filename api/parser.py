"""The API's request parser: JSON objects only, of a bounded size, without NUL or lone surrogates.

PostgreSQL refuses NUL in text and no encoder takes a lone surrogate, so both are refused here, with
a 400 that says so, before any service sees the value.
"""

import json
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from text.guard import text_problem

from .errors import BadRequest, PayloadTooLarge


def _check(value: Any, where: str = "") -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise BadRequest(f"The {where or 'value'} {problem}.")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, "name of a field")
            _check(item, f"field “{key}”")
    elif isinstance(value, list):
        for item in value:
            _check(item, where)


def max_body_bytes() -> int:
    return int(getattr(settings, "API_MAX_BODY_BYTES", 1024 * 1024))


class StrictJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        limit = max_body_bytes()
        try:
            declared = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadRequest("The Content-Length header is not a number.") from None
        if declared > limit:
            raise PayloadTooLarge(f"The request body is over {limit} bytes.")
        body = request.body
        if len(body) > limit:
            raise PayloadTooLarge(f"The request body is over {limit} bytes.")
        try:
            data = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise BadRequest("The request body must be a JSON object.")
        _check(data)
        return cast(dict[str, Any], data)

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        for key, values in data.lists():
            _check(key, "name of a parameter")
            _check(values, f"parameter “{key}”")
        return super().parse_querydict(data, list_fields, request)
