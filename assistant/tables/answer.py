"""A table answer as text: the value first, the criteria it used, then the cited rows.

Row [n] is the n-th row of `TableAnswer.rows`, so citations follow the rows.

    **14** work orders match: Asset is B; dated 2005-01-01 to 2005-12-31; mentioning 'leak'.
    Most recent first:
    - 2005-11-02 · B · HYD LEAK ON BOOM CYL · cost 407.40 [1]
"""

from __future__ import annotations

from typing import Any

from assistant.tables.columns import ColumnType, with_unit
from assistant.tables.plan import resolve
from assistant.tables.run import RowRef, TableAnswer, parent_columns

_ROLE_ORDER = ("wo_id", "date", "asset", "problem", "action", "failure_code", "cost")


def fmt(value: Any, money: bool = False) -> str:
    """
    >>> fmt(330.0), fmt(1234.5, money=True), fmt(0.123456), fmt(None)
    ('330', '1,234.50', '0.12', '—')
    """
    if value is None:
        return "—"
    if isinstance(value, float):
        if money:
            return f"{value:,.2f}"
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _column_name(answer: TableAnswer, key: str | None) -> str:
    if not key:
        return ""
    if key.startswith(("year:", "quarter:", "month:")):
        return key.split(":", 1)[0]
    if key.startswith("role:") and len(answer.plan.tables) > 1:
        return key.removeprefix("role:").replace("_", " ")  # several logs: their common field
    table = answer.plan.tables[0]
    index = resolve(table, key)
    return table.columns[index].name if index is not None else key.removeprefix("role:")


def _is_money(answer: TableAnswer, key: str | None) -> bool:
    table = answer.plan.tables[0]
    index = resolve(table, key) if key else None
    return index is not None and (table.columns[index].type is ColumnType.MONEY or table.columns[index].role == "cost")


def row_line(row: RowRef, answer: TableAnswer) -> str:
    """The cells of a row worth showing: a log's record fields, or a table's key columns and the asked ones."""
    table = row.table
    plan = answer.plan
    if table.kind == "work_order":
        order = sorted(range(len(table.columns)),
                       key=lambda i: _ROLE_ORDER.index(table.columns[i].role) if table.columns[i].role in _ROLE_ORDER else 99)
        picked = [i for i in order if table.columns[i].role in _ROLE_ORDER]
    else:
        keys = [i for i, c in enumerate(table.columns) if c.type in (ColumnType.CATEGORY, ColumnType.ID, ColumnType.TEXT)][:4]
        asked = [resolve(table, k) for k in (plan.measure, plan.group_by, *plan.asked, *(c.column for c in plan.conditions))
                 if k]
        numbers = [i for i, c in enumerate(table.columns) if c.type.numeric]  # a reference row's figures are short
        picked = list(dict.fromkeys([*keys, *(a for a in asked if a is not None), *numbers]))
    for key in (plan.measure, *plan.asked):
        index = resolve(table, key) if key else None
        if index is not None and index not in picked:
            picked.append(index)
    cells = []
    for i in picked:
        value = row.values[i]
        if value in (None, ""):
            continue
        column = table.columns[i]
        money = column.type is ColumnType.MONEY or column.role == "cost"
        name, shown = with_unit(column.name, fmt(value, money))
        label = "" if column.role in ("wo_id", "date", "asset", "problem") and table.kind == "work_order" else f"{name}: "
        cells.append(f"{label}{shown}")
    return " · ".join(cells)


def answer_text(answer: TableAnswer) -> str:
    plan, op = answer.plan, answer.plan.operation
    criteria = "; ".join(plan.describe()) or "all rows"
    noun = "work orders" if plan.tables[0].kind == "work_order" else "rows"
    where = _source_names(answer)
    lines: list[str] = []
    if answer.span is not None or answer.assets or answer.measures:
        return outside_text(answer)
    if answer.matched == 0:
        return _nothing(answer, criteria, noun, where)
    m = answer.matched
    if op == "count":
        extra = ""
        if answer.distinct is not None and answer.distinct != m:
            table = plan.tables[0]
            d = resolve(table, plan.distinct)
            parents = parent_columns(table, d) if d is not None else ()
            under = f", counted under their {' and '.join(table.columns[i].name for i in parents)}" if parents else ""
            extra = f" ({answer.distinct} different {_column_name(answer, plan.distinct)} values{under})"
        lines.append(f"**{m}** {_noun(noun, m)} match{'es' if m == 1 else ''}{extra}: {criteria} (in {where}).")
        if answer.rows:
            lines.append("Most recent first:" if plan.date_column else "They include:")
    elif op in ("sum", "average"):
        name = _column_name(answer, plan.measure)
        money = _is_money(answer, plan.measure)
        word = "Total" if op == "sum" else "Average"
        missing = f"; {answer.missing} without a value" if answer.missing else ""
        label, value = with_unit(name, fmt(answer.value, money))
        lines.append(f"**{word} {label}: {value}** over {m} {noun}: {criteria}{missing} (in {where}).")
        lines.append("Largest first:")
    elif op in ("max", "min"):
        name = _column_name(answer, plan.measure)
        word = "Highest" if op == "max" else "Lowest"
        ties = f" ({len(answer.rows)} rows share it)" if len(answer.rows) > 1 else ""
        label, value = with_unit(name, fmt(answer.value, _is_money(answer, plan.measure)))
        lines.append(f"**{word} {label}: {value}**{ties}, "
                     f"of {m} {noun}: {criteria} (in {where}).")
    elif op == "top":
        name = _column_name(answer, plan.measure)
        lines.append(f"Top {len(answer.rows)} by {name}, of {m} {noun}: {criteria} (in {where}):")
    elif op == "sorted":
        name = _column_name(answer, plan.measure)
        order = "highest first" if plan.descending else "lowest first"
        lines.append(f"{m} {_noun(noun, m)} by {name}, {order}: {criteria} (in {where}):")
    elif op == "percent":
        lines.append(f"**{fmt(answer.value)}%**: {m} of {answer.base} {noun} ({criteria}) (in {where}).")
    elif op == "group_average":
        name = _column_name(answer, plan.group_by)
        measure = _column_name(answer, plan.measure)
        order = "highest first" if plan.descending else "lowest first"
        shown = ", ".join(f"{g}: {fmt(float(v))}" for g, v in answer.groups)
        lines.append(f"Average {measure} by {name}, {order}: {shown} ({criteria}; in {where}).")
        lines.append("An example of each:")
    elif op in ("group", "group_least", "group_sum"):
        name = _column_name(answer, plan.group_by)
        money = op == "group_sum" and _is_money(answer, plan.measure)
        measure = f"{_column_name(answer, plan.measure)} " if op == "group_sum" else ""
        shown = ", ".join(f"{g}: {fmt(float(v), money)}" for g, v in answer.groups)
        if answer.groups:
            top, amount = answer.groups[0]
            lead = "fewest" if op == "group_least" else "most"
            high = "highest" if plan.descending else "lowest"
            what = f"the {lead} {noun}" if op != "group_sum" else f"the {high} total {measure.strip()}"
            if op == "group_sum":
                lines.append(f"**{top}** has {what}: {fmt(float(amount), money)}, over {m} {noun}: {criteria} "
                             f"(in {where}).")
            else:
                lines.append(f"**{top}** has {what}: {fmt(float(amount), money)} of {m} {noun}: {criteria} (in {where}).")
        lines.append(f"{measure}by {name}: {shown}." if measure else f"{noun.capitalize()} by {name}: {shown}.")
        lines.append("An example of each:")
    elif op in ("latest", "earliest"):
        word = "most recent" if op == "latest" else "earliest"
        lines.append(f"The {word} of {m} matching {noun} is dated **{fmt(answer.value)}**: {criteria} (in {where}).")
    else:
        lines.append(f"{m} {_noun(noun, m)} match{'es' if m == 1 else ''}: {criteria} (in {where}).")
        if plan.group_by and answer.groups:  # "which components have ...": the values, then the rows
            shown = ", ".join(f"{g} ({fmt(float(v))})" for g, v in answer.groups)
            lines.append(f"{_column_name(answer, plan.group_by)}: {shown}.")
    for n, row in enumerate(answer.rows, start=1):
        lines.append(f"- {row_line(row, answer)} [{n}]")
    shown = len(answer.rows)
    if op in ("count", "list", "lookup") and shown < m:
        lines.append(f"({m - shown} more not listed.)")
    if plan.framing:
        said = ", ".join(f"'{w}'" for w in plan.framing)
        lines.append(f"Not used as criteria: {said} (read as the question's wording; no record mentions "
                     f"{'it' if len(plan.framing) == 1 else 'them'}).")
    return "\n".join(lines)


def outside_text(answer: TableAnswer) -> str:
    """The asked period, asset or quantity is not in the records: say what they hold instead of a count of zero."""
    if answer.measures:
        kept = "no amounts" if answer.measures == ("none",) else "only " + ", ".join(answer.measures)
        return (f"The records do not say how many {answer.plan.unmeasured}: {_source_names(answer)} keep {kept} "
                f"for each record.")
    if answer.assets:
        held = ", ".join(answer.assets[:20]) + (f" and {len(answer.assets) - 20} more" if len(answer.assets) > 20 else "")
        return (f"The records name no {' or '.join(answer.plan.unknown)}: the assets in {_source_names(answer)} "
                f"are {held}.")
    first, last = answer.span or ("", "")
    asked = next(c.label for c in answer.plan.conditions if c.op == "between")
    return (f"The records do not cover that period: {_source_names(answer)} run from {first} to {last}, "
            f"and the question asks for {asked.removeprefix('dated ')}.")


def _noun(noun: str, n: int) -> str:
    """
    >>> _noun("work orders", 1), _noun("rows", 2)
    ('work order', 'rows')
    """
    return noun[:-1] if n == 1 and noun.endswith("s") else noun


def _source_names(answer: TableAnswer) -> str:
    names = list(dict.fromkeys(t.label for t in answer.plan.tables))
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _nothing(answer: TableAnswer, criteria: str, noun: str, where: str) -> str:
    empty = f" Nothing is {', nothing is '.join(answer.empty)}." if answer.empty else ""
    head = f"No {noun} meet all of: {criteria} (in {where}).{empty}"
    if answer.plan.operation == "count":
        head = f"**0** {noun} meet all of: {criteria} (in {where}).{empty}"
    if not answer.rows:
        return head
    lines = [head, "Closest records (each meets some of the criteria, not all):"]
    lines += [f"- {row_line(row, answer)} [{n}]" for n, row in enumerate(answer.rows, start=1)]
    return "\n".join(lines)
