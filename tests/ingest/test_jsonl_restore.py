"""The restore of a corpus.jsonl (ingest.services.corpus_restore, the import_jsonl command)."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import TaggedItem

from annotations.models import EntityMention, MentionEvent, Quote, QuoteEvent, Stance, StanceTarget
from clusters.services import clusters_rebuild
from corpus.models import Article, Speaker, SpeakerAlias
from exports.codebook import EXPORT_FILES
from exports.jsonl import corpus_lines
from exports.writers import csv_bytes
from ingest.jsonl_restore import MODELS, ImportRefused, timestamp_fields
from ingest.services import corpus_restore
from tests.exports.conftest import tricky  # noqa: F401  (the corpus fixture)


def dump() -> bytes:
    return b"".join(corpus_lines())


def wipe():
    # History outlives deleted annotations; a wipe for a restore removes it too.
    QuoteEvent.objects.all().delete()
    MentionEvent.objects.all().delete()
    Quote.objects.all().delete()
    EntityMention.objects.all().delete()
    StanceTarget.objects.all().delete()
    SpeakerAlias.objects.all().delete()
    Speaker.objects.update(affiliation=None)
    Speaker.objects.all().delete()
    Article.objects.all().delete()
    TaggedItem.objects.all().delete()


def test_round_trip_loses_nothing(tricky, tmp_path):
    # The restore rebuilds the clusters, which numbers them from 1 by their oldest quote: number them so here
    # too (incremental ids follow the sequence, which PostgreSQL does not roll back between tests).
    clusters_rebuild()
    before = dump()
    before_csv = {slug: csv_bytes(e, {"status": "all"}) for slug, e in EXPORT_FILES.items()}
    path = tmp_path / "corpus.jsonl"
    call_command("export_jsonl", "--output", str(path))
    assert path.read_bytes() == before
    wipe()
    QuoteEvent.objects.all().delete()
    get_user_model().objects.filter(username="-ann").delete()  # a referenced user the target lacks
    assert dump().count(b"\n") == 1
    call_command("import_jsonl", str(path))
    assert dump() == before
    assert {slug: csv_bytes(e, {"status": "all"}) for slug, e in EXPORT_FILES.items()} == before_csv
    restored = get_user_model().objects.get(username="-ann")
    assert not restored.has_usable_password()
    # New rows get fresh ids after the restore (sequences were moved past the imported ids).
    assert StanceTarget.objects.create(name="new").pk > max(t.pk for t in StanceTarget.objects.exclude(name="new"))


def test_refuses_a_non_empty_database(tricky, tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(dump())
    count = Quote.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("import_jsonl", str(path))
    assert Quote.objects.count() == count


@pytest.mark.parametrize("corrupt", ["truncated-json", "bad-span", "unknown-type", "missing-field", "bad-meta"])
def test_bad_file_imports_nothing(tricky, corrupt):
    lines = dump().decode().splitlines(keepends=True)
    last = json.loads(lines[-1])
    if corrupt == "truncated-json":
        lines[-1] = lines[-1][:20]
    elif corrupt == "bad-span":
        last["spans"][0]["start"] += 1
        lines[-1] = json.dumps(last) + "\n"
    elif corrupt == "unknown-type":
        lines.insert(2, '{"type": "gizmo"}\n')
    elif corrupt == "missing-field":
        del last["kind"]
        lines[-1] = json.dumps(last) + "\n"
    else:
        lines[0] = '{"type": "meta", "format": "other"}\n'
    wipe()
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        corpus_restore(lines=lines)
    assert not (Article.objects.exists() or Speaker.objects.exists() or Quote.objects.exists())


def test_timestamps_round_trip_without_touching_the_fields(tricky, tmp_path):
    """The exported created/updated/at values are restored as they were, not the time of the restore,
    and the models' auto_now fields are left as declared (no monkeypatch)."""
    old = timezone.make_aware(datetime.datetime(2019, 3, 4, 5, 6, 7, 890123), datetime.UTC)
    stamped = (Speaker, Article, EntityMention, Quote, Stance)
    for model in stamped:
        model.objects.update(created=old, updated=old + datetime.timedelta(days=1))
    QuoteEvent.objects.update(at=old + datetime.timedelta(days=2))
    declared = {
        (model, f.name): (f.auto_now, f.auto_now_add)
        for model in MODELS
        for f in model._meta.concrete_fields
        if hasattr(f, "auto_now")
    }
    lines = dump().splitlines(keepends=True)
    wipe()
    corpus_restore(lines=lines)
    for model in stamped:
        assert model.objects.exists()
        assert set(model.objects.values_list("created", "updated")) == {(old, old + datetime.timedelta(days=1))}
    assert set(QuoteEvent.objects.values_list("at", flat=True)) == {old + datetime.timedelta(days=2)}
    after = {
        (model, f.name): (f.auto_now, f.auto_now_add)
        for model in MODELS
        for f in model._meta.concrete_fields
        if hasattr(f, "auto_now")
    }
    assert after == declared and any(auto_now for auto_now, _ in after.values())
    assert timestamp_fields(Quote) == ["created", "updated"] and timestamp_fields(QuoteEvent) == ["at"]


def test_a_bad_timestamp_names_its_line(tricky):
    lines = dump().decode().splitlines(keepends=True)
    record = json.loads(lines[-1])
    record["created"] = "2020-02-31T00:00:00+00:00"
    lines[-1] = json.dumps(record) + "\n"
    wipe()
    with pytest.raises(ImportRefused, match=f"line {len(lines)}: "):
        corpus_restore(lines=lines)
    assert not Quote.objects.exists()


def test_restore_brings_the_summary_tables_and_agreement_up_to_date(
    tricky, tmp_path, django_capture_on_commit_callbacks
):
    from research.services import stats_refresh
    from review import selectors as review_selectors
    from review.services import agreement_refresh
    from tests.research.test_summary_tables import fresh, stored

    stats_refresh()
    agreement_refresh()
    path = tmp_path / "corpus.jsonl"
    call_command("export_jsonl", "--output", str(path))
    wipe()
    get_user_model().objects.filter(username="-ann").delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_jsonl", str(path))
    assert stored() == fresh() and fresh()
    # the agreement figures are marked as out of date until recomputed
    assert not review_selectors.stored_agreement().current
