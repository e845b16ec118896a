"""What a parsed file is (SOP, work-order log, expert note, table) and who it is.

`detect_kind` looks at folder names, then the file name, then the content;
`identify` builds the `Document`: a stable id ("SOP-104" or the relative path),
title, revision and effective date.

>>> effective_date("Effective: 1 March 2024")
'2024-03-01'
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath
from typing import Mapping, Sequence

from assistant.domain import DocKind, Document
from assistant.tables.columns import infer_columns, looks_like_log
from assistant.text import iso_date
from ingest.parse import ParsedFile

# folder or file-name word -> kind (nearest folder wins)
_FOLDER_KINDS = {
    "sop": DocKind.SOP, "sops": DocKind.SOP, "procedure": DocKind.SOP, "procedures": DocKind.SOP,
    "work_instructions": DocKind.SOP, "instructions": DocKind.SOP,
    "work_orders": DocKind.WORK_ORDER, "workorders": DocKind.WORK_ORDER, "work-orders": DocKind.WORK_ORDER,
    "cmms": DocKind.WORK_ORDER, "maintenance": DocKind.WORK_ORDER,
    "notes": DocKind.EXPERT_NOTE, "expert": DocKind.EXPERT_NOTE, "expert_notes": DocKind.EXPERT_NOTE,
    "tips": DocKind.EXPERT_NOTE, "emails": DocKind.EXPERT_NOTE,
    "tables": DocKind.TABLE, "fmea": DocKind.TABLE, "specs": DocKind.TABLE, "spec": DocKind.TABLE,
}  # fmt: skip
_NAME_WORDS = (
    (re.compile(r"\b(sop|procedure|loto|lockout|work[ _-]?instruction)s?\b", re.I), DocKind.SOP),
    (re.compile(r"\b(work[ _-]?orders?|cmms|wo[ _-]?log)\b", re.I), DocKind.WORK_ORDER),
    (re.compile(r"\b(notes?|tips|lessons|tribal)\b", re.I), DocKind.EXPERT_NOTE),
    (re.compile(r"\b(fmea|spec|specs|bom|table)\b", re.I), DocKind.TABLE),
)
SOP_ID = re.compile(r"\b(SOP|WI|SWP|PROC|MP|JSA)[-_ ]?(\d{1,5}[A-Z]?)\b", re.I)
_REVISION = re.compile(r"\brev(?:ision)?\.?\s*[:#]?\s*([A-Z]{1,2}|\d{1,3}(?:\.\d{1,2})?)\b(?![-/.]\d)", re.I)
_EFFECTIVE = re.compile(r"\beffective(?:\s+date)?\s*[:\-–]?\s*(.{6,30})", re.I)
_STEP_START = re.compile(r"^\s*(?:step\s+\d|\(?\d{1,3}(?:\.\d{1,3})*[.)]\s)", re.I)


def _rel_parts(path: Path, root: Path | None) -> tuple[str, ...]:
    try:
        rel = path.resolve().relative_to(root.resolve()) if root else path
    except ValueError:
        rel = path
    return PurePath(rel).parts


def detect_kind(
    path: Path,
    parsed: ParsedFile,
    root: Path | None = None,
    workorder_columns: Mapping[str, str | Sequence[str]] | None = None,
) -> DocKind:
    """Tabular files are WORK_ORDER or TABLE; prose is SOP or EXPERT_NOTE unless a folder says otherwise."""
    folder_kind = next(
        (_FOLDER_KINDS[p.lower()] for p in reversed(_rel_parts(path, root)[:-1]) if p.lower() in _FOLDER_KINDS),
        None,
    )
    if parsed.is_tabular:
        return _tabular_kind(path, parsed, folder_kind, workorder_columns)
    if path.suffix.lower() == ".eml":
        return DocKind.EXPERT_NOTE
    if folder_kind is not None:
        return folder_kind
    name_kind = next((kind for pattern, kind in _NAME_WORDS if pattern.search(path.stem)), None)
    if name_kind in (DocKind.SOP, DocKind.EXPERT_NOTE):
        return name_kind
    return DocKind.SOP if _reads_like_sop(parsed) else DocKind.EXPERT_NOTE


def _tabular_kind(path: Path, parsed: ParsedFile, folder_kind, extra) -> DocKind:
    """A spreadsheet is a work-order log when one of its tables reads as one (dated records with a
    problem or action text), or when it is filed under a work-order folder and has such text."""
    if folder_kind is DocKind.TABLE:
        return DocKind.TABLE
    for table in parsed.tables:
        columns = infer_columns(table.headers, table.rows[:3000], extra)
        roles = {c.role for c in columns}
        if looks_like_log(columns) or (folder_kind is DocKind.WORK_ORDER and {"problem", "action", "wo_id"} & roles):
            return DocKind.WORK_ORDER
    return DocKind.TABLE


def _reads_like_sop(parsed: ParsedFile) -> bool:
    head = " ".join(b.text for b in parsed.blocks[:5])
    steps = sum(1 for b in parsed.blocks if _STEP_START.match(b.text))
    return bool(SOP_ID.search(head)) or steps >= 3


def identify(path: Path, parsed: ParsedFile, kind: DocKind, root: Path | None = None) -> Document:
    """The `Document` for one parsed file; see the module docstring."""
    source_path = PurePath(*_rel_parts(path, root)).as_posix()
    title = document_title(path, parsed)
    head = [b.text for b in parsed.blocks[:12]]
    doc_id = source_path
    if kind is DocKind.SOP:
        found = next((m for t in (title, path.stem, *head[:4]) if (m := SOP_ID.search(t))), None)
        doc_id = f"{found.group(1).upper()}-{found.group(2).upper()}" if found else source_path
    return Document(
        doc_id=doc_id,
        source_path=source_path,
        title=title,
        kind=kind,
        file_hash=parsed.file_hash,
        revision=find_revision([title, *head, path.stem]),
        effective_date=next((d for t in head if (d := effective_date(t))), None),
    )


def document_title(path: Path, parsed: ParsedFile) -> str:
    """An e-mail's subject; else the first heading near the top, the file's title property, the file name."""
    if parsed.metadata.get("subject"):
        return parsed.metadata["subject"]
    subject = next((m.group(1) for b in parsed.blocks[:6] if (m := re.match(r"^subject:\s*(.+)", b.text, re.I))), None)
    if subject:
        return subject.strip()
    first = next((b.text for b in parsed.blocks[:5] if b.category == "title" and len(b.text) > 3), None)
    meta = parsed.metadata.get("title")
    if first and not re.match(r"^(author|from|date|to|subject)\s*:", first, re.I):
        return first
    return meta or re.sub(r"[_]+", " ", path.stem).strip()


def find_revision(texts: Sequence[str]) -> str | None:
    """
    >>> find_revision(["Supersedes: Revision C", "SOP-101 rev D"]), find_revision(["Rev. 2"])
    ('D', '2')
    """
    for text in texts:
        if re.search(r"supersed|replaces|previous", text, re.I):
            continue
        match = _REVISION.search(text)
        if match:
            return match.group(1).upper()
    return None


def effective_date(text: str) -> str | None:
    """
    >>> effective_date("Effective date: 2024-03-01  Owner: J. Ruiz")
    '2024-03-01'
    """
    match = _EFFECTIVE.search(text)
    return iso_date(match.group(1)) if match else None
