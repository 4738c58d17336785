"""Per-user workspace preferences: the service validates, the endpoint needs a login and CSRF."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import services
from accounts.models import Preference
from accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_update_merges_sections_and_keeps_one_row_per_user():
    user = factories.UserFactory(roles=[Role.ANNOTATOR])
    services.preferences_update(user=user, changes={"shortcuts": {"quote": "w", "entity": ""}})
    data = services.preferences_update(user=user, changes={"layers": {"entities": False}})
    assert data == {"shortcuts": {"quote": "w", "entity": ""}, "layers": {"entities": False}}
    assert Preference.objects.filter(user=user).count() == 1
    assert services.preferences_get(user=user) == data


@pytest.mark.parametrize(
    "changes",
    [
        {"colour": "red"},
        {"shortcuts": {"quote": "ww"}},
        {"shortcuts": {"quote": " "}},
        {"shortcuts": {"quote": "x", "entity": "x"}},
        {"shortcuts": {"bad name": "x"}},
        {"layers": {"quotes": "yes"}},
        {"layers": {"colours": True}},
        {"arcs": "some"},
        [1, 2],
    ],
)
def test_bad_preferences_are_refused_and_change_nothing(changes):
    user = factories.UserFactory(roles=[Role.ANNOTATOR])
    services.preferences_update(user=user, changes={"arcs": "all"})
    with pytest.raises(ValidationError):
        services.preferences_update(user=user, changes=changes)
    assert services.preferences_get(user=user) == {"arcs": "all"}


def test_the_api_reads_and_writes_own_preferences_with_csrf():
    user = factories.UserFactory(roles=[Role.ANNOTATOR])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/preferences").json() == {"preferences": {}}
    assert client.post("/api/v1/preferences", "{}", content_type="application/json").status_code == 403
    client.get("/annotate/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/preferences",
        json.dumps({"layers": {"quotes": False}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.json() == {"preferences": {"layers": {"quotes": False}}}
    bad = client.post("/api/v1/preferences", "not json", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    unknown = client.post(
        "/api/v1/preferences", json.dumps({"colour": "red"}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert unknown.status_code == 422 and "colour" in unknown.json()["errors"]
    wrong = client.post(
        "/api/v1/preferences", json.dumps({"arcs": "some"}), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert wrong.status_code == 400 and "Arcs must be one of" in wrong.json()["detail"]
    assert Preference.objects.get(user=user).data == {"layers": {"quotes": False}}


def test_the_api_needs_a_login():
    response = Client().get("/api/v1/preferences")
    assert response.status_code == 401
