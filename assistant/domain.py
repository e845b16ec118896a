"""The domain nouns of Floorwise, free of I/O.

The same `Chunk` travels from the parser to the store, into the prompt and onto
the tablet as a citation; nothing reshapes it into dicts on the way except the
store's own payload codec (`Chunk.to_payload` / `Chunk.from_payload`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Mapping

from assistant.identifiers import identifier_tokens, with_keys

# All chunk ids live in one UUID namespace so that the same input always maps
# to the same point id, on Qdrant Edge and on a Qdrant server alike.
_CHUNK_NAMESPACE = uuid.UUID("5b0d7f3e-6a57-4c1e-9a43-f10a7d15e001")


class DocKind(str, Enum):
    SOP = "sop"
    WORK_ORDER = "work_order"
    EXPERT_NOTE = "expert_note"
    TABLE = "table"

    @property
    def label(self) -> str:
        return {"sop": "SOP", "work_order": "Work order", "expert_note": "Expert note", "table": "Table"}[
            self.value
        ]


def sha256_hex(data: bytes | str) -> str:
    """Example:

    >>> sha256_hex("a")[:8]
    'ca978112'
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def chunk_id_for(source_key: str, file_hash: str, ordinal: int) -> str:
    """Deterministic point id: same source file, version and position, same id.

    Keyed by the source path, not the document id, so two files that carry the
    same SOP id (rev B and rev C) or identical bytes never collide.

    >>> chunk_id_for("SOP-104", "ab", 0) == chunk_id_for("SOP-104", "ab", 0)
    True
    """
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{source_key}\x1f{file_hash}\x1f{ordinal}"))


@dataclass(frozen=True)
class Document:
    """One source file as ingested (one version of it)."""

    doc_id: str  # stable across versions: "SOP-104" or the relative path
    source_path: str  # path as given to ingest, relative to the ingest root when known
    title: str
    kind: DocKind
    file_hash: str  # SHA-256 of the file's bytes
    revision: str | None = None  # "C", "2", ...
    effective_date: str | None = None  # ISO date "2024-03-01"


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage, with everything needed to cite it.

    `text` is what the model reads and what a citation quotes. `warnings` holds
    the verbatim WARNING/CAUTION/DANGER/lockout text that guards this passage;
    a warning written at the step is part of `text` too, and kept apart so the UI
    can show it distinctly; one from the document's Safety section that names
    what the step acts on is in `warnings` only.
    `fields` carries structured columns (work-order id, date, asset, ...).
    """

    chunk_id: str
    doc_id: str
    source_path: str
    title: str
    kind: DocKind
    text: str
    ordinal: int  # position inside the document, for neighbour expansion
    file_hash: str
    section_path: tuple[str, ...] = ()
    page: int | None = None
    step: str | None = None  # "4.2" for SOP steps
    warnings: tuple[str, ...] = ()
    revision: str | None = None
    effective_date: str | None = None
    asset_ids: tuple[str, ...] = ()
    equipment_ids: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    superseded: bool = False
    ingested_at: str | None = None

    @property
    def content_hash(self) -> str:
        return sha256_hex(self.text)

    @property
    def breadcrumb(self) -> str:
        """Example:

        >>> Chunk("i","d","p","T",DocKind.SOP,"x",0,"h",section_path=("A","B")).breadcrumb
        'A > B'
        """
        return " > ".join(self.section_path)

    @property
    def locator(self) -> str:
        """Human-readable position: 'p. 3, step 4.2' or 'WO-1234'."""
        parts = []
        if self.fields.get("wo_id"):
            parts.append(f"work order {self.fields['wo_id']}")
        if self.fields.get("row"):
            parts.append(f"row {self.fields['row']}")
        if self.page:
            parts.append(f"p. {self.page}")
        if self.step:
            parts.append(f"step {self.step}")
        return ", ".join(parts)

    def embedding_text(self) -> str:
        """Text given to the embedders: title and headings give a step its context."""
        head = " > ".join((self.title, *self.section_path))
        return f"{head}\n{self.text}"

    def to_payload(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["kind"] = self.kind.value
        payload["section_path"] = list(self.section_path)
        payload["warnings"] = list(self.warnings)
        payload["asset_ids"] = list(self.asset_ids)
        payload["equipment_ids"] = list(self.equipment_ids)
        payload["fields"] = dict(self.fields)
        payload["superseded"] = int(self.superseded)  # 0/1: see store.base.PAYLOAD_INDEXES
        payload["content_hash"] = self.content_hash
        tokens = (*self.asset_ids, *self.equipment_ids, *identifier_tokens(self.title), *identifier_tokens(self.text))
        payload["id_tokens"] = list(with_keys(tokens))  # "lw61420" asked finds LW-61420
        # Flattened copies of the fields used by work-order filters and ordering.
        for key in ("wo_id", "date", "asset", "failure_code"):
            if self.kind is DocKind.WORK_ORDER and self.fields.get(key) not in (None, ""):
                payload["wo_id" if key == "wo_id" else f"wo_{key}"] = str(self.fields[key])
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> "Chunk":
        names = cls.__dataclass_fields__.keys()
        data = {k: payload[k] for k in names if k in payload}
        data["kind"] = DocKind(data["kind"])
        for key in ("section_path", "warnings", "asset_ids", "equipment_ids"):
            data[key] = tuple(data.get(key) or ())
        data["fields"] = dict(data.get("fields") or {})
        data["superseded"] = bool(data.get("superseded"))
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    """A chunk returned by retrieval, with its fused score."""

    chunk: Chunk
    score: float
    dense_score: float | None = None  # cosine similarity, used by the refusal gate
    matched_identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """What the store knows of one ingested document version (`ingest list`)."""

    doc_id: str
    source_path: str
    title: str
    kind: DocKind
    file_hash: str
    chunk_count: int
    ingested_at: str
    revision: str | None = None
    effective_date: str | None = None
    superseded: bool = False


@dataclass(frozen=True)
class Citation:
    number: int  # the [n] in the answer
    chunk: Chunk


@dataclass(frozen=True)
class Verification:
    """Outcome of checking an answer against the passages it cites."""

    passed: bool
    unsupported: tuple[str, ...] = ()  # numbers/identifiers found in no cited passage
    removed_citations: tuple[int, ...] = ()  # [n] that did not support their sentence
    notes: tuple[str, ...] = ()


class Route(str, Enum):
    """How an answer was made."""

    GENERATED = "generated"  # evidence, led by a short line from the model that passed its check
    EVIDENCE = "evidence"  # evidence only: the model's line failed its check, or none was asked for
    RECORDS = "records"  # computed exactly from a table's rows
    REFUSED = "refused"  # the documents do not cover the question


class Reason(str, Enum):
    """Why a question was refused."""

    NO_EVIDENCE = "no_evidence"  # nothing retrieved is close to the question
    NOT_COVERED = "not_covered"  # the question's subject is not in the documents
    ATTRIBUTE_MISSING = "attribute_missing"  # a near miss: the subject is there, the asked value is not
    OUTSIDE_RECORDS = "outside_records"  # the records hold no date in the period, or no asset by the name, asked about
    NO_MATCHING_RECORDS = "no_matching_records"  # no record meets every criterion; the closest are shown as such


@dataclass(frozen=True)
class Evidence:
    """One verbatim piece of a passage that answers the question: a sentence, a step, or table fields.

    `number` is the passage's citation number ([n] is `Answer.citations` entry n).
    """

    number: int
    chunk: Chunk
    text: str  # verbatim: a sentence, a whole step (with its warnings), or "Header: value · key"
    kind: str  # "sentence" | "step" | "fields"
    score: float = 0.0


@dataclass(frozen=True)
class Coverage:
    """Floorwise's decision whether the documents answer the question, and the signals behind it."""

    covered: bool
    probability: float  # calibrated P(answerable)
    signals: Mapping[str, float] = field(default_factory=dict)  # name -> value, for reports
    reason: Reason | None = None


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # what the technician reads: the line (if any), then the evidence, each cited
    citations: tuple[Citation, ...]
    verification: Verification
    route: Route = Route.GENERATED
    reason: Reason | None = None  # set when refused
    line: str | None = None  # the model's short direct line, after its check (GENERATED only)
    evidence: tuple[Evidence, ...] = ()
    coverage: Coverage | None = None
    table: Any = None  # assistant.tables.run.TableAnswer for RECORDS: the value, criteria and rows
    safety: tuple[str, ...] = ()  # verbatim warnings from the passages used
    sources: tuple[Hit, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)  # stage -> seconds
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def refused(self) -> bool:
        return self.route is Route.REFUSED


# Events yielded by Assistant.ask, in this order: Sources, Queued..., Token..., Final.
@dataclass(frozen=True)
class SourcesEvent:
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class QueuedEvent:
    """Sources are shown; the question waits its turn at the model behind `ahead` others."""

    ahead: int


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class FinalEvent:
    answer: Answer
