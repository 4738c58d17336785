import pytest

from exports.codebook import EXPORT_FILES, TEXT
from exports.writers import csv_bytes, neutralize
from text.spreadsheet import DANGEROUS_FIRST_CHARS

from .conftest import read_csv

ALL = sorted(EXPORT_FILES)
ALL_STATUS = {"status": "all"}


def test_neutralize_rule():
    assert [neutralize(v) for v in ["=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", "", None, " =1"]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "a=1",
        "",
        "",
        " =1",
    ]


@pytest.mark.parametrize("slug", ALL)
def test_header_is_the_codebook(tricky, slug):
    export = EXPORT_FILES[slug]
    rows = read_csv(csv_bytes(export, ALL_STATUS))
    assert rows[0] == [c.name for c in export.columns]
    assert len(rows) > 1
    assert all(len(r) == len(export.columns) for r in rows)


@pytest.mark.parametrize("slug", ALL)
def test_every_text_column_is_neutralized(tricky, slug):
    export = EXPORT_FILES[slug]
    rows = read_csv(csv_bytes(export, ALL_STATUS))[1:]
    for row in rows:
        for cell in row:
            assert cell[:1] not in DANGEROUS_FIRST_CHARS, (slug, row)
    # Every text column held a dangerous payload somewhere, and came out with an apostrophe.
    text_columns = [i for i, c in enumerate(export.columns) if c.kind == TEXT]
    apostrophed = {i for row in rows for i in text_columns if row[i].startswith("'")}
    expected = {
        "quotes": {
            "article_title",
            "article_outlet",
            "article_url",
            "speaker_name",
            "speaker_affiliation",
            "quote_text",
            "cue_text",
            "speaker_mention_text",
            "reviewer",
            "curator",
            "annotators",
            "tags",
            "origin",
        },
        "stances": {"speaker_name", "target", "annotator", "note"},
        "entities": {"text", "speaker_name", "curator", "annotators", "reviewer", "origin"},
        "speakers": {"name", "description", "affiliation", "aliases", "tags"},
        "articles": {"title", "outlet", "byline", "dateline", "url", "language", "tags", "body"},
        "clusters": {"speaker_names", "first_outlet", "first_text"},
    }[slug]
    assert {export.columns[i].name for i in apostrophed} >= expected


def test_quotes_rows(tricky):
    rows = read_csv(csv_bytes(EXPORT_FILES["quotes"], ALL_STATUS))
    _header, data = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    assert [int(r["quote_id"]) for r in data] == [q.pk for q in tricky["quotes"]]
    first, second, third = data
    body = tricky["article"].body
    assert first["quote_text"] == "'=SUM(A1:A9) is wrong,"
    start, end = map(int, first["quote_spans"].split("-"))
    assert body[start:end] == "=SUM(A1:A9) is wrong,"
    assert first["cue_text"] == "said" and body.__getitem__(slice(*map(int, first["cue_span"].split("-")))) == "said"
    assert first["speaker_name"] == "'@Zoë Ünal" and first["speaker_affiliation"] == "'+Civic League"
    assert first["speaker_qid"] == "Q42" and first["status"] == "accepted" and first["reviewer"] == "'@ed"
    assert first["tags"] == "'-tag;=q;zeta"
    assert first["reviewed_at"].endswith("Z") and "T" in first["reviewed_at"]
    assert first["article_published"] == tricky["article"].published.isoformat()
    # Non-ASCII (also outside the BMP) and a line break inside a cell come back unchanged.
    assert second["quote_text"] == "Tokyo 東京 is big 😀,\nand rainy,"
    s, e = map(int, second["quote_spans"].split("-"))
    assert body[s:e] == second["quote_text"]
    assert third["speaker_id"] == "" and third["cue_text"] == "'-said" and third["reviewer"] == "'@ed"
    # The curated layer says who supports each quote.
    assert first["support"] == "1" and first["annotators"] == "'-ann" and first["curator"] == "'@ed"


def test_default_is_accepted_quotes_only(tricky):
    rows = read_csv(csv_bytes(EXPORT_FILES["quotes"], {}))
    assert [int(r[0]) for r in rows[1:]] == [q.pk for q in tricky["quotes"]]
    assert tricky["pending"].pk not in {int(r[0]) for r in rows[1:]}


def test_rfc4180_bytes(tricky):
    data = csv_bytes(EXPORT_FILES["quotes"], ALL_STATUS)
    assert data.startswith(b"quote_id,article_id,")
    assert data.endswith(b"\r\n")
    # Records end with CRLF; the line break inside a quoted cell stays a bare LF.
    assert "😀,\nand rainy,".encode() in data
    assert data.count(b"\r\n") == 4  # header + 3 quotes
    bom = csv_bytes(EXPORT_FILES["quotes"], {**ALL_STATUS, "bom": "1"}, bom=True)
    assert bom == b"\xef\xbb\xbf" + data


@pytest.mark.parametrize("slug", ALL)
def test_python_and_sql_rendering_agree(tricky, slug):
    """The SQL rendering (the COPY path's SELECT) and the Python rules give the same rows."""
    export = EXPORT_FILES[slug]
    python = read_csv(csv_bytes(export, ALL_STATUS, engine="python"))
    sql = read_csv(csv_bytes(export, ALL_STATUS, engine="sql"))
    assert python == sql


def test_stances_follow_the_quote_filters(tricky):
    rows = read_csv(csv_bytes(EXPORT_FILES["stances"], {"speaker": tricky["zoe"].pk}))
    assert [r[7] for r in rows[1:]] == ["against", "favor"]
    assert rows[1][9] == "'+note\nline 2"
    none = read_csv(csv_bytes(EXPORT_FILES["stances"], {"stance": "neutral"}))
    assert none == [rows[0]]


def test_speakers_aliases_and_counts(tricky):
    rows = read_csv(csv_bytes(EXPORT_FILES["speakers"], {}))
    data = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
    zoe = data["'@Zoë Ünal"]
    assert zoe["aliases"] == "'=Zoe;Ms. Ünal" and zoe["accepted_quotes"] == "2"
    assert zoe["affiliation_id"] == str(tricky["org"].pk) and zoe["description"] == "'-5 years\nspokesperson"
    assert data["'+Civic League"]["accepted_quotes"] == "0"


def test_entities_default_to_accepted(tricky):
    rows = read_csv(csv_bytes(EXPORT_FILES["entities"], {}))
    assert len(rows) == 3 and rows[1][4] == '\'=HYPERLINK("http://evil")'
    # Only the curated layer is exported, whatever the status filter: the draft mention never is.
    assert read_csv(csv_bytes(EXPORT_FILES["entities"], ALL_STATUS)) == rows


def test_speaker_attributes_and_their_provenance_are_exported(tricky):
    from corpus import services as corpus_services

    zoe, article = tricky["zoe"], tricky["article"]
    start = article.body.index("she added")
    corpus_services.speaker_attribute_set(
        speaker=zoe, name="gender", value="woman", source="article", article=article, span=(start, start + 3)
    )
    corpus_services.speaker_attribute_set(speaker=zoe, name="role", value="public", source="editor")
    quotes = read_csv(csv_bytes(EXPORT_FILES["quotes"], {}))
    rows = [dict(zip(quotes[0], r)) for r in quotes[1:]]
    zoes = [r for r in rows if r["speaker_id"] == str(zoe.pk)]
    assert zoes and all(
        (r["speaker_gender"], r["speaker_gender_source"], r["speaker_role"]) == ("woman", "article", "public")
        for r in zoes
    )
    assert all(r["speaker_gender"] == "" for r in rows if r["speaker_id"] != str(zoe.pk))  # not recorded: empty
    speakers = read_csv(csv_bytes(EXPORT_FILES["speakers"], {}))
    row = next(dict(zip(speakers[0], r)) for r in speakers[1:] if r[0] == str(zoe.pk))
    assert (row["gender"], row["gender_source"], row["gender_evidence"], row["gender_article_id"]) == (
        "woman",
        "article",
        "she",
        str(article.pk),
    )
    assert (row["gender_span_start"], row["gender_span_end"]) == (str(start), str(start + 3))
    assert row["role"] == "public" and row["role_source"] == "editor" and row["party"] == ""
