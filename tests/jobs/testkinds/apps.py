import hashlib
import os
import time
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db import transaction

TEST_STEPS = "test_steps"


class StepFailed(Exception):
    pass


def run_steps(context: Any, params: dict[str, Any]) -> dict[str, Any]:
    """``steps`` rows (Articles titled "<tag> step <i>") in one transaction, then ``<out>/<tag>.txt``
    written to a temporary name and renamed into place; fails at step ``fail_at`` when given."""
    from corpus.services import article_create

    steps, delay, tag = int(params.get("steps", 3)), float(params.get("delay", 0)), str(params.get("tag", "job"))
    out = Path(params["out"]) if params.get("out") else None
    digest = hashlib.sha256()
    temporary = out / f".{tag}.{context.job.pk}.{context.job.attempts}.tmp" if out is not None else None
    if temporary is not None:
        temporary.write_text("")  # this attempt's own temporary file, from empty
    with transaction.atomic():
        for i in range(steps):
            article_create(title=f"{tag} step {i}", body=f"The body of {tag}, step {i}.")
            digest.update(f"{tag}:{i}\n".encode())
            if temporary is not None:
                with temporary.open("a") as partial:  # the file grows step by step, under a temporary name
                    partial.write(f"{tag}:{i}\n")
            failing = "fail_attempts" not in params or context.job.attempts <= int(params["fail_attempts"])
            if params.get("fail_at") == i and failing:
                raise StepFailed(f"Step {i} of {tag} failed on purpose.")
            context.progress(i + 1, steps)
            context.check_cancelled()
            time.sleep(delay)
    if temporary is not None and out is not None:
        os.replace(temporary, out / f"{tag}.txt")  # published whole, with one rename, once the rows committed
    return {"tag": tag, "steps": steps, "digest": digest.hexdigest()}


class TestKindsConfig(AppConfig):
    name = "tests.jobs.testkinds"
    label = "jobs_testkinds"

    def ready(self) -> None:
        from accounts.roles import Role
        from jobs.registry import JobKind, register

        register(JobKind(name=TEST_STEPS, label="Test steps", run=run_steps, role=Role.EDITOR))
