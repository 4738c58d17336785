import io
import zipfile

import pytest

from ingest.archives import read_zip


def _zip(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_read_zip_keeps_brat_members_only():
    data = _zip({"a.txt": "x", "a.ann": "T1", "a.json": "{}", "notes.md": "no", "__MACOSX/a.txt": "junk"})
    assert read_zip(data, max_bytes=1000) == {"a.txt": b"x", "a.ann": b"T1", "a.json": b"{}"}


def test_read_zip_refuses_what_is_not_a_zip_and_what_unpacks_too_big():
    with pytest.raises(ValueError, match="not a readable zip"):
        read_zip(b"plain text", max_bytes=1000)
    with pytest.raises(ValueError, match="over the import limit"):
        read_zip(_zip({"a.txt": "x" * 2000}), max_bytes=1000)
