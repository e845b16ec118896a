"""Run a plan exactly in SQL and return what it found, with the rows to cite.

Each table of the plan is queried on its own (a plan over every work-order log
names columns by role) and the results are merged in Python: counts and sums
add up, maxima and groups merge. When the criteria together find nothing, each
criterion is tried alone to say which found nothing, and the rows meeting the
most criteria are returned, marked as closest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from assistant.tables.columns import ColumnType, role_index
from assistant.identifiers import id_pieces
from assistant.tables.link import _column_values
from assistant.tables.plan import Condition, Plan, TextCondition, resolve
from assistant.tables.store import TableInfo, TableStore, terms_match

SHOWN = 10  # rows cited at most
_COMPARISONS = (">", ">=", "<", "<=", "=")


@dataclass(frozen=True)
class RowRef:
    """One row of a table, as cited."""

    table: TableInfo
    row: int  # row number in the file
    chunk_id: str | None
    values: tuple  # typed cells, aligned to table.columns

    def get(self, key: str | None) -> Any:
        index = resolve(self.table, key) if key else None
        return None if index is None else self.values[index]


@dataclass(frozen=True)
class TableAnswer:
    """The exact result of a plan; `value` is what was asked (a count, a sum, a maximum, a date)."""

    plan: Plan
    matched: int  # rows meeting every criterion
    value: Any = None
    distinct: int | None = None  # count: distinct values of plan.distinct
    rows: tuple[RowRef, ...] = ()  # shown and cited, in the order the answer gives them
    groups: tuple[tuple[str, float], ...] = ()  # group-by: value -> count or sum, in answer order
    missing: int = 0  # rows without a value for the measure (sum, average)
    closest: bool = False  # rows are the closest records, not matches
    empty: tuple[str, ...] = ()  # criteria that alone found nothing
    notes: tuple[str, ...] = field(default_factory=tuple)
    base: int | None = None  # percent: the rows the share is of
    span: tuple[str, str] | None = None  # set when the asked period lies outside every row's date: the dates held
    assets: tuple[str, ...] = ()  # set when the question names an asset the tables lack: the assets they hold
    measures: tuple[str, ...] = ()  # set when the records keep no column of the asked quantity: the ones they keep


def group_expr(table: TableInfo, key: str) -> str:
    """SQL for a group-by key: a column, or the year, quarter or month of a date column."""
    index = resolve(table, key)
    if key.startswith("year:"):
        return f"substr(c{index}, 1, 4)"
    if key.startswith("month:"):
        return f"substr(c{index}, 1, 7)"
    if key.startswith("quarter:"):  # "2023-Q2"
        return f"substr(c{index}, 1, 4) || '-Q' || ((CAST(substr(c{index}, 6, 2) AS INTEGER) + 2) / 3)"
    return f"c{index}"


def _text_sql(t: TextCondition) -> tuple[str, list]:
    return terms_match(t.forms)


def _in_values(store: TableStore, table: TableInfo, index: int, wanted: Sequence) -> list:
    """The values of this table's column that are the wanted ones, spelled as this table spells them."""
    keys = {id_pieces(str(v)) for v in wanted} | {str(v).casefold() for v in wanted}
    have = _column_values(store, table.table_id, index)
    return [v for v in have if id_pieces(v) in keys or v.casefold() in keys] or list(wanted)


def _group_name(value: Any) -> str:
    """A group's value as written: severity 3, not 3.0."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _cond_sql(store: TableStore, table: TableInfo, c: Condition) -> tuple[str, list] | None:
    index = resolve(table, c.column)
    if index is None:
        return None
    col = f"c{index}"
    if c.op == "in" and all(isinstance(v, float) for v in c.values):  # "severity 2, 3 and 4"
        return f"{col} IN ({', '.join('?' for _ in c.values)})", list(c.values)
    if c.op == "in":
        values = _in_values(store, table, index, c.values)
        return f"{col} IN ({', '.join('?' for _ in values)})", values
    if c.op == "blank":
        return f"({col} IS NULL OR {col} = '')", []
    if c.op == "between":
        low, high = c.values
        parts, params = [], []
        if low:
            parts.append(f"substr({col}, 1, 10) >= ?")
            params.append(low)
        if high:
            parts.append(f"substr({col}, 1, 10) <= ?")
            params.append(high)
        return "(" + " AND ".join(parts) + ")", params
    if isinstance(c.values[0], str) and c.values[0].startswith("column:"):  # one column against another
        other = resolve(table, c.values[0].removeprefix("column:"))
        return (f"({col} IS NOT NULL AND c{other} IS NOT NULL AND {col} {c.op} c{other})", []) if other is not None \
            else None
    return f"{col} {c.op} ?", [c.values[0]]


def _where(store: TableStore, table: TableInfo, plan: Plan, skip: int | None = None,
           skip_comparisons: bool = False) -> tuple[str, list]:
    parts, params = [], []
    criteria = [*plan.conditions, *plan.text]
    for i, crit in enumerate(criteria):
        if i == skip or (skip_comparisons and isinstance(crit, Condition) and crit.op in _COMPARISONS):
            continue
        sql = _cond_sql(store, table, crit) if isinstance(crit, Condition) else _text_sql(crit)
        if sql:
            parts.append(sql[0])
            params += sql[1]
    return (" AND ".join(parts) or "1=1"), params


def _select(table: TableInfo) -> str:
    return ", ".join(["_row", "_chunk"] + [f"c{i}" for i in range(len(table.columns))])


def _rows(store: TableStore, table: TableInfo, where: str, params: list, order: str, limit: int) -> list[RowRef]:
    sql = f'SELECT {_select(table)} FROM "{table.sql_name}" WHERE {where} ORDER BY {order} LIMIT {int(limit)}'
    return [RowRef(table, r[0], r[1], tuple(r[2:])) for r in store.query(sql, params)]


def _order(table: TableInfo, key: str | None, descending: bool) -> str:
    index = resolve(table, key) if key else None
    direction = "DESC" if descending else "ASC"
    if index is None:
        return f"_row {direction}"
    return f"c{index} IS NULL, c{index} {direction}, _row"


def _span(plan: Plan, store: TableStore) -> tuple[str, str] | None:
    """The first and last date the plan's tables hold, when the asked period lies wholly outside them
    ("in 2021" of a log kept from 2022): then the records cannot say, and zero would be a false answer."""
    asked = next((c for c in plan.conditions if c.op == "between" and c.column == plan.date_column), None)
    if asked is None:
        return None
    firsts, lasts = [], []
    for table in plan.tables:
        index = resolve(table, plan.date_column)
        first, last = _dates_held(store, table.table_id, index) if index is not None else (None, None)
        if first:
            firsts.append(first)
            lasts.append(last)
    if not firsts:
        return None
    low, high = asked.values
    first, last = min(firsts), max(lasts)
    return (first, last) if (high and high < first) or (low and low > last) else None


@lru_cache(maxsize=256)
def _dates_held(store: TableStore, table_id: str, index: int) -> tuple[str | None, str | None]:
    """First and last date of a column; a table version never changes, so this is asked once."""
    first, last = store.query(f'SELECT MIN(substr(c{index}, 1, 10)), MAX(substr(c{index}, 1, 10)) '
                              f'FROM "t_{table_id}" WHERE c{index} IS NOT NULL')[0]
    return first, last


def _assets(plan: Plan, store: TableStore) -> tuple[str, ...]:
    """The asset ids the plan's tables hold (for "there is no excavator F; the assets are A to E")."""
    held: set[str] = set()
    for table in plan.tables:
        index = role_index(table.columns, "asset")
        if index is not None:
            held |= set(_column_values(store, table.table_id, index))  # the value index the linker reads
    return tuple(sorted(held))


def execute(plan: Plan, store: TableStore) -> TableAnswer:
    if (span := _span(plan, store)) is not None:
        return TableAnswer(plan, 0, span=span)
    if plan.unknown:
        return TableAnswer(plan, 0, assets=_assets(plan, store) or ("none",))
    if plan.unmeasured:
        kept = [c.name for t in plan.tables for c in t.columns if c.type.numeric]
        return TableAnswer(plan, 0, measures=tuple(dict.fromkeys(kept)) or ("none",))
    op = plan.operation
    total = 0
    distinct: set = set()
    rows: list[RowRef] = []
    sums = [0.0, 0]  # sum, values counted
    groups: dict[str, float] = {}
    for table in plan.tables:
        where, params = _where(store, table, plan)
        name = f'"{table.sql_name}"'
        total += store.query(f"SELECT COUNT(*) FROM {name} WHERE {where}", params)[0][0]
        if plan.distinct and (d := resolve(table, plan.distinct)) is not None:
            path = ", ".join(f"c{i}" for i in (*parent_columns(table, d), d))
            distinct |= set(store.query(f"SELECT DISTINCT {path} FROM {name} WHERE {where}", params))
        m = resolve(table, plan.measure) if plan.measure else None
        if op in ("sum", "average") and m is not None:
            s, n = store.query(f"SELECT SUM(c{m}), COUNT(c{m}) FROM {name} WHERE {where}", params)[0]
            sums[0] += s or 0.0
            sums[1] += n
            rows += _rows(store, table, where, params, _order(table, plan.measure, True), 5)
        elif op in ("max", "min", "top", "sorted") and m is not None:
            descending = plan.descending if op == "sorted" else op != "min"
            rows += _rows(store, table, f"{where} AND c{m} IS NOT NULL", params,
                          _order(table, plan.measure, descending), max(plan.limit, 5))
        elif op == "percent":
            base = _where(store, table, plan, skip_comparisons=True)
            sums[1] += store.query(f"SELECT COUNT(*) FROM {name} WHERE {base[0]}", base[1])[0][0]
            rows += _rows(store, table, where, params, _order(table, plan.date_column, True), SHOWN)
        elif op == "group_average" and m is not None:
            g = group_expr(table, plan.group_by)
            for value, total_, n in store.query(
                f"SELECT {g}, SUM(c{m}), COUNT(c{m}) FROM {name} WHERE {where} AND {g} IS NOT NULL GROUP BY {g}", params
            ):
                acc = groups.setdefault(_group_name(value), [0.0, 0])  # type: ignore[arg-type]
                acc[0] += total_ or 0.0
                acc[1] += n
        elif op in ("group", "group_least", "group_sum"):
            g = group_expr(table, plan.group_by)
            agg = f"SUM(c{m})" if op == "group_sum" and m is not None else "COUNT(*)"
            for value, amount in store.query(
                f"SELECT {g}, {agg} FROM {name} WHERE {where} AND {g} IS NOT NULL GROUP BY {g}", params
            ):
                groups[_group_name(value)] = groups.get(_group_name(value), 0) + (amount or 0)
        elif op in ("latest", "earliest"):
            rows += _rows(store, table, where, params, _order(table, plan.date_column, op == "latest"), 3)
        else:  # count, list, lookup
            rows += _rows(store, table, where, params, _order(table, plan.date_column, True), SHOWN)
            if op == "list" and plan.group_by:
                g = group_expr(table, plan.group_by)
                for value, amount in store.query(
                    f"SELECT {g}, COUNT(*) FROM {name} WHERE {where} AND {g} IS NOT NULL GROUP BY {g}", params
                ):
                    groups[_group_name(value)] = groups.get(_group_name(value), 0) + amount
    if total == 0:
        return _closest(plan, store)
    return _finish(plan, store, total, rows, sums, groups, distinct)


def parent_columns(table: TableInfo, index: int) -> tuple[int, ...]:
    """The category columns a column sits under, as in an FMEA's Subsystem > Component > Sub-Component:
    the run of category columns just left of it, each with fewer distinct values than the next. A
    sub-component is counted by its path: "Housing" under Upbox and under Dropbox are two.

    >>> from assistant.tables.columns import Column
    >>> cols = (Column("Subsystem", ColumnType.CATEGORY, distinct=7), Column("Component", ColumnType.CATEGORY, distinct=38),
    ...         Column("Sub-Component", ColumnType.CATEGORY, distinct=146), Column("RPN", ColumnType.NUMBER, distinct=20))
    >>> parent_columns(TableInfo("t", "f.csv", "", "fmea", "FMEA", "", "table", cols, 330), 2)
    (0, 1)
    """
    out: list[int] = []
    at = index
    while at > 0:
        left, right = table.columns[at - 1], table.columns[at]
        if left.type is not ColumnType.CATEGORY or not 1 < left.distinct < right.distinct:
            break
        out.insert(0, at - 1)
        at -= 1
    return tuple(out)


def _finish(plan: Plan, store: TableStore, total: int, rows: list[RowRef], sums, groups, distinct) -> TableAnswer:
    op = plan.operation
    value: Any = None
    missing = 0
    ordered: list[tuple[str, float]] = []
    if op == "count":
        value = total
    elif op == "percent":
        value = round(100.0 * total / sums[1], 1) if sums[1] else None
        return TableAnswer(plan, total, value, None, tuple(rows[:SHOWN]), (), 0, base=sums[1])
    elif op == "group_average":
        averaged = {g: round(t / n, 2) for g, (t, n) in groups.items() if n}
        ordered = sorted(averaged.items(), key=lambda kv: (-kv[1], kv[0]) if plan.descending else (kv[1], kv[0]))[:25]
        value = ordered[0] if ordered else None
        rows = _examples(plan, store, [g for g, _ in ordered[:6]])
        return TableAnswer(plan, total, value, None, tuple(rows), tuple(ordered), 0)
    elif op == "sorted":
        rows.sort(key=lambda r: r.get(plan.measure), reverse=plan.descending)
        rows = rows[: plan.limit]
        value = rows[0].get(plan.measure) if rows else None
    elif op in ("sum", "average"):
        missing = total - sums[1]
        value = round(sums[0], 2) if op == "sum" else (round(sums[0] / sums[1], 2) if sums[1] else None)
        rows.sort(key=lambda r: -(r.get(plan.measure) or 0))
        rows = rows[:5]
    elif op in ("max", "min", "top"):
        rows.sort(key=lambda r: r.get(plan.measure), reverse=op != "min")
        if op == "top":
            rows = rows[: plan.limit]
        else:
            best = rows[0].get(plan.measure)
            rows = [r for r in rows if r.get(plan.measure) == best][:5]
        value = rows[0].get(plan.measure) if rows else None
    elif op in ("group", "group_least", "group_sum"):
        smallest = op == "group_least" or (op == "group_sum" and not plan.descending)
        ordered = sorted(groups.items(), key=lambda kv: (kv[1], kv[0]) if smallest else (-kv[1], kv[0]))
        ordered = ordered[: plan.limit if plan.limit and op != "group" or plan.limit > 1 else 12]
        if plan.limit == 10 and op == "group":
            ordered = ordered[:12]
        value = ordered[0] if ordered else None
        rows = _examples(plan, store, [g for g, _ in ordered[:6]])
    elif op in ("latest", "earliest"):
        rows.sort(key=lambda r: (r.get(plan.date_column) is None, r.get(plan.date_column) or ""),
                  reverse=op == "latest")
        if op == "latest":
            rows.sort(key=lambda r: r.get(plan.date_column) is None)
        rows = rows[:1]
        value = rows[0].get(plan.date_column) if rows else None
    else:
        rows.sort(key=lambda r: str(r.get(plan.date_column) or ""), reverse=True) if plan.date_column else None
        rows = rows[:SHOWN]
        ordered = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))[:25]
    return TableAnswer(plan, total, value, len(distinct) if plan.distinct else None, tuple(rows), tuple(ordered),
                       missing)


def _examples(plan: Plan, store: TableStore, values: list[str]) -> list[RowRef]:
    """One row per group (the most recent where there are dates), so every group is cited: one
    grouped query per table instead of one per group. SQLite takes a bare column's value from the
    row that holds the MAX (or MIN), so this is one pass without sorting the table."""
    best: dict[str, RowRef] = {}
    for table in plan.tables:
        g = group_expr(table, plan.group_by)
        where, params = _where(store, table, plan)
        marks = ", ".join("?" for _ in values)
        date = resolve(table, plan.date_column) if plan.date_column else None
        pick = "MIN(_row)" if date is None else f"MAX(c{date})"
        sql = (f'SELECT {_select(table)}, {g} AS _g, {pick} FROM "{table.sql_name}" '
               f'WHERE {where} AND {g} IN ({marks}) GROUP BY {g}')
        for r in store.query(sql, [*params, *values]):
            row = RowRef(table, r[0], r[1], tuple(r[2:-2]))
            key = str(r[-2])
            if key not in best or str(row.get(plan.date_column) or "") > str(best[key].get(plan.date_column) or ""):
                best[key] = row
    return [best[v] for v in values if v in best]


def _closest(plan: Plan, store: TableStore) -> TableAnswer:
    """Nothing meets every criterion: which criteria alone find nothing, and the rows meeting the most."""
    criteria = [*plan.conditions, *plan.text]
    empty = []
    for i, crit in enumerate(criteria):
        alone = Plan(plan.operation, plan.tables, conditions=(crit,) if isinstance(crit, Condition) else (),
                     text=(crit,) if isinstance(crit, TextCondition) else ())
        if sum(store.query(f'SELECT COUNT(*) FROM "{t.sql_name}" WHERE {_where(store, t, alone)[0]}',
                           _where(store, t, alone)[1])[0][0] for t in plan.tables) == 0:
            empty.append(_label(crit))
    scored: list[tuple[int, RowRef]] = []
    for table in plan.tables:
        parts, params = [], []
        for crit in criteria:
            sql = _cond_sql(store, table, crit) if isinstance(crit, Condition) else _text_sql(crit)
            if sql:
                parts.append(f"({sql[0]})")
                params += sql[1]
        if not parts:
            continue
        score = " + ".join(parts)
        sql = (f'SELECT * FROM (SELECT {score} AS s, {_select(table)} FROM "{table.sql_name}") WHERE s > 0 '
               f"ORDER BY s DESC, {_order(table, plan.date_column, True)} LIMIT 5")
        scored += [(r[0], RowRef(table, r[1], r[2], tuple(r[3:]))) for r in store.query(sql, params)]
    scored.sort(key=lambda sr: -sr[0])
    return TableAnswer(plan, 0, 0 if plan.operation == "count" else None, rows=tuple(r for _, r in scored[:5]),
                       closest=bool(scored), empty=tuple(empty))


def _label(crit) -> str:
    return crit.label if isinstance(crit, Condition) else f"mentioning '{crit.word}'"
