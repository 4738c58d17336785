"""The account page for API tokens: create (shown once), list, revoke; CSRF and escaping."""

import pytest
from django.test import Client

from accounts import services
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def test_create_shows_the_token_once(client, researcher_user):
    client.force_login(researcher_user)
    response = client.post(PAGE, {"name": "notebook", "read_only": "on", "expires_days": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=researcher_user)
    raw = response.context["raw_token"]
    assert raw in response.content.decode()
    assert services.api_token_authenticate(raw=raw).pk == token.pk and token.read_only
    again = client.get(PAGE).content.decode()
    assert raw not in again and token.prefix in again and "notebook" in again


def test_names_are_escaped(client, researcher_user):
    client.force_login(researcher_user)
    client.post(PAGE, {"name": "<script>alert(1)</script>"})
    html = client.get(PAGE).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_invalid_form_creates_nothing(client, researcher_user):
    client.force_login(researcher_user)
    assert client.post(PAGE, {"name": "", "expires_days": "0"}).status_code == 400
    assert client.post(PAGE, {"name": "x\x00y"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoke_own_token_only(client, researcher_user, annotator_user):
    mine, raw = services.api_token_create(user=researcher_user, name="mine")
    theirs, raw_theirs = services.api_token_create(user=annotator_user, name="theirs")
    client.force_login(researcher_user)
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert services.api_token_authenticate(raw=raw_theirs) is not None
    response = client.post(f"/accounts/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    assert services.api_token_authenticate(raw=raw) is None
    assert client.get(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 405


def test_page_needs_login_and_csrf(researcher_user):
    browser = Client(enforce_csrf_checks=True)
    response = browser.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    browser.force_login(researcher_user)
    assert browser.post(PAGE, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()
    browser.get(PAGE)
    csrf = browser.cookies["csrftoken"].value
    assert browser.post(PAGE, {"name": "x", "csrfmiddlewaretoken": csrf}).status_code == 201


def test_home_links_to_the_token_page(client, annotator_user):
    client.force_login(annotator_user)
    assert PAGE in client.get("/").content.decode()
