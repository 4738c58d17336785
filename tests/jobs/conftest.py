import pytest

from jobs import services


@pytest.fixture
def enqueue(editor_user):
    """``enqueue(steps=3, user=editor, **params)`` → a queued test_steps job."""

    def make(user=None, **params):
        params.setdefault("steps", 3)
        return services.job_enqueue(kind="test_steps", params=params, user=user or editor_user)

    return make


@pytest.fixture
def processes(transactional_db, tmp_path):
    """Start workers and servers against the (PostgreSQL) test database; all stopped at the end."""
    from tests.jobs.processes import Processes

    started = Processes(tmp_path)
    yield started
    started.stop_all()
