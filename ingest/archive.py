"""Office files are zips: refuse zip bombs before a reader inflates a member whole.

python-docx, python-pptx and unstructured read each XML part into memory in one
piece, so a 2 MB .docx whose document.xml inflates to 2 GB would take gigabytes
of RAM. `check_archive` reads only the zip's directory, then inflates every
member in 1 MiB steps, so a member whose header lies about its size is caught
too (zipfile stops at the declared size and the CRC check fails).

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
...     z.writestr("word/document.xml", "<w/>" * 1000)
>>> check_archive(Path("a.docx"), buf.getvalue(), max_bytes=10_000_000)
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from ingest.parsed import fail as _fail

# Real Office XML inflates 5-40x (the sample plant's DOCX: at most 32x); a bomb
# inflates about 1000x. Members under the grace size are not ratio-checked: a
# tiny blank part can compress unusually well.
MAX_RATIO = 100
RATIO_GRACE_BYTES = 10 << 20
# All members together may inflate to this many times the file-size limit
# (`ingest.max_file_mb`), and never past MAX_UNZIPPED_BYTES.
EXPANSION_PER_LIMIT = 4
MAX_UNZIPPED_BYTES = 1 << 30
_STEP = 1 << 20

# What zipfile raises on a damaged or unsupported member (encrypted: RuntimeError).
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, ValueError)


def check_archive(path: Path, data: bytes, *, max_bytes: int) -> None:
    """Raise `UnsupportedDocument` if the zip in `data` would inflate past the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except _DAMAGED as exc:
        raise _fail(path, "damaged ZIP/Office file (truncated?); re-save or re-copy it") from exc
    limit = min(EXPANSION_PER_LIMIT * max_bytes, MAX_UNZIPPED_BYTES)
    total = sum(m.file_size for m in members)
    for m in members:
        if m.file_size > RATIO_GRACE_BYTES and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            sizes = f"{m.compress_size / 1e6:.1f} MB to {m.file_size / 1e6:.0f} MB"
            raise _fail(path, f"zip bomb: part {_name(m)} would inflate {sizes}; ask its author for a fresh copy")
    if total > limit:
        over = f"unpacks to {total / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit for Office files"
        raise _fail(path, f"{over}; split it, or remove embedded media and save it again")
    _inflate_in_steps(path, archive, members)


def _inflate_in_steps(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Inflate each member 1 MiB at a time; zipfile stops at the declared size and checks the CRC."""
    for m in members:
        try:
            with archive.open(m) as member:
                while member.read(_STEP):
                    pass
        except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
            raise _fail(path, f"encrypted part {_name(m)}; save an unprotected copy and ingest that") from exc
        except _DAMAGED as exc:
            reason = f"damaged part {_name(m)} ({type(exc).__name__}); re-save or re-copy the file"
            raise _fail(path, reason) from exc


def _name(member: zipfile.ZipInfo) -> str:
    """A member name fit for a one-line message (names in a hostile zip can hold anything)."""
    return repr(member.filename[:80])
