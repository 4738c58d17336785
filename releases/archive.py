"""The zip of a release: deterministic bytes, a manifest of every file, and its verification.

Determinism: entries in a fixed order, every timestamp 1980-01-01 00:00:00 (the zip epoch), fixed
permissions, one compression level, no extra fields beyond what zipfile writes for ZIP64. The same
files give the same zip, byte for byte. Verification needs no Django.
"""

import hashlib
import json
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

FORMAT = "quote-corpus-release"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6
BLOCK = 1 << 20


def file_digest(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def manifest(*, name: str, version: str, licence: str, root: Path, paths: Iterable[str]) -> dict[str, Any]:
    files = []
    for path in paths:
        sha256, size = file_digest(root / path)
        files.append({"path": path, "size": size, "sha256": sha256})
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name,
        "version": version,
        "licence": licence,
        "files": files,
    }


def manifest_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _compressor() -> Any:
    """zipfile's compressor for ZIP_DEFLATED at COMPRESS_LEVEL (``zipfile._get_compressor``): raw deflate."""
    return zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)


def deflate(source: Path, target: Path) -> Path:
    """``source`` as the raw deflate stream zipfile would write for it (the same compressor fed the same
    blocks), into ``target``."""
    compressor = _compressor()
    with open(source, "rb") as raw, open(target, "wb") as out:
        while block := raw.read(BLOCK):
            out.write(compressor.compress(block))
        out.write(compressor.flush())
    return target


class Deflater:
    """Compresses finished files for the zip in a thread while the build writes the next ones: zlib
    releases the GIL, so the compression (a fifth of a build's CPU) runs on another core. ``write_zip``
    then copies the compressed bytes; the zip is the same, byte for byte."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="release-deflate")
        self.pending: dict[str, Future[Path]] = {}

    def submit(self, root: Path, path: str) -> None:
        target = self.work / f"{len(self.pending)}.deflate"
        self.pending[path] = self.pool.submit(deflate, root / path, target)

    def results(self) -> dict[str, Path]:
        """Wait for every compression; the compressed file of each path."""
        return {path: future.result() for path, future in self.pending.items()}

    def close(self) -> None:
        """Stop (a failed build: the queued compressions are dropped) and wait for the running one."""
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "Deflater":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Precompressed:
    """Stands in for an entry's compressor: returns the bytes ``deflate`` wrote for the entry's data
    (as many as it is given, the rest at ``flush``), so that zipfile writes them with its own headers,
    sizes and CRC (computed from the data, which still passes through)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh

    def compress(self, data: bytes) -> bytes:
        return self.fh.read(len(data))

    def flush(self) -> bytes:
        return self.fh.read()


def write_zip(
    target: IO[bytes], *, folder: str, root: Path, paths: Iterable[str], deflated: Mapping[str, Path] | None = None
) -> None:
    """``paths`` (relative to ``root``) into ``target`` under ``folder/``, in the order given. ``deflated``:
    files compressed beforehand (``Deflater``) for some paths, written as they are."""
    deflated = deflated or {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for path in paths:
            info = zipfile.ZipInfo(f"{folder}/{path}", date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, whatever the machine
            with open(root / path, "rb") as source, archive.open(info, "w", force_zip64=True) as entry:
                compressed = deflated.get(path)
                # zipfile has no public way to write compressed bytes: swap the entry's compressor when it
                # is the one we expect (else the data is compressed here, as before: the same bytes)
                if compressed is not None and type(getattr(entry, "_compressor", None)) is type(_compressor()):
                    with open(compressed, "rb") as fh:
                        entry._compressor = _Precompressed(fh)  # type: ignore[attr-defined]
                        while block := source.read(BLOCK):
                            entry.write(block)
                        entry.close()  # flush (reads the rest of fh) before fh closes
                    continue
                while block := source.read(BLOCK):
                    entry.write(block)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def verify(source: str | Path | IO[bytes]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Check every file of a release zip against its manifest: (manifest, problems); no problem = valid."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        return None, [Problem(str(source), f"not a readable zip file ({error})")]
    with archive:
        names = archive.namelist()
        manifests = [n for n in names if n.count("/") == 1 and n.endswith(f"/{MANIFEST}")]
        if len(manifests) != 1:
            return None, [Problem(MANIFEST, "the zip has no single <folder>/manifest.json")]
        folder = manifests[0].split("/")[0]
        try:
            data = json.loads(archive.read(manifests[0]))
            listed = {f["path"]: f for f in data["files"]}
        except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
            return None, [Problem(MANIFEST, f"unreadable ({error})")]
        problems = []
        if data.get("format") != FORMAT:
            problems.append(Problem(MANIFEST, f"format is {data.get('format')!r}, not {FORMAT!r}"))
        if folder != f"{data.get('name')}-{data.get('version')}":
            problems.append(Problem(MANIFEST, f"the folder {folder!r} is not name-version of the manifest"))
        present = {n.removeprefix(f"{folder}/") for n in names if n.startswith(f"{folder}/") and not n.endswith("/")}
        present.discard(MANIFEST)
        for extra in sorted(present - set(listed)):
            problems.append(Problem(extra, "in the zip but not in the manifest"))
        for path, entry in listed.items():
            if path not in present:
                problems.append(Problem(path, "listed in the manifest but missing from the zip"))
                continue
            digest = hashlib.sha256()
            size = 0
            try:
                with archive.open(f"{folder}/{path}") as fh:
                    while block := fh.read(BLOCK):
                        digest.update(block)
                        size += len(block)
            except (zipfile.BadZipFile, OSError, EOFError) as error:  # a CRC or deflate error: damaged bytes
                problems.append(Problem(path, f"unreadable ({error})"))
                continue
            if size != entry.get("size"):
                problems.append(Problem(path, f"size {size} differs from the manifest's {entry.get('size')}"))
            if digest.hexdigest() != entry.get("sha256"):
                problems.append(Problem(path, "SHA-256 differs from the manifest"))
        stray = [n for n in names if not n.startswith(f"{folder}/")]
        problems += [Problem(n, "outside the release folder") for n in stray]
        return data, problems
