"""Question words linked to a table's columns and values.

Three kinds of link, each general to any table:
- a header: the question names a column ("RPN", "unit price", "cost" for "Parts Cost ($)",
  "detect" for "Detection"), by word roots and a few adjectives that name a quantity
  ("expensive" -> cost or price, "longest" -> a time or length);
- a value: the question holds a value of a category or id column ("excavator B",
  "N27315", "PRESS-3" for "PRESS-03", "Power Unit", "no current controls");
- the rest are the subject's words, matched against the rows' text by meaning
  (see `assistant.tables.plan`).

>>> words_of("How many L/H cyl leaks on excavator B?")
['how', 'many', 'left', 'cylinder', 'leaks', 'on', 'excavator', 'b']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from assistant.tables.columns import Column, ColumnType, header_words, role_index
from assistant.identifiers import id_pieces
from assistant.tables.store import TableInfo, TableStore
from assistant.text import ABBREVIATIONS, STOPWORDS, parse_number, same_root, stem, words

# Adjectives and verbs that name a quantity a column may hold.
QUANTITY_WORDS = {
    "expensive": ("cost", "price", "amount", "value"), "cheap": ("cost", "price", "amount", "value"),
    "cheapest": ("cost", "price", "amount"), "costly": ("cost", "price"), "spend": ("cost", "amount"),
    "spent": ("cost", "amount"), "pay": ("cost", "price", "amount"), "paid": ("cost", "price", "amount"),
    "long": ("time", "duration", "days", "hours", "length", "lead", "downtime"),
    "longest": ("time", "duration", "days", "hours", "length", "lead", "downtime"),
    "short": ("time", "duration", "days", "hours", "length"), "shortest": ("time", "duration", "days", "hours"),
    "severe": ("severity",), "likely": ("occurrence", "probability", "likelihood"),
    "frequent": ("occurrence", "frequency"), "detect": ("detection", "detectability"),
    "risk": ("rpn", "risk"), "risky": ("rpn", "risk"), "heavy": ("weight", "mass"), "heaviest": ("weight", "mass"),
    "stock": ("qty", "quantity", "stock", "hand"), "down": ("downtime",),
}  # fmt: skip
_ARTICLES = frozenset("a an the of and or in on for to at by with".split())
_ID_LIKE = re.compile(r"\d")


def words_of(question: str) -> list[str]:
    return words(question)


@dataclass(frozen=True)
class HeaderLink:
    column: int
    score: float  # share of the header's words the question names (1.0 = all)
    used: tuple[int, ...]  # positions of the question words it used


@dataclass(frozen=True)
class ValueLink:
    column: int
    value: str  # as stored
    used: tuple[int, ...]


def header_terms(column: Column) -> list[str]:
    """Content words of a header, units in brackets dropped: 'Torque (N·m)' -> ['torque'].

    >>> header_terms(Column("Potential Failure Mode", ColumnType.TEXT)), header_terms(Column("Parts Cost ($)", ColumnType.MONEY))
    (['potential', 'failure', 'mode'], ['part', 'cost'])
    """
    name = re.sub(r"\([^)]*\)", " ", column.name)
    return [stem(ABBREVIATIONS.get(w, w)) for w in header_words(name) if len(w) > 1 and w not in STOPWORDS]


def link_headers(qwords: Sequence[str], columns: Sequence[Column]) -> list[HeaderLink]:
    """Columns the question names, best first.

    >>> cols = [Column("RPN", ColumnType.NUMBER), Column("Detection", ColumnType.NUMBER), Column("Cost", ColumnType.MONEY)]
    >>> [(cols[h.column].name, h.score) for h in link_headers(words_of("hardest to detect, most expensive"), cols)]
    [('Detection', 1.0), ('Cost', 1.0)]
    """
    stems = [stem(w) for w in qwords]
    out = []
    for i, column in enumerate(columns):
        terms = header_terms(column)
        if not terms:
            continue
        joined = stem(re.sub(r"[^a-z0-9]", "", re.sub(r"\([^)]*\)", "", column.name.lower())))
        whole = [p for p, s in enumerate(stems) if len(terms) > 1 and same_root(s, joined)]
        if whole:  # "subcomponent" for "Sub-Component", "shorttext" for "Short Text"
            out.append(HeaderLink(i, 1.0, tuple(whole)))
            continue
        used: list[int] = []
        hit = 0
        for term in terms:
            at = [p for p, s in enumerate(stems) if _content(qwords, p) and _names(s, qwords[p], term)]
            if at:
                hit += 1
                used.extend(at)
        if hit:
            head = head_term(column)
            named_head = head is not None and any(_names(stems[p], qwords[p], head) for p in used)
            score = max(hit / len(terms), 0.6 if named_head else 0.0)
            out.append(HeaderLink(i, score, tuple(sorted(set(used)))))
    # More of the question's words first: "sub-components" names "Sub-Component" before "Component".
    return sorted(out, key=lambda h: (-h.score, -len(h.used)))


def _content(qwords: Sequence[str], p: int) -> bool:
    """A word that may name a column: not a stop word, except a stop word that names a quantity
    ("kept the press down for 3 hours": downtime), unless it ends a phrasal verb ("break the jobs down by year")."""
    word = qwords[p]
    if word not in STOPWORDS:
        return True
    return word in QUANTITY_WORDS and not any(w in _PHRASAL for w in qwords[max(0, p - 4) : p])


_PHRASAL = frozenset("break breaks broke broken breaking shut shuts slow slowed turn turned narrow narrowed boil "
                     "count counted track tracked write written".split())


def head_term(column: Column) -> str | None:
    """The noun a header is about: 'effect' in 'Potential Effect(s) of Failure', 'cost' in 'Parts Cost ($)'.

    >>> head_term(Column("Potential Effect(s) of Failure", ColumnType.TEXT)), head_term(Column("Parts Cost ($)", ColumnType.MONEY))
    ('effect', 'cost')
    """
    name = re.sub(r"\([^)]*\)", " ", column.name)
    name = re.split(r"\s+of\s+", name, maxsplit=1, flags=re.I)[0]
    words = [stem(w) for w in header_words(name) if len(w) > 1 and w not in STOPWORDS]
    return words[-1] if words else None


# Header shorthand read only in headers ("Min Stock", "Max Load"): in running text "min" is minutes.
_HEADER_SHORT = {"min": "minimum", "max": "maximum", "avg": "average", "ave": "average"}


def _names(stemmed: str, word: str, header_term: str) -> bool:
    if same_root(stemmed, header_term) or _HEADER_SHORT.get(header_term) == word:
        return True
    if word.endswith("s") and word[:-1] == header_term:
        return True  # a short plural the stemmer keeps: "RPNs", "ETAs"
    return any(same_root(stem(q), header_term) for q in QUANTITY_WORDS.get(word, ()))


# --- values -------------------------------------------------------------------------------------
_VALUE_LIMIT = 5000  # distinct values indexed per column
_VALUE_CHARS = 80


@lru_cache(maxsize=256)
def _column_values(store: TableStore, table_id: str, index: int) -> tuple[str, ...]:
    rows = store.query(
        f'SELECT DISTINCT c{index} FROM "t_{table_id}" WHERE c{index} IS NOT NULL LIMIT {_VALUE_LIMIT + 1}'
    )
    if len(rows) > _VALUE_LIMIT:
        return ()
    return tuple(str(v) for (v,) in rows if v is not None and len(str(v)) <= _VALUE_CHARS)


def value_columns(table: TableInfo) -> list[int]:
    """Columns whose values name things: categories and ids, and text columns that repeat a few
    phrases ("No current controls"). Free text (a log's problem descriptions) is matched by its
    words instead, never by equality."""
    return [i for i, c in enumerate(table.columns)
            if 0 < c.distinct and (c.type in (ColumnType.CATEGORY, ColumnType.ID)
                                   or (c.type is ColumnType.TEXT and c.distinct <= 0.3 * c.filled
                                       and c.role not in ("problem", "action")))]


def link_values(question: str, qwords: Sequence[str], store: TableStore, table: TableInfo,
                nouns: frozenset[str] = frozenset()) -> list[ValueLink]:
    """Values of the table's category and id columns that the question holds, longest first.

    A question word is used by one value at most. `nouns` are words that may stand before a
    one- or two-letter value ("excavator B", "unit C").
    """
    found: list[ValueLink] = []
    taken: set[int] = set()
    candidates = []
    found_numbers: list[ValueLink] = []
    for i in value_columns(table):
        header = {stem(w) for w in header_words(table.columns[i].name)}
        for value in _column_values(store, table.table_id, i):
            if parse_number(value) is not None:
                # a bare number names a row only right after its column's name: "ATA 32", "bay 4"
                at = _after_header(qwords, header, value)
                if at:
                    candidates.append((i, value, ["\x00"]))  # placeholder: matched below by position
                    found_numbers.append(ValueLink(i, value, at))
                continue
            vwords = words(value)
            vwords = [w for w in vwords if w not in _ARTICLES] if len(vwords) > 1 else vwords
            coded = len(vwords) > 1 and vwords[0].isdigit() and " " in value.strip() and all(w.isalpha() for w in vwords[1:])
            if coded and (at := _after_header(qwords, header, vwords[0])):
                found_numbers.append(ValueLink(i, value, at))  # "ATA 61" for "61 Propellers"
            if vwords:
                candidates.append((i, value, vwords))
    candidates = [c for c in candidates if c[2] != ["\x00"]]
    for link in found_numbers:
        if not taken & set(link.used):
            taken |= set(link.used)
            found.append(link)
    candidates.sort(key=lambda c: (-len(c[2]), -len(c[1])))
    for column, value, vwords in candidates:
        used = _match_value(question, qwords, value, vwords, table.columns[column], nouns)
        if used and not taken & set(used):
            taken |= set(used)
            found.append(ValueLink(column, value, used))
        elif used and any(v.value == value for v in found):
            found.append(ValueLink(column, value, used))  # the same value in another column: an alternative
    asset = role_index(table.columns, "asset")
    if asset is not None and not any(v.column == asset for v in found):
        found += _asset_kind(qwords, _column_values(store, table.table_id, asset), asset, taken)
    return found


def _asset_kind(qwords: Sequence[str], values: Sequence[str], column: int, taken: set[int]) -> list[ValueLink]:
    """ "the oven" for OVEN-1, "the presses" for PRESS-01 to PRESS-04: a noun that is the letter part of
    asset ids names those assets (the answer states which).

    >>> _asset_kind(words("last job on the paint oven"), ["OVEN-1", "PRESS-01", "PRESS-02"], 0, set())
    [ValueLink(column=0, value='OVEN-1', used=(5,))]
    >>> [v.value for v in _asset_kind(words("jobs on the presses"), ["OVEN-1", "PRESS-01", "PRESS-02"], 0, set())]
    ['PRESS-01', 'PRESS-02']
    """
    kinds: dict[str, list[str]] = {}
    for value in values:
        pieces = id_pieces(value)
        if len(pieces) >= 2 and pieces[0].isalpha() and len(pieces[0]) >= 3 and not pieces[-1].isalpha():
            kinds.setdefault(stem(pieces[0]), []).append(value)
    out = []
    for p, word in enumerate(qwords):
        named = kinds.get(stem(word))
        if p not in taken and named:
            out += [ValueLink(column, value, (p,)) for value in named]
            taken.add(p)
    return out


def _after_header(qwords: Sequence[str], header: set[str], value: str) -> tuple[int, ...] | None:
    """Positions of "<header word> <number>" in the question ("ata 32" for the ATA column's 32)."""
    for p in range(1, len(qwords)):
        if qwords[p] == value.lower() and stem(qwords[p - 1]) in header:
            return (p - 1, p)
    return None


def _match_value(question: str, qwords: Sequence[str], value: str, vwords: list[str], column: Column,
                 nouns: frozenset[str]) -> tuple[int, ...] | None:
    if _ID_LIKE.search(value) and " " not in value.strip() and len(vwords) <= 4:
        return _match_id(qwords, vwords)  # a code: "PRESS-03", "N27315", "LW-20417"
    if len(vwords) == 1 and len(vwords[0]) <= 2:
        return _match_short(question, qwords, vwords[0], column, nouns)
    if len(vwords) == 1 and len(vwords[0]) >= 5 and vwords[0].isalpha() \
            and (joined := _match_id(qwords, vwords)) and len(joined) <= 3:
        return joined  # "M. Reyes" for a CMMS user code "MREYES": the words joined spell it
    if all(w in STOPWORDS for w in vwords):
        return None
    if len(vwords) >= 3 and vwords[0].isdigit():
        vwords = vwords[1:]  # "32 Landing Gear": a coded category is named by its words ("landing gear squawks")
    stems = [stem(w) for w in qwords]
    places = [[p for p, s in enumerate(stems) if qwords[p] == vw or same_root(s, stem(vw))] for vw in vwords]
    if not all(places):
        return None
    best: list[int] | None = None
    for anchor in places[0]:  # the tightest set of places: "catalogue parts ... GSE Parts Direct"
        used = [anchor]
        for at in places[1:]:
            free = [p for p in at if p not in used]
            if not free:
                break
            used.append(min(free, key=lambda p: abs(p - anchor)))
        else:
            if best is None or max(used) - min(used) < max(best) - min(best):
                best = used
    if best is None or max(best) - min(best) > len(vwords) + 2:  # the words must stand together
        return None
    return tuple(sorted(best))


def _match_id(qwords: Sequence[str], vwords: list[str]) -> tuple[int, ...] | None:
    """'PRESS-03' ~ 'press 3' ~ 'PRESS03': the same letter and number pieces, leading zeros ignored."""
    want = id_pieces("".join(vwords))
    joined = ["".join(qwords[i:j]) for i in range(len(qwords)) for j in range(i + 1, min(i + 4, len(qwords)) + 1)]
    spans = [(i, j) for i in range(len(qwords)) for j in range(i + 1, min(i + 4, len(qwords)) + 1)]
    for text, (i, j) in zip(joined, spans):
        if id_pieces(text) == want:
            return tuple(range(i, j))
    return None


def _match_short(question: str, qwords: Sequence[str], value: str, column: Column,
                 nouns: frozenset[str]) -> tuple[int, ...] | None:
    """A one- or two-letter value ("B") counts only right after a noun that names such things."""
    header = {stem(w) for w in header_words(column.name)}
    for p in range(1, len(qwords)):
        if qwords[p] != value:
            continue
        before = stem(qwords[p - 1])
        if before in header or qwords[p - 1] in nouns or before in nouns:
            return (p - 1, p)
        written = re.search(rf"(?<![\w'/-]){value.upper()}(?![\w'/-])", question)
        if written and column.role == "asset" and value.upper() not in ("A", "I"):
            return (p,)  # "opened on C": an upper-case asset letter on its own
    return None
