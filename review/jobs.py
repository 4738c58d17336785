"""Review's background job: recompute the stored agreement (``agreement_refresh``) and pool the corpus
figures, in one transaction, with progress per batch of articles; registered in ``ReviewConfig.ready``."""

from typing import Any

from accounts.roles import Role
from jobs.context import JobContext
from jobs.registry import JobKind

from . import services

AGREEMENT_REFRESH = "agreement_refresh"


def run_agreement_refresh(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    def on_progress(done: int, total: int) -> None:
        context.progress(done, total)
        context.check_cancelled()  # raises inside the transaction: the recomputed rows roll back

    result = services.agreement_refresh(on_progress=on_progress)
    return {"articles": result.articles, "pooled": result.pooled}


KIND = JobKind(
    name=AGREEMENT_REFRESH,
    label="Recompute agreement",
    run=run_agreement_refresh,
    role=Role.EDITOR,
    result_template="review/includes/agreement_job_result.html",
)
