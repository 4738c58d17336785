"""The kinds of background job: each app registers its own in ``AppConfig.ready()`` (as
``annotations.extensions``), so ``jobs`` imports none of them and nothing is resolved from a string.

A kind's ``run(context, params)`` does the work and returns a JSON-able result (or None). It must never
leave a half-written result: it writes in one transaction (or to a temporary file it publishes with
one rename at the end), calls ``context.progress(done, total)`` as it goes and
``context.check_cancelled()`` between steps; the ``JobCancelled`` that raises rolls its writes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import JobContext
    from .models import Job


@dataclass(frozen=True)
class JobKind:
    name: str  # e.g. "agreement_refresh"
    label: str  # "Recompute agreement"
    run: Callable[[JobContext, dict[str, Any]], dict[str, Any] | None]
    role: str  # the accounts.roles role that may start and see it, e.g. "editor"
    # optional: a template the job page includes to show the result (it gets ``job`` and ``result``)
    result_template: str = ""
    # optional: called with the Job when its worker died mid-attempt and the job is reaped, inside the
    # reaping transaction, to put right what the dead attempt left outside its own rolled-back
    # transaction (a release build marks its release "building" first, in a transaction of its own)
    abandoned: Callable[[Job], None] | None = None
    # optional: called with each finished Job that ``jobs_prune`` deleted, once the deletion committed, to
    # remove what the job kept outside the database (a failed import's uploads, kept for Retry); it may
    # raise OSError (a storage that failed), which is logged
    discard: Callable[[Job], None] | None = None


_kinds: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    """Add ``kind``; registering the same name twice is a programming error unless it is the same kind."""
    existing = _kinds.get(kind.name)
    if existing is not None and existing != kind:
        raise ValueError(f"A job kind named {kind.name!r} is registered already.")
    _kinds[kind.name] = kind


def get(name: str) -> JobKind:
    """The kind called ``name``; KeyError names the kinds there are."""
    try:
        return _kinds[name]
    except KeyError:
        raise KeyError(f"No job kind {name!r} (registered: {', '.join(sorted(_kinds)) or 'none'}).") from None


def kinds() -> list[JobKind]:
    return sorted(_kinds.values(), key=lambda k: k.name)


def unregister(name: str) -> None:
    """Tests only: remove a kind they registered."""
    _kinds.pop(name, None)
