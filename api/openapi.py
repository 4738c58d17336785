"""The OpenAPI document lists the problem responses (``api.errors``) each operation can give.

ninja documents only the responses an operation declares; the problems come from the shared
exception handlers, so they are added here, once, to every operation: 400, 401, 403, 422 and 429
everywhere, 404 where an object is named (a path parameter, or a write that names one in its
body), 409 and 413 on writes. Clients (and schemathesis in CI) can then rely on the document.
"""

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from .errors import PROBLEM_CONTENT_TYPE, TITLES

WRITE_METHODS = {"post", "put", "patch", "delete"}
EVERYWHERE = (400, 401, 403, 422, 429)
NAMED_OBJECT = (404,)
WRITES = (409, 413)

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "422 (and 400): messages by field; __all__ for the whole input.",
        },
        "current_version": {"type": "integer", "description": "409: the version to reload."},
        "current_status": {"type": "string", "description": "409: the quote's status now."},
        "retry_after": {"type": "integer", "description": "429: seconds to wait."},
    },
    "required": ["type", "title", "status", "detail"],
}


def problem_statuses(method: str, path: str) -> tuple[int, ...]:
    statuses = list(EVERYWHERE)
    writes = method in WRITE_METHODS
    if "{" in path or writes:
        statuses += NAMED_OBJECT
    if writes:
        statuses += WRITES
    return tuple(sorted(statuses))


def add_problem_responses(schema: OpenAPISchema) -> OpenAPISchema:
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(method, path):
                responses.setdefault(
                    str(status),
                    {"description": TITLES[status], "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}},
                )
    return schema


class ProblemDocumentedAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        return add_problem_responses(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
