"""Login throttling (django-axes): 30 wrong passwords lock the account out; an admin unlocks it."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]


@pytest.fixture
def axes_on():
    with override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=10):
        yield


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_thirty_bad_logins_lock_the_account_even_for_the_right_password(client):
    UserFactory(username="mara")  # password "pw"
    statuses = [login(client, "mara", f"wrong{i}").status_code for i in range(30)]
    assert statuses[:9] == [200] * 9  # the form again, with its error
    assert set(statuses[10:]) == {429}
    response = login(client, "mara", "pw")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_from_any_address_and_per_address(client):
    UserFactory(username="mara")
    UserFactory(username="olu")
    for i in range(10):
        login(client, "mara", f"wrong{i}", ip=f"10.0.1.{i}")  # ten addresses, one account
    assert login(client, "mara", "pw", ip="10.0.2.1").status_code == 429
    assert login(client, "olu", "pw", ip="10.0.2.1").status_code == 302  # another account logs in


def test_an_admin_unlocks_the_account(client, admin_client):
    from axes.models import AccessAttempt

    UserFactory(username="mara")
    for i in range(12):
        login(client, "mara", f"wrong{i}")
    assert login(client, "mara", "pw").status_code == 429
    ids = [str(pk) for pk in AccessAttempt.objects.filter(username="mara").values_list("pk", flat=True)]
    changelist = reverse("admin:axes_accessattempt_changelist")
    confirm = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": ids})
    assert confirm.status_code == 200  # the confirmation page
    done = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert done.status_code == 302
    assert login(client, "mara", "pw").status_code == 302  # logged in
