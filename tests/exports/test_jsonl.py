"""The corpus.jsonl export (its restore is tested in tests/ingest/test_jsonl_restore.py)."""

import json

from django.core.management import call_command
from django.urls import reverse

from exports.jsonl import corpus_lines


def dump() -> bytes:
    return b"".join(corpus_lines())


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


def test_http_download_equals_the_command(tricky, client_for, researcher_user, tmp_path):
    response = client_for(researcher_user).get(reverse("exports:corpus_jsonl"))
    assert response["Content-Type"].startswith("application/x-ndjson")
    path = tmp_path / "c.jsonl"
    call_command("export_jsonl", "--output", str(path))
    assert b"".join(response.streaming_content) == path.read_bytes()
