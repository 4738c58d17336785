"""Zip I/O of the brat interchange: write a collection brat opens, read the members of an uploaded zip."""

import io
import zipfile

from . import interchange
from .selectors import BratDocument


def brat_zip(documents: list[BratDocument]) -> bytes:
    """A zip that brat opens as a collection: ``annotation.conf``, ``visual.conf``, and per article
    ``ID-slug.txt`` (the body, exactly), ``.ann`` and ``.json`` (metadata brat ignores and our import reads)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("annotation.conf", interchange.BRAT_CONF)
        archive.writestr("visual.conf", interchange.BRAT_VISUAL_CONF)
        for doc in documents:
            archive.writestr(f"{doc.stem}.txt", doc.article.body)
            archive.writestr(f"{doc.stem}.ann", doc.ann())
            archive.writestr(f"{doc.stem}.json", doc.meta())
    return buffer.getvalue()


def read_zip(data: bytes, *, max_bytes: int) -> dict[str, bytes]:
    """The .txt/.ann/.json members of an uploaded zip (no paths outside it; size checked before reading).

    A file that is not a zip, or one that unpacks past ``max_bytes``, raises ValueError with the reason.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError("this is not a readable zip file") from None
    with archive:
        members = [
            m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith((".txt", ".ann", ".json"))
        ]
        total = sum(m.file_size for m in members)
        if total > max_bytes:
            raise ValueError(f"the zip unpacks to {total:,} bytes, over the import limit of {max_bytes:,} bytes")
        return {m.filename: archive.read(m) for m in members if "__MACOSX" not in m.filename}
