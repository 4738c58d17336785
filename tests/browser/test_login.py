import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "role, card",
    [(Role.ANNOTATOR, "#role-annotator"), (Role.EDITOR, "#role-editor"), (Role.RESEARCHER, "#role-researcher")],
)
def test_each_role_logs_in_and_lands_on_its_work(page, login, role, card):
    user = UserFactory(username=f"b-{role}", roles=[role])
    login(user)
    assert page.locator(card).is_visible()
    expect(page.locator(".whoami")).to_have_text(user.username, use_inner_text=True)


def test_wrong_password_is_refused_with_a_message(page, live_server):
    UserFactory(username="someone")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "someone")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("didn't match", use_inner_text=True)
    assert "/accounts/login/" in page.url
