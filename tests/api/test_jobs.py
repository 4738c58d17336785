import pytest

from accounts.roles import Role
from jobs import services
from jobs.models import Job
from tests import factories
from tests.api.conftest import API
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(editor_user):
    return services.job_enqueue(kind="test_steps", params={"steps": 2, "tag": "api"}, user=editor_user)


def test_get_a_job(client, editor_user, job):
    client.force_login(editor_user)
    data = client.get(f"{API}jobs/{job.pk}").json()
    assert data["status"] == "queued" and data["kind"] == "test_steps" and data["label"] == "Test steps"
    assert (data["done"], data["total"], data["finished"]) == (0, 0, False)
    assert data["url"].endswith(f"/jobs/{job.pk}/")
    run_queued()
    data = client.get(f"{API}jobs/{job.pk}").json()
    assert data["status"] == "succeeded" and (data["done"], data["total"]) == (2, 2) and data["result"]["tag"] == "api"


def test_cancel_then_retry_then_conflict(client, editor_user, job):
    client.force_login(editor_user)
    headers = {}
    response = client.post(f"{API}jobs/{job.pk}/cancel", {}, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = client.post(f"{API}jobs/{job.pk}/cancel", {}, content_type="application/json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert again.json()["type"].endswith("/job-conflict") and again.json()["current_status"] == "cancelled"
    retried = client.post(f"{API}jobs/{job.pk}/retry", {}, content_type="application/json")
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    assert client.post(f"{API}jobs/{job.pk}/retry", {}, content_type="application/json").status_code == 409


def test_list_pages_and_filters(client, editor_user):
    jobs = [services.job_enqueue(kind="test_steps", params={}, user=editor_user) for _ in range(3)]
    services.job_cancel(job=jobs[0], user=editor_user)
    client.force_login(editor_user)
    page = client.get(f"{API}jobs?limit=2").json()
    assert [j["id"] for j in page["results"]] == [jobs[2].pk, jobs[1].pk] and page["next"]
    rest = client.get(page["next"]).json()
    assert [j["id"] for j in rest["results"]] == [jobs[0].pk] and rest["next"] is None
    cancelled = client.get(f"{API}jobs?status=cancelled").json()
    assert [j["id"] for j in cancelled["results"]] == [jobs[0].pk]


def test_someone_elses_job_is_forbidden_and_missing_is_404(client, job):
    annotator = factories.UserFactory(username="ann9", roles=[Role.ANNOTATOR])
    client.force_login(annotator)
    assert client.get(f"{API}jobs/{job.pk}").status_code == 403
    assert client.get(f"{API}jobs").json()["results"] == []
    assert client.get(f"{API}jobs/999999").status_code == 404
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
