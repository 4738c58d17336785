"""Shared helpers of the import commands: reading files, finding the annotator, printing a report."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from ingest import parsers
from ingest.services import ImportReport


def checked_path(path: str) -> Path:
    """``path`` if it is a file within settings.IMPORT_MAX_BYTES, else CommandError."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"{path}: no such file.")
    size = file.stat().st_size
    if size > settings.IMPORT_MAX_BYTES:
        raise CommandError(parsers.too_big_message(path, size, settings.IMPORT_MAX_BYTES))
    return file


def read_file(path: str) -> bytes:
    return checked_path(path).read_bytes()


def annotator(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"No user named {username!r}; give an existing user with --annotator.") from None


def print_report(command, report: ImportReport, verbosity: int = 1) -> None:
    out = command.stdout if report.ok else command.stderr
    out.write(report.summary())
    for problem in report.errors:
        command.stderr.write(f"  error {problem}")
    for problem in report.warnings:
        command.stdout.write(f"  warning {problem}")
    for row in report.skipped:
        command.stdout.write(f"  skipped line {row.line}: {row.title!r}: {row.reason}")
    if verbosity > 1:
        for row in report.created:
            command.stdout.write(f"  created line {row.line}: #{row.article_id} {row.title!r}")
