"""The jobs' admin: read-only, with Cancel and Retry actions that go through the services."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from jobs.models import Job
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:jobs_job_changelist"


def test_the_list_shows_jobs_with_their_label_and_progress_in_bounded_queries(
    client_for, enqueue, admin_user, django_assert_max_num_queries
):
    for _ in range(3):
        enqueue(steps=2)
    run_queued()
    enqueue()
    client = client_for(admin_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(CHANGELIST))
    page = response.content.decode()
    assert response.status_code == 200 and page.count("Test steps") == 4 and page.count("2 / 2") == 3
    for _ in range(20):
        enqueue()
    with django_assert_max_num_queries(12):
        assert client.get(reverse(CHANGELIST)).status_code == 200


def test_it_is_read_only(client_for, enqueue, admin_user):
    job = enqueue()
    client = client_for(admin_user)
    assert client.get(reverse("admin:jobs_job_add")).status_code == 403
    assert client.get(reverse("admin:jobs_job_delete", args=[job.pk])).status_code == 403
    before = Job.objects.values().get(pk=job.pk)
    client.post(reverse("admin:jobs_job_change", args=[job.pk]), {"status": "succeeded", "kind": "x"})
    assert Job.objects.values().get(pk=job.pk) == before


def _act(client, action: str, jobs):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [j.pk for j in jobs]},
        follow=True,
    )


def test_cancel_and_retry_actions_go_through_the_services_and_say_what_they_refused(client_for, enqueue, admin_user):
    queued, failing = enqueue(), enqueue(fail_at=0)
    client = client_for(admin_user)
    page = _act(client, "cancel_jobs", [queued]).content.decode()
    queued.refresh_from_db()
    assert queued.status == Job.Status.CANCELLED and "Cancelled (or asked to stop) 1 job(s)." in page
    (failed,) = run_queued()
    assert failed.status == Job.Status.FAILED
    page = _act(client, "retry_jobs", [queued, failed]).content.decode()
    assert "Queued again 2 job(s)." in page
    assert set(Job.objects.filter(pk__in=[queued.pk, failing.pk]).values_list("status", flat=True)) == {"queued"}
    page = _act(client, "retry_jobs", [queued]).content.decode()  # queued already: refused, with the reason
    assert f"Not changed: #{queued.pk}: Only a failed or cancelled job can be retried" in page
