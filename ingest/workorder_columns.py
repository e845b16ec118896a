"""Which column of a CMMS export holds which work-order field.

Header names are compared case-insensitively with punctuation and spaces
removed, so "Work Order #", "WORK_ORDER" and "workorder" are the same name.

>>> map_columns(["WONUM", "REPORTDATE", "ASSETNUM", "DESCRIPTION", "ACTTOTALCOST"])
{'wo_id': 0, 'date': 1, 'asset': 2, 'problem': 3, 'cost': 4}
>>> map_columns(["Ticket", "Machine"], extra={"wo_id": ["Ticket"]})
{'wo_id': 0, 'asset': 1}
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

FIELDS = ("wo_id", "date", "asset", "problem", "action", "failure_code", "cost")

# field -> known header names, most preferred first (Maximo, SAP PM, Fiix/eMaint, generic).
# Dates: completion first, because "when was it last done" means when the work finished.
KNOWN_HEADERS: Mapping[str, tuple[str, ...]] = {
    "wo_id": (
        "wonum", "workorder", "workordernumber", "workorderno", "workorderid", "wonumber", "wono",
        "woid", "wo", "order", "ordernumber", "orderno", "orderid", "ticket", "ticketnumber",
    ),
    "date": (
        "completeddate", "datecompleted", "completiondate", "actfinish", "finishdate", "reportdate",
        "bscstartdate", "basicstartdate", "workorderdate", "wodate", "date", "datecreated",
        "createddate", "createdon", "opendate", "requestdate", "startdate", "actstart", "schedstart",
    ),
    "asset": (
        "assetnum", "asset", "assetid", "assetnumber", "assetname", "equipment", "equipmentid",
        "equipmentno", "equipmentnumber", "equipmentname", "machine", "machineid", "unit", "unitid",
        "functionallocation", "functloc",
    ),
    "problem": (
        "problemdescription", "problem", "description", "shorttext", "originalshorttext",
        "shortdescription", "wodescription", "workorderdescription", "symptom", "complaint", "issue",
        "reportedproblem", "failuredescription", "summary", "workdescription",
    ),
    "action": (
        "actiontaken", "action", "remarks", "resolution", "workdone", "workperformed",
        "correctiveaction", "repairdescription", "completionnotes", "completioncomments", "longtext",
        "technotes", "techniciannotes", "comments", "notes",
    ),
    "failure_code": (
        "failurecode", "failure", "failuremode", "problemcode", "causecode", "failurecause",
        "damagecode", "fm",
    ),
    "cost": (
        "acttotalcost", "totalcost", "totalactualcost", "actualcost", "cost", "totcost", "costusd",
        "amount", "totalamount",
    ),
}  # fmt: skip


def header_key(name: str) -> str:
    """
    >>> header_key(" Work Order # ")
    'workorder'
    """
    return re.sub(r"[^a-z0-9]", "", name.lower())


def map_columns(headers: Sequence[str], extra: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
    """payload field -> column index, for the fields this export has.

    `extra` (settings `ingest.workorder_columns`) lists more header names per
    field; they are tried before the built-in ones.
    """
    extra = extra or {}
    unknown = set(extra) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown work-order field(s) {sorted(unknown)}; use {', '.join(FIELDS)}")
    position = {header_key(h): i for i, h in reversed(list(enumerate(headers)))}
    taken: set[int] = set()
    found: dict[str, int] = {}
    for field in sorted(FIELDS, key=lambda f: f not in extra):  # configured fields claim first
        names = [header_key(n) for n in extra.get(field, ())] + list(KNOWN_HEADERS[field])
        index = next((position[n] for n in names if n in position and position[n] not in taken), None)
        if index is not None:
            found[field] = index
            taken.add(index)
    return {f: found[f] for f in FIELDS if f in found}


def looks_like_work_orders(headers: Sequence[str], extra: Mapping[str, Sequence[str]] | None = None) -> bool:
    """A problem or action text plus a work-order number or a date.

    >>> looks_like_work_orders(["BscStartDate", "Asset", "OriginalShorttext", "PMType", "Cost"])
    True
    >>> looks_like_work_orders(["Subsystem", "Component", "Potential Failure Mode", "RPN"])
    False
    """
    found = map_columns(headers, extra)
    return bool({"problem", "action"} & found.keys()) and bool({"wo_id", "date"} & found.keys())
