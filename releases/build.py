"""Freeze a release into its zip: every file written to a temporary folder, then one deterministic
zip (releases.archive). ``build_zip`` depends only on the release row and the data, never on the time
of the build, so building the same release twice gives the same bytes.
"""

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import connection

from exports.writers import csv_chunks

from . import archive, documents, formats
from .models import Release
from .records import write_corpus_jsonl
from .selection import TABLES, selection

Progress = Callable[[int, int], None]
Stop = Callable[[], None]

# What each file is (the datasheet's file list and the codebook's), in the zip's order.
FILES: dict[str, str] = {
    "README.md": "this datasheet",
    "CITATION.cff": "how to cite this release (Citation File Format 1.2.0)",
    "datacite.json": "DataCite metadata (kernel 4, REST API shape) for a DOI deposit",
    "CHANGELOG.md": "the quotes added, removed and changed since the previous release, by id",
    "changelog.json": "the same, as JSON",
    "codebook.md": "every file and every column",
    **{
        f"csv/{t.filename}": f"{t.title} as CSV (UTF-8, RFC 4180, formula-neutralized): one row per {t.row}"
        for t in TABLES
    },
    **{
        f"parquet/{t.slug}.parquet": f"{t.title} as Parquet: the CSV's rows and columns with plain types"
        for t in TABLES
    },
    "corpus.jsonl": "the release as JSON Lines (the corpus.jsonl format: speakers, stance targets, articles, "
    "entity mentions, quotes with spans, stances and tags; no review history)",
    "annotations.jsonld": "one W3C Web Annotation per curated quote (JSON-LD, http://www.w3.org/ns/anno.jsonld): "
    "TextPositionSelector (code-point offsets of the article body) and TextQuoteSelector per content span; "
    "bodies: the kind (purpose classifying), the speaker (identifying), the cue (describing)",
    "tokens.conll": "one token per line in the style of PARC 3.0: article, sentence, offsets, BIO labels of "
    "SOURCE (speaker mention), CUE and CONTENT",
    documents.DIGESTS: "quote id and SHA-256 of its published record, in id order (what the next change log compares)",
}
ORDER = list(FILES)


# The build's temporary folder: its process id in the name, so that a later build on the machine can
# remove the folder of a build whose process was killed (nothing else would: it was never published).
WORK_PREFIX = "release-build-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_dead_builds(folder: str | None = None) -> list[Path]:
    """Remove the temporary folders of builds whose process is gone; the folders removed."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
        pid = path.name.removeprefix(WORK_PREFIX).split("-", 1)[0]
        if path.is_dir() and pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


@dataclass
class Built:
    manifest: dict[str, Any]
    datasheet: str
    counts: dict[str, Any]
    timings: dict[str, float]  # seconds per step (benchmarks/release_bench.py prints them)


def _write_csv(table, qs, fh: IO[bytes], check: Stop) -> None:
    for i, chunk in enumerate(csv_chunks(table, qs, ranges=False)):  # one COPY per file
        fh.write(chunk)
        if i % 64 == 0:
            check()


def build_zip(
    release: Release, target: IO[bytes], *, progress: Progress | None = None, should_stop: Stop | None = None
) -> Built:
    """Write the release's zip into ``target``; returns its manifest, datasheet and counts."""
    check = should_stop or (lambda: None)
    chosen = selection(release.filters)
    steps = len(ORDER) + 2  # the files, the manifest, the zip
    done = 0
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def step(label: str) -> None:
        nonlocal done, clock
        now = time.perf_counter()
        timings[label] = timings.get(label, 0.0) + now - clock
        clock = now
        check()
        done += 1
        if progress is not None:
            progress(done, steps)

    if progress is not None:
        progress(0, steps)
    sweep_dead_builds()
    with (
        tempfile.TemporaryDirectory(prefix=f"{WORK_PREFIX}{os.getpid()}-") as tmp_name,
        archive.Deflater(Path(tmp_name)) as deflater,
    ):
        root = Path(tmp_name) / "files"
        work = Path(tmp_name) / "work"
        (root / "csv").mkdir(parents=True)
        (root / "parquet").mkdir()
        work.mkdir()
        counts: dict[str, Any] = {}

        def written(*paths: str) -> None:
            for path in paths:
                deflater.submit(root, path)  # compressed for the zip while the next file is written
                step(path)

        _jit_off()
        # The largest files first, so that their compression overlaps the writing of the others (the
        # order of writing is not the zip's: that is ORDER).
        with open(root / "tokens.conll", "wb") as fh:
            counts["tokens"] = formats.write_tokens(chosen.quotes, fh, check)
        written("tokens.conll")
        with open(root / "corpus.jsonl", "wb") as fh, open(root / documents.DIGESTS, "w", encoding="utf-8") as dg:
            meta = {"release": release.name, "release_version": release.version}
            counts["jsonl_records"] = write_corpus_jsonl(meta, chosen, fh, dg, check)
        written("corpus.jsonl", documents.DIGESTS)
        with open(root / "annotations.jsonld", "wb") as fh:
            counts["annotations"] = formats.write_web_annotations(chosen.quotes, release.folder, fh, check)
        written("annotations.jsonld")
        for table in TABLES:
            with open(root / f"csv/{table.filename}", "wb") as fh:
                _write_csv(table, chosen.table(table), fh, check)
            written(f"csv/{table.filename}")
        _jit_off()
        for table in TABLES:
            counts[table.slug] = formats.write_parquet(
                table, chosen.table(table), root / f"parquet/{table.slug}.parquet", check
            )
            written(f"parquet/{table.slug}.parquet")
        with open(root / "CHANGELOG.md", "wb") as md, open(root / "changelog.json", "wb") as js:
            changes = documents.write_changelog(release, root / documents.DIGESTS, work, md, js)
        counts["changes"] = changes
        step("CHANGELOG.md")
        step("changelog.json")
        (root / "codebook.md").write_text(formats.codebook_markdown(TABLES, FILES), encoding="utf-8")
        step("codebook.md")
        data_facts = documents.facts(chosen)
        data_facts.files = FILES
        counts.update({f"{k}_total": v for k, v in data_facts.counts.items()})
        sheet = documents.datasheet(release, data_facts, changes)
        (root / "README.md").write_text(sheet, encoding="utf-8")
        step("README.md")
        (root / "CITATION.cff").write_text(documents.citation_cff(release, data_facts), encoding="utf-8")
        step("CITATION.cff")
        (root / "datacite.json").write_text(
            json.dumps(documents.datacite(release, data_facts), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        step("datacite.json")
        manifest = archive.manifest(
            name=release.name, version=release.version, licence=release.licence, root=root, paths=ORDER
        )
        (root / archive.MANIFEST).write_bytes(archive.manifest_bytes(manifest))
        step(archive.MANIFEST)
        archive.write_zip(
            target, folder=release.folder, root=root, paths=[*ORDER, archive.MANIFEST], deflated=deflater.results()
        )
        step("zip")
    return Built(manifest=manifest, datasheet=sheet, counts=counts, timings=timings)


def _jit_off() -> None:
    """PostgreSQL compiles a costly query (JIT) before its first row: 2.9 s for the quotes' Parquet query of
    a 100,000-quote release, for nothing on a streaming scan. Off for the rest of the build's transaction;
    again after the CSV files, whose COPY (``exports.writers``) resets it when it ends."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def snapshot_statement() -> str | None:
    """PostgreSQL: one consistent, read-only snapshot for every file of a build."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    return None
