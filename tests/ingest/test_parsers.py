from datetime import date

import pytest

from ingest import parsers


def test_txt_first_line_is_title_and_body_kept_exactly():
    result = parsers.parse_txt("Title here\r\n\r\n  Indented first line.\r\nSecond\tline  \r\n\r\nPara 2.\r\n\r\n")
    [record] = result.records
    assert record.title == "Title here"
    assert record.body == "  Indented first line.\nSecond\tline  \n\nPara 2."


def test_clean_body_trims_blank_lines_only():
    assert parsers.clean_body("\n  \n\tA\n\n B \n \n") == "\tA\n\n B "
    assert parsers.clean_body("a\rb") == "a\nb"


def test_jsonl_fields_and_line_numbers():
    text = (
        '{"title": "A", "body": "Body A", "url": "https://x.test/a", "published": "2024-05-01", '
        '"tags": ["x", "y"], "outlet": "O", "byline": "B", "dateline": "D", "language": "fr"}\n'
        "\n"
        '{"title": "B", "text": "Body B", "tags": "p, q", "extra": 1}\n'
    )
    result = parsers.parse_jsonl(text)
    assert not result.errors
    a, b = result.records
    assert (a.line, a.url, a.published, a.tags, a.language, a.outlet) == (
        1,
        "https://x.test/a",
        date(2024, 5, 1),
        ["x", "y"],
        "fr",
        "O",
    )
    assert (b.line, b.body, b.tags) == (3, "Body B", ["p", "q"])
    assert "extra" in result.warnings[0].message


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"title": "", "body": "x"}', "title is missing"),
        ('{"title": "T", "body": " \\n "}', "body is empty"),
        ('{"title": "T", "body": "x", "published": "01/05/2024"}', "is not a date"),
        ('{"title": "T", "body": "x"', "not valid JSON"),
        ('["T", "x"]', "must be a JSON object"),
    ],
)
def test_jsonl_errors_name_their_line(line, message):
    result = parsers.parse_jsonl('{"title": "ok", "body": "fine"}\n' + line + "\n")
    assert [p.line for p in result.errors] == [2]
    assert message in result.errors[0].message


def test_csv_multiline_cells_report_the_starting_line():
    text = 'title,body,published,tags\nA,"line 1\nline 2",2024-01-02,a;b\nB,,2024-01-02,\nC,"x",2024-13-40,\n'
    result = parsers.parse_csv(text)
    assert [r.title for r in result.records] == ["A"]
    assert result.records[0].body == "line 1\nline 2"
    assert result.records[0].tags == ["a", "b"]
    assert [(p.line, "empty" in p.message or "date" in p.message) for p in result.errors] == [(4, True), (5, True)]


def test_csv_needs_title_and_body_columns():
    result = parsers.parse_csv("name,text\nA,b\n")
    assert result.errors and "title" in result.errors[0].message


def test_decode_refuses_non_utf8_oversized_and_empty():
    with pytest.raises(parsers.FileRefused, match=r"not UTF-8.*line 2"):
        parsers.decode("Titre\nCaf\xe9".encode("latin-1"), max_bytes=100)
    with pytest.raises(parsers.FileRefused, match="over the import limit"):
        parsers.decode(b"x" * 101, max_bytes=100)
    with pytest.raises(parsers.FileRefused, match="empty"):
        parsers.decode(b" \n", max_bytes=100)
    assert parsers.decode("\ufeffT\n\nb".encode(), max_bytes=100) == "T\n\nb"


@pytest.mark.parametrize(
    "name, text, fmt",
    [
        ("a.TXT", None, "txt"),
        ("a.jsonl", None, "jsonl"),
        ("a.csv", None, "csv"),
        ("a.ndjson", None, "jsonl"),
        ("", '{"title": 1}', "jsonl"),
        ("", "title,body\nA,b", "csv"),
        ("", "A title\n\nbody", "txt"),
    ],
)
def test_detect_format(name, text, fmt):
    assert parsers.detect_format(name, text) == fmt
