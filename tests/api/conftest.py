import pytest
from django.core.cache import cache

from accounts import services
from annotations import services as annotation_services
from annotations.models import Layer, Quote
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit counts in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for(db):
    """``token_for(user, read_only=False)`` → the plain token of a new personal token of ``user``."""

    def make(user, **kwargs):
        kwargs.setdefault("name", "test")
        return services.api_token_create(user=user, **kwargs)[1]

    return make


@pytest.fixture
def bearer(client):
    """``bearer(token).get(url)``: the test client sending ``Authorization: Bearer token``."""

    class Bearer:
        def __init__(self, token):
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, url, **kwargs):
            return client.get(url, headers=self.headers, **kwargs)

        def post(self, url, data=None, **kwargs):
            return client.post(url, data, content_type="application/json", headers=self.headers, **kwargs)

    return Bearer


def curated_quote(*, editor, annotator_user, article=None, text=None, **kwargs) -> Quote:
    """An annotator's quote, submitted and accepted: returns the curated quote it supports."""
    quote = factories.make_quote(article=article, annotator_user=annotator_user, text=text, **kwargs)
    quote = annotation_services.quote_submit(quote=quote, actor=annotator_user)
    accepted = annotation_services.quote_accept(quote=quote, reviewer=editor)
    curated = accepted.curated
    assert curated is not None and curated.layer == Layer.CURATED
    return curated


def submitted_quote(*, annotator_user, article=None, text=None, **kwargs) -> Quote:
    quote = factories.make_quote(article=article, annotator_user=annotator_user, text=text, **kwargs)
    return annotation_services.quote_submit(quote=quote, actor=annotator_user)


API = "/api/v1/"


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem of ``status``; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/problems/")
    assert body["title"] and body["detail"]
    return body
