"""The release pages: who sees what (one matrix), the create form, and the download."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from jobs.models import Job
from releases.models import Release
from tests import factories
from tests.jobs.support import run_queued

READERS = {"researcher", "editor", "admin"}
WRITERS = {"editor", "admin"}


@pytest.fixture
def release(release_editor):
    return factories.published_release(user=release_editor, name="corpus", version="1.2.3", payload=b"PK zip bytes")


PAGES = [
    ("list", "get", lambda r: reverse("releases:list"), READERS),
    ("detail", "get", lambda r: reverse("releases:detail", args=[r.pk]), READERS),
    ("download", "get", lambda r: reverse("releases:download", args=[r.pk]), READERS),
    ("create form", "get", lambda r: reverse("releases:create"), WRITERS),
    ("create", "post", lambda r: reverse("releases:create"), WRITERS),
]


@pytest.mark.parametrize("visitor", ["anonymous", "annotator", "researcher", "editor", "admin"])
@pytest.mark.parametrize(("name", "method", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client_for, role_users, release, visitor, name, method, url, allowed):
    client = client_for(role_users[visitor])
    before = Release.objects.count()
    if method == "get":
        response = client.get(url(release))
    else:
        response = client.post(url(release), {"name": "bad name", "version": "1.0.0", "licence": "CC-BY-4.0"})
    if visitor == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif visitor in allowed:
        assert response.status_code == 200, response.content[:500]
    else:
        assert response.status_code == 403
    assert Release.objects.count() == before


def test_the_list_and_the_page_show_the_release_and_its_manifest(client_for, researcher_user, release):
    client = client_for(researcher_user)
    page = client.get(reverse("releases:list")).content.decode()
    assert "corpus 1.2.3" in page and reverse("releases:download", args=[release.pk]) in page
    assert "New release" not in page
    detail = client.get(reverse("releases:detail", args=[release.pk])).content.decode()
    assert release.sha256 in detail and "README.md" in detail and "# corpus" in detail


def test_the_download_streams_the_stored_bytes_by_session_or_token(client_for, researcher_user, release, client):
    url = reverse("releases:download", args=[release.pk])
    response = client_for(researcher_user).get(url)
    assert response.streaming and b"".join(response.streaming_content) == b"PK zip bytes"
    assert response["Content-Disposition"] == 'attachment; filename="corpus-1.2.3.zip"'
    assert response["ETag"] == f'"{release.sha256}"'
    client.logout()
    _token, raw = account_services.api_token_create(user=researcher_user, name="dl", read_only=True)
    by_token = client.get(url, headers={"Authorization": f"Bearer {raw}"})
    assert by_token.status_code == 200 and b"".join(by_token.streaming_content) == b"PK zip bytes"
    assert client.get(url, headers={"Authorization": "Bearer qt_wrong"}).status_code == 401


def test_an_unpublished_release_does_not_download(client_for, researcher_user, make_release):
    pending = make_release()
    assert client_for(researcher_user).get(reverse("releases:download", args=[pending.pk])).status_code == 404


def test_an_editor_creates_a_release_and_it_is_built(client_for, release_editor, seed):
    client = client_for(release_editor)
    response = client.post(
        reverse("releases:create"),
        {
            "name": "seed-corpus",
            "version": "0.1.0",
            "licence": "CC0-1.0",
            "description": "Direct only.",
            "kind": "direct",
        },
    )
    created = Release.objects.get(name="seed-corpus")
    job = Job.objects.get(kind="release_build")
    # The build is a background job: the editor follows it on the job's page, the release still pending.
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert created.status == "pending" and job.params == {"release": created.pk}
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED, ran.error
    created.refresh_from_db()
    assert created.status == "published" and created.filters == {"kind": "direct"} and created.counts["quotes"] == 2
    job_page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert reverse("releases:detail", args=[created.pk]) in job_page and created.sha256 in job_page


def test_the_form_refuses_bad_input_with_messages_and_writes_nothing(client_for, release_editor, release):
    client = client_for(release_editor)
    page = client.post(
        reverse("releases:create"),
        {"name": "corpus", "version": "1.2", "licence": "CC-BY-4.0", "published_after": "someday"},
    ).content.decode()
    assert "not a semantic version" in page and "published_after" in page
    duplicate = client.post(
        reverse("releases:create"), {"name": "corpus", "version": "1.2.3", "licence": "CC-BY-4.0"}
    ).content.decode()
    assert "exists already" in duplicate
    assert Release.objects.count() == 1
