"""Every error is one RFC 9457 problem: 400, 401, 403, 404, 409, 413, 422, 429."""

import json

import pytest
from django.test import Client, override_settings

from accounts import services
from annotations.models import Quote, Status
from tests.api.conftest import API, assert_problem, submitted_quote

pytestmark = pytest.mark.django_db


def test_401_without_credentials_with_www_authenticate(client):
    response = client.get(API + "quotes")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_401_for_a_wrong_token_even_with_a_valid_session(client, researcher_user):
    client.force_login(researcher_user)
    body = assert_problem(client.get(API + "quotes", headers={"Authorization": "Bearer qt_wrong"}), 401)
    assert "unknown, expired or revoked" in body["detail"]


def test_403_for_a_missing_role(bearer, token_for, annotator_user):
    body = assert_problem(bearer(token_for(annotator_user)).get(API + "quotes"), 403)
    assert "role" in body["detail"]


def test_404_for_an_unknown_object_and_an_unknown_path(bearer, token_for, researcher_user):
    caller = bearer(token_for(researcher_user))
    assert_problem(caller.get(API + "quotes/999999"), 404)
    assert_problem(caller.get(API + "articles/999999"), 404)
    assert_problem(caller.get(API + "no-such-thing"), 404)


def test_422_names_the_field(bearer, token_for, researcher_user):
    caller = bearer(token_for(researcher_user))
    body = assert_problem(caller.get(API + "quotes?limit=0"), 422)
    assert "limit" in body["errors"]
    body = assert_problem(caller.get(API + "quotes?published_after=2020-02-31"), 422)
    assert "published_after" in body["errors"]
    body = assert_problem(caller.get(API + "quotes?status=bogus"), 422)
    assert "status" in body["errors"]
    body = assert_problem(caller.get(API + "quotes?cursor=notacursor"), 422)
    assert "cursor" in body["errors"]


def test_422_for_a_body_of_the_wrong_shape(bearer, token_for, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    body = assert_problem(
        bearer(token_for(editor_user)).post(API + f"review/quotes/{quote.pk}/reject", {"version": "one"}), 422
    )
    assert set(body["errors"]) == {"version", "reason"}
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED


def test_django_validation_error_of_a_service_is_a_problem(bearer, token_for, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    response = bearer(token_for(editor_user)).post(
        API + f"review/quotes/{quote.pk}/correct", {"version": quote.version, "spans": [[0, 100000]]}
    )
    body = assert_problem(response, 422 if response.status_code == 422 else 400)
    assert body["errors"]
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED


def test_409_carries_the_current_version(bearer, token_for, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    body = assert_problem(
        bearer(token_for(editor_user)).post(API + f"review/quotes/{quote.pk}/accept", {"version": quote.version - 1}),
        409,
    )
    assert body["current_version"] == quote.version
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED


@override_settings(API_MAX_BODY_BYTES=200)
def test_413_for_an_oversized_body(bearer, token_for, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    payload = {"version": quote.version, "reason": "x" * 500}
    assert_problem(bearer(token_for(editor_user)).post(API + f"review/quotes/{quote.pk}/reject", payload), 413)
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED


@override_settings(API_TOKEN_RATE_PER_MINUTE=3)
def test_429_with_retry_after(bearer, token_for, researcher_user):
    caller = bearer(token_for(researcher_user))
    for _ in range(3):
        assert caller.get(API + "articles").status_code == 200
    response = caller.get(API + "articles")
    body = assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert body["retry_after"] == int(response["Retry-After"])


def test_session_writes_need_the_csrf_token(researcher_user, editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor_user)
    url = API + f"review/quotes/{quote.pk}/accept"
    body = json.dumps({"version": quote.version})
    body_problem = assert_problem(browser.post(url, body, content_type="application/json"), 403)
    assert "CSRF" in body_problem["detail"]
    assert Quote.objects.get(pk=quote.pk).status == Status.SUBMITTED
    browser.get("/")  # the home page has a form: it sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(url, body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert response.status_code == 200, response.content
    assert Quote.objects.get(pk=quote.pk).status == Status.ACCEPTED


def test_token_writes_need_no_csrf(editor_user, annotator_user):
    quote = submitted_quote(annotator_user=annotator_user)
    _, raw = services.api_token_create(user=editor_user, name="x")
    response = Client(enforce_csrf_checks=True).post(
        API + f"review/quotes/{quote.pk}/accept",
        json.dumps({"version": quote.version}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200


def test_405_for_a_method_the_operation_lacks(bearer, token_for, researcher_user, client):
    client_headers = {"Authorization": f"Bearer {token_for(researcher_user)}"}
    response = client.put(API + "quotes", headers=client_headers)
    body = assert_problem(response, 405)
    assert "PUT" in body["detail"] and "GET" in response["Allow"]
    assert_problem(client.delete(API + "articles/1", headers=client_headers), 405)


def test_root_points_to_the_documentation(bearer, token_for, researcher_user):
    body = bearer(token_for(researcher_user)).get(API).json()
    assert body["openapi"].endswith("/api/v1/openapi.json") and body["docs"].endswith("/api/v1/docs")
