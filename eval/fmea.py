"""The FMEA haul-truck benchmark (Leow, Hodkiewicz and Woods) as a Dataset.

Questions come from `fmea_qa_model.xlsx` (columns ID, Question, Answer,
Categories, Nuggets); the document is the FMEA sheet itself,
`fmea_dataset_combined.csv`, ingested as a table. IDs 12 and 24-27 ask about
things the sheet does not hold, so the right answer is "not in the documents".

The paper's published scores are not in the xlsx or the corpora README, so
reports give our nugget recall alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping

from eval.dataset import Dataset, DatasetError, Nugget, Question

QUESTIONS_FILE = "fmea_qa_model.xlsx"
DOCS_FILE = "fmea_dataset_combined.csv"
UNANSWERABLE_IDS = frozenset({12, 24, 25, 26, 27})

_VALID_ESCAPE = re.compile(r'\\(["\\/bfnrtu])')
# A nugget string may end in `"` or, as published for ID 3, in an unclosed `\'`.
_NUGGET_PAIR = re.compile(r'"nugget"\s*:\s*"(.*?)(?:"|\\?\')\s*,\s*"status"\s*:\s*"(ESSENTIAL|OPTIONAL)"', re.S | re.I)


def parse_nuggets(cell: Any) -> tuple[Nugget, ...]:
    r"""The Nuggets cell -> Nuggets, tolerating the invalid escapes of IDs 3 and 35.

    Published cells carry `\'` and `\ ` inside JSON strings; such a backslash
    is dropped. When even that fails, the `{"nugget": ..., "status": ...}` pairs
    are read with a regex.

    >>> parse_nuggets('[{"nugget": "RPN is 18.", "status": "ESSENTIAL"}]')
    (Nugget(text='RPN is 18.', essential=True),)
    >>> parse_nuggets(r'''[{"nugget": "Action is \'Check torques.\'", "status": "OPTIONAL"}]''')
    (Nugget(text="Action is 'Check torques.'", essential=False),)
    >>> [n.text for n in parse_nuggets(r'''[{"nugget": "Do \'X.\', "status": "ESSENTIAL"}]''')]  # as ID 3
    ["Do 'X."]
    """
    if cell is None or not str(cell).strip():
        return ()
    text = str(cell)
    for attempt in (text, _drop_invalid_escapes(text)):
        try:
            items = json.loads(attempt)
        except json.JSONDecodeError:
            continue
        if isinstance(items, list):
            return tuple(Nugget(str(i["nugget"]).strip(), str(i.get("status", "")).upper() == "ESSENTIAL")
                         for i in items if isinstance(i, dict) and "nugget" in i)
    pairs = _NUGGET_PAIR.findall(text)
    if not pairs:
        raise DatasetError(f"nuggets cell is neither JSON nor nugget/status pairs: {text[:80]!r}")
    return tuple(Nugget(_drop_invalid_escapes(n).strip(), s.upper() == "ESSENTIAL") for n, s in pairs)


def _drop_invalid_escapes(text: str) -> str:
    r"""Remove the backslash of every escape JSON does not know ('\'' -> "'")."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\":
            match = _VALID_ESCAPE.match(text, i)
            if match:
                out.append(match.group(0))
                i = match.end()
                continue
            i += 1  # drop the stray backslash, keep what follows
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def load_fmea_questions(xlsx: Path) -> tuple[Question, ...]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"cannot read {xlsx}: {exc}") from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(rows)]
    need = ("id", "question", "answer", "categories", "nuggets")
    missing = [n for n in need if n not in header]
    if missing:
        raise DatasetError(f"{xlsx.name}: missing column(s) {missing}; found {header}")
    col = {n: header.index(n) for n in need}
    questions = []
    for number, row in enumerate(rows, start=2):
        if row[col["id"]] is None:
            continue
        qid = int(row[col["id"]])
        try:
            nuggets = parse_nuggets(row[col["nuggets"]])
        except DatasetError as exc:
            raise DatasetError(f"{xlsx.name} row {number} (ID {qid}): {exc}") from exc
        categories = [c.strip().lower().replace(" ", "_") for c in str(row[col["categories"]] or "").split(",")]
        answerable = qid not in UNANSWERABLE_IDS
        questions.append(
            Question(
                id=str(qid),
                question=str(row[col["question"]]).strip(),
                reference_answer=str(row[col["answer"]] or "").strip(),
                answerable=answerable,
                tags=tuple(["fmea", *[c for c in categories if c]] + ([] if answerable else ["unanswerable"])),
                nuggets=nuggets,
            )
        )
    book.close()
    return tuple(questions)


def load_fmea(folder: Path, config: Mapping[str, Any] | None = None) -> Dataset:
    """A folder holding the xlsx and the CSV (e.g. ../shared/corpora/fmea_haul_truck)."""
    config = config or {}
    xlsx = folder / str(config.get("questions", QUESTIONS_FILE))
    docs = folder / str(config.get("docs", DOCS_FILE))
    if not xlsx.exists():
        raise DatasetError(f"{xlsx} not found")
    if not docs.exists():
        raise DatasetError(f"{docs} not found; the FMEA benchmark ingests {DOCS_FILE}")
    return Dataset(str(config.get("name", "fmea_haul_truck")), folder, load_fmea_questions(xlsx), docs.resolve())
