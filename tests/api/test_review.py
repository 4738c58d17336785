"""Review writes go through review.services: the same outcome, history and conflicts as the pages."""

import pytest

from annotations.models import Layer, Quote, QuoteEvent, Status
from tests.api.conftest import API, assert_problem, submitted_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_api(bearer, token_for, editor_user):
    return bearer(token_for(editor_user))


def test_accept_builds_the_curated_quote(editor_api, annotator_user, editor_user):
    quote = submitted_quote(annotator_user=annotator_user)
    body = editor_api.post(API + f"review/quotes/{quote.pk}/accept", {"version": quote.version}).json()
    assert body["id"] == quote.pk and body["status"] == "accepted"
    quote.refresh_from_db()
    assert quote.reviewed_by == editor_user and quote.curated.layer == Layer.CURATED
    assert QuoteEvent.objects.filter(quote=quote, action="accept", actor=editor_user).exists()


def test_reject_keeps_the_reason(editor_api, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    body = editor_api.post(
        API + f"review/quotes/{quote.pk}/reject", {"version": quote.version, "reason": "Not a quote."}
    ).json()
    assert body["status"] == "rejected" and body["review_note"] == "Not a quote."
    assert Quote.objects.filter(layer=Layer.CURATED).count() == 0


def test_correct_returns_the_corrected_curated_quote(editor_api, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    body = editor_api.post(
        API + f"review/quotes/{quote.pk}/correct", {"version": quote.version, "kind": "indirect", "note": "Reported."}
    ).json()
    assert body["layer"] == "curated" and body["kind"] == "indirect"
    quote.refresh_from_db()
    assert quote.kind == "direct" and quote.status == Status.ACCEPTED  # the annotator's record stays
    assert body["id"] == quote.curated_id


def test_a_second_decision_on_a_stale_version_is_a_conflict(editor_api, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    assert editor_api.post(API + f"review/quotes/{quote.pk}/accept", {"version": quote.version}).status_code == 200
    body = assert_problem(
        editor_api.post(API + f"review/quotes/{quote.pk}/reject", {"version": quote.version, "reason": "x"}), 409
    )
    assert body["current_version"] == Quote.objects.get(pk=quote.pk).version
    assert Quote.objects.get(pk=quote.pk).status == Status.ACCEPTED


def test_correct_with_an_unknown_speaker_or_kind_is_a_field_error(editor_api, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    url = API + f"review/quotes/{quote.pk}/correct"
    assert "speaker_id" in assert_problem(editor_api.post(url, {"version": 1, "speaker_id": 999}), 422)["errors"]
    assert "kind" in assert_problem(editor_api.post(url, {"version": 1, "kind": "shouted"}), 422)["errors"]
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED
