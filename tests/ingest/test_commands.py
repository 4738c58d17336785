import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from annotations.models import Quote
from corpus.models import Article
from tests.factories import SpeakerFactory, make_quote


@pytest.mark.django_db
def test_import_articles_command(tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    path.write_text(
        "\n".join(json.dumps({"title": f"T{i}", "body": f"B{i}"}) for i in range(3)) + "\n", encoding="utf-8"
    )
    call_command("import_articles", str(path))
    assert Article.objects.count() == 3
    call_command("import_articles", str(path))
    out = capsys.readouterr().out
    assert "3 duplicate(s) skipped" in out and Article.objects.count() == 3


@pytest.mark.django_db
def test_import_articles_command_fails_cleanly(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,body\nA,ok\n,missing title\n", encoding="utf-8")
    with pytest.raises(CommandError, match="imported nothing"):
        call_command("import_articles", str(bad))
    assert "line 3: the title is missing" in capsys.readouterr().err
    assert Article.objects.count() == 0
    with override_settings(IMPORT_MAX_BYTES=10), pytest.raises(CommandError, match="over the import limit"):
        call_command("import_articles", str(bad))


@pytest.mark.django_db
def test_export_then_import_brat_commands(tmp_path, annotator_user, other_annotator):
    quote = make_quote(annotator_user=annotator_user, speaker=SpeakerFactory(name="Jane Doe"), cue="said")
    out = tmp_path / "out.zip"
    call_command(
        "export_brat", str(out), "--status", "all", "--layer", "annotation", "--article", str(quote.article_id)
    )
    assert any(n.endswith(".ann") for n in zipfile.ZipFile(out).namelist())
    folder = tmp_path / "dir"
    call_command("export_brat", str(folder), "--status", "all", "--layer", "annotation")
    assert (folder / "annotation.conf").exists()
    Quote.objects.all().delete()
    quote.article.delete()
    call_command("import_brat", str(folder), "--annotator", other_annotator.username, "--status", "submitted")
    new = Quote.objects.get()
    assert (new.text, new.speaker.name, new.cue_text, new.annotator, new.status) == (
        quote.text,
        "Jane Doe",
        "said",
        other_annotator,
        "submitted",
    )


@pytest.mark.django_db
def test_import_doccano_command(tmp_path, annotator_user):
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps({"text": "Ann said “yes” today.", "label": [[10, 13, "Quote"], [0, 3, "Speaker"]]}) + "\n"
    )
    call_command("import_doccano", str(path), "--annotator", annotator_user.username)
    assert Quote.objects.get().speaker.name == "Ann"
    with pytest.raises(CommandError, match="No user named"):
        call_command("import_doccano", str(path), "--annotator", "nobody")
