"""The whole site as one file, and its restore into a new database: Django's own serializers.

Where ``corpus.jsonl`` (exports.jsonl) is the corpus for other tools, a backup is everything a
restored site needs to go on as before: users (password hashes, active flags, roles), API tokens
(hashed, as stored), review assignments, suggestions, speaker merges, every history event, both
layers, tags with their slugs, the read models. It is ``dumpdata --format jsonl-exact --natural-foreign``
of every installed app but the rows a migration creates (content types, permissions, the role
groups: roles travel as group names) and the transient ones (sessions, login-throttling records).
Restore is ``loaddata`` in one transaction, into a database that holds no data yet.
"""

from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, transaction

# App labels and models that are not backed up: made by migrations (and the same in every
# database of this version), or worth nothing after a restore.
NOT_BACKED_UP = ("contenttypes", "auth.permission", "auth.group", "sessions", "axes")
# Backed up, but a new database already holds the migration's version of them (the speaker-role
# codebook, which editors may change): a restore replaces those rows with the backup's.
FILLED_BY_MIGRATIONS = ("corpus.rolecategory",)


class RestoreRefused(Exception):
    """The file or the database does not allow a restore; nothing was written."""


def backed_up_models() -> list:
    models = []
    for config in apps.get_app_configs():
        if config.label in NOT_BACKED_UP:
            continue
        for model in config.get_models():
            if model._meta.label_lower in NOT_BACKED_UP or not model._meta.managed or model._meta.proxy:
                continue
            models.append(model)
    return models


def backup(path: str | Path) -> None:
    call_command(
        "dumpdata",
        format="jsonl-exact",  # Django's jsonl, with times to the microsecond (exports.exact_jsonl)
        natural_foreign=True,
        exclude=list(NOT_BACKED_UP),
        output=str(path),
        verbosity=0,
    )


def holding_data() -> list[str]:
    """The models of the backup that already hold rows here (a restore needs none)."""
    return [
        model._meta.label
        for model in backed_up_models()
        if model._meta.label_lower not in FILLED_BY_MIGRATIONS and model._default_manager.exists()
    ]


def restore(path: str | Path) -> int:
    """Load a backup into this database, all or nothing; the number of objects restored."""
    path = Path(path)
    if not path.name.endswith((".jsonl", ".jsonl.gz", ".jsonl.bz2", ".jsonl.xz")):
        raise RestoreRefused(f"{path.name} is not a backup: backups are .jsonl files (compressed or not).")
    if not path.is_file():
        raise RestoreRefused(f"{path} does not exist.")
    occupied = holding_data()
    if occupied:
        raise RestoreRefused(
            "This database already holds data ("
            + ", ".join(occupied[:5])
            + (", …" if len(occupied) > 5 else "")
            + "). Restore into a new, migrated database; nothing was written."
        )
    try:
        with transaction.atomic():
            for model in backed_up_models():
                if model._meta.label_lower in FILLED_BY_MIGRATIONS:
                    model._default_manager.all().delete()
            call_command("loaddata", str(path), verbosity=0)
    except (DeserializationError, IntegrityError, DatabaseError, ValueError) as error:
        raise RestoreRefused(f"{path.name} could not be restored ({error}); nothing was written.") from error
    return sum(model._default_manager.count() for model in backed_up_models())
