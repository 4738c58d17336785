"""The public API, version 1: one NinjaAPI, one router per app, one error shape (``api.errors``)."""

from accounts.auth import token_or_session

from . import errors
from .auth import AUTH
from .openapi import ProblemDocumentedAPI
from .parser import StrictJSONParser
from .routers import accounts, annotations, corpus, exports, ingest, jobs, releases, review, suggestions, workspace

DESCRIPTION = """The quote corpus as JSON. Authenticate with `Authorization: Bearer TOKEN` (create one
on /accounts/tokens/ or with `manage.py api_token create`), or the session cookie (writes then need
`X-CSRFToken`). Every operation has the same roles as the pages. Errors are RFC 9457 problem
details (`application/problem+json`). Lists are paged: follow `next`."""

api = ProblemDocumentedAPI(
    title="Quote corpus API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=AUTH,
    parser=StrictJSONParser(),
    docs_decorator=token_or_session,
)
errors.register(api)
api.add_router("", ingest.router)  # before corpus: /articles/import is not /articles/{pk}
api.add_router("", corpus.router)
api.add_router("", annotations.router)
api.add_router("", review.router)
api.add_router("", exports.router)
api.add_router("", releases.router)
api.add_router("", workspace.router)
api.add_router("", suggestions.router)
api.add_router("", accounts.router)
api.add_router("", jobs.router)
