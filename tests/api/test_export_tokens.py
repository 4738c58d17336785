"""The CSV and JSONL downloads take the same bearer tokens as the API (accounts.auth.token_or_session)."""

import csv
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from tests.api.conftest import curated_quote

pytestmark = pytest.mark.django_db

QUOTES_CSV = "/exports/quotes.csv"


def test_researcher_token_downloads_filtered_quotes_csv(
    bearer, token_for, researcher_user, editor_user, annotator_user
):
    kept = curated_quote(editor=editor_user, annotator_user=annotator_user)
    other = curated_quote(
        editor=editor_user,
        annotator_user=annotator_user,
        article=None,
        text="The plan is ready.",
    )
    other.article.outlet = "Elsewhere"
    other.article.save()
    response = bearer(token_for(researcher_user)).get(QUOTES_CSV + "?outlet=the+daily+test")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [int(r["quote_id"]) for r in rows] == [kept.pk]


def test_jsonl_backup_takes_a_token(bearer, token_for, editor_user):
    response = bearer(token_for(editor_user)).get("/exports/corpus.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")


@pytest.mark.parametrize("url", [QUOTES_CSV, "/exports/corpus.jsonl"])
def test_annotator_token_is_refused_like_the_annotator_session(bearer, token_for, annotator_user, client, url):
    assert bearer(token_for(annotator_user)).get(url).status_code == 403
    client.force_login(annotator_user)
    assert client.get(url).status_code == 403


def test_bad_expired_and_revoked_tokens_get_401(bearer, researcher_user):
    assert bearer("qt_notatoken").get(QUOTES_CSV).status_code == 401
    token, raw = services.api_token_create(user=researcher_user, name="x")
    services.api_token_revoke(token=token, by=researcher_user)
    response = bearer(raw).get(QUOTES_CSV)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    token, raw = services.api_token_create(user=researcher_user, name="y", expires_days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - timezone.timedelta(days=3), expires_at=timezone.now() - timezone.timedelta(days=1)
    )
    assert bearer(raw).get(QUOTES_CSV).status_code == 401


def test_without_token_or_session_the_visitor_goes_to_login(client):
    response = client.get(QUOTES_CSV)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_still_opens_the_download(client, researcher_user):
    client.force_login(researcher_user)
    assert client.get(QUOTES_CSV).status_code == 200


@override_settings(API_TOKEN_RATE_PER_MINUTE=2)
def test_downloads_are_rate_limited_per_token(bearer, token_for, researcher_user):
    raw = token_for(researcher_user)
    assert bearer(raw).get(QUOTES_CSV).status_code == 200
    assert bearer(raw).get(QUOTES_CSV).status_code == 200
    response = bearer(raw).get(QUOTES_CSV)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert bearer(token_for(researcher_user)).get(QUOTES_CSV).status_code == 200  # another token: its own count
