"""/api/v1/openapi.json and /api/v1/docs: served with no network (swagger-ui from ninja's static files)."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.api.conftest import API

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_operations(client, researcher_user):
    client.force_login(researcher_user)
    schema = client.get(API + "openapi.json").json()
    assert schema["info"]["title"] == "Quote corpus API"
    assert {"/api/v1/quotes", "/api/v1/articles/{pk}", "/api/v1/review/quotes/{pk}/accept"} <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_openapi_document_takes_a_token_and_refuses_strangers(client, bearer, token_for, researcher_user):
    assert bearer(token_for(researcher_user)).get(API + "openapi.json").status_code == 200
    client.logout()
    response = client.get(API + "openapi.json")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_docs_page_loads_everything_from_our_static_files(client, researcher_user):
    client.force_login(researcher_user)
    html = client.get(API + "docs").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    # No inline script that runs: the only script without src is the JSON settings block.
    for tag in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        assert 'type="application/json"' in tag
    for source in sources:
        path = source.removeprefix("/static/")
        assert finders.find(path), path
        assert client.get(source).status_code == 200


def test_every_operation_documents_its_problem_responses():
    """So clients (and schemathesis in CI, .ci/schemathesis.sh) can rely on the listed status codes."""
    from api.main import api

    schema = api.get_openapi_schema()
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"400", "401", "403", "422", "429"} <= set(responses), (method, path)
            assert "application/problem+json" in responses["403"]["content"]
            if method != "get":
                assert {"404", "409", "413"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
