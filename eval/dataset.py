"""Evaluation datasets: a folder of documents plus `questions.jsonl`.

A dataset folder holds
    questions.jsonl   one question per line (the UI's feedback export uses the same format)
    docs/             the documents to ingest, or
    dataset.toml      docs = "path" or docs = ["file", "folder", ...] (relative to the folder),
                      or store = "path" (an ingested data dir),
                      questions = "file" (default questions.jsonl; an .xlsx means the FMEA benchmark)

One line of questions.jsonl:
    {"id": "q001", "question": "...", "reference_answer": "...", "must_contain": ["330 N·m"],
     "gold_sources": [{"doc": "SOP-104", "locator": {"step": "14.2", "page": 3}, "revision": "C"}],
     "answerable": true, "tags": ["sop"], "follow_up_of": null, "split": "dev"}

Locator keys: page, section (a substring of the breadcrumb), step, row and wo_id
(table and work-order chunks), sheet (the workbook sheet of a table chunk).
`split` is optional ("dev", "test", ...); `Dataset.only_split` keeps one, and a
follow-up always goes with its parent's split.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import Any, Mapping, Sequence

from assistant.errors import FloorwiseError

LOCATOR_KEYS = ("page", "section", "step", "row", "wo_id", "sheet")


class DatasetError(FloorwiseError):
    """A dataset folder or question line that cannot be used; the message names the place."""

    exit_code = 2


@dataclass(frozen=True)
class GoldSource:
    """Where the answer lives: a document (SOP id, file name or work-order id) and, optionally, a spot in it.

    Matching a chunk: `doc` equals its doc id, file name or work-order id; each
    locator key given must match (step "14.2" matches a chunk of step "14" and
    the reverse, since chunkers may keep sub-steps together; `section` is a
    substring of the breadcrumb); `revision`, when both sides have one, must be equal.
    """

    doc: str
    locator: Mapping[str, Any] = field(default_factory=dict)  # only the keys given must match
    revision: str | None = None

    def matches(self, chunk) -> bool:
        """Does a retrieved or cited `Chunk` come from this gold source?

        >>> from assistant.domain import Chunk, DocKind
        >>> c = Chunk("i", "SOP-104", "sops/SOP-104 rev C.pdf", "Die change", DocKind.SOP, "x", 0, "h",
        ...           section_path=("14. Clamping",), page=3, step="14.2", revision="C")
        >>> GoldSource("SOP-104", {"step": "14.2"}).matches(c)
        True
        >>> GoldSource("sop-104 rev c.pdf", {"page": 3, "section": "clamping"}).matches(c)
        True
        >>> GoldSource("SOP-104", {"step": "14.2"}, revision="B").matches(c)
        False
        >>> GoldSource("SOP-104", {"step": "13.2"}).matches(c)
        False
        >>> GoldSource("SOP-104", {"step": "14"}).matches(c)  # steps match up and down their hierarchy
        True
        >>> GoldSource("SOP-104", {"step": "1"}).matches(c)
        False
        >>> t = Chunk("t", "plan.xlsx", "plan.xlsx", "plan", DocKind.TABLE, "x", 0, "h",
        ...           fields={"sheet": "Hydraulics", "row": 7})
        >>> GoldSource("plan.xlsx", {"sheet": "HYDRAULICS", "row": 7}).matches(t)  # sheet names ignore case
        True
        >>> GoldSource("plan.xlsx", {"sheet": "Engine"}).matches(t)
        False
        """
        if not _doc_matches(self.doc, chunk):
            return False
        if self.revision and chunk.revision and _norm(self.revision) != _norm(chunk.revision):
            return False
        return all(_locator_matches(key, value, chunk) for key, value in self.locator.items())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc": self.doc, "locator": dict(self.locator)}
        if self.revision:
            out["revision"] = self.revision
        return out


@dataclass(frozen=True)
class Nugget:
    """A graded fact an answer should contain (FMEA benchmark)."""

    text: str
    essential: bool


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    reference_answer: str = ""
    must_contain: tuple[str, ...] = ()
    gold_sources: tuple[GoldSource, ...] = ()
    answerable: bool = True
    tags: tuple[str, ...] = ()
    follow_up_of: str | None = None
    nuggets: tuple[Nugget, ...] = ()
    split: str | None = None  # "dev", "test", ...; a follow-up goes with its parent's


@dataclass(frozen=True)
class Dataset:
    name: str
    root: Path
    questions: tuple[Question, ...]
    docs: tuple[Path, ...] | None = None  # files and folders to ingest; one Path is taken as (Path,)
    store: Path | None = None  # an already-ingested data dir to reuse instead

    def __post_init__(self) -> None:
        if isinstance(self.docs, (str, PurePath)):
            object.__setattr__(self, "docs", (Path(self.docs),))
        elif self.docs is not None:
            object.__setattr__(self, "docs", tuple(Path(d) for d in self.docs))

    def limited(self, n: int | None) -> "Dataset":
        if n is None:
            return self
        return replace(self, questions=self.questions[:n])

    def splits(self) -> dict[str, str | None]:
        """Question id -> its split; a follow-up takes its first question's split.

        >>> qs = (Question("a", "?", split="dev"), Question("b", "and?", follow_up_of="a"),
        ...       Question("c", "?", split="test"))
        >>> ds = Dataset("d", Path("."), qs)
        >>> ds.splits()
        {'a': 'dev', 'b': 'dev', 'c': 'test'}
        """
        by_id = {q.id: q for q in self.questions}
        out: dict[str, str | None] = {}
        for q in self.questions:  # parents come first (load_questions checks it)
            parent = q.follow_up_of
            out[q.id] = out.get(parent, by_id[parent].split) if parent in by_id else q.split
        return out

    def only_split(self, name: str | None) -> "Dataset":
        """The questions of one split (None: all), follow-ups with their parents.

        >>> qs = (Question("a", "?", split="dev"), Question("b", "and?", follow_up_of="a"),
        ...       Question("c", "?", split="test"))
        >>> ds = Dataset("d", Path("."), qs)
        >>> [q.id for q in ds.only_split("dev").questions], [q.id for q in ds.only_split("test").questions]
        (['a', 'b'], ['c'])
        >>> ds.only_split("train")
        Traceback (most recent call last):
        eval.dataset.DatasetError: dataset d has no question in split 'train'; its splits: dev, test
        """
        if name is None:
            return self
        splits = self.splits()
        kept = tuple(q for q in self.questions if splits[q.id] == name)
        if not kept:
            known = ", ".join(sorted({s for s in splits.values() if s})) or "none (no question has a split)"
            raise DatasetError(f"dataset {self.name} has no question in split {name!r}; its splits: {known}")
        return replace(self, questions=kept)


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def _doc_matches(doc: str, chunk) -> bool:
    want = _norm(doc)
    names = (chunk.doc_id, PurePath(chunk.source_path).name, chunk.fields.get("wo_id"))
    return any(name is not None and _norm(name) == want for name in names)


def _locator_matches(key: str, value: Any, chunk) -> bool:
    want = _norm(value)
    if key == "page":
        return chunk.page is not None and _norm(chunk.page) == want
    if key == "step":  # a chunk of step "14" holds 14.2, and a chunk of 14.2 is part of step 14
        got = _norm(chunk.step) if chunk.step is not None else None
        return got is not None and (got == want or want.startswith(got + ".") or got.startswith(want + "."))
    if key in ("row", "wo_id", "sheet"):
        got = chunk.fields.get(key)
        return got is not None and _norm(got) == want
    if key == "section":
        return want in _norm(chunk.breadcrumb)
    return False


# -- loading -------------------------------------------------------------------------
def parse_question(data: Any, where: str) -> Question:
    """One JSON object -> Question; `where` ("questions.jsonl line 7") goes into every error.

    >>> parse_question({"id": "q1", "question": "torque?", "must_contain": ["95 N·m"],
    ...                 "gold_sources": [{"doc": "SOP-1", "locator": {"step": "4"}}]}, "line 1").gold_sources
    (GoldSource(doc='SOP-1', locator={'step': '4'}, revision=None),)
    """
    if not isinstance(data, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(data).__name__}")
    for key in ("id", "question"):
        if not isinstance(data.get(key), (str, int)) or not str(data.get(key)).strip():
            raise DatasetError(f"{where}: missing or empty {key!r}")
    answerable = data.get("answerable", True)
    if not isinstance(answerable, bool):
        raise DatasetError(f"{where}: 'answerable' must be true or false, got {answerable!r}")
    split = data.get("split")
    if split is not None and (not isinstance(split, str) or not split.strip()):
        raise DatasetError(f"{where}: 'split' must be a name such as \"dev\" or \"test\", got {split!r}")
    return Question(
        id=str(data["id"]),
        question=str(data["question"]),
        reference_answer=str(data.get("reference_answer") or ""),
        must_contain=_strings(data.get("must_contain"), "must_contain", where),
        gold_sources=tuple(_gold(g, f"{where}, gold_sources[{i}]") for i, g in enumerate(data.get("gold_sources") or ())),
        answerable=answerable,
        tags=_strings(data.get("tags"), "tags", where),
        follow_up_of=str(data["follow_up_of"]) if data.get("follow_up_of") not in (None, "") else None,
        split=split.strip() if split else None,
    )


def _strings(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise DatasetError(f"{where}: {key!r} must be a list of strings")
    return tuple(str(v) for v in value)


def _gold(data: Any, where: str) -> GoldSource:
    if isinstance(data, str):
        return GoldSource(data)
    if not isinstance(data, dict) or not str(data.get("doc") or "").strip():
        raise DatasetError(f"{where}: expected {{\"doc\": ..., \"locator\": {{...}}}}")
    locator = data.get("locator") or {}
    if not isinstance(locator, dict):
        raise DatasetError(f"{where}: 'locator' must be an object")
    unknown = set(locator) - set(LOCATOR_KEYS)
    if unknown:
        raise DatasetError(f"{where}: unknown locator key(s) {sorted(unknown)}; use {', '.join(LOCATOR_KEYS)}")
    revision = data.get("revision")
    return GoldSource(str(data["doc"]), dict(locator), str(revision) if revision not in (None, "") else None)


def load_questions(path: Path) -> tuple[Question, ...]:
    """Read a questions.jsonl file, checking ids are unique and follow-ups point backwards."""
    questions: list[Question] = []
    seen: set[str] = set()
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        q = parse_question(data, where)
        if q.id in seen:
            raise DatasetError(f"{where}: duplicate id {q.id!r}")
        if q.follow_up_of is not None and q.follow_up_of not in seen:
            raise DatasetError(f"{where}: follow_up_of {q.follow_up_of!r} must name an earlier question")
        seen.add(q.id)
        questions.append(q)
    if not questions:
        raise DatasetError(f"{path} holds no questions")
    return tuple(questions)


def load_dataset(folder: Path) -> Dataset:
    """A dataset folder (see the module docstring) -> Dataset."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix == ".jsonl":  # a bare feedback export: reuse the configured store
        return Dataset(folder.stem, folder.parent, load_questions(folder))
    if not folder.is_dir():
        raise DatasetError(f"dataset folder {folder} not found")
    config = _read_config(folder)
    questions_file = folder / str(config.get("questions", "questions.jsonl"))
    if questions_file.suffix.lower() == ".xlsx" or (
        "questions" not in config and not questions_file.exists() and (folder / "fmea_qa_model.xlsx").exists()
    ):
        from eval.fmea import load_fmea

        return load_fmea(folder, config)
    if not questions_file.exists():
        raise DatasetError(f"{questions_file} not found; a dataset needs questions.jsonl (one question per line)")
    docs, store = _docs_and_store(folder, config)
    return Dataset(str(config.get("name", folder.resolve().name)), folder, load_questions(questions_file), docs, store)


def _read_config(folder: Path) -> dict[str, Any]:
    path = folder / "dataset.toml"
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DatasetError(f"{path} is not valid TOML: {exc}") from exc


def _docs_and_store(folder: Path, config: Mapping[str, Any]) -> tuple[tuple[Path, ...] | None, Path | None]:
    """dataset.toml -> (documents to ingest, store to reuse); one of the two is None.

    `docs` is one path or a list of paths (files or folders), relative to the folder.
    """
    if "store" in config:
        store = (folder / str(config["store"])).resolve()
        if not store.is_dir():
            raise DatasetError(f"{folder / 'dataset.toml'}: store {store} is not a folder")
        return None, store
    raw = config.get("docs", "docs")
    entries: Sequence[Any] = [raw] if isinstance(raw, str) else raw
    valid = isinstance(entries, list) and entries and all(isinstance(e, str) and e.strip() for e in entries)
    if not valid:
        raise DatasetError(
            f"{folder / 'dataset.toml'}: docs must be a path or a non-empty list of paths, got {raw!r}"
        )
    docs = tuple((folder / e).resolve() for e in entries)
    missing = [str(d) for d in docs if not d.exists()]
    if missing:
        raise DatasetError(
            f"{folder}: no documents at {', '.join(missing)}; add a docs/ folder or a dataset.toml with"
            " docs = \"path\" (or a list of paths) or store = \"data dir\""
        )
    return docs, None
