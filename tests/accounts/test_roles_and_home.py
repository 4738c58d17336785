import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_migration_creates_the_three_roles_with_permissions():
    groups = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert {"annotator", "editor", "researcher"} <= set(groups)
    assert "add_quote" in groups["annotator"] and "change_article" not in groups["annotator"]
    assert "change_article" in groups["editor"] and "delete_speaker" in groups["editor"]
    assert groups["researcher"] == {c for c in groups["researcher"] if c.startswith("view_")}


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("annotator", ["role-annotator"], ["role-editor", "role-researcher", "role-admin"]),
        ("editor", ["role-editor"], ["role-annotator", "role-researcher", "role-admin"]),
        ("researcher", ["role-researcher"], ["role-annotator", "role-editor", "role-admin"]),
        ("admin", ["role-annotator", "role-editor", "role-researcher", "role-admin"], []),
    ],
)
def test_home_sends_each_role_to_its_work(client_for, role_users, role, shown, hidden):
    response = client_for(role_users[role]).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    for card in shown:
        assert f'id="{card}"' in html
    for card in hidden:
        assert f'id="{card}"' not in html


def test_user_without_role_is_told_so(client_for, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw")
    html = client_for(user).get(reverse("home")).content.decode()
    assert "no role yet" in html


def test_login_page_renders_and_logs_in(client, annotator_user):
    assert "Log in" in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": "ann", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_logout_needs_post_with_csrf(annotator_user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(annotator_user)
    assert strict.post(reverse("logout")).status_code == 403


def test_demo_accounts_print_passwords_once_and_reset(capsys, client):
    call_command("demo_accounts")
    first = capsys.readouterr().out
    assert "annotator" in first and "researcher" in first and "admin" in first
    call_command("demo_accounts")
    assert "exist already" in capsys.readouterr().out
    call_command("demo_accounts", "--reset")
    lines = [line.split() for line in capsys.readouterr().out.splitlines() if line.startswith("  ")]
    passwords = {parts[0]: parts[1] for parts in lines}
    assert set(passwords) == {"annotator", "annotator2", "editor", "researcher", "admin"}
    assert client.login(username="editor", password=passwords["editor"])
    assert Group.objects.get(name="editor").user_set.filter(username="editor").exists()
