"""Scale-out on one machine: two app servers (gunicorn, two ports) and two workers against one PostgreSQL.
Jobs enqueued through both servers each run exactly once, on either worker, and their results equal a
one-worker run; a worker killed mid-job is covered by tests/jobs/test_worker.py."""

import json
import urllib.request
import uuid

import pytest
from django.contrib.auth.models import Group
from django_tasks_db.models import DBTaskResult

from accounts import services as account_services
from accounts.roles import Role
from corpus.models import Article
from jobs import services
from jobs.models import Job
from tests import factories
from tests.jobs.processes import wait_for

pytestmark = pytest.mark.postgres

SERVERS, IMPORTS_PER_SERVER, ARTICLES_PER_FILE = 2, 3, 40


def _upload(url: str, token: str, name: str, data: bytes) -> dict:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{url}/api/v1/articles/import",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        return json.load(response)


def _file(server: int, n: int) -> bytes:
    rows = [
        {"title": f"Server {server} file {n} article {i}", "body": f"Text {i} of file {n} sent to server {server}."}
        for i in range(ARTICLES_PER_FILE)
    ]
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _finished(ids: list[int]) -> bool:
    return not Job.objects.filter(pk__in=ids).exclude(status__in=Job.FINISHED).exists()


def _results(ids: list[int]) -> dict[str, dict]:
    return {job.params["tag"]: job.result for job in Job.objects.filter(pk__in=ids)}


@pytest.fixture
def editor(transactional_db):
    Group.objects.get_or_create(name=str(Role.EDITOR))
    return factories.UserFactory(username="scale-ed", roles=[Role.EDITOR])


def test_two_servers_two_workers_each_job_once(processes, editor, tmp_path):
    processes.env["IMPORT_BACKGROUND_BYTES"] = "500"  # every file here runs as a job
    urls = [processes.server(f"server{i}") for i in range(SERVERS)]
    workers = ["worker-a", "worker-b"]
    for name in workers:
        processes.worker(name)
    token = account_services.api_token_create(user=editor, name="scale")[1]

    imports = [
        _upload(url, token, f"s{s}-{n}.jsonl", _file(s, n))["job"]
        for n in range(IMPORTS_PER_SERVER)
        for s, url in enumerate(urls)
    ]
    two = tmp_path / "two"
    two.mkdir()
    steps = [
        services.job_enqueue(
            kind="test_steps", params={"steps": 4, "delay": 0.02, "tag": f"t{i}", "out": str(two)}, user=editor
        ).pk
        for i in range(6)
    ]
    wait_for(lambda: _finished(imports + steps), timeout=120, what="every job")

    jobs = Job.objects.filter(pk__in=imports + steps)
    assert {(j.status, j.attempts) for j in jobs} == {("succeeded", 1)}  # each ran once
    tasks = DBTaskResult.objects.filter(id__in=[j.task_result_id for j in jobs])
    assert len(tasks) == len(imports) + len(steps) and {t.status for t in tasks} == {"SUCCESSFUL"}
    assert all(len(t.worker_ids) == 1 for t in tasks)
    assert {t.worker_ids[0] for t in tasks} == set(workers)  # both workers took jobs
    expected_titles = {
        f"Server {s} file {n} article {i}"
        for s in range(SERVERS)
        for n in range(IMPORTS_PER_SERVER)
        for i in range(ARTICLES_PER_FILE)
    }
    imported = list(Article.objects.filter(title__startswith="Server ").values_list("title", flat=True))
    assert len(imported) == len(expected_titles) and set(imported) == expected_titles  # no article twice
    assert sum(Job.objects.get(pk=pk).result["created"] for pk in imports) == len(expected_titles)

    # the same step jobs with one worker: the same results and the same published files
    processes.stop_all()
    processes.running.clear()
    processes.worker("alone")
    one = tmp_path / "one"
    one.mkdir()
    again = [
        services.job_enqueue(
            kind="test_steps", params={"steps": 4, "delay": 0.02, "tag": f"t{i}", "out": str(one)}, user=editor
        ).pk
        for i in range(6)
    ]
    wait_for(lambda: _finished(again), timeout=120, what="the one-worker run")
    assert _results(again) == _results(steps)
    assert {p.name: p.read_text() for p in one.glob("*.txt")} == {p.name: p.read_text() for p in two.glob("*.txt")}
    assert not list(two.glob(".*.tmp")) and not list(one.glob(".*.tmp"))
