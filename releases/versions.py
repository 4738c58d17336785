"""Semantic versioning 2.0.0 (https://semver.org): the check and the order of release versions."""

import re

from django.core.exceptions import ValidationError

# The regular expression semver.org gives, verbatim.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def validate_semver(value: str) -> None:
    if not SEMVER.match(value or ""):
        raise ValidationError(
            "“%(value)s” is not a semantic version: write MAJOR.MINOR.PATCH, such as 1.0.0 or 2.1.0-rc.1.",
            code="semver",
            params={"value": value},
        )


def version_key(value: str) -> tuple:
    """A sort key of semantic-version precedence (build metadata ignored; a pre-release sorts first)."""
    match = SEMVER.match(value)
    if match is None:
        raise ValueError(f"{value!r} is not a semantic version")
    major, minor, patch, pre, _build = match.groups()
    core = (int(major), int(minor), int(patch))
    if pre is None:
        return (*core, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*core, 0, parts)
