import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from jobs import services
from jobs.models import Job
from tests import factories
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db


def test_job_page_shows_progress_and_buttons(client_for, enqueue, editor_user):
    job = enqueue(steps=2)
    html = client_for(editor_user).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress id="job-progress"' in html and 'id="job-cancel"' in html and 'id="job-retry"' not in html
    assert 'id="job-poll" type="application/json"' in html and "jobs/job_progress.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_failed_job_page_shows_the_error_and_retries(client_for, enqueue, editor_user):
    job = enqueue(steps=2, fail_at=0, tag="<b>bad</b>")
    run_queued()
    client = client_for(editor_user)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-error"' in html and "failed on purpose" in html and 'id="job-retry"' in html
    assert "<b>bad</b>" not in html and "&lt;b&gt;bad&lt;/b&gt;" in html  # escaped
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.url == reverse("jobs:detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.error == ""


def test_cancel_button(client_for, enqueue, editor_user):
    job = enqueue()
    client = client_for(editor_user)
    client.post(reverse("jobs:cancel", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).status == Job.Status.CANCELLED
    response = client.post(reverse("jobs:cancel", args=[job.pk]), follow=True)  # again: a message, no change
    assert "nothing to cancel" in response.content.decode()


def test_success_page_shows_the_result(client_for, enqueue, editor_user):
    job = enqueue(steps=1, tag="shown")
    run_queued()
    html = client_for(editor_user).get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'id="job-result"' in html and "shown" in html and 'value="1"' in html


def test_list_shows_own_jobs_and_editors_see_all(client_for, enqueue, editor_user):
    other = factories.UserFactory(username="ed2", roles=[Role.EDITOR])
    mine = enqueue()
    theirs = enqueue(user=other)
    annotator = factories.UserFactory(username="someone", roles=[Role.ANNOTATOR])
    editors_page = client_for(editor_user).get(reverse("jobs:list"))
    assert set(editors_page.context["page"].object_list) == {mine, theirs}
    # the rendered rows, not only the context: the table once said "No jobs." above a full page of them
    rows = editors_page.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2 and f"#{mine.pk} Test steps" in rows and f"#{theirs.pk} Test steps" in rows
    assert ">ed2<" in rows and "No jobs" not in rows  # editors see who started each job
    own_page = client_for(annotator).get(reverse("jobs:list"))
    assert list(own_page.context["page"].object_list) == []
    assert "No jobs." in own_page.content.decode() and "My background jobs" in own_page.content.decode()


def test_list_queries_do_not_grow(client_for, enqueue, editor_user, django_assert_max_num_queries):
    for _ in range(5):
        enqueue()
    client = client_for(editor_user)
    with django_assert_max_num_queries(8):
        client.get(reverse("jobs:list"))


@pytest.mark.parametrize(
    ("who", "page", "post"),
    [
        ("anonymous", 302, 302),
        ("annotator", 403, 403),
        ("researcher", 403, 403),
        ("editor", 200, 302),
        ("admin", 200, 302),
    ],
)
def test_permissions(role_users, client_for, who, page, post, editor_user):
    job = services.job_enqueue(kind="test_steps", params={}, user=editor_user)
    client = client_for(role_users[who])
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == page
    assert client.post(reverse("jobs:cancel", args=[job.pk])).status_code == post
    assert client.get(reverse("jobs:list")).status_code == (302 if who == "anonymous" else 200)


def test_writes_need_csrf(enqueue, editor_user):
    job = enqueue()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_user)
    assert strict.post(reverse("jobs:cancel", args=[job.pk])).status_code == 403
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
