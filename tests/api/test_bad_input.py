"""NUL bytes, lone surrogates, HTML and other junk: a clear 4xx, and nothing changes."""

import pytest

from annotations.models import Quote, QuoteEvent, Status
from tests.api.conftest import API, assert_problem, submitted_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(bearer, token_for, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    return bearer(token_for(editor_user)), quote, QuoteEvent.objects.count()


def _unchanged(quote, events_before):
    current = Quote.objects.get(pk=quote.pk)
    assert (current.status, current.version) == (Status.SUBMITTED, quote.version)
    assert QuoteEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("raw", "status", "words"),
    [
        (b'{"version": 1, "reason": "no\\u0000pe"}', 400, "NUL"),
        (b'{"version": 1, "reason": "\\ud800"}', 400, "surrogate"),
        (b'{"version": 1, "re\\u0000ason": "x"}', 400, "NUL"),
        (b'{"version": 1, "reason": "\xff\xfe"}', 400, "JSON"),
        (b"<html><body><script>alert(1)</script></body></html>", 400, "JSON"),
        (b"[1, 2]", 400, "object"),
        (b'{"version": "<b>1</b>", "reason": "x"}', 422, "version"),
        (b'{"version": 1, "reason": ""}', 422, "reason"),
    ],
)
def test_bad_bodies_are_refused(client, setup, raw, status, words):
    caller, quote, events = setup
    response = client.post(
        API + f"review/quotes/{quote.pk}/reject", raw, content_type="application/json", headers=caller.headers
    )
    body = assert_problem(response, status)
    assert words in body["detail"]
    _unchanged(quote, events)


@pytest.mark.parametrize("query", ["q=a%00b", "outlet=%00", "speaker_name=x%00", "article=%00", "limit=%00"])
def test_nul_in_query_strings_is_refused(setup, query):
    caller, quote, events = setup
    response = caller.get(API + "quotes?" + query)
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()["detail"]


def test_html_in_text_is_data_not_markup(setup):
    caller, quote, events = setup
    reason = '<script>alert("x")</script>'
    response = caller.post(API + f"review/quotes/{quote.pk}/reject", {"version": quote.version, "reason": reason})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["review_note"] == reason  # JSON carries it as text; no page renders it here
