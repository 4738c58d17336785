"""Quote create / update in the caller's own layer, through the workspace's form and services."""

import pytest

from annotations.models import Layer, Quote, QuoteEvent, Status
from tests import factories
from tests.api.conftest import API, assert_problem, curated_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def annotator_api(bearer, token_for, annotator_user):
    return bearer(token_for(annotator_user))


def test_create_a_draft_in_my_layer(client, annotator_api, annotator_user, article):
    start, end = factories.find_span(article.body, "We will act,")
    speaker = factories.SpeakerFactory(name="Jane Doe")
    response = annotator_api.post(
        API + "quotes",
        {
            "article": article.pk,
            "spans": [[start, end]],
            "span_texts": ["We will act,"],
            "speaker": speaker.pk,
            "tags": ["policy"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    quote = Quote.objects.get(pk=body["id"])
    assert (quote.layer, quote.status, quote.annotator) == (Layer.ANNOTATION, Status.DRAFT, annotator_user)
    assert body["speaker"]["id"] == speaker.pk and body["tags"] == ["policy"] and body["spans"] == [[start, end]]
    assert QuoteEvent.objects.filter(quote=quote, action="create").count() == 1


def test_create_refuses_a_span_that_is_not_the_text(annotator_api, article):
    body = assert_problem(
        annotator_api.post(API + "quotes", {"article": article.pk, "spans": [[0, 5]], "span_texts": ["Nope!"]}), 422
    )
    assert "span_texts" in body["errors"] or "spans" in body["errors"]
    assert not Quote.objects.exists()


def test_create_refuses_spans_past_the_end(annotator_api, article):
    response = annotator_api.post(API + "quotes", {"article": article.pk, "spans": [[0, 10**6]]})
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert not Quote.objects.exists()


def test_update_needs_the_current_version_and_my_own_quote(
    client, token_for, annotator_user, other_annotator, editor_user
):
    mine = factories.make_quote(annotator_user=annotator_user)
    headers = {"Authorization": f"Bearer {token_for(annotator_user)}"}
    url = API + f"quotes/{mine.pk}"
    ok = client.patch(
        url, {"version": mine.version, "kind": "indirect"}, content_type="application/json", headers=headers
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["kind"] == "indirect" and ok.json()["version"] == mine.version + 1
    stale = client.patch(
        url, {"version": mine.version, "kind": "mixed"}, content_type="application/json", headers=headers
    )
    assert assert_problem(stale, 409)["current_version"] == mine.version + 1
    assert Quote.objects.get(pk=mine.pk).kind == "indirect"

    theirs = factories.make_quote(annotator_user=other_annotator)
    response = client.patch(
        API + f"quotes/{theirs.pk}",
        {"version": theirs.version, "kind": "mixed"},
        content_type="application/json",
        headers=headers,
    )
    assert_problem(response, 403)
    assert Quote.objects.get(pk=theirs.pk).kind == "direct"

    curated = curated_quote(editor=editor_user, annotator_user=annotator_user, text="The plan is ready.")
    accepted = Quote.objects.get(curated=curated)
    for quote in (curated, accepted):
        response = client.patch(
            API + f"quotes/{quote.pk}",
            {"version": quote.version, "kind": "mixed"},
            content_type="application/json",
            headers=headers,
        )
        assert_problem(response, 403)


@pytest.mark.parametrize("sent", [{"spans": None}, {"kind": None}])
def test_update_refuses_a_required_field_sent_as_null(client, token_for, annotator_user, sent):
    """Found by schemathesis: ``"spans": null`` reached the service and was a 500."""
    mine = factories.make_quote(annotator_user=annotator_user)
    response = client.patch(
        API + f"quotes/{mine.pk}",
        {"version": mine.version, **sent},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(annotator_user)}"},
    )
    assert set(assert_problem(response, 422)["errors"]) == set(sent)
    assert Quote.objects.get(pk=mine.pk).version == mine.version
