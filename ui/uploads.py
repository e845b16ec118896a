"""Owner uploads: clean file names, allow-listed types, a size limit, one folder.

>>> clean_filename("../../etc/passwd.pdf")
'etc_passwd.pdf'
>>> clean_filename("SOP-104 Die Change rev C.pdf")
'SOP-104 Die Change rev C.pdf'
>>> clean_filename(".bashrc.md")
'bashrc.md'
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from assistant.errors import FloorwiseError

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()\-]+")
MAX_NAME = 120


class UploadRejected(FloorwiseError):
    """An uploaded file that may not go in: bad type, too big, no usable name."""


def allowed_suffixes() -> frozenset[str]:
    try:
        from ingest.parse import SUPPORTED_SUFFIXES
    except Exception:  # the parser module is optional at UI build time
        return frozenset({".pdf", ".docx", ".md", ".txt", ".csv", ".xlsx", ".eml", ".html"})
    return frozenset(SUPPORTED_SUFFIXES)


def clean_filename(name: str) -> str:
    """A safe base name: no folders, no '..', no leading dots, safe characters only."""
    name = unicodedata.normalize("NFKC", name).replace("\\", "/")
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    name = "_".join(parts)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)  # no '..' anywhere
    name = re.sub(r"_{2,}", "_", name).strip(" ._")
    if len(name) > MAX_NAME:  # cut the stem, keep a short extension; the cut must not leave ".." behind
        stem, dot, suffix = name.rpartition(".")
        keep = dot + suffix if dot and len(suffix) <= 10 else ""
        name = (stem if keep else name)[: MAX_NAME - len(keep)].rstrip(" ._") + keep
    if not name or name.startswith("."):
        raise UploadRejected("the file has no usable name; rename it and upload again")
    return name


@dataclass(frozen=True)
class Saved:
    original: str
    path: Path


def check_upload(name: str, size: int, max_mb: float, suffixes: frozenset[str]) -> str:
    """Return the cleaned name, or raise UploadRejected with a message the owner can act on."""
    cleaned = clean_filename(name)
    suffix = Path(cleaned).suffix.lower()
    if suffix not in suffixes:
        raise UploadRejected(f"{cleaned}: {suffix or 'no extension'} files are not accepted; "
                             f"use one of {' '.join(sorted(suffixes))}")
    if size > max_mb * 1024 * 1024:
        raise UploadRejected(f"{cleaned}: {size / 1048576:.1f} MB is over the {max_mb:g} MB upload limit")
    if size == 0:
        raise UploadRejected(f"{cleaned}: the file is empty")
    return cleaned


def save_uploads(files: Iterable[tuple[str, Path]], folder: Path, max_mb: float) -> tuple[list[Saved], list[str]]:
    """Copy (original name, temp path) pairs into `folder`; returns (saved, one-line errors)."""
    suffixes = allowed_suffixes()
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    saved, errors = [], []
    for original, temp in files:
        try:
            cleaned = check_upload(original, temp.stat().st_size, max_mb, suffixes)
            target = (root / cleaned).resolve()
            if target.parent != root:  # belt and braces: never outside the uploads folder
                raise UploadRejected(f"{original}: refused file name")
            shutil.copyfile(temp, target)
            saved.append(Saved(original, target))
        except UploadRejected as exc:
            errors.append(str(exc))
        except OSError as exc:
            errors.append(f"{Path(original).name}: could not save ({exc.strerror or exc})")
    return saved, errors
