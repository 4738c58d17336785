import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations.services import quote_accept
from suggestions.models import Suggestion
from tests.factories import ArticleFactory, UserFactory, find_span, make_quote

TEXT = "😀 “We will act,” Jane Doe said.\r\nThe bridge would reopen in May, two city officials said.\n"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_suggest_quotes_text_file_prints_json_without_database_rows(tmp_path, db):
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    data = json.loads(run("suggest_quotes", "--text-file", str(path), "--json"))
    assert data == [
        {"kind": "direct", "spans": [[3, 15]], "cue": [26, 30], "speaker": "Jane Doe", "speaker_mention": [17, 25]},
        {
            "kind": "indirect",
            "spans": [[33, 63]],
            "cue": [84, 88],
            "speaker": "two city officials",
            "speaker_mention": [65, 83],
        },
    ]
    # offsets point into the file's text exactly as read (CRLF kept)
    assert TEXT[3:15] == "We will act," and TEXT[33:63] == "The bridge would reopen in May"


def test_suggest_quotes_text_file_works_without_a_database(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("“We will act,” Jane Doe said.", encoding="utf-8")
    data = json.loads(run("suggest_quotes", "--text-file", str(path), "--json", "--no-aliases"))
    assert data[0]["speaker"] == "Jane Doe"


def test_suggest_quotes_readable_output(tmp_path, db):
    path = tmp_path / "article.txt"
    path.write_text("“We will act,” Jane Doe said.", encoding="utf-8")
    assert "[direct, direct] Jane Doe: “We will act,”" in run("suggest_quotes", "--text-file", str(path))


def test_suggest_quotes_refuses_non_utf8_and_missing_files(tmp_path, db):
    path = tmp_path / "latin1.txt"
    path.write_bytes("“caf\xe9”".encode("latin-1", errors="replace") + b"\xe9")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("suggest_quotes", "--text-file", str(path), "--json")
    with pytest.raises(CommandError, match="No such file"):
        run("suggest_quotes", "--text-file", str(tmp_path / "missing.txt"))


@pytest.mark.django_db
def test_suggest_quotes_article_stores_and_replaces_pending():
    article = ArticleFactory(body="“We will act,” Jane Doe said.")
    assert "Stored 1 pending suggestion(s)" in run("suggest_quotes", "--article", str(article.pk))
    first = Suggestion.objects.get()
    run("suggest_quotes", "--article", str(article.pk))
    assert Suggestion.objects.count() == 1 and Suggestion.objects.get().pk != first.pk
    with pytest.raises(CommandError, match="no article with id"):
        run("suggest_quotes", "--article", "999999")


@pytest.mark.django_db
def test_evaluate_suggestions_scores_accepted_quotes():
    body = "“We will act,” Jane Doe said. The weather was fine. “It rains,” Bob Roe said, “and it pours.”"
    article = ArticleFactory(body=body)
    editor = UserFactory(username="evaluator", roles=["editor"])
    from corpus.services import speaker_create

    jane = speaker_create(name="Jane Doe")
    bob = speaker_create(name="Robert Roe", aliases=["Bob Roe"])
    q1 = make_quote(article=article, text="We will act,", speaker=jane, status="submitted")
    q2 = make_quote(article=article, text="It rains,", speaker=bob, status="submitted")
    quote_accept(quote=q1, reviewer=editor)
    quote_accept(quote=q2, reviewer=editor)
    make_quote(article=article, text="The weather was fine.")  # a draft: not gold
    data = json.loads(run("evaluate_suggestions", "--json"))
    # two suggestions, two gold quotes; the split quote "It rains, … and it pours." covers all of gold q2
    assert data["suggestions"] == 2 and data["gold"] == 2
    assert data["0.3"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0, "matched": 2}
    assert data["speaker_accuracy"] == 100.0
    text = run("evaluate_suggestions")
    assert "Speaker accuracy: 100.0" in text and "Gender Gap Tracker" in text


@pytest.mark.django_db
def test_evaluate_suggestions_without_gold_says_so():
    with pytest.raises(CommandError, match="No article has accepted quotes"):
        run("evaluate_suggestions")


def test_evaluate_suggestions_gold_dir(tmp_path):
    body = "“We will act,” Jane Doe said. Officials met."
    (tmp_path / "a.json").write_text(
        json.dumps(
            {
                "text": body,
                "quotes": [
                    {"spans": [list(find_span(body, "We will act,"))], "speaker": "Jane Doe"},
                    {"spans": [list(find_span(body, "Officials met"))], "speaker": "Officials"},
                ],
            }
        ),
        encoding="utf-8",
    )
    data = json.loads(run("evaluate_suggestions", "--gold-dir", str(tmp_path), "--json"))
    assert data["0.3"]["precision"] == 100.0 and data["0.3"]["recall"] == 50.0
    (tmp_path / "b.json").write_text('{"text": "abc", "quotes": [{"spans": [[2, 9]]}]}', encoding="utf-8")
    with pytest.raises(CommandError, match="outside the text"):
        run("evaluate_suggestions", "--gold-dir", str(tmp_path))


def test_shipped_gold_texts_load_and_score(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "suggestions" / "evaluation"
    dev = json.loads(run("evaluate_suggestions", "--gold-dir", str(root / "dev"), "--json"))
    assert dev["documents"] == 21 and dev["gold"] == 173
    heldout = json.loads(run("evaluate_suggestions", "--gold-dir", str(root / "heldout"), "--json"))
    assert heldout["documents"] == 10 and heldout["gold"] == 74
    blind = json.loads(run("evaluate_suggestions", "--gold-dir", str(root / "blind"), "--json"))
    assert blind["documents"] == 8 and blind["gold"] == 79
    # every gold span is a clean content span: no edge white space, no quotation marks at its edges
    # (a mixed quote may end with its quoted fragment, whose marks then pair up inside the span)
    for path in [*root.glob("dev/*.json"), *root.glob("heldout/*.json"), *root.glob("blind/*.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        for quote in data["quotes"]:
            for start, end in quote["spans"]:
                piece = data["text"][start:end]
                assert piece == piece.strip() and piece[0] not in '“”"‘’', (path, piece)
                assert piece[-1] not in '“”"' or (quote["kind"] == "mixed" and piece.count('"') == 2), (path, piece)


@pytest.mark.django_db
def test_evaluate_on_the_seed_fixture_clears_the_ggt_bar():
    """Regression guard: the seed article's accepted quotes, scored as in docs/suggestions.md."""
    call_command("loaddata", "fixtures/seed_article.json", verbosity=0)
    data = json.loads(run("evaluate_suggestions", "--json"))
    assert data["gold"] == 17
    assert data["0.3"]["f1"] >= 83.7 and data["0.8"]["f1"] >= 76.1
    assert data["speaker_accuracy"] >= 86.5
