import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from taggit.models import TaggedItem

from annotations.models import EntityMention, MentionEvent, Quote, QuoteEvent, StanceTarget
from clusters.services import clusters_rebuild
from corpus.models import Article, Speaker, SpeakerAlias
from exports.codebook import EXPORT_FILES
from exports.jsonl import ImportRefused, corpus_lines, import_lines
from exports.writers import csv_bytes


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


def test_dump_has_everything(tricky):
    records = [json.loads(line) for line in dump().splitlines()]
    types = [r["type"] for r in records]
    assert types[0] == "meta" and set(types) == {
        "meta",
        "speaker",
        "stance_target",
        "article",
        "entity_mention",
        "quote",
    }
    quote = next(r for r in records if r["type"] == "quote" and r["id"] == tricky["annotated"][0].pk)
    assert quote["annotator"] == "-ann" and quote["reviewed_by"] == "@ed" and quote["status"] == "accepted"
    assert quote["spans"][0]["text"] == "=SUM(A1:A9) is wrong," and quote["tags"] == ["-tag", "=q", "zeta"]
    assert quote["stances"][0]["label"] == "against" and [e["action"] for e in quote["events"]][:3] == [
        "create",
        "stance",
        "submit",
    ]
    zoe = next(r for r in records if r["type"] == "speaker" and r["id"] == tricky["zoe"].pk)
    assert zoe["aliases"] == ["=Zoe", "Ms. Ünal"] and zoe["affiliation"] == tricky["org"].pk


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
        import_lines(lines)
    assert not (Article.objects.exists() or Speaker.objects.exists() or Quote.objects.exists())


def test_http_download_equals_the_command(tricky, client_for, researcher_user, tmp_path):
    response = client_for(researcher_user).get(reverse("exports:corpus_jsonl"))
    assert response["Content-Type"].startswith("application/x-ndjson")
    path = tmp_path / "c.jsonl"
    call_command("export_jsonl", "--output", str(path))
    assert b"".join(response.streaming_content) == path.read_bytes()
