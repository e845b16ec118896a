"""One entry point that turns a parsed file into `Chunk`s, by document kind.

Each chunker walks the structure (steps, rows, paragraphs) and calls a
`ChunkMaker` for every passage; the maker numbers them in document order and
stamps what every chunk of the document shares (ids, title, revision, asset
ids found in the text).

>>> from assistant.domain import Document, DocKind
>>> from ingest.identifiers import IdExtractor
>>> doc = Document("SOP-1", "sop.md", "SOP-1 Press", DocKind.SOP, "ab", revision="C")
>>> make = ChunkMaker(doc, IdExtractor((r"\\bPRESS-\\d+\\b",), ()))
>>> c = make("1. Stop PRESS-3.", step="1")
>>> (c.ordinal, c.step, c.asset_ids, c.revision), make("2. Go.").ordinal
((0, '1', ('PRESS-3',), 'C'), 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from assistant.domain import Chunk, DocKind, Document, chunk_id_for
from ingest.chunk_notes import chunk_notes
from ingest.chunk_sop import chunk_sop
from ingest.chunk_tables import chunk_tables
from ingest.identifiers import IdExtractor
from assistant.tables.store import TableWrite
from ingest.parse import ParsedFile


@dataclass
class ChunkMaker:
    """Builds the chunks of one document; `ordinal` counts up from 0."""

    doc: Document
    ids: IdExtractor
    ordinal: int = 0

    def __call__(
        self,
        text: str,
        *,
        section_path: Sequence[str] = (),
        page: int | None = None,
        step: str | None = None,
        warnings: Sequence[str] = (),
        fields: Mapping[str, Any] | None = None,
        assets: Sequence[str] = (),
        kind: DocKind | None = None,
    ) -> Chunk:
        context = " \n".join((self.doc.title, *section_path, text))
        chunk = Chunk(
            chunk_id=chunk_id_for(self.doc.source_path, self.doc.file_hash, self.ordinal),
            doc_id=self.doc.doc_id,
            source_path=self.doc.source_path,
            title=self.doc.title,
            kind=kind or self.doc.kind,
            text=text,
            ordinal=self.ordinal,
            file_hash=self.doc.file_hash,
            section_path=tuple(section_path),
            page=page,
            step=step,
            warnings=tuple(warnings),
            revision=self.doc.revision,
            effective_date=self.doc.effective_date,
            asset_ids=tuple(dict.fromkeys((*assets, *self.ids.assets(context)))),
            equipment_ids=self.ids.equipment(context),
            fields=dict(fields or {}),
        )
        self.ordinal += 1
        return chunk


def chunk_document(
    doc: Document,
    parsed: ParsedFile,
    ids: IdExtractor,
    workorder_columns: Mapping[str, str] | None = None,
) -> list[Chunk]:
    """Chunks of one document in order (see `chunk_file`, which also returns its tables)."""
    return chunk_file(doc, parsed, ids, workorder_columns)[0]


def chunk_file(
    doc: Document,
    parsed: ParsedFile,
    ids: IdExtractor,
    workorder_columns: Mapping[str, str] | None = None,
) -> tuple[list[Chunk], list[TableWrite]]:
    """Chunks of one document in order, and its typed tables.

    Prose is chunked by the document's kind; a prose file filed as WORK_ORDER or
    TABLE (a PDF work-order report, say) is chunked by paragraph like a note,
    keeping its kind. Tables (a spreadsheet's sheets, a document's tables) give
    one chunk per row after the prose. `workorder_columns` (role -> header name)
    overrides the inferred column roles.
    """
    make = ChunkMaker(doc, ids)
    chunks: list[Chunk] = []
    if parsed.blocks:
        if parsed.is_tabular or doc.kind is not DocKind.SOP:
            chunks += chunk_notes(parsed.blocks, make, parsed.metadata)
        else:
            chunks += chunk_sop(parsed.blocks, make)
    table_chunks, tables = chunk_tables(doc, parsed, make, workorder_columns)
    return chunks + table_chunks, tables
