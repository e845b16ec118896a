"""What each column of a table holds: a type from its values, a role from its name and values.

Types: date, number, money, id, category (a short text that repeats), text
(free text). Roles are the work-order fields Floorwise knows how to use
(record id, date, asset, problem, action, failure code, cost), inferred from
header words and the values, so an export with `Record No, Reported Problem,
Corrective Action` is read as a work-order log without any configuration.

>>> cols = infer_columns(("Squawk No", "Tail", "Date Reported", "Discrepancy", "Parts Cost ($)"),
...     [(f"23-{i:04d}", ("N27315", "N4821K")[i % 2], f"2023-03-{i % 28 + 1:02d}",
...       f"L/H MLG TIRE WORN TO LIMITS, REPLACED ITEM {i}", f"{i * 10}.50") for i in range(40)])
>>> [(c.type.value, c.role) for c in cols]
[('id', 'wo_id'), ('category', 'asset'), ('date', 'date'), ('text', 'problem'), ('money', 'cost')]
>>> looks_like_log(cols)
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Mapping, Sequence

from assistant.text import iso_date, parse_number

ROLES = ("wo_id", "date", "asset", "problem", "action", "failure_code", "cost", "person")


class ColumnType(str, Enum):
    DATE = "date"
    NUMBER = "number"
    MONEY = "money"
    ID = "id"
    CATEGORY = "category"
    TEXT = "text"

    @property
    def numeric(self) -> bool:
        return self in (ColumnType.NUMBER, ColumnType.MONEY)


@dataclass(frozen=True)
class Column:
    name: str  # the header as written
    type: ColumnType
    role: str | None = None  # one of ROLES, or None
    distinct: int = 0  # distinct non-empty values seen
    filled: int = 0  # non-empty cells

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.type.value, "role": self.role, "distinct": self.distinct,
                "filled": self.filled}

    @classmethod
    def from_dict(cls, data: Mapping) -> "Column":
        return cls(data["name"], ColumnType(data["type"]), data.get("role"), data.get("distinct", 0),
                   data.get("filled", 0))


def header_key(name: str) -> str:
    """
    >>> header_key(" Work Order # ")
    'workorder'
    """
    return re.sub(r"[^a-z0-9]", "", name.lower())


def header_words(name: str) -> list[str]:
    """
    >>> header_words("Parts Cost ($)"), header_words("BscStartDate"), header_words("WONUM"), header_words("PMType")
    (['parts', 'cost'], ['bsc', 'start', 'date'], ['wonum'], ['pm', 'type'])
    """
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return [w.lower() for w in re.findall(r"[A-Za-z]+", spaced)]


# Header words that hint at a role (any CMMS: Maximo, SAP PM, Fiix, eMaint, logbooks, spreadsheets).
_HINTS: Mapping[str, tuple[str, ...]] = {
    "wo_id": ("wonum", "order", "wo", "ticket", "record", "squawk", "job", "ref", "reference", "request",
                  "notification", "entry", "no", "number", "num", "id", "nr"),
    "date": ("date", "day", "time", "reported", "opened", "closed", "completed", "finish", "start", "when",
             "created", "performed", "raised"),
    "asset": ("asset", "assetnum", "equipment", "machine", "unit", "tail", "aircraft", "registration", "reg",
              "vehicle", "tag", "location", "line", "station", "truck", "excavator", "fleet", "plane", "serial"),
    "problem": ("problem", "description", "desc", "discrepancy", "complaint", "symptom", "issue", "defect",
                "shorttext", "text", "summary", "fault", "reported", "request", "finding", "observation",
                "details", "what"),
    "action": ("action", "corrective", "resolution", "repair", "done", "performed", "remedy", "remarks",
               "rectification", "fix", "work", "comments", "notes", "longtext"),
    "failure_code": ("failure", "cause", "code", "fm", "damage", "mode", "ata", "system", "category"),
    "cost": ("cost", "price", "amount", "total", "usd", "eur", "gbp", "value", "spend", "charge"),
    "person": ("technician", "tech", "mechanic", "lead", "engineer", "assigned", "assignee", "inspector",
               "operator", "electrician", "fitter", "crew", "performedby", "employee", "owner", "supervisor"),
}
# A date column with one of these words is when the work ended: "when was it last done" means that.
_COMPLETION = ("completed", "finish", "closed", "done", "performed", "actfinish")
_MONEY_HEADER = re.compile(r"cost|price|amount|usd|eur|gbp|\$|€|£|charge|value", re.I)
_MONEY_VALUE = re.compile(r"^\s*[$€£¥]|^\s*-?[\d,]+\.\d{2}\s*$")
_ID_VALUE = re.compile(r"^(?=.*\d)[A-Za-z0-9]+(?:[-/.#_][A-Za-z0-9]+)*$")
_SAMPLE = 3000


def infer_columns(headers: Sequence[str], rows: Sequence[Sequence[str]],
                  overrides: Mapping[str, str | Sequence[str]] | None = None) -> tuple[Column, ...]:
    """Type and role of every column. `overrides`: role -> header name(s) (settings), claimed first."""
    sample = rows[:_SAMPLE]
    columns = [_typed(h, [r[i] if i < len(r) else "" for r in sample]) for i, h in enumerate(headers)]
    return tuple(_assign_roles(columns, overrides or {}))


def _typed(header: str, values: Sequence[str]) -> Column:
    filled = [v.strip() for v in values if v and v.strip()]
    distinct = len(set(filled))
    if not filled:  # no values: the header's words are the only clue
        kind = ColumnType.DATE if re.search(r"date|day", header, re.I) else ColumnType.TEXT
        return Column(header, kind, distinct=0, filled=0)
    n = len(filled)

    def share(test) -> float:
        return sum(1 for v in filled if test(v)) / n

    if share(lambda v: iso_date(v) is not None and len(v) <= 30) >= 0.8:
        kind = ColumnType.DATE
    elif share(lambda v: parse_number(v) is not None) >= 0.9:
        money = _MONEY_HEADER.search(header) or share(lambda v: bool(_MONEY_VALUE.match(v))) >= 0.5
        kind = ColumnType.MONEY if money else ColumnType.NUMBER
    else:
        avg_len = sum(map(len, filled)) / n
        ids = share(lambda v: bool(_ID_VALUE.match(v)))
        if ids >= 0.9 and avg_len <= 24:
            kind = ColumnType.ID if distinct / n > 0.5 or distinct > 50 else ColumnType.CATEGORY
        elif avg_len <= 40 and (distinct <= max(12, 0.1 * n) or distinct / n <= 0.3):
            kind = ColumnType.CATEGORY
        else:
            kind = ColumnType.TEXT
    return Column(header, kind, distinct=distinct, filled=n)


def header_hint(column: Column, role: str) -> int:
    """How many of the header's words hint at `role` ("FAILURECODE" is read as its parts too).

    >>> header_hint(Column("FAILURECODE", ColumnType.CATEGORY), "failure_code")
    2
    """
    words = header_words(column.name) or [header_key(column.name)]
    if len(words) == 1:
        return sum(1 for h in _HINTS[role] if h == words[0] or (len(h) >= 4 and h in words[0]))
    return sum(1 for w in words if w in _HINTS[role])


def _assign_roles(columns: list[Column], overrides: Mapping[str, str]) -> list[Column]:
    taken: dict[str, int] = {}
    keys = {header_key(c.name): i for i, c in enumerate(columns)}
    for role, names in overrides.items():
        if role not in ROLES:
            raise ValueError(f"unknown column role {role!r}; use one of {', '.join(ROLES)}")
        for name in (names,) if isinstance(names, str) else names:
            if header_key(name) in keys and keys[header_key(name)] not in taken.values():
                taken[role] = keys[header_key(name)]
                break
    for role in ROLES:
        if role in taken:
            continue
        choice = _best_for(role, columns, set(taken.values()))
        if choice is not None:
            taken[role] = choice
    out = list(columns)
    for role, i in taken.items():
        out[i] = replace(out[i], role=role)
    return out


def _best_for(role: str, columns: Sequence[Column], used: set[int]) -> int | None:
    empty = not any(c.filled for c in columns)  # headers only: their names are all there is
    free = [(i, c) for i, c in enumerate(columns) if i not in used and (c.filled or empty)]
    T = ColumnType
    if role == "wo_id":
        cands = [(i, c) for i, c in free if c.type in (T.ID, T.NUMBER, T.CATEGORY) and c.distinct >= 0.9 * c.filled
                 and (header_hint(c, role) or c.type is T.ID) and header_hint(c, "asset") <= header_hint(c, role)]
        return _pick(cands, role)
    if role == "date":
        cands = [(i, c) for i, c in free if c.type is T.DATE]
        done = [(i, c) for i, c in cands if any(w in _COMPLETION for w in header_words(c.name))]
        return (done or cands)[0][0] if cands else None
    if role == "asset":
        cands = [(i, c) for i, c in free if c.type in (T.CATEGORY, T.ID)
                 and (1 < c.distinct < 0.5 * c.filled or (c.filled < 10 and header_hint(c, role)))]
        hinted = [(i, c) for i, c in cands if header_hint(c, role)]
        if hinted:
            return hinted[0][0]
        plain = [(i, c) for i, c in cands if not any(header_hint(c, r) for r in ("failure_code", "wo_id"))
                 and not re.search(r"type|status|priority|class|kind|shift", c.name, re.I)]
        return plain[0][0] if plain else None
    if role in ("problem", "action"):
        # Free text repeats little; a very short export cannot show that, so its header decides.
        cands = [(i, c) for i, c in free if c.type in (T.TEXT, T.CATEGORY)
                 and (c.distinct > 2 or (c.filled < 10 and header_hint(c, role)))]
        hinted = [(i, c) for i, c in cands if header_hint(c, role) and not (role == "action" and header_hint(c, "problem") > header_hint(c, "action"))]
        if hinted:
            return max(hinted, key=lambda ic: (header_hint(ic[1], role), ic[1].type is T.TEXT))[0]
        texts = [(i, c) for i, c in cands if c.type is T.TEXT]
        return texts[0][0] if role == "problem" and texts else None
    if role == "failure_code":
        cands = [(i, c) for i, c in free if c.type in (T.CATEGORY, T.ID) and header_hint(c, role)]
        return _pick(cands, role)
    if role == "cost":
        cands = [(i, c) for i, c in free if c.type.numeric and (header_hint(c, role) or c.type is T.MONEY)]
        return _pick(cands, role)
    if role == "person":  # who did the work: names that repeat ("Tech", "Mechanic", "LEAD")
        cands = [(i, c) for i, c in free if c.type in (T.CATEGORY, T.ID, T.TEXT) and header_hint(c, role)
                 and (c.distinct < 0.5 * c.filled or c.filled < 10)]
        return _pick(cands, role)
    return None


def _pick(cands: Sequence[tuple[int, Column]], role: str) -> int | None:
    if not cands:
        return None
    return max(cands, key=lambda ic: (header_hint(ic[1], role), -ic[0]))[0]


def role_index(columns: Sequence[Column], role: str) -> int | None:
    return next((i for i, c in enumerate(columns) if c.role == role), None)


_UNIT_IN_HEADER = re.compile(r"^(.*?)\s*\(([^()]{1,12})\)\s*$")
_CURRENCY = {"$", "usd", "€", "eur", "£", "gbp"}


def with_unit(header: str, value: str) -> tuple[str, str]:
    """(label, value) with a header's unit moved onto a number: the way a technician reads it.

    >>> with_unit("Torque (in-lb)", "40"), with_unit("Parts Cost ($)", "1,204.50"), with_unit("Torque (in-lb)", "n/a")
    (('Torque', '40 in-lb'), ('Parts Cost', '$1,204.50'), ('Torque (in-lb)', 'n/a'))
    """
    m = _UNIT_IN_HEADER.match(header)
    if not m or parse_number(value) is None:
        return header, value
    label, unit = m.group(1).strip() or header, m.group(2).strip()
    if unit.lower() in _CURRENCY:
        return label, f"{unit}{value}" if unit in "$€£" else f"{value} {unit}"
    return label, f"{value} {unit}"


def looks_like_log(columns: Sequence[Column]) -> bool:
    """A maintenance log: dated records with a free-text problem or action.

    >>> looks_like_log(infer_columns(("Subsystem", "Failure Mode", "RPN"), [("Engine", "Cracked", "80")] * 3))
    False
    """
    roles = {c.role for c in columns}
    return "date" in roles and bool({"problem", "action"} & roles)
