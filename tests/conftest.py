import os

import pytest
from django.db import connection

from accounts.roles import Role

from . import factories


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected (not skipped) on other databases."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_sessionfinish(session, exitstatus):
    """With NO_SKIPS=1 (CI), any skipped test fails the run: a skipped test is a failing test."""
    if os.environ.get("NO_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"NO_SKIPS: {len(skipped)} test(s) were skipped; failing the run.", red=True)
        session.exitstatus = 1


@pytest.fixture
def annotator_user(db):
    return factories.UserFactory(username="ann", roles=[Role.ANNOTATOR])


@pytest.fixture
def other_annotator(db):
    return factories.UserFactory(username="ann2", roles=[Role.ANNOTATOR])


@pytest.fixture
def editor_user(db):
    return factories.UserFactory(username="ed", roles=[Role.EDITOR])


@pytest.fixture
def researcher_user(db):
    return factories.UserFactory(username="res", roles=[Role.RESEARCHER])


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw")


@pytest.fixture
def role_users(annotator_user, editor_user, researcher_user, admin_user):
    """Every kind of visitor, for permission matrices: None is the anonymous visitor."""
    return {
        "anonymous": None,
        "annotator": annotator_user,
        "editor": editor_user,
        "researcher": researcher_user,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(client):
    """``client_for(user)`` logs the test client in as ``user`` (or out, for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def article(db):
    return factories.ArticleFactory()


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
