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
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from assistant.tables.columns import Column, ColumnType, header_words, role_index
from assistant.identifiers import id_pieces
from assistant.tables.store import TableInfo, TableStore
from assistant.text import ABBREVIATIONS, STOPWORDS, canon_unit, parse_number, same_root, stem, words

# Adjectives and verbs that name a quantity a column may hold.
QUANTITY_WORDS = {
    "expensive": ("cost", "price", "amount", "value"), "cheap": ("cost", "price", "amount", "value"),
    "cheapest": ("cost", "price", "amount"), "costly": ("cost", "price"), "costliest": ("cost", "price", "amount"),
    "priciest": ("cost", "price", "amount"), "pricey": ("cost", "price"), "dearest": ("cost", "price"), "spend": ("cost", "amount"),
    "spent": ("cost", "amount"), "pay": ("cost", "price", "amount"), "paid": ("cost", "price", "amount"),
    "long": ("time", "duration", "days", "hours", "length", "lead", "downtime"),
    "longest": ("time", "duration", "days", "hours", "length", "lead", "downtime"),
    "short": ("time", "duration", "days", "hours", "length"), "shortest": ("time", "duration", "days", "hours"),
    "severe": ("severity",), "likely": ("occurrence", "probability", "likelihood"),
    "frequent": ("occurrence", "frequency"), "detect": ("detection", "detectability"),
    "risk": ("rpn", "risk"), "risky": ("rpn", "risk"), "heavy": ("weight", "mass"), "heaviest": ("weight", "mass"),
    "stock": ("qty", "quantity", "stock", "hand"), "down": ("downtime",),
}  # fmt: skip
# What a question asks done with the rows, never a value's long form ("compare" is no COMP status).
_ASKING_WORDS = frozenset(stem(w) for w in "compare comparing comparison count counting total totals average averages "
                          "summary summarise summarize maximum minimum percent percentage".split())
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
    partial: bool = False  # named without its generic last word ("hydraulics" for "Hydraulic System"): a weaker link


def header_terms(column: Column) -> list[str]:
    """Content words of a header, units in brackets dropped: 'Torque (N·m)' -> ['torque'].

    >>> header_terms(Column("Potential Failure Mode", ColumnType.TEXT)), header_terms(Column("Parts Cost ($)", ColumnType.MONEY))
    (['potential', 'failure', 'mode'], ['part', 'cost'])
    """
    name = re.sub(r"\([^)]*\)", " ", column.name)
    return [stem(ABBREVIATIONS.get(w, w)) for w in _header_pieces(name)]


def _header_pieces(name: str) -> list[str]:
    """A header's words, run-together ones split, one-letter words and stop words dropped."""
    return [p for w in header_words(name) for p in _run_together(w) if len(p) > 1 and p not in STOPWORDS]


# The pieces CMMS field names are run together from (Maximo's ACTTOTALCOST, REPORTDATE, ACTLABHRS;
# SAP's and others' likewise): a header spelled as one word is read as these words.
_HEADER_PIECES = frozenset((
    "act actual est estimated targ target sched scheduled plan planned total cost costs labor lab hrs hours "
    "report reported date start finish due down time duration dur asset num number status failure code "
    "work order type priority craft lead owner person class problem cause remedy remarks description desc "
    "location parts part material mat service tool qty unit price vendor next last complete completed "
    "close closed open opened created issue request job line").split())


def _run_together(word: str) -> list[str]:
    """A header word split into known pieces where it is several run together, else itself.

    >>> _run_together("acttotalcost"), _run_together("reportdate"), _run_together("wonum"), _run_together("downtime")
    (['act', 'total', 'cost'], ['report', 'date'], ['wonum'], ['downtime'])
    """
    if len(word) < 10 or word in _HEADER_PIECES:  # "downtime" is a word, not "down time"
        return [word]
    best: list[list[str] | None] = [[]] + [None] * len(word)  # best[i]: fewest pieces spelling word[:i]
    for end in range(2, len(word) + 1):
        for start in range(max(0, end - 11), end - 1):
            if best[start] is not None and word[start:end] in _HEADER_PIECES:
                if best[end] is None or len(best[start]) + 1 < len(best[end]):
                    best[end] = best[start] + [word[start:end]]
    return best[-1] if best[-1] and len(best[-1]) > 1 else [word]


# The units a table header or a question may name a measure by ("Downtime (h)", "Labor Hrs",
# "Torque (N·m)", "how many hours", "85 N·m or more"), as `assistant.text.canon_unit` writes them.
MEASURE_UNITS = frozenset("h min days weeks N·m lbf·in lbf·ft psi bar kPa mm kg qt L gal".split())


def measure_unit(spelled: str) -> str | None:
    """The canonical unit a spelling names, if it is one a measure is kept in.

    >>> measure_unit("hrs"), measure_unit("n-m"), measure_unit("inch pounds"), measure_unit("in")
    ('h', 'N·m', 'lbf·in', None)
    """
    for text in (spelled, " ".join(re.findall(r"[a-z0-9]+", spelled.lower()))):
        if (unit := canon_unit(text)) in MEASURE_UNITS:
            return unit
    return None


def column_unit(column: Column) -> str | None:
    """The unit a numeric header writes: in brackets, else its last word.

    >>> column_unit(Column("Downtime (h)", ColumnType.NUMBER)), column_unit(Column("Torque (N·m)", ColumnType.NUMBER))
    ('h', 'N·m')
    >>> column_unit(Column("Labor Hrs", ColumnType.NUMBER)), column_unit(Column("Severity", ColumnType.NUMBER))
    ('h', None)
    """
    if not column.type.numeric:
        return None
    bracket = re.search(r"\(([^)]*)\)", column.name)
    text = bracket.group(1) if bracket else column.name.split()[-1] if column.name.split() else ""
    return measure_unit(text)


def question_units(qwords: Sequence[str]) -> list[tuple[str, tuple[int, ...]]]:
    """The units of measure a question names, with their word positions ("85 N·m", "how many hours").

    >>> question_units(words_of("call for 85 N·m or more, within 30 days"))
    [('N·m', (3, 4)), ('days', (9,))]
    """
    out = []
    p = 0
    while p < len(qwords):
        after_number = p > 0 and re.fullmatch(r"\d+(?:\.\d+)?", qwords[p - 1]) is not None
        if len(qwords) > p + 1 and (unit := measure_unit(" ".join(qwords[p : p + 2]))):
            out.append((unit, (p, p + 1)))
            p += 2
            continue
        word = qwords[p]  # "h", "d", "l" and "min" are units only after a number
        if (unit := measure_unit(word)) and (after_number or len(word) > 1 and word != "min"):
            out.append((unit, (p,)))
        p += 1
    return out


def link_headers(qwords: Sequence[str], columns: Sequence[Column]) -> list[HeaderLink]:
    """Columns the question names, best first.

    >>> cols = [Column("RPN", ColumnType.NUMBER), Column("Detection", ColumnType.NUMBER), Column("Cost", ColumnType.MONEY)]
    >>> [(cols[h.column].name, h.score) for h in link_headers(words_of("hardest to detect, most expensive"), cols)]
    [('Detection', 1.0), ('Cost', 1.0)]
    """
    qwords = _as_quantity_words(qwords)
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
    linked = {h.column for h in out}
    for family, at in question_units(qwords):  # "how many hours", "85 N·m or more": the column kept in that unit
        for i, column in enumerate(columns):
            if i not in linked and column_unit(column) == family:
                out.append(HeaderLink(i, 0.5, at))
    # More of the question's words first: "sub-components" names "Sub-Component" before "Component".
    return sorted(out, key=lambda h: (-h.score, -len(h.used)))


# Phrases that say what one quantity word says: "out of service" is downtime, as "down" is.
_QUANTITY_PHRASES = {("out", "of", "service"): "down", ("out", "of", "action"): "down", ("offline",): "down",
                     ("off", "line"): "down", ("off", "the", "line"): "down", ("unavailable",): "down",
                     ("aog",): "down"}


def _as_quantity_words(qwords: Sequence[str]) -> list[str]:
    """The question's words with each such phrase's last word read as its quantity word.

    >>> _as_quantity_words(words_of("which unit was out of service longest"))[3:6]
    ['out', 'of', 'down']
    """
    out = list(qwords)
    for phrase, word in _QUANTITY_PHRASES.items():
        for p in range(len(out) - len(phrase) + 1):
            if tuple(qwords[p : p + len(phrase)]) == phrase:
                out[p + len(phrase) - 1] = word
    for p, w in enumerate(qwords):  # "spent the least time out of service": time spent, not money
        if w in ("spend", "spent", "spending", "spends") and {"time", "hours", "days", "minutes"} & set(qwords[p + 1 : p + 4]):
            out[p] = "took"
    return out


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
    words = _header_pieces(name)
    return stem(words[-1]) if words else None  # "cost" of ACTTOTALCOST


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


def names_value(store: TableStore, ident: str) -> bool:
    """Does some table hold this id as a value, written its own way ("conv12" for CONV-12)?"""
    want = id_pieces(ident)
    return any(want in _value_pieces(store, table.table_id, i) for table in store.tables() for i in value_columns(table))


@lru_cache(maxsize=256)
def _value_pieces(store: TableStore, table_id: str, index: int) -> frozenset[tuple[str, ...]]:
    """The id pieces of a column's values, kept as its values are (a table id fixes its content)."""
    return frozenset(id_pieces(value) for value in _column_values(store, table_id, index))


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
    partial: set[tuple[int, str, tuple[str, ...]]] = set()  # values named by their words before a generic last word
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
        shortened = _without_generic_tail([c for c in candidates if c[0] == i and c[2] != ["\x00"]])
        partial |= {(c[0], c[1], tuple(c[2])) for c in shortened}
        candidates += shortened
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
            found.append(ValueLink(column, value, used, (column, value, tuple(vwords)) in partial))
        elif used and any(v.value == value for v in found):
            found.append(ValueLink(column, value, used))  # the same value in another column: an alternative
    asset = role_index(table.columns, "asset")
    if asset is not None and not any(v.column == asset for v in found):
        found += _asset_kind(qwords, _column_values(store, table.table_id, asset), asset, taken)
    found += _id_ranges(qwords, found, lambda column: _column_values(store, table.table_id, column))
    return found


def _id_ranges(qwords: Sequence[str], found: list[ValueLink], values_of) -> list[ValueLink]:
    """ "PRESS-01 to PRESS-04", "GPU-07 through GPU-09": the ids between two linked ids of one column.

    >>> [v.value for v in _id_ranges(words("presses PRESS-01 to PRESS-03"), [ValueLink(0, "PRESS-01", (1, 2)),
    ...  ValueLink(0, "PRESS-03", (4, 5))], lambda c: ["PRESS-01", "PRESS-02", "PRESS-03", "PRESS-04", "CNC-07"])]
    ['PRESS-02']
    """
    out = []
    for a in found:
        for b in found:
            if a.column != b.column or max(a.used) + 2 != min(b.used) or qwords[max(a.used) + 1] not in ("to", "through", "thru", "until"):
                continue
            pa, pb = id_pieces(a.value), id_pieces(b.value)
            if len(pa) != len(pb) or not pa or not pa[-1].isdigit() or not pb[-1].isdigit() or pa[:-1] != pb[:-1]:
                continue
            low, high = int(pa[-1]), int(pb[-1])
            for value in values_of(a.column):
                pv = id_pieces(value)
                if len(pv) == len(pa) and pv[:-1] == pa[:-1] and pv[-1].isdigit() and low < int(pv[-1]) < high:
                    out.append(ValueLink(a.column, value, a.used))
    return out


def _without_generic_tail(candidates: list[tuple[int, str, list[str]]]) -> list[tuple[int, str, list[str]]]:
    """ "the hydraulics section" for "Hydraulic System": a last word that several of a column's values end
    with ("System") names none of them; the words before it do, where no other value of the column has them.

    >>> [c[2] for c in _without_generic_tail([(0, "Hydraulic System", ["hydraulic", "system"]),
    ...  (0, "Electrical System", ["electrical", "system"]), (0, "Power Unit", ["power", "unit"])])]
    [['hydraulic'], ['electrical']]
    """
    tails = Counter(c[2][-1] for c in candidates if len(c[2]) > 1)
    out = []
    for column, value, vwords in candidates:
        if len(vwords) > 1 and tails[vwords[-1]] >= max(2, 0.3 * len(candidates)):
            rest = vwords[:-1]
            if not any(other != value and set(rest) <= set(w) for _, other, w in candidates) \
                    and not all(w in STOPWORDS for w in rest):
                out.append((column, value, rest))
    return out


def _asset_kind(qwords: Sequence[str], values: Sequence[str], column: int, taken: set[int]) -> list[ValueLink]:
    """ "the oven" for OVEN-1, "the presses" for PRESS-01 to PRESS-04: a noun that is the letter part of
    asset ids names those assets (the answer states which).

    >>> _asset_kind(words("last job on the paint oven"), ["OVEN-1", "PRESS-01", "PRESS-02"], 0, set())
    [ValueLink(column=0, value='OVEN-1', used=(5,), partial=False)]
    >>> [v.value for v in _asset_kind(words("jobs on the presses"), ["OVEN-1", "PRESS-01", "PRESS-02"], 0, set())]
    ['PRESS-01', 'PRESS-02']
    >>> _asset_kind(words("when did the de-icing truck first come in"), ["DEICE-1", "TUG-2"], 0, set())
    [ValueLink(column=0, value='DEICE-1', used=(3, 4), partial=False)]
    """
    kinds: dict[str, list[str]] = {}
    for value in values:
        pieces = id_pieces(value)
        if len(pieces) >= 2 and pieces[0].isalpha() and len(pieces[0]) >= 3 and not pieces[-1].isalpha():
            kinds.setdefault(stem(pieces[0]), []).append(value)
    out = []
    for p, word in enumerate(qwords):
        if p in taken:
            continue
        used, named = (p,), kinds.get(stem(word)) or _kind_of(word, kinds)
        if not named and p + 1 < len(qwords) and len(word) <= 3 and p + 1 not in taken:
            used, named = (p, p + 1), _kind_of(word + qwords[p + 1], kinds)  # "de-icing truck" for DEICE-1
        if named:
            out += [ValueLink(column, value, used) for value in named]
            taken.update(used)
    return out


def _kind_of(word: str, kinds: dict[str, list[str]]) -> list[str] | None:
    """The ids whose letters `word` is a form of: "deicing" and "deicer" for DEICE, "ovens" for OVEN."""
    for kind, named in kinds.items():
        root = kind[:-1] if kind.endswith("e") else kind
        if len(root) >= 3 and word.startswith(root) and word[len(root):] in ("e", "es", "s", "er", "ers", "ing", "r", "rs"):
            return named
    return None


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
    if coded := _match_code(qwords, value, column):
        return coded
    if len(vwords) == 1 and len(vwords[0]) >= 5 and vwords[0].isalpha() \
            and (joined := _match_id(qwords, vwords)) and len(joined) <= 3:
        return joined  # "M. Reyes" for a CMMS user code "MREYES": the words joined spell it
    if all(w in STOPWORDS for w in vwords):
        return None
    if len(vwords) >= 3 and vwords[0].isdigit():
        vwords = vwords[1:]  # "32 Landing Gear": a coded category is named by its words ("landing gear squawks")
    stems = [stem(w) for w in qwords]
    places = [[p for p, s in enumerate(stems) if qwords[p] == vw or same_root(s, stem(vw))
               and not re.fullmatch(rf"{re.escape(vw)}(?:er|ers|or|ors)", qwords[p])]  # an "engineer" is no "Engine"
              for vw in vwords]
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


def _match_code(qwords: Sequence[str], value: str, column: Column) -> tuple[int, ...] | None:
    """A category's short upper-case code named by the word it shortens: "mechanical" for MECH,
    "safety-coded" for SAFE, "electrical" for ELEC.

    >>> _match_code(words("work orders coded as a mechanical failure"), "MECH", Column("Failure Code", ColumnType.CATEGORY))
    (5,)
    >>> _match_code(words("the mech shop"), "MECH", Column("Failure Code", ColumnType.CATEGORY))
    """
    if column.type is not ColumnType.CATEGORY or not (value.isalpha() and value.isupper() and 3 <= len(value) <= 5):
        return None
    code = value.lower()
    for p, word in enumerate(qwords):
        if word.isalpha() and len(word) >= len(code) + 2 and word.startswith(code) and stem(word) not in _ASKING_WORDS:
            return (p,)
    return None


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
        if (before in header or qwords[p - 1] in nouns or before in nouns) and (len(value) > 1 or re.search(
                rf"\b{re.escape(qwords[p - 1])}\s+{re.escape(value)}\b", question, re.I)):
            return (p - 1, p)  # "excavator B", not "per excavator - a total"
        written = re.search(rf"(?<![\w'/-]){value.upper()}(?![\w'/-])", question)
        if written and column.role == "asset" and value.upper() not in ("A", "I"):
            return (p,)  # "opened on C": an upper-case asset letter on its own
    return None
