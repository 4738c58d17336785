"""A release of the seed corpus: its zip, every format in it, and that it is the same every time."""

import csv
import io
import json
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from annotations.models import Quote
from exports.codebook import DATE, DATETIME, INT, SPAN, TEXT
from releases import archive
from releases.build import FILES, build_zip
from releases.selection import TABLES
from text.spreadsheet import neutralize


def members(release) -> dict[str, bytes]:
    with zipfile.ZipFile(release.file.path) as z:
        return {n.split("/", 1)[1]: z.read(n) for n in z.namelist()}


def test_the_seed_release_is_published_with_every_file_and_verifies(published):
    assert published.status == "published"
    files = members(published)
    assert set(files) == {*FILES, "manifest.json"}
    manifest = json.loads(files["manifest.json"])
    assert (manifest["name"], manifest["version"]) == ("seed-corpus", "1.0.0")
    assert [f["path"] for f in manifest["files"]] == list(FILES)
    for entry in manifest["files"]:
        assert entry["size"] == len(files[entry["path"]])
    assert published.manifest == manifest
    data, problems = archive.verify(published.file.path)
    assert problems == [] and data == manifest
    assert archive.file_digest(published.file.path) == (published.sha256, published.size)
    curated = Quote.objects.curated().count()
    assert curated == 17 and published.counts["quotes"] == curated


def _rezip(source, target, change):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, change(info.filename, old.read(info.filename)))


def test_a_tampered_zip_fails_verification_naming_the_file(published, tmp_path):
    tampered = tmp_path / "tampered.zip"
    _rezip(
        published.file.path,
        tampered,
        lambda name, data: data.replace(b"said", b"sad!", 1) if name.endswith("csv/quotes.csv") else data,
    )
    _manifest, problems = archive.verify(tampered)
    assert [p.path for p in problems] == ["csv/quotes.csv"]
    assert "SHA-256" in problems[0].message
    dropped = tmp_path / "dropped.zip"
    with zipfile.ZipFile(published.file.path) as old, zipfile.ZipFile(dropped, "w") as new:
        for info in old.infolist():
            if not info.filename.endswith("tokens.conll"):
                new.writestr(info, old.read(info.filename))
    assert [(p.path, p.message) for p in archive.verify(dropped)[1]] == [
        ("tokens.conll", "listed in the manifest but missing from the zip")
    ]
    assert archive.verify(tmp_path / "missing.zip")[0] is None


def _cell(kind, value):
    """A Parquet value written as the CSV writes it."""
    if value is None:
        return ""
    if kind == TEXT:
        return neutralize(value)
    if kind == DATE:
        return value.isoformat()
    if kind == DATETIME:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


@pytest.mark.parametrize("table", TABLES, ids=[t.slug for t in TABLES])
def test_parquet_tables_agree_row_for_row_with_the_csvs(published, table):
    files = members(published)
    rows = list(csv.reader(io.StringIO(files[f"csv/{table.filename}"].decode(), newline="")))
    parquet = pq.read_table(pa.BufferReader(files[f"parquet/{table.slug}.parquet"]))
    assert rows[0] == table.header
    assert parquet.num_rows == len(rows) - 1 > 0
    allowed = {pa.int64(), pa.string(), pa.date32(), pa.timestamp("ms", tz="UTC")}
    assert {field.type for field in parquet.schema} <= allowed  # plain types: pandas and datasets read them
    records = parquet.to_pylist()
    for csv_row, record in zip(rows[1:], records, strict=True):
        cells = []
        for column in table.columns:
            if column.kind == SPAN:
                start, end = record[f"{column.name}_start"], record[f"{column.name}_end"]
                cells.append("" if start is None else f"{start}-{end}")
            else:
                cells.append(_cell(column.kind, record[column.name]))
        assert cells == csv_row
    assert {INT, TEXT} <= {c.kind for c in table.columns}


def test_web_annotations_have_the_required_fields_and_select_exactly_the_quote_text(published):
    files = members(published)
    collection = json.loads(files["annotations.jsonld"])
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    curated = {q.pk: q for q in Quote.objects.curated().select_related("article", "speaker")}
    assert collection["total"] == len(items) == len(curated)
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation" and item["id"].startswith("urn:quote-corpus:seed-corpus-1.0.0:quote:")
        quote = curated[int(item["id"].rsplit(":", 1)[1])]
        body = quote.article.body
        spans = [(s.start, s.end) for s in quote.spans.order_by("position")]
        assert len(item["target"]) == len(spans)
        for target, (start, end) in zip(item["target"], spans, strict=True):
            assert target["source"] == f"urn:quote-corpus:seed-corpus-1.0.0:article:{quote.article_id}"
            position = next(s for s in target["selector"] if s["type"] == "TextPositionSelector")
            text_quote = next(s for s in target["selector"] if s["type"] == "TextQuoteSelector")
            assert (position["start"], position["end"]) == (start, end)
            assert body[position["start"] : position["end"]] == text_quote["exact"]
            assert body[: position["start"]].endswith(text_quote["prefix"])
            assert body[position["end"] :].startswith(text_quote["suffix"])
        purposes = {(b["purpose"], b.get("value")) for b in item["body"]}
        assert ("classifying", quote.kind) in purposes
        if quote.speaker:
            assert ("identifying", quote.speaker.name) in purposes
        if quote.cue_start is not None:
            assert ("describing", quote.cue_text) in purposes


def _tokens(data: bytes):
    rows = []
    for line in data.decode().splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            rows.append(
                {
                    "article": int(cells[0]),
                    "start": int(cells[3]),
                    "end": int(cells[4]),
                    "word": cells[5],
                    "source": cells[6],
                    "cue": cells[7],
                    "content": cells[8],
                    "attribution": cells[9],
                }
            )
    return rows


def test_the_token_file_labels_cover_the_quote_spans_in_bio(published):
    tokens = _tokens(members(published)["tokens.conll"])
    assert len(tokens) == published.counts["tokens"] > 0
    quotes = list(Quote.objects.curated().prefetch_related("spans"))
    body = quotes[0].article.body
    assert all(body[t["start"] : t["end"]] == t["word"] for t in tokens)
    content = set()
    for quote in quotes:
        for role, spans in (
            ("content", [(s.start, s.end) for s in quote.spans.all()]),
            ("cue", [(quote.cue_start, quote.cue_end)] if quote.cue_start is not None else []),
            (
                "source",
                [(quote.speaker_mention_start, quote.speaker_mention_end)]
                if quote.speaker_mention_start is not None
                else [],
            ),
        ):
            for start, end in spans:
                inside = [i for i, t in enumerate(tokens) if t["end"] > start and t["start"] < end]
                assert inside, (quote.pk, role)
                assert tokens[inside[0]][role] == f"B-{role.upper()}"
                assert all(tokens[i][role] in (f"B-{role.upper()}", f"I-{role.upper()}") for i in inside)
                assert all(f"{quote.pk}:{role}" in tokens[i]["attribution"].split(";") for i in inside)
                # the tokens cover the span: nothing of it is left outside a token but white space
                covered = "".join(body[tokens[i]["start"] : tokens[i]["end"]] for i in inside)
                assert covered == "".join(body[start:end].split()) or body[start:end].split() != []
                if role == "content":
                    content.update(inside)
    assert all(t["content"] == "O" for i, t in enumerate(tokens) if i not in content)


def test_building_twice_gives_the_same_bytes_and_manifest(published):
    first, second = io.BytesIO(), io.BytesIO()
    built = build_zip(published, first)
    build_zip(published, second)
    assert first.getvalue() == second.getvalue()
    assert built.manifest == published.manifest
    with open(published.file.path, "rb") as fh:
        assert fh.read() == first.getvalue()


def test_the_datasheet_and_citation_are_filled_from_the_data(published, settings):
    files = members(published)
    readme = files["README.md"].decode()
    for fact in (
        "17 curated quotes",
        "in 1 article from 1 outlet.",
        "The New York Times",
        "2019-06-18",
        "seed-annotator",
        "seed-editor",
        f"guidelines, version {settings.ANNOTATION_GUIDELINES_VERSION}",
        "What is left out",
        "CC-BY-4.0",
        "Agreement at release time",
    ):
        assert fact in readme, fact
    assert readme == published.datasheet
    cff = files["CITATION.cff"].decode()
    assert "cff-version: 1.2.0" in cff and 'version: "1.0.0"' in cff and 'family-names: "Editor"' in cff
    datacite = json.loads(files["datacite.json"])["data"]["attributes"]
    assert datacite["types"]["resourceTypeGeneral"] == "Dataset"
    assert datacite["version"] == "1.0.0" and datacite["rightsList"][0]["rightsIdentifier"] == "CC-BY-4.0"
    jsonl = [json.loads(line) for line in files["corpus.jsonl"].decode().splitlines()]
    assert jsonl[0]["type"] == "meta" and jsonl[0]["release_version"] == "1.0.0"
    quotes = [r for r in jsonl if r["type"] == "quote"]
    assert len(quotes) == 17 and all(r["layer"] == "curated" and r["events"] == [] for r in quotes)


def test_a_build_sweeps_the_temporary_folders_of_dead_builds_only(tmp_path):
    import os
    import subprocess
    import sys

    from releases.build import WORK_PREFIX, sweep_dead_builds

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = tmp_path / f"{WORK_PREFIX}{dead.stdout.strip()}-abc"  # its process has exited
    mine = tmp_path / f"{WORK_PREFIX}{os.getpid()}-def"
    parent = tmp_path / f"{WORK_PREFIX}{os.getppid()}-ghi"  # a live process
    other = tmp_path / "release-12345678"  # not a build folder of this scheme
    for folder in (gone, mine, parent, other):
        (folder / "files").mkdir(parents=True)
        (folder / "files" / "corpus.jsonl").write_text("partial")
    assert sweep_dead_builds(str(tmp_path)) == [gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (mine, parent, other))


def test_files_compressed_beforehand_give_the_same_zip_as_compressing_while_zipping(tmp_path):
    import random

    root, work = tmp_path / "files", tmp_path / "work"
    (root / "csv").mkdir(parents=True)
    work.mkdir()
    noise = random.Random(7)
    (root / "big.txt").write_bytes(b"".join(b"token %d\tO\tB-CUE\n" % noise.randrange(10**6) for _ in range(250_000)))
    (root / "csv/random.bin").write_bytes(noise.randbytes(3 << 20))  # incompressible, three blocks
    (root / "empty.txt").write_bytes(b"")
    (root / "small.md").write_text("# A small file, zipped as it is\n")
    paths = ["small.md", "big.txt", "csv/random.bin", "empty.txt"]
    plain = io.BytesIO()
    archive.write_zip(plain, folder="r-1.0.0", root=root, paths=paths)
    with archive.Deflater(work) as deflater:
        for path in paths[1:]:
            deflater.submit(root, path)
        compressed = deflater.results()
    assert set(compressed) == set(paths[1:])
    ahead = io.BytesIO()
    archive.write_zip(ahead, folder="r-1.0.0", root=root, paths=paths, deflated=compressed)
    assert ahead.getvalue() == plain.getvalue()
    with zipfile.ZipFile(io.BytesIO(ahead.getvalue())) as z:
        assert z.testzip() is None and z.read("r-1.0.0/big.txt") == (root / "big.txt").read_bytes()
    # the compressed files are what the zip holds: a wrong one gives another zip
    compressed["small.md"] = compressed["csv/random.bin"]
    wrong = io.BytesIO()
    archive.write_zip(wrong, folder="r-1.0.0", root=root, paths=paths, deflated=compressed)
    assert wrong.getvalue() != plain.getvalue()
