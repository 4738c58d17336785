"""Error pages in the app's layout, saying what happened and where to go; a favicon for every browser."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_researcher_on_the_annotators_page_gets_the_reason_and_the_way_back(client, researcher_user):
    client.force_login(researcher_user)
    response = client.get(reverse("annotations:index"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot open this page" in html and "does not have the role" in html
    assert 'class="mainnav"' in html and reverse("home") in html  # the navigation is there


def test_an_unknown_address_gets_the_apps_404(client, researcher_user):
    client.force_login(researcher_user)
    response = client.get("/research/quotes/no-such-thing/")
    assert response.status_code == 404 and "There is nothing at this address" in response.content.decode()


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_gets_a_page_that_needs_nothing(client):
    from django.views.defaults import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500 and "Something went wrong on our side" in response.content.decode()


def test_favicon_for_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert client.get(response["Location"]).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_large_paste_gets_the_apps_413_with_the_limit(client, editor_user):
    client.force_login(editor_user)
    response = client.post(reverse("ingest:index"), {"text": "Title\n\n" + "x" * 2000, "status": "draft"})
    html = response.content.decode()
    assert response.status_code == 413
    assert "What was sent is too large" in html and "1,000 bytes" in html and 'class="mainnav"' in html


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_large_json_body_gets_a_problem_413(client, editor_user):
    client.force_login(editor_user)
    response = client.post("/api/v1/quotes", "{" + '"x": "' + "y" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert (
        response["Content-Type"].startswith("application/problem+json") and "1,000 bytes" in response.json()["detail"]
    )


def test_an_undecodable_form_field_gets_the_apps_400_naming_it(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        reverse("review:bulk"), b"decision=accept&reason=%FF", content_type="application/x-www-form-urlencoded"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "The field “reason” holds byte 0xff at position 1, which is not UTF-8" in html and 'class="mainnav"' in html
