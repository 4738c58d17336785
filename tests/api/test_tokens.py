"""Personal API tokens: the services, the stored form, the command and the account page."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_create_returns_the_token_once_and_stores_only_its_hash(researcher_user):
    token, raw = services.api_token_create(user=researcher_user, name="notebook")
    assert raw.startswith("qt_") and len(raw) >= 40
    assert token.prefix == raw[:8]
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken WHERE id = %s", [token.pk])
        row = cursor.fetchone()
    assert all(raw not in str(value) for value in row)
    assert all(raw[8:] not in str(value) for value in row)
    assert services.api_token_authenticate(raw=raw).pk == token.pk


def test_two_tokens_differ(researcher_user):
    _, a = services.api_token_create(user=researcher_user, name="a")
    _, b = services.api_token_create(user=researcher_user, name="b")
    assert a != b


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\there", "nul\x00", "\ud800"])
def test_bad_names_are_refused(researcher_user, name):
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(user=researcher_user, name=name)
    assert "name" in exc.value.message_dict
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_bad_expiry_is_refused(researcher_user, days):
    with pytest.raises(ValidationError):
        services.api_token_create(user=researcher_user, name="x", expires_days=days)


def test_inactive_user_gets_no_token(researcher_user):
    researcher_user.is_active = False
    researcher_user.save()
    with pytest.raises(ValidationError):
        services.api_token_create(user=researcher_user, name="x")


def test_active_tokens_are_limited(researcher_user, monkeypatch):
    monkeypatch.setattr(services, "TOKENS_MAX_ACTIVE", 2)
    services.api_token_create(user=researcher_user, name="a")
    token, _ = services.api_token_create(user=researcher_user, name="b")
    with pytest.raises(ValidationError):
        services.api_token_create(user=researcher_user, name="c")
    services.api_token_revoke(token=token, by=researcher_user)
    services.api_token_create(user=researcher_user, name="c")


def test_authenticate_refuses_unknown_malformed_revoked_expired_and_inactive(researcher_user):
    token, raw = services.api_token_create(user=researcher_user, name="x", expires_days=1)
    for bad in ["", "qt_", raw + "x", raw[:-1], "Bearer " + raw, raw.replace("qt_", "xx_"), "qt_" + "é" * 40, None]:
        assert services.api_token_authenticate(raw=bad) is None
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - datetime.timedelta(days=2), expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert services.api_token_authenticate(raw=raw) is None
    token2, raw2 = services.api_token_create(user=researcher_user, name="y")
    services.api_token_revoke(token=token2, by=researcher_user)
    assert services.api_token_authenticate(raw=raw2) is None
    token3, raw3 = services.api_token_create(user=researcher_user, name="z")
    researcher_user.is_active = False
    researcher_user.save()
    assert services.api_token_authenticate(raw=raw3) is None


def test_last_used_is_written_at_most_once_a_minute(researcher_user, django_assert_num_queries):
    token, raw = services.api_token_create(user=researcher_user, name="x")
    assert token.last_used_at is None
    services.api_token_authenticate(raw=raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the lookup only: no write within the minute
        services.api_token_authenticate(raw=raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    services.api_token_authenticate(raw=raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first - datetime.timedelta(minutes=1)


def test_revoke_is_for_the_owner_or_a_superuser(researcher_user, annotator_user, admin_user):
    token, _ = services.api_token_create(user=researcher_user, name="x")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(token=token, by=annotator_user)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    services.api_token_revoke(token=token, by=admin_user)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert first is not None
    services.api_token_revoke(token=token, by=researcher_user)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


def test_database_refuses_a_duplicate_hash_and_an_expiry_before_creation(researcher_user):
    token, _ = services.api_token_create(user=researcher_user, name="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=researcher_user, name="y", prefix="qt_abcde", token_hash=token.token_hash)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(
            user=researcher_user,
            name="y",
            prefix="qt_abcde",
            token_hash="0" * 64,
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=researcher_user, name="y", prefix="abcdefgh", token_hash="1" * 64)


# --- the command ----------------------------------------------------------------------------------


def test_command_create_prints_the_token_alone_on_its_last_line(researcher_user, capsys):
    call_command("api_token", "create", "res", "--read-only", "--expires-days", "7", "--name", "laptop")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = services.api_token_authenticate(raw=raw)
    assert token is not None and token.user == researcher_user
    assert token.read_only and token.name == "laptop"
    assert token.expires_at - timezone.now() > datetime.timedelta(days=6, hours=23)


def test_command_list_and_revoke(researcher_user, capsys):
    token, raw = services.api_token_create(user=researcher_user, name="notebook")
    call_command("api_token", "list", "res")
    out = capsys.readouterr().out
    assert token.prefix in out and "notebook" in out and "active" in out
    assert raw not in out
    call_command("api_token", "revoke", token.prefix)
    assert "Revoked" in capsys.readouterr().out
    assert services.api_token_authenticate(raw=raw) is None
    call_command("api_token", "list", "res")
    assert "revoked" in capsys.readouterr().out


def test_command_errors(researcher_user):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "nobody")
    with pytest.raises(CommandError, match="No token"):
        call_command("api_token", "revoke", "qt_zzzzz")
    with pytest.raises(CommandError, match="expires"):
        call_command("api_token", "create", "res", "--expires-days", "0")
