import io
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


# --- streaming: decode_chunks / split_lines / iter_records give what the whole-text functions give ---

TRICKY_BYTES = [
    "\ufeffTitle\r\n\r\nCafé “quoted” — ok\r\n".encode(),
    b"A\nB\r\nC\rD\r",
    "Titre\nCaf\xe9\n".encode("latin-1"),  # not UTF-8 on line 2
    b"ok\n\xed\xa0\x80\n",  # an encoded lone surrogate is not UTF-8
    b"ok\n\xe2\x80",  # an unfinished character at the end
    b"ok\nno\x00t\n",  # a NUL byte
    b"ok \xe2\x80\x00",  # an unfinished character right before a NUL: the first problem wins
    b" \r\n\t\n",  # only white space
    b"\xef\xbb\xbf",  # only a byte-order mark
]


def _decoded(chunks, size):
    try:
        return "".join(parsers.decode_chunks(chunks, max_bytes=1000, name="f.txt", size=size))
    except parsers.FileRefused as exc:
        return f"refused: {exc}"


@pytest.mark.parametrize("data", TRICKY_BYTES)
def test_decode_chunks_is_decode_whatever_the_chunk_size(data):
    whole = _decoded([data], len(data))
    for size in (1, 2, 3, 5):
        assert _decoded([data[i : i + size] for i in range(0, len(data), size)], None) == whole


def test_decode_names_the_byte_and_line_after_a_byte_order_mark():
    with pytest.raises(parsers.FileRefused, match=r"byte 0xFF on line 2 "):
        parsers.decode(b"\xef\xbb\xbfab\n\xff", max_bytes=100)


def test_decode_refuses_nul_bytes_and_over_limit_streams():
    with pytest.raises(parsers.FileRefused, match=r"NUL byte \(0x00\) on line 3"):
        parsers.decode(b"T\n\nbo\x00dy", max_bytes=100)
    with pytest.raises(parsers.FileRefused, match="over the import limit of 10 bytes"):
        list(parsers.decode_chunks([b"x" * 6, b"x" * 6], max_bytes=10))  # size unknown: refused while reading


def test_split_lines_matches_stringio_for_any_pieces():
    text = "a\r\nb\rc\n\r\n\rd\r"
    want = list(io.StringIO(text, newline=""))
    for size in range(1, 5):
        assert list(parsers.split_lines(text[i : i + size] for i in range(0, len(text), size))) == want


TRICKY_TEXTS = [
    ("jsonl", '{"title": "A", "body": "x\\r\\ny"}\r\n\r\n{"title": "B", "text": "z", "x": 1}\r{"bad"\n[1]\n'),
    ("jsonl", '{"title": "A", "body": "x"}\n{"title": "", "body": "y"}\n{"title": "C", "body": "z"'),
    ("jsonl", "\n \n"),
    ("csv", 'title,body,tags,extra\r\nA,"line 1\r\nline 2",a;b,\r\n\r\nB,,,\rC,"x""y",,\n"D,bad\n'),
    ("csv", "title,body\nA,b,c\n,no title\nE,ok"),
    ("csv", "name,text\nA,b\n"),
]


@pytest.mark.parametrize("fmt, text", TRICKY_TEXTS)
def test_iter_records_on_pieces_is_parse_on_the_whole_text(fmt, text):
    whole = parsers.parse(text, fmt)
    for size in (1, 2, 7):
        result = parsers.ParseResult()
        result.records = list(
            parsers.iter_records((text[i : i + size] for i in range(0, len(text), size)), fmt, result)
        )
        assert (result.records, result.errors, result.warnings) == (whole.records, whole.errors, whole.warnings)


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"title": "T", "body": "a\\u0000b"}', "the field “body” holds a NUL character, \\u0000"),
        ('{"title": "T\\ud800", "body": "b"}', "the field “title” holds a lone surrogate"),
        ('{"title": "T", "body": "b", "tags": ["ok", "\\udfff"]}', "the field “tags” holds a lone surrogate"),
    ],
)
def test_json_escapes_that_are_not_text_are_errors_on_their_line(line, message):
    result = parsers.parse_jsonl('{"title": "ok", "body": "fine"}\n' + line + "\n")
    assert [p.line for p in result.errors] == [2] and message in result.errors[0].message
