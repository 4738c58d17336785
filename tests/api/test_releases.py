"""GET /releases, /releases/{id}, /releases/{id}/download; POST /releases (editors)."""

import pytest

from jobs.models import Job
from releases.models import Release
from tests import factories
from tests.api.conftest import API
from tests.jobs.support import run_queued


@pytest.fixture
def release(editor_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return factories.published_release(user=editor_user, name="corpus", version="2.0.0")


def test_list_detail_and_download_link(client, researcher_user, release):
    client.force_login(researcher_user)
    listed = client.get(API + "releases").json()
    assert listed["count"] == 1 and listed["results"][0]["version"] == "2.0.0"
    assert listed["results"][0]["download"].endswith(f"/research/releases/{release.pk}/download/")
    detail = client.get(API + f"releases/{release.pk}").json()
    assert detail["files"][0]["path"] == "README.md" and detail["sha256"] == release.sha256
    link = client.get(API + f"releases/{release.pk}/download").json()
    assert link == {
        "url": f"http://testserver/research/releases/{release.pk}/download/",
        "filename": "corpus-2.0.0.zip",
        "size": release.size,
        "sha256": release.sha256,
    }
    download = client.get(link["url"])
    assert b"".join(download.streaming_content) == b"zip bytes"


def test_a_pending_release_has_no_download_link(client, researcher_user, editor_user):
    pending = Release.objects.create(name="corpus", version="3.0.0", created_by=editor_user)
    client.force_login(researcher_user)
    response = client.get(API + f"releases/{pending.pk}/download")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "corpus", "version": "2"}, "version"),
        ({"name": "corpus", "version": "2.0.0"}, "version"),  # exists
        ({"name": "corpus", "version": "2.1.0", "filters": {"colour": "red"}}, "filters"),
        ({"name": "corpus", "version": "2.1.0", "licence": "WTFPL"}, "licence"),
    ],
)
def test_create_refuses_bad_input_with_problem_details(client, editor_user, release, body, field):
    client.force_login(editor_user)
    response = client.post(API + "releases", body, content_type="application/json")
    assert response.status_code == 422, response.content
    problem = response.json()
    assert any(field in key for key in problem["errors"]), problem
    assert Release.objects.count() == 1


def test_an_editor_creates_and_builds_a_release(client, editor_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(editor_user)
    response = client.post(
        API + "releases",
        {"name": "api-corpus", "version": "1.0.0", "licence": "CC0-1.0", "description": "Empty is fine."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"  # queued as a background job
    (ran,) = run_queued()
    assert ran.kind == "release_build" and ran.status == Job.Status.SUCCEEDED, ran.error
    data = client.get(API + f"releases/{response.json()['id']}").json()
    assert data["status"] == "published" and data["counts"]["quotes"] == 0
    assert {"README.md", "corpus.jsonl", "tokens.conll"} <= {f["path"] for f in data["files"]}
