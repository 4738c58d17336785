"""Pages that only show refuse writes with a 405, checked over every URL pattern.

A route is either one of the writers named here (each takes a form or a JSON body) or it refuses
POST, PUT, PATCH and DELETE. A new page that forgets ``require_safe`` fails this test; a new form
has to be named here, on purpose.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

WRITERS = {
    "accounts/login/",
    "accounts/logout/",
    "accounts/tokens/",
    "accounts/tokens/<int:pk>/revoke/",
    "review/quotes/<int:pk>/accept/",
    "review/quotes/<int:pk>/reject/",
    "review/quotes/<int:pk>/correct/",
    "review/bulk/",
    "review/assignments/",
    "review/assignments/<int:pk>/delete/",
    "review/articles/<int:pk>/adjudicate/pick/",
    "review/articles/<int:pk>/adjudicate/entity/",
    "review/agreement/refresh/",
    "review/speakers/merge/",
    "review/speakers/merges/<int:pk>/undo/",
    "review/speakers/<int:pk>/wikidata/",
    "review/speakers/<int:pk>/wikidata/proposal/confirm/",
    "review/speakers/<int:pk>/wikidata/proposal/reject/",
    "ingest/",
    "suggestions/articles/<int:pk>/suggest/",
    "suggestions/suggest/",
    "jobs/<int:pk>/cancel/",
    "jobs/<int:pk>/retry/",
    "research/releases/new/",
}


def page_routes(patterns=None, prefix=""):
    """Every route of ours; the admin and the API (django-ninja answers 405 itself) are left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(("admin/", "api/")):
            continue
        if isinstance(pattern, URLResolver):
            yield from page_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_the_writer_list_names_routes_that_exist():
    assert set(page_routes()) >= WRITERS


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_read_only_route_refuses_writes_with_a_405(client, admin_user, method):
    client.force_login(admin_user)
    read_only = [route for route in page_routes() if route not in WRITERS]
    assert len(read_only) > 30
    for route in read_only:
        url = "/" + route.replace("<int:pk>", "1").replace("<slug:kind>", "articles")
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, route, response.status_code)
        assert "GET" in response["Allow"], route
        assert "Nothing was saved" in response.content.decode(), route


def test_a_refused_write_answers_in_the_app_layout(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/exports/codebook/")
    assert response.status_code == 405
    page = response.content.decode()
    assert 'id="error-page"' in page and "This page only shows" in page
