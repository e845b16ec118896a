"""From a question to a query plan over one table (or every work-order log).

    question ──> operation (count, sum, average, max, min, top-N, group-by, latest, earliest, list, lookup)
             ──> the table it links to best (headers, values, the words of a log's records)
             ──> conditions: values of columns, date ranges, numeric comparisons
             ──> text conditions: the subject's remaining words, matched in the rows' text by meaning
    Plan, or None when the question is not one a table answers exactly.

Question framing ("how many", "work orders", "did we", "ever") is never a condition: it is
either an operation, a word for the rows themselves, or dropped.

>>> detect_operation("How many hydraulic leaks on excavator B in 2005?")
('count', 0)
>>> detect_operation("What were the three most expensive work orders?")
('top', 3)
>>> detect_operation("Which excavator had the most work orders in 2008?")
('group', 1)
>>> detect_operation("torque for the clamp bolts?")
('lookup', 0)
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import Sequence

from assistant.tables.columns import Column, ColumnType, role_index
from assistant.tables.link import (QUANTITY_WORDS, HeaderLink, ValueLink, column_unit, header_terms, link_headers,
                                   link_values, question_units, words_of)
from assistant.tables.store import TableInfo, TableStore, terms_match
from assistant.identifiers import id_pieces, identifier_tokens
from assistant.text import MONTHS, NUMBER_WORDS, STOPWORDS, concept, same_root, stem

# Words that name the rows of a maintenance log rather than what is in them.
ROW_NOUNS = frozenset(stem(w) for w in (
    "workorder workorders wo wos job jobs ticket tickets record records entry entries row rows "
    "repair repairs event events squawk squawks log logs history maintenance occurrence occurrences "
    "time times incident incidents request requests item items"
).split())
# Words that name a thing a log is kept about: they may stand before its id ("excavator B").
ASSET_NOUNS = frozenset((
    "asset unit machine equipment excavator truck press line aircraft plane tail vehicle pump robot cell station "
    "loader crane compressor engine motor conveyor oven fleet tug gpu"
).split())
# The words a question is framed in: never a condition.
FRAMING = frozenset(stem(w) for w in (
    "how many much number count total sum average mean typical list show give tell find me all any ever there "
    "date dates when last latest first earliest recent newest oldest most least highest lowest top bottom "
    "biggest largest smallest greatest maximum minimum max min value values happen happened occur occurred "
    "get got have has had did do does was were is are been we our us plant site year years month months day "
    "days since between from until till during per each every by overall altogether done performed carried "
    "out made logged recorded raised opened written entered which what who whose where whom across among "
    "ones one kind kinds type types please know want need see also else same other than more less fewer "
    "together combined including include included contain contains containing mention mentions mentioning "
    "involve involving involved related regarding about concerning far so much cost costs costing spent spend "
    "expensive cheapest cheap costly price priced paid pay worth long longest short shortest hardest easiest "
    "worst best rank ranked ranking order ordered sorted descending ascending grouped group breakdown split "
    "distinct different unique separate anywhere anyone anybody someone somebody anything something us text "
    "description field column sheet spreadsheet export data document file table currently still already "
    "again yet often hours hrs minutes mins dollars usd eur euros amount booked charged spent worked against "
    "raise raises raised ran figure figures reading readings maintain maintains maintaining maintained busiest "
    "quietest tally compare compared comparing versus vs decimal decimals rounded round places reported cent cents "
    "longer shorter "
    "within throughout upon toward towards besides wide fleet entire whole fewest chapter category put "
    "putting puts went go going full dataset data available listed descending ascending decreasing increasing "
    "percentage percent proportion share fraction their its above below exceeding greater higher lower exactly "
    "equal equals numerical numeric other score scores rating ratings high low hard easy likely unlikely still "
    "take took takes taking taken need needed needs required use used using spend single only break broken "
    "down common frequent frequently through thru fix fixed fixes fixing repaired sorted resolved addressed new section "
    "sections part of area asset assets handled handle handles handling shop come came add adds added amount amounts "
    "just source sourced sourcing supply supplied supplier suppliers buy bought purchase purchased carry carries "
    "carrying write writes ups writeup writeups keep keeps kept keeping calendar"
).split())
_NUMBER_WORD = "|".join(NUMBER_WORDS)
_TOP_N = re.compile(rf"\b(?:top|first|last)\s+(\d+|{_NUMBER_WORD})\b|\b(\d+|{_NUMBER_WORD})\s+(?:most|least|highest|"
                    rf"lowest|largest|biggest|smallest|longest|shortest|greatest|cheapest|latest|earliest|newest|"
                    rf"oldest|recent|worst|busiest|quietest)\b", re.I)
_ROW_WORDS = r"(?:work|orders?|jobs?|records?|squawks?|failures?|entries|repairs?|times?|events?|incidents?|rows?|items?|lines?)"
_N_ROWS = re.compile(rf"\b({_NUMBER_WORD}|\d+)\s+(?:[A-Za-z][\w-]*\s+){{0,2}}?{_ROW_WORDS}\b", re.I)
_SUPERLATIVE = re.compile(r"\b(highest|largest|biggest|greatest|longest|hardest|worst|heaviest|costliest|priciest|"
                          rf"maximum|max|(?<!at )(?<!at the )top(?!\s+\d|\s+of\b|\s+dead\b)|most\s+(?!recent|{_ROW_WORDS}\b)[a-z]+)\b",
                          re.I)  # "the top spender", not "at top of stroke"
_LEAST = re.compile(r"\b(lowest|smallest|least\s+[a-z]+|cheapest|shortest|easiest|minimum|min|fewest\s+[a-z]+)\b", re.I)
_WHICH_ROW = re.compile(rf"\b(?:which|what)\s+(?:single\s+|one\s+|individual\s+)?(?:(?:19|20)\d{{2}}\s+)?"
                        rf"(?:work\s+order|{_ROW_WORDS})\s+"
                        r"(?:on|in|for|from|of|took|had|has|was|cost|ran|needed|logged|booked|with|[a-z]{3,}ed)\b", re.I)
_GROUP_MOST = re.compile(r"\b(which|what|who)\b.{0,40}?\b(most|fewest|least|busiest|quietest)\b", re.I)
_GROUP_BY = re.compile(rf"\b(?:per|by|for each|each|breakdown by|broken down by|down by|grouped by|split by|"
                       rf"split (?:across|between|among)|spread (?:across|over)|broken out by)\s+"
                       rf"(?!(?:the\s+)?(?:number|count|amount|total)\s+of\b)"  # "by number of work orders": a ranking
                       rf"(?:of\s+)?(?:the\s+)?(?:(?:{_NUMBER_WORD}|\d+)\s+)?([a-z][\w-]*)", re.I)
_RANKED_PERIOD = re.compile(rf"\b(?:(?:top\s+)?(?:(?:{_NUMBER_WORD}|\d+)\s+)?(?:busiest|quietest|worst|best)|"
                            rf"top\s+(?:{_NUMBER_WORD}|\d+))\s+(year|month|quarter)s?\b", re.I)  # "the three busiest years"
_COUNT = re.compile(r"\b(how many|count of|count the|how often)\b|(?:^|\s)#\s*of\b|\bno\.\s+of\b|(?:^\s*|[:\-–—]\s*|\b(?:the|a|total|what|whats|how|is|"
                    r"was)\s+)number of\b", re.I)  # "FMEA: number of lines with ..."
_SUM = re.compile(r"\b(total|sum|altogether|in all|combined|how much (?:did|was|were|have|has|do)|spent|spend|"
                  r"cost (?:us|in total|altogether)|(?:add|adds|added) up (?:to|the|all))\b"
                  r"|\bwhat did\b.{1,60}\bcost\b|\bwhat (?:did|do|does|will)\b.{1,60}\b(?:come|amount|run) to\b", re.I)
_HOW_MUCH_OF = re.compile(r"\bhow much\s+(?:[a-z][\w-]*\s+){1,2}?(?:did|was|were|have|has|had)\b", re.I)
_EVER = re.compile(r"^\s*(?:has|have|had|did|was|were|is|are)\b.{0,80}\b(?:ever|any)\b", re.I)
_AVERAGE = re.compile(r"\b(average|mean|avg|typical)\b", re.I)
_LATEST = re.compile(r"\b(last|latest|most recent|newest|most recently)\b", re.I)
_EARLIEST = re.compile(r"\b(first|earliest|oldest)\b", re.I)
# Where the records of an asset begin or end: the earliest or latest date, not a row that says "start".
_HISTORY_BOUND = re.compile(r"\b(?:history|records?|logs?|data|entries)\s+(?:(start|starts|started|begin|begins|began)|"
                            r"end|ends|ended|stop|stops|stopped)\b|\b(?:(start|beginning)|end)\s+of\s+(?:\w+'s\s+|the\s+|its\s+)?"
                            r"(?:\w+\s+)?(?:history|records?|logs?|data)\b", re.I)
_LIST = re.compile(r"^\s*(?:list|show|give me|what are (?:the|all)|are there any|any)\b|\b(list|show me|show all|"
                   r"which (?:[\w-]+ ){0,5}(?:have|had|has|are|were|did|got|get|need)|"
                   r"what (?:[\w-]+ ){0,3}(?:are|were) (?:in|on|under|listed|logged|recorded)|"
                   r"what [\w-]+s (?:have|had|has|with))\b", re.I)
_LISTED = re.compile(r"^\s*(?:list|show(?: me)?|give me|which|what(?: are| were)?)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?"
                     r"((?:[\w-]+\s+){0,2}[\w-]+)", re.I)
_WHEN = re.compile(r"^\s*(?:and\s+)?when\b|\bwhen (?:was|were|did|is|are|has|have)\b|\bwhat date\b|\bwhich (?:day|date)\b", re.I)
_PERCENT = re.compile(r"\b(?:what|which)?\s*(?:percentage|percent|proportion|share|fraction)\b", re.I)
_ORDERED = re.compile(r"\b(?:in\s+)?(descending|ascending|decreasing|increasing)\s+order\s+of\b|\b(?:sorted|ordered|ranked)\s+by\b",
                      re.I)
_HOW_OFTEN_PAST = re.compile(r"\bhow often (?:did|has|have|was|were)\b", re.I)
_UNIT_COUNT = re.compile(r"\bhow many\s+(?:[a-z][\w-]*\s+){0,2}?(?:seconds|minutes|hours|hrs|days|weeks|months|years|"
                         r"dollars|euros|quarts|qts?|gallons|gal|litres|liters|psi|bar|pounds|lbs?|kg|kilograms|feet|inches|"
                         r"millimet(?:er|re)s|mm|volts|amps|degrees)\b", re.I)
_COMPARE = re.compile(
    r"\b(over|above|more than|greater than|exceeding|at least|higher than|under|below|less than|lower than|"
    r"longer than|larger than|bigger than|heavier than|shorter than|smaller than|lighter than|fewer than|"
    r"at most|no more than|of|equal to|equals|=|is|of exactly|exactly)\s+\$?\s*(\d(?:[\d,]*\d)?(?:\.\d+)?)(?![\d.,]*\s*%)"
    r"|\b(negative|below zero|less than zero|zero|nil)\b"
    r"|\b(\d(?:[\d,]*\d)?(?:\.\d+)?)\s*(?:(?:[a-z]+\s+)?(?:hours?|hrs?|h|days?|d|minutes?|mins?|weeks?|dollars|euros|points?|"
    r"n\s*[·.\-]?\s*m|in[-\s]?lbs?|ft[-\s]?lbs?|psi|bar|kpa|mm|kg|qts?|quarts?|litres?|liters?|l|gal(?:lons?)?)\s+"
    r"(?:of\s+[a-z]+\s+)?)?"  # "2.5 hours of downtime or more"
    r"(\+|or more|or above|or higher|or longer|and above|and up|-(?=\s*[)\],;]|\s*$)|or less|or below|or lower|or shorter|and below)"
    r"(?=[\s)?,.]|$)", re.I)
_EQUALS = ("of", "equal to", "equals", "=", "is", "of exactly", "exactly")
# A year, not an amount: "$2000", "2000 dollars" and "1950 hours" are no years.
_YEAR = re.compile(r"(?<![$\d.,])\b(19\d{2}|20\d{2})\b(?![.,]\d|\s*(?:dollars|usd|euros?|eur|pounds|gbp|bucks|"
                   r"hours?|hrs?|days?|minutes?|mins?)\b)", re.I)
_MONTH_NAME = rf"(?:{'|'.join(MONTHS)}|{'|'.join(m[:3] for m in MONTHS)})\.?"
_MONTH_RANGE = re.compile(rf"\b({_MONTH_NAME})\s*(?:to|-|–|through|thru|and|until|till)\s*({_MONTH_NAME}),?\s+(19\d{{2}}|20\d{{2}})\b",
                          re.I)
_QUARTER = re.compile(r"\bQ([1-4])\s*(?:of\s+)?(19\d{2}|20\d{2})\b"
                      r"|\b(first|second|third|fourth|last)\s+quarter\s+(?:of\s+)?(19\d{2}|20\d{2})\b", re.I)


_MONTH_YEAR = re.compile(rf"\b({'|'.join(MONTHS)}|{'|'.join(m[:3] for m in MONTHS)})\.?,?\s+(19\d{{2}}|20\d{{2}})\b", re.I)
_BETWEEN = re.compile(r"\b(?:between|from)\s+(19\d{2}|20\d{2})\s*(?:and|to|-|–|until|through)\s*(19\d{2}|20\d{2})\b"
                      r"|\b(19\d{2}|20\d{2})\s*(?:-|–|to|through)\s*(19\d{2}|20\d{2})\b", re.I)
_MONTH_YEAR_RANGE = re.compile(rf"\b({_MONTH_NAME}),?\s+(19\d{{2}}|20\d{{2}})\s*(?:to|-|–|through|thru|until|till|and)\s*"
                               rf"({_MONTH_NAME}),?\s+(19\d{{2}}|20\d{{2}})\b", re.I)
_YEAR_LIST = re.compile(r"\b(?:19|20)\d{2}(?:\s*,\s*(?:19|20)\d{2})*,?\s+(?:and|&)\s+(?:19|20)\d{2}\b")
_ASKING = (r"(?:how|what|which|when|who|where|list|give|show|total|did|do|does|is|are|can|could|tell|count|compare|"
           r"break|sum|rank|find|get|pull|in|for|across|over|average|mean|number|top|highest|lowest|most|least|"
           r"earliest|latest|first|last)\b")
_PURPOSE = re.compile(r"\s*(?:for|ahead of|before|prepping|preparing|quick one|reliability|audit)\b", re.I)
_PREAMBLE = re.compile(rf"^[^:?]{{1,80}}:\s*(?={_ASKING})"
                       r"|^\s*(?:looking|going|speaking|talking|thinking|checking|reviewing|working|digging|based)\b[^,?]{0,80},\s*"
                       rf"|^[^-–—?]{{1,60}}\s[-–—]\s+(?={_ASKING})"  # "Planner here - total spend on ...", "2024 - how many tickets ..."
                       r"|^\s*(?:pull|bring|dig|fetch|grab|get|look)\s+(?:up|out|me)\b",  # "Pull up the date ..."
                       re.I)  # "Quick one for the fleet review: ...", "Looking at the GSE records for 2022, ..."
_SINCE = re.compile(r"\b(since|after)\s+(19\d{2}|20\d{2})\b", re.I)
_FROM_DAY = re.compile(rf"\b(since|after|from|starting|before|until|till|prior to|up to)\s+(?:on\s+)?(?:the\s+)?"
                       rf"(?=\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAME}|\d{{4}}-\d{{2}}-\d{{2}})", re.I)
_ASKS_OF_IT = re.compile(r",?\s+and\s+(?:which|what|who|whose|where|how much|how many|when)\b[^?]*\b(?:it|that|this|they|them)\b"
                         r"[^?]*\??\s*$", re.I)  # "..., and which machine is it for?"
_SINCE_MONTH = re.compile(rf"\b(since|from|after)\s+(?:the\s+(?:start|beginning)\s+of\s+)?({_MONTH_NAME}),?\s+(19\d{{2}}|20\d{{2}})\b"
                          r"(?!\s*(?:to|-|–|through|thru|until|till|and)\b)", re.I)
_HALF = re.compile(r"\b(?:(first|second|1st|2nd|last)\s+half\s+(?:of\s+)?|H([12])\s*)(19\d{2}|20\d{2})\b", re.I)
_MONTH_SPAN = re.compile(rf"\b({_MONTH_NAME})\s*(?:to|-|–|through|thru|until|till)\s*({_MONTH_NAME})\b", re.I)
_BEFORE = re.compile(r"\b(before|until|up to|prior to)\s+(19\d{2}|20\d{2})\b", re.I)
# What a "which" question asks for: "which three GSE units", "what were the two most common ATA chapters".
_ENTITY = re.compile(rf"\b(?:which|what|who)\s+(?:(?:are|were|was|is)\s+)?(?:the\s+)?(?:top\s+)?(?:({_NUMBER_WORD}|\d{{1,2}}(?!\d))\s+)?"
                     r"(?:(?:most|least)\s+(?:common|frequent|often)\s+)?((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)
# "the most downtime", "cost the most", "highest total cost": an amount that adds up over a group's rows,
# not one row's rating ("the highest RPN", "the most severe").
_PER_THE = re.compile(r"per\s+the\b", re.I)  # "per the FMEA": according to it, not a grouping
_TOP_BY = re.compile(rf"\btop\s+({_NUMBER_WORD}|\d+)\s+((?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)"
                     rf"(?:\s+(?:in|of|from|across)\s+(?:the\s+)?(?:[\w-]+\s+){{0,4}}?[\w-]+)?"  # "top 3 components in the FMEA by"
                     rf"\s+(?:by|for|on|in terms of)\b", re.I)
_ACCUMULATES = re.compile(r"\b(?:total|sum|altogether|combined|overall\s+cost)\b|\b(?:cost|spent|spend|took|take|"
                          r"booked|logged|used|needed|required)\s+(?:us\s+|them\s+|it\s+)?(?:the\s+)?(?:most|least)\b"
                          r"|\b(?:most|least)\s+(?!(?:\w+(?:ive|ous|ful|ent|able|ible|ly|est|ed)|common|frequent|often|"
                          r"recent|likely|severe)\b)[a-z]+", re.I)
_COUNTED = re.compile(r"\bhow many\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)


def _month(name: str) -> int:
    return [m[:3] for m in MONTHS].index(name[:3].lower()) + 1


def _quarter(question: str) -> tuple[int, int] | None:
    """(year, quarter) named by the question.

    >>> _quarter("Q4 2024"), _quarter("in the third quarter of 2023"), _quarter("in 2023")
    ((2024, 4), (2023, 3), None)
    """
    m = _QUARTER.search(question)
    if not m:
        return None
    if m.group(1):
        return int(m.group(2)), int(m.group(1))
    return int(m.group(4)), min(("first", "second", "third", "fourth", "last").index(m.group(3).lower()), 3) + 1


def _number(text: str) -> int:
    return int(NUMBER_WORDS.get(text.lower(), text))


def _superlative(q: str) -> bool:
    """A superlative of a quantity ("most expensive", "highest"), not "most work orders"."""
    for m in _SUPERLATIVE.finditer(q):
        if m.group(0).lower().startswith("most"):
            nxt = re.match(r"\W*([\w-]+)", q[m.start() + 4:])
            word = nxt.group(1) if nxt else ""
            if re.fullmatch(_ROW_WORDS, word, re.I) or re.search(r"\d", word) or (word.isupper() and len(word) > 1):
                continue  # "most work orders", "most ROBOT-5 jobs": a count per group, not a superlative
            adjective = word.lower() in QUANTITY_WORDS or re.search(r"(?:ive|ous|ful|ent|able|ible|ly|est|ed)$", word, re.I)
            later = re.match(rf"[^\w?!.]*(?:[\w()-]+[^\w?!.]+){{0,5}}?{_ROW_WORDS}\b", q[m.start() + 4:], re.I)
            if not adjective and later:
                continue  # "the most landing gear (ATA 32) squawks": a count per group
        return True
    return False


def _grouped(q: str) -> bool:
    """ "per asset", "by ATA chapter", "for each unit": grouped; "per work order", "per squawk",
    "per GPU-09 record": one row each."""
    if _EACH_YEAR.search(q) or _ONE_BY_ONE.search(q):
        return True  # "in each of 2022, 2023 and 2024", "unit by unit"
    m = _GROUP_BY.search(q)
    compound = m and re.match(r"\s+(?:code|codes|type|types|mode|modes|class|category|categories|status)\b",
                              q[m.end():], re.I)  # "by failure code", "by work type": a column, not the rows
    if not m or not compound and (re.fullmatch(_ROW_WORDS, m.group(1), re.I) or stem(m.group(1).lower()) in ROW_NOUNS):
        return False
    if _PER_THE.match(m.group(0)):
        return False  # "per the FMEA", "per the SOP": according to it
    # "per GPU-09 work record", "per TUG-2 job": one row each of a named unit, not a grouping
    return not (re.search(r"\d", m.group(1)) and any(stem(w) in ROW_NOUNS for w in words_of(q[m.end():])[:3]))


def detect_operation(question: str) -> tuple[str, int] | None:
    """(operation, N): what a table would compute for the question; N is top-N's N (0 otherwise).

    "lookup" (the row a question names) is the fallback; whether a table answers at all is
    decided by how well the question links to one (`plan_question`)."""
    q = question
    if _WHICH_ROW.search(q) and not _COUNT.search(q):  # "which single squawk on N27315 took the most labor hours"
        if re.search(r"\b(?:most|highest|longest|biggest|largest|greatest)\b", q, re.I):
            return ("max", 1)
        if re.search(r"\b(?:least|lowest|shortest|smallest|fewest)\b", q, re.I):
            return ("min", 1)
    which_n = _ENTITY.search(q)
    which_n = which_n if which_n and which_n.group(1) else None
    if which_n and _GROUP_MOST.search(q) and not _superlative(q):
        return ("group", _number(which_n.group(1)))
    if (m := _N_ROWS.search(q)) and _superlative(q) and not _COUNT.search(q) and 1 < _number(m.group(1)) <= 50:
        return ("top", _number(m.group(1)))  # "which three work orders cost the most", "the three jobs with the most downtime"
    if (m := _TOP_N.search(q)) and not _COUNT.search(q):
        n = _number(m.group(1) or m.group(2))
        if 1 < n <= 50:
            return ("group", n) if _GROUP_MOST.search(q) and not _superlative(q) else ("top", n)
    if _GROUP_MOST.search(q) and not _superlative(q) and not _LEAST.search(q.replace("least", "fewest")):
        return ("group", 1)
    if _GROUP_MOST.search(q) and re.search(r"\b(fewest|least)\b", q, re.I) and not _superlative(q):
        return ("group_least", 1)
    if _PERCENT.search(q):
        return ("percent", 0)
    if _ORDERED.search(q):
        return ("group_average", 0) if _AVERAGE.search(q) else ("sorted", 0)
    if _UNIT_COUNT.search(q) and re.search(r"\bwhich\b", q, re.I) and (_superlative(q) or _LEAST.search(q)):
        return ("max", 1) if _superlative(q) else ("min", 1)  # "which has the shortest lead time, and how many days is it"
    if _UNIT_COUNT.search(q):  # "how many labor hours": a total (or an average) of a column, if one is named
        if _AVERAGE.search(q):
            return ("group_average", 0) if _grouped(q) else ("average", 0)
        return ("group_sum", 0) if _grouped(q) else ("sum", 0)  # "how many hours of downtime": a total of a column, if one is named
    if re.search(r"\bhow often\b", q, re.I) and not _HOW_OFTEN_PAST.search(q):
        return ("lookup", 0)  # "how often are filters changed": an interval the documents give
    if _COUNT.search(q) or _EVER.search(q):
        return ("group", 0) if _grouped(q) and not _EVER.search(q) else ("count", 0)
    if _AVERAGE.search(q):
        ranked = _ENTITY.search(q) and (_superlative(q) or _LEAST.search(q))  # "which subsystem has the lowest average RPN"
        return ("group_average", 0) if _grouped(q) or ranked else ("average", 0)
    if _SUM.search(q) and not _superlative(q):
        return ("group_sum", 0) if _grouped(q) else ("sum", 0)
    if _HOW_MUCH_OF.search(q) and not _superlative(q):
        return ("group_sum", 0) if _grouped(q) else ("sum_of", 0)  # "how much downtime did PRESS-01 have": a total
    if _superlative(q):
        return ("max", 1)
    if _LEAST.search(q):
        return ("min", 1)
    if re.search(rf"\b(?:first|earliest|oldest)\s+(?:\(?[\w-]+\)?\s+){{0,3}}?{_ROW_WORDS}\b", q, re.I):
        return ("earliest", 1)
    if _LATEST.search(q) and (_WHEN.search(q) or re.search(r"\b(last|latest|most recent)\b", q, re.I)):
        return ("latest", 1)
    if re.search(r"\b(?:first|earliest|oldest)\s+(?:date|day)\b", q, re.I):
        return ("earliest", 1)  # "what's the first date GPU-09 came in"
    if re.search(r"\b(?:last|latest|most recent|newest)\s+(?:date|day)\b", q, re.I):
        return ("latest", 1)
    if _EARLIEST.search(q) and (_WHEN.search(q) or re.search(r"\bfirst time\b|\bearliest\b|\boldest\b", q, re.I)):
        return ("earliest", 1)
    if (m := _GROUP_BY.search(q)) and not _PER_THE.match(m.group(0)) and re.search(
            r"\b(breakdown|broken down|break\b.{0,40}\bdown|grouped|split|for each|per)\b|\bby (?:year|month|quarter)\b",
            q, re.I):  # "per the FMEA" is "according to"
        return ("group", 0)
    if (bound := _HISTORY_BOUND.search(q)) and (_WHEN.search(q) or re.match(r"\s*what\b", q, re.I)):
        return ("earliest" if bound.group(1) or bound.group(3) else "latest", 1)  # "when does E's history start"
    if _WHEN.search(q):
        return ("latest", 1)
    if _LIST.search(q):
        return ("list", 0)
    if _MONEY.search(q) and (_YEAR.search(q) or _grouped(q)) and not re.search(r"\b(?:price|priced|prices)\b", q, re.I):
        # "n7093r parts $ for 2023?", "GSE cost by unit for 2024": money over a period or per group adds up
        return ("group_sum", 0) if _grouped(q) else ("sum", 0)
    return ("lookup", 0)


@dataclass(frozen=True)
class Condition:
    """One exact criterion: a column holds one of `values`, or compares to them, or a date lies in a range."""

    column: str  # header name (every table of the plan has it, or a role name prefixed "role:")
    op: str  # "in" | "=" | ">" | ">=" | "<" | "<=" | "between" | "blank"
    values: tuple
    label: str  # as the answer states it


@dataclass(frozen=True)
class TextCondition:
    """The rows' text must mention this word of the question, or one that means the same."""

    word: str  # as the question has it
    forms: tuple[str, ...]  # stemmed forms searched


@dataclass(frozen=True)
class Plan:
    operation: str  # count | sum | average | max | min | top | group | group_least | group_sum | latest | earliest | list | lookup
    tables: tuple[TableInfo, ...]
    measure: str | None = None  # numeric column (header or "role:cost") for sum/average/max/min/top/group_sum
    group_by: str | None = None  # column to group by
    asked: tuple[str, ...] = ()  # columns the question asks to see (lookup, list)
    distinct: str | None = None  # count distinct values of this column too
    limit: int = 10
    conditions: tuple[Condition, ...] = ()
    text: tuple[TextCondition, ...] = ()
    date_column: str | None = None  # for latest/earliest and date ranges
    links: int = 0  # how many links to the table made the plan (its confidence)
    descending: bool = True  # sorted: largest first
    unknown: tuple[str, ...] = ()  # assets the question names that the table does not hold ("excavator F")
    unmeasured: str = ""  # a quantity asked of the table's records that no column keeps ("hours" of a log of costs)
    framing: tuple[str, ...] = ()  # words read as the question's wording, not criteria: no row mentions them

    def describe(self) -> list[str]:
        parts = [c.label for c in self.conditions]
        parts += [f"mentioning '{t.word}'" + (f" (or {', '.join(_shown_forms(t))})" if _shown_forms(t) else "")
                  for t in self.text]
        return parts


def _shown_forms(t: TextCondition) -> list[str]:
    return [f for f in t.forms if not same_root(f, stem(t.word).lower()) and f != t.word.lower()][:4]


@dataclass
class _Linked:
    table: TableInfo
    headers: list[HeaderLink]
    values: list[ValueLink]
    score: float = 0.0
    used: set[int] = field(default_factory=set)


def column_key(table: TableInfo, index: int, shared_roles: bool) -> str:
    column = table.columns[index]
    return f"role:{column.role}" if shared_roles and column.role else column.name


def resolve(table: TableInfo, key: str) -> int | None:
    """Index of a column named by a plan key: 'role:cost', a header name (case-insensitive), or
    'year:<key>' / 'quarter:<key>' / 'month:<key>' for the year, quarter or month of a date column."""
    if key.startswith(("year:", "quarter:", "month:")):
        return resolve(table, key.split(":", 1)[1])
    if key.startswith("role:"):
        return next((i for i, c in enumerate(table.columns) if c.role == key[5:]), None)
    found = next((i for i, c in enumerate(table.columns) if c.name.casefold() == key.casefold()), None)
    if found is None:  # "Downtime (h)" in one export is "DOWNTIME" in the other: the same field, unit aside
        bare = _bare(key)
        found = next((i for i, c in enumerate(table.columns) if bare and _bare(c.name) == bare), None)
    return found


def _bare(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r"\([^)]*\)", "", name.lower()))


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {w: int(NUMBER_WORDS[w]) for w in "one two three four five six seven eight nine".split()}
_COMPOUND = re.compile(rf"\b({'|'.join(_TENS)})(?:[-\s]({'|'.join(_UNITS)}))?\b", re.I)
_SMALL = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
_HALF_NUMBER = re.compile(rf"\b({_SMALL})\s+and\s+a\s+half\b", re.I)
_WORDED_BOUND = re.compile(rf"\b(more than|over|at least|at most|under|fewer than|less than|above|below|exceeding)\s+({_SMALL})\b"
                           rf"|\b({_SMALL})(\s+(?:[a-z]+\s+){{0,3}}?or\s+(?:more|less|fewer|higher|lower|above|below))\b", re.I)


_TEENS = {w: 10 + i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_RUN = re.compile(rf"\b(?:a\s+)?(?:(?:{'|'.join([*_UNITS, *_TEENS, *_TENS, *_SCALES])})(?:[\s-]+(?:and\s+)?|\b))+", re.I)
_DIGITS_SCALED = re.compile(r"(\$?)\b(\d+(?:\.\d+)?)\s*(thousand|million|k)\b", re.I)
# Comparisons people say without "more" or "less": one word or phrase, one bound, as the plain comparator.
_IDIOMS = {"north of": "over", "upwards of": "over", "in excess of": "over", "a minimum of": "at least",
           "south of": "under", "shy of": "under", "a maximum of": "at most", "not over": "at most"}
_SYMBOLS = {">=": "at least", "=>": "at least", "≥": "at least", "<=": "at most", "=<": "at most", "≤": "at most",
            ">": "over", "<": "under"}
_SYMBOL = re.compile(r"\s*(>=|=>|≥|<=|=<|≤|>|<)\s*(?=\$?\s*\d)")
_IDIOM = re.compile(rf"\b({'|'.join(_IDIOMS)})(?=\s+\$?\s*\d)", re.I)


def _spelled(m: re.Match) -> str:
    """A number written in words with a scale as a figure: "two hundred fifty" -> "250 ", "ten thousand" -> "10000 "."""
    tokens = re.findall(r"[a-z]+", m.group(0).lower())
    if not set(tokens) & set(_SCALES):
        return m.group(0)  # "seventy-five", "three or four": handled as words elsewhere
    total = current = 0
    for token in tokens:
        if token in ("a", "and"):
            current += token == "a"
        elif token in _SCALES:
            current = max(current, 1) * _SCALES[token]
            if token != "hundred":
                total, current = total + current, 0
        else:
            current += _UNITS.get(token) or _TEENS.get(token) or _TENS[token]
    return f"{total + current}" + (" " if m.group(0)[-1:].isspace() else "")


def _digits_scaled(m: re.Match) -> str:
    """ "$2.5k" -> "$2500", "10 thousand" -> "10000"."""
    value = float(m.group(2)) * (1000 if m.group(3).lower() in ("k", "thousand") else 1_000_000)
    return m.group(1) + (str(int(value)) if value == int(value) else str(value))


_SET_BACK = re.compile(r"\bset\s+(?:us|them|me|the plant|the shop)\s+back\b", re.I)
_TALLY = re.compile(r"\btally(?:\s+up)?\b", re.I)


_ANY_STATUS = re.compile(r",?\s*\b(?:(?:whether\s+)?(?:open|closed|complete|completed|finished|done)\s+or\s+"
                         r"(?:open|closed|not|complete|completed|finished|done|still open)|(?:whatever|regardless of|"
                         r"irrespective of|no matter)\s+(?:its|their|the|what)?\s*status|(?:of\s+|in\s+)?(?:any|every)\s+status"
                         r"|all\s+statuses)\b", re.I)
# "the three assets with the most downtime": a ranking of groups, asked as "which three assets had the most".
# Rows ("the three jobs with the most downtime") stay rows: they are ranked one by one.
_THINGS_WITH_MOST = re.compile(rf"\b(?:the\s+(?:({_NUMBER_WORD}|\d{{1,2}})\s+)?|({_NUMBER_WORD}|\d{{1,2}})\s+)"
                               rf"((?:[A-Za-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)\s+(?:with|having|that\s+"
                               rf"(?:had|has|have|logged|saw|took|ran up|racked up|ran))\s+(?:the\s+)?"
                               rf"(most|highest|largest|biggest|greatest|fewest|least|lowest|smallest)\b", re.I)


def _as_which(m: re.Match) -> str:
    n, noun = m.group(1) or m.group(2), m.group(3)
    head = noun.split()[-1].lower()
    if re.fullmatch(_ROW_WORDS, head, re.I) or head in STOPWORDS or head in {"one", "ones"} \
            or any(w.lower() in STOPWORDS for w in noun.split()):
        return m.group(0)  # "the three jobs with the most downtime": rows, ranked one by one
    return f"which {n + ' ' if n else ''}{noun} had the {m.group(4)}"


def numerals(question: str) -> str:
    """Amounts written in words as figures, where they bound or measure: "two and a half hours or more"
    is "2.5 hours or more"; "which one", "the single most" and "top three" keep their words. Phrasings the
    planner reads one way are written that way too: "set us back" as cost, "the three assets with the
    most" as "which three assets had the most", "2 dp" as "2 decimals", "open or closed" dropped.

    >>> numerals("jobs that ran to two and a half hours of downtime or more"), numerals("more than three jobs")
    ('jobs that ran to 2.5 hours of downtime or more', 'more than 3 jobs')
    >>> numerals("cost over ten thousand dollars ($10,000)"), numerals("priced north of $2.5k a unit")
    ('cost over 10000 dollars ($10,000)', 'priced over $2500 a unit')
    >>> numerals("north of two hundred fifty in total cost"), numerals("a hundred and twenty-five hours")
    ('over 250 in total cost', '125 hours')
    >>> numerals("one or two jobs, seventy-five dollars, the three busiest")
    'one or two jobs, 75 dollars, the three busiest'
    >>> numerals("Show the three assets with the most downtime"), numerals("the three jobs with the most downtime")
    ('Show which three assets had the most downtime', 'the three jobs with the most downtime')
    >>> numerals("every 2024 WO, open or closed."), numerals("every 2024 work order whatever its status")
    ('every 2024 WO.', 'every 2024 work order')
    """
    def figure(word: str) -> str:
        return NUMBER_WORDS.get(word.lower(), word)

    question = _NUMBER_RUN.sub(_spelled, question)  # "over ten thousand dollars", "north of two hundred fifty"
    question = _DIGITS_SCALED.sub(_digits_scaled, question)  # "north of $5k"
    question = _COMPOUND.sub(lambda m: str(_TENS[m.group(1).lower()] + _UNITS.get((m.group(2) or "").lower(), 0)),
                             question)  # "seventy-five dollars"
    question = _IDIOM.sub(lambda m: _IDIOMS[m.group(1).lower()], question)
    question = _SYMBOL.sub(lambda m: f" {_SYMBOLS[m.group(1)]} ", question)  # "downtime >= 4 h"
    question = _HALF_NUMBER.sub(lambda m: f"{figure(m.group(1))}.5", question)
    question = _SET_BACK.sub("cost", question)  # "what did PRESS-03 set us back": what it cost
    question = _TALLY.sub("count", question)  # "tally the squawks by mechanic"
    question = _THINGS_WITH_MOST.sub(_as_which, question)  # "the three assets with the most downtime"
    question = _ANY_STATUS.sub("", question)  # "every 2024 WO, open or closed": no status criterion
    question = re.sub(r"\b(\d)\s*d\.?p\.?(?![\w])", r"\1 decimals", question, flags=re.I)  # "2 dp": rounding
    return _WORDED_BOUND.sub(lambda m: f"{m.group(1)} {figure(m.group(2))}" if m.group(1)
                             else f"{figure(m.group(3))}{m.group(4)}", question)


def plan_question(question: str, store: TableStore, min_links: int = 1) -> Plan | None:
    """A plan for a question a table answers exactly, or None (then passages answer it)."""
    question = numerals(question)
    op = detect_operation(question)
    tables = store.tables()
    if op is None or not tables:
        return None
    operation, n = op
    if operation == "lookup":
        return None  # one row's value: retrieval finds the row and the evidence shows its fields,
        # beside any procedure step that gives it with its warnings
    qwords = words_of(question)
    if named := _named_tables(question, tables):
        tables = tuple(named)  # "how much ..., per the FMEA": that table answers, or none does (another's cost is no answer)
    linked = sorted((_link(question, qwords, store, t) for t in tables if _can(operation, t)), key=lambda lk: -lk.score)
    logs = [lk for lk in linked if lk.table.kind == "work_order"]
    fallback = None  # a plan that can only refuse: its records keep no such quantity, or name no such asset
    for best in linked[:3]:  # the best-linked table that can answer it
        if best.score < min_links:
            break
        plan = _assemble(question, qwords, operation, n, best, logs, store)
        if plan is None:
            continue
        if plan.unmeasured or plan.unknown:  # a log says best which assets it keeps
            if fallback is None or best.table.kind == "work_order" and fallback.tables[0].kind != "work_order":
                fallback = plan
        elif fallback is None or not fallback.unknown or all(
                any(id_pieces(v.value) == id_pieces(tag.split()[-1]) for v in best.values) for tag in fallback.unknown):
            return plan  # "hydraulic leaks on excavator C": the log that holds C, not the FMEA that lacks it
    if fallback is not None and fallback.unknown:  # "excavator F": the assets of the log named after excavators
        nouns = {stem(tag.split()[0]) for tag in fallback.unknown}
        named = [t for t in tables if t.kind == "work_order" and nouns & _title_words(t)]
        if named and fallback.tables[0] not in named:
            fallback = replace(fallback, tables=tuple(named))
    return fallback


# Words in many tables' names that do not tell one table from another.
_GENERIC_TITLE = frozenset(stem(w) for w in (
    "data dataset filled combined table tables sheet export exports file log logs record records list work order orders "
    "docs doc document documents csv xlsx xls docx html htm pdf md txt"
).split())


_DOC_REFERENCE = re.compile(r"\b(?:per|according to|in|from|on|by)\s+the\s+((?:[\w-]+\s+){0,3}?[\w-]+)\s*$"
                            r"|\b(?:per|according to)\s+the\s+((?:[\w-]+\s+){0,3}?[\w-]+)"
                            r"|\b(?:in|from)\s+the\s+((?:[\w-]+\s+){0,2}(?:catalogue|catalog|log|logs|records?|exports?|"
                            r"sheet|spreadsheet|table|list|file|register|database|workbook|fmea))\b")  # "... in the parts catalogue by unit price"


def _spelled_out(qwords: list[str], title: set[str]) -> set[int]:
    """Positions of words whose initials spell a short title word: "ground support equipment" for "gse".

    >>> sorted(_spelled_out(["each", "piece", "of", "ground", "support", "equipment"], {"gse", "work"}))
    [3, 4, 5]
    """
    out: set[int] = set()
    for short in title:
        k = len(short)
        if not (short.isalpha() and 3 <= k <= 5):
            continue
        for p in range(len(qwords) - k + 1):
            span = qwords[p : p + k]
            if "".join(w[0] for w in span) == short and not any(w in STOPWORDS for w in span):
                out |= set(range(p, p + k))
    return out


def _named_tables(question: str, tables: Sequence[TableInfo]) -> list[TableInfo]:
    """Tables the question names, at its end, after "per" / "according to", or "in the ... <catalogue, log,
    records ...>" within one sentence, by a word of their title, file or folder that no other table's name
    has ("..., per the FMEA?", "... in the parts catalogue by unit price?")."""
    sentences = [" ".join(words_of(part)) for part in re.split(r"[.?!;]\s", question)]  # a reference stays in its sentence
    asked = {stem(w) for text in sentences for m in _DOC_REFERENCE.finditer(text) for w in (m.group(1) or m.group(2) or m.group(3)).split()
             if len(w) > 3 and w not in STOPWORDS and w not in ASSET_NOUNS and not w.isdigit()}  # "in the 2024 export":
    # a year says which rows, not which file (both exports of one log are asked)
    if not asked:
        return []  # most questions name no document: no table's name is read
    names = {t.table_id: _title_words(t) for t in tables}
    tables_with = Counter(w for words in names.values() for w in words)
    return [t for t in tables if any(tables_with[w] == 1 for w in names[t.table_id] & asked)]


def _name_text(table: TableInfo) -> str:
    """What a table is called: its document's title, its sheet or table name, its file and its folder."""
    folder, _, file = table.source_path.rpartition("/")
    return f"{table.title} {table.name} {file} {folder.rpartition('/')[2]}"


def _title_words(table: TableInfo) -> set[str]:
    return {stem(w) for w in words_of(_name_text(table)) if len(w) > 2 and w not in STOPWORDS} - _GENERIC_TITLE


def _can(operation: str, table: TableInfo) -> bool:
    """Can this table compute the operation at all (a date for latest, a number for a sum)?"""
    types = {c.type for c in table.columns}
    if operation in ("latest", "earliest"):
        return ColumnType.DATE in types
    if operation in ("sum", "sum_of", "average", "max", "min", "top", "group_sum", "sorted", "group_average"):
        return bool(types & {ColumnType.NUMBER, ColumnType.MONEY}) or ColumnType.DATE in types
    return True


def _subject_found(qwords: list[str], store: TableStore, table: TableInfo) -> int:
    """How many of the question's content words (framing aside) some row of the table mentions."""
    found = 0
    for word in dict.fromkeys(qwords):
        s = stem(word)
        if word in STOPWORDS or s in FRAMING or s in ROW_NOUNS or len(word) < 3 or word.isdigit():
            continue
        found += _mentioned(word, store, table)
    return found


def _mentioned(word: str, store: TableStore, table: TableInfo) -> bool:
    """Does some row of the table mention the word, or one that means the same?"""
    return _mentions(store, table.table_id, table.sql_name, word)


@lru_cache(maxsize=4096)
def _mentions(store: TableStore, table_id: str, sql_name: str, word: str) -> bool:
    """A table's content is fixed by its id (its file's hash), so the answer is kept."""
    sql, params = terms_match(concept(word) | {stem(word)})
    return bool(store.query(f'SELECT 1 FROM "{sql_name}" WHERE {sql} LIMIT 1', params))


def _table_description(qwords: list[str], titled: set[int], used: set[int], store: TableStore,
                       table: TableInfo) -> set[int]:
    """ "the haul truck FMEA": the words before a word of the table's name, back to the article, describe
    the table when one of them is a word no row mentions (rows that must say "haul" would be none)."""
    out: set[int] = set()
    for p in sorted(titled):
        phrase, q = [], p - 1
        while q >= 0 and q not in used and q not in titled and qwords[q] not in STOPWORDS and len(phrase) < 3:
            phrase.append(q)
            q -= 1
        if phrase and any(not _mentioned(qwords[q], store, table) for q in phrase):
            out |= set(phrase)
    return out


def has_row_noun(qwords: Sequence[str]) -> bool:
    """Does the question name a log's rows ("work orders", "jobs", "squawks", "how many times")?

    >>> has_row_noun(words_of("list the steps in order")), has_row_noun(words_of("how many work orders"))
    (False, True)
    """
    pairs = zip(qwords, [*qwords[1:], ""])
    return any(stem(w) in ROW_NOUNS or (w, nxt[:5]) in (("work", "order"), ("line", "item")) for w, nxt in pairs)


def _identifiers_found(question: str, store: TableStore, table: TableInfo) -> int:
    """How many of the question's part numbers and ids some row of the table carries."""
    found = 0
    for ident in identifier_tokens(question):
        if store.query(f'SELECT 1 FROM "{table.sql_name}" WHERE _terms LIKE ? LIMIT 1', [f"% {ident.lower()}%"]):
            found += 1
    return found


def _link(question: str, qwords: list[str], store: TableStore, table: TableInfo) -> _Linked:
    headers = [h for h in link_headers(qwords, table.columns) if h.score >= 0.5]
    nouns = ASSET_NOUNS | {w for c in table.columns for w in header_terms(c)}
    values = link_values(question, qwords, store, table, frozenset(nouns))
    lk = _Linked(table, headers, values)
    stems = [stem(w) for w in qwords]
    row_nouns = table.kind == "work_order" and has_row_noun(qwords)
    title = {stem(w) for w in words_of(table.title + " " + table.name)} - STOPWORDS
    lk.score = (2.0 * len({v.column for v in values if not v.partial})
                + 1.0 * len({v.column for v in values if v.partial} - {v.column for v in values if not v.partial})
                + sum(h.score for h in headers[:2])
                + (1.0 if row_nouns else 0.0) + 0.5 * len(title & set(stems))
                + 1.0 * bool(_spelled_out(qwords, title))  # "ground support equipment records": the GSE records
                + 2.0 * _identifiers_found(question, store, table))
    if row_nouns:  # a log's records that mention the subject are evidence it is the log asked about
        lk.score += 0.75 * _subject_found(qwords, store, table)
    return lk


def _assemble(question: str, qwords: list[str], operation: str, n: int, best: _Linked,
              logs: list[_Linked], store: TableStore) -> Plan | None:
    table = best.table
    shared = table.kind == "work_order"  # every log is searched, columns named by role where they have one
    # "in the haul truck FMEA": a table is also named by its file and the folder it was filed in
    title = {stem(w) for w in words_of(_name_text(table))}
    titled = {p for p, w in enumerate(qwords) if stem(w) in title - STOPWORDS and len(w) > 2}
    titled |= _spelled_out(qwords, title)  # "ground support equipment" for the GSE records
    used: set[int] = set()
    conditions: list[Condition] = []
    for column, group in _by_value(best.values).items():
        key = column_key(table, column, shared)
        named = tuple(dict.fromkeys(v.value for v in group))  # "ATA 32" and "landing gear" name one value
        if shared and table.columns[column].role:  # "M. Reyes" in one export is "MREYES" in the other
            places = {p for v in group for p in v.used}
            named += tuple(dict.fromkeys(v.value for lk in logs if lk.table is not table for v in lk.values
                                         if lk.table.columns[v.column].role == table.columns[column].role
                                         and set(v.used) & places and v.value not in named))
        conditions.append(Condition(key, "in", named, f"{table.columns[column].name} is {' or '.join(named)}"))
        used |= {p for v in group for p in v.used}
    for column in _by_value(best.values):  # "coded as mechanical": the linked value's column named by a form of its header
        terms = [t for t in header_terms(table.columns[column]) if len(t) >= 4]
        used |= {p for p, w in enumerate(qwords) if any(w.startswith(t) or same_root(stem(w), t) for t in terms)}
    used |= _asset_description(qwords, used, best.values, table)
    date_col = _date_column(table, shared)
    date_cond, date_used = _date_condition(question, qwords, date_col)
    if date_cond:
        conditions.append(date_cond)
        used |= date_used
    numeric = [h for h in best.headers if table.columns[h.column].type.numeric]
    comparisons, cmp_used = _comparisons(question, qwords, table, numeric, shared)
    comparisons = list({(c.column, c.op, c.values): c for c in comparisons}.values())  # "over 4 (over 4.0 h)": once
    conditions += comparisons
    used |= cmp_used
    if operation in ("min", "max") and any(str(c.values[0]).startswith("column:") for c in comparisons if c.values):
        operation = "count" if _COUNT.search(question) else "list"  # "below their minimum stock" is no minimum
    listed = next((c for c in comparisons if c.op == "in" and len(c.values) > 1), None)
    if operation == "count" and listed is not None and "and" in qwords:  # "rated severity 2, severity 3 and severity 4": each
        operation, n = "group", 0
    blanks, blank_used = _blank_conditions(qwords, table, [h for h in best.headers if not set(h.used) & used], shared)
    conditions += blanks
    used |= blank_used
    measure = group_by = None
    operation, n, numeric, grouped, least = _refine(question, qwords, operation, n, table, numeric, used, shared)
    if operation == "none":
        asset = role_index(table.columns, "asset")
        unit = _UNIT_COUNT.search(question)
        if shared and unit and asset is not None and any(v.column == asset for v in best.values):
            # "how many hours was excavator D out of service": its records keep no hours; saying so beats a passage
            return Plan("none", (table,), conditions=tuple(conditions), date_column=date_col,
                        unmeasured=unit.group(0).split()[-1].lower())
        return None
    several = [c for c in conditions if c.op == "in" and len(c.values) > 1]  # "ROBOT-4 versus ROBOT-5"
    if grouped is None and operation in _SPLITS and _SEPARATELY.search(question) and len(several) == 1:
        grouped, operation = (several[0].column, set()), _SPLITS[operation]  # one figure for each named value
    if grouped is not None:
        group_by, g_used = grouped
        used |= g_used
    elif operation == "group" and listed is not None:
        group_by = listed.column
    if operation == "sum_of":  # only a column the question names: "how much oil did it take" sums no cost
        if not [h for h in numeric if not set(h.used) & used]:
            return None
        operation = "sum"
    if operation in ("sum", "average", "max", "min", "top", "group_sum", "sorted", "group_average"):
        measure = _measure(table, _ordering_first(question, qwords, numeric) if operation in ("sorted", "group_average")
                           else numeric, shared, operation, question)
        if measure is None:
            return None
        used |= {p for h in numeric if column_key(table, h.column, shared) == measure for p in h.used}
    if operation == "group_average" and group_by is None:
        group_by, g_used = _group_column(question, qwords, table, best, shared, prefer_listed=True)
        if group_by is None:
            operation = "average"
        used |= g_used
    if group_by is None and operation in ("group", "group_least", "group_sum") and not (
            operation == "group" and n == 0 and _COUNT.search(question) and not _GROUP_BY.search(question)):
        group_by, g_used = _group_column(question, qwords, table, best, shared)
        if group_by is None and len(several) == 1:
            group_by = several[0].column  # "how many did PRESS-01 and PRESS-02 each have"
        if group_by is None:
            if operation == "group_sum":
                operation = "sum"
            elif n > 1:
                operation = "top"
                measure = _measure(table, numeric, shared, "top", question)
                if measure is None:
                    return None
            else:
                return None
        used |= g_used
    asked = tuple(column_key(table, h.column, shared) for h in best.headers
                  if not (set(h.used) & used) and table.columns[h.column].type is not ColumnType.DATE)
    if operation == "list" and asked and group_by is None and (listed := _LISTED.search(question)):
        named = link_headers(words_of(listed.group(1)), table.columns)
        first = next((h for h in best.headers if named and h.column == named[0].column), None)
        if first is not None and table.columns[first.column].type is ColumnType.CATEGORY:
            group_by = column_key(table, first.column, shared)  # "list the failure codes", "which components"
            used |= set(first.used)
            if not [c for c in conditions if c.op != "in" and c.op != "between"]:
                operation = "group"  # the values with their counts; with a comparison, the rows and their values
    used |= {p for h in best.headers for p in h.used}
    kept = {column_unit(c) for c in table.columns} - {None}
    used |= {p for family, places in question_units(qwords) if family in kept for p in places}  # "lbf·ft", "hours"
    if shared:  # "who did S. Novak lead": LEAD is the person column of the other export, not a word to find
        used |= {p for lk in logs if lk.table is not table for h in lk.headers
                 if lk.table.columns[h.column].role for p in h.used}
    distinct = None
    if operation == "count":
        distinct = _counted_column(question, qwords, table, best, shared)
    ids, id_used = _identifier_conditions(question, qwords, used)
    titled |= _table_description(qwords, titled, used | id_used, store, table)
    titled |= {p + 1 for p in titled if p + 1 < len(qwords) and stem(qwords[p + 1]) in _GENERIC_TITLE}  # "torque spec sheet"
    if operation in ("earliest", "latest") and (bound := _HISTORY_BOUND.search(question)):
        titled |= _span_of(question, bound.start(), bound.end())  # "history start": the bound, not a word to find
    if preamble := _PREAMBLE.match(question):  # "Quick one for the fleet review: how many ...": no text conditions
        # but a word the rows use is the subject: "Track problems on excavator A - how many work orders ..."
        # (one that names no value, date or amount is all wording: "Plant manager, prepping the budget review -")
        lead = set(range(min(len(words_of(preamble.group(0))), len(qwords))))
        purpose = bool(_PURPOSE.match(question))  # "For the press line review:": why it is asked, every word
        titled |= {p for p in lead - used if purpose or not (lead & used) or not _mentioned(qwords[p], store, table)}
    if operation in ("max", "min", "latest", "earliest", "top") and (asks := _ASKS_OF_IT.search(question)):
        # "the highest torque figure, and which machine and bolts is it for?": the found row's fields, not conditions
        titled |= set(range(len(words_of(question[: asks.start()])), len(qwords)))
    named_values = {v.lower() for c in conditions if c.op == "in" for v in c.values if isinstance(v, str)}
    used |= {p for p, w in enumerate(qwords) if w in named_values}  # "(MREYES in the 2024 export)": the linked lead
    framing = _framing(question, qwords, used | titled | id_used, {p for v in best.values for p in v.used}, store, table)
    text, ignored = _text_conditions(qwords, used | titled | id_used | framing, best.table, store)
    # A named part number is the subject: the words around it ("element", "kit", "coils") only add
    # the mismatch between a question's words and a technician's shorthand, so they do not narrow it.
    text = ids if ids else text
    if operation == "lookup" and not (best.values or text) or operation == "lookup" and not asked:
        return None
    if operation == "list" and not (best.values or text or conditions):
        return None
    if operation == "percent" and not any(c.op in (">", ">=", "<", "<=", "=") for c in conditions) and not text:
        return None
    if re.match(r"\s*(?:and\s+)?who\b", question, re.I) and not (group_by and _person_column(table) is not None):
        return None  # "who did that job?" asks for a person; a log without a person column cannot say
    if operation in ("lookup", "list") and not (best.values or best.headers):
        return None  # naming the rows alone does not make a question about them
    links = len(best.values) + len(best.headers) + (1 if shared and has_row_noun(qwords) else 0)
    members = (table,) if not shared else tuple(lk.table for lk in logs if _has_all(lk.table, conditions, measure,
                                                                                    group_by, asked, date_col))
    members = _named_logs(qwords, members)
    limit = n if operation in ("top", "group", "group_sum", "group_least") and n > 1 else (25 if operation == "sorted" else 10)
    least = least or (operation == "group_average" and bool(_LEAST.search(question)) and not _superlative(question))
    descending = not (least or re.search(r"\b(ascending|increasing|lowest first|smallest first)\b", question, re.I))
    unknown = _unknown_assets(qwords, used, table, question)
    return Plan(operation, members or (table,), measure, group_by, asked, distinct, limit, tuple(conditions),
                tuple(text), date_col, links, descending, unknown,
                framing=tuple(dict.fromkeys(qwords[p] for p in sorted(framing) if qwords[p] not in STOPWORDS)))


# Where a question's own wording sits, apart from what it asks of the rows: the clauses and sentences
# around the one that asks ("Stores here.", "For the 2022 review,", "Plant manager, prepping the budget
# review -", ", 2 decimals, RPN column as recorded"), the verb before a superlative ("years saw the most"),
# the words of a total ("total maintenance bill"), the group a figure is asked for ("each piece of ground
# equipment"), and the noun a linked value qualifies ("LEAK-coded calls", "PRESS-03 tickets").
_CLAUSE_BREAK = re.compile(r"(?:\s*(?:[,;:()]|[.!?](?=\s)|(?<=[\s)])[-–—](?=\s))\s*)+")
_ASKS = re.compile(r"\b(?:how|what|whats|which|when|who|whose|where|list|give|show|count|compare|total|sum|average|rank|"
                   r"tally|break|find|pull|split|add|need|can|could)\b", re.I)
# A clause about the asker or the purpose, not the rows: "I'm sizing next year's budget.", "- it's for the memo"
_ABOUT_ASKER = re.compile(r"(?:i'm|i am|im|we're|we are|it's|it is|this is|that's|need it|need this|i want|i need|"
                          r"i'd like|we want|we need)\b", re.I)
_QUALIFIES = re.compile(r"(?:that|which|who|whose|where|when|caused|due|with|without|involving|for|on|in|from|at|about|"
                        r"regarding|related|because|excluding|including|only|except|but)\b", re.I)
_BEFORE_SUPERLATIVE = re.compile(r"\b([a-z]+)\s+the\s+(?:most|least|fewest|highest|lowest|biggest|largest|greatest)\b", re.I)
_TOTAL_PHRASE = re.compile(r"\b(?:total|overall|combined|entire|whole)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)
# A lead of up to three words ending in a person or an activity, then a colon or a dash: "Reliability
# review:", "Stores clerk -", "Audit question:". A lead naming a thing ("Hydraulic leaks:") is the topic,
# and so is an activity on a thing the rows name ("Brake check -").
_PEOPLE = "here|clerk|engineer|manager|planner|tech|technician|apprentice|auditor|supervisor|lead|inspector|analyst|" \
          "mechanic|controller|buyer"
_LABEL_LEAD = re.compile(rf"^\s*((?:[\w'-]+\s+){{0,2}})(?:({_PEOPLE})|review|check|audit|report|meeting|question|"
                         r"query|request|note|update|summary)\s*(?::|\s[-–—])\s", re.I)
_REQUEST = re.compile(r"(?:^|[.?!]\s+)(?:(?:can|could|would|will)\s+(?:you|u|someone|somebody)\s+(?:please\s+)?)"
                      r"([a-z]+)\b", re.I)  # "can you pull", "could you dig out"
_FALLS_UNDER = re.compile(r"\b(?:fall|falls|fell|come|comes|sit|sits)\s+(?:under|into|within)\b"
                          r"|\bas\s+(?:it|they)\s+(?:stands?|is|are)\b|\bas[- ](?:is|given|written|listed|recorded|"
                          r"exported)\b", re.I)  # "add up every line as it stands": how to read the data, no topic
_UPKEEP = frozenset(stem(w) for w in "maintenance upkeep repair repairs servicing".split())  # what every record is
_EACH_PHRASE = re.compile(r"\b(?:each|every|per)\s+((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)", re.I)


def _outside_asking_clause(question: str) -> list[tuple[int, int]]:
    """Character spans of the clauses and sentences other than the first one that asks.

    >>> q = "Reliability review - average RPN per subsystem, 2 decimals, that is all"
    >>> [q[a:b] for a, b in _outside_asking_clause(q)]
    ['Reliability review', '2 decimals']
    """
    cuts = [0] + [x for m in _CLAUSE_BREAK.finditer(question) for x in (m.start(), m.end())] + [len(question)]
    clauses = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i + 1] > cuts[i]]
    if len(clauses) < 2:
        return []
    core = next((c for c in clauses if _ASKS.search(question[c[0]:c[1]])), clauses[0])  # else the request comes first
    # after the asking clause, one that qualifies its rows (", that may be caused by natural degradation") is the subject
    return [c for c in clauses if c < core or c > core and not _QUALIFIES.match(question, c[0])]


def _span_of(question: str, start: int, end: int) -> set[int]:
    """The word positions of question[start:end]."""
    at = len(words_of(question[:start]))
    return set(range(at, at + len(words_of(question[start:end]))))


def _framing(question: str, qwords: list[str], used: set[int], valued: set[int], store: TableStore,
             table: TableInfo) -> set[int]:
    """Positions of words in framing places that no row of the table mentions: wording, not criteria.

    A word no row mentions would make every answer "none match"; in these places it only frames the
    question. Elsewhere ("how many ROBOT-4 jobs mention weld spatter") such a word stays a condition,
    and the answer says that nothing mentions it."""
    places: set[int] = set()
    said: set[int] = set()
    span = partial(_span_of, question)

    for start, end in _outside_asking_clause(question):
        places |= span(start, end)
        if _ABOUT_ASKER.match(question, start):  # "I'm sizing next year's labour budget": every word frames
            said |= span(start, end)
    for m in _BEFORE_SUPERLATIVE.finditer(question):
        places |= span(m.start(1), m.end(1))
    for pattern, always in ((_TOTAL_PHRASE, lambda w: stem(w) in _UPKEEP),  # "total maintenance bill": what all of it is
                            (_EACH_PHRASE, lambda w: w in ASSET_NOUNS)):  # "for each machine": the group
        for m in pattern.finditer(question):
            phrase = span(m.start(1), m.end(1))
            places |= phrase
            said |= {p for p in phrase if p < len(qwords) and always(qwords[p])}
    for m in _FALLS_UNDER.finditer(question):  # "lines that fall under the Electrical System"
        said |= span(m.start(), m.end())
    if (m := _LABEL_LEAD.match(question)) and not span(0, m.end()) & valued:
        lead = span(0, m.end())  # "Reliability review: 2024 cost by code": who asks and why, no topic
        named = [w for w in words_of(m.group(1)) if w not in STOPWORDS and _mentioned(w, store, table)]
        if m.group(2) or not named:
            said |= lead
        else:
            places |= lead  # "Brake check - how many in 2023?": brake jobs; only words no row uses frame
    for m in _REQUEST.finditer(question):  # "Can you pull the total downtime ...": the asking, no topic
        said |= span(m.start(1), m.end(1))
    for m in re.finditer(r"\(([^()]*)\)", question):  # "ATA 32 (landing gear)": a gloss of the value before it
        before = span(0, m.start())
        if before and max(before) in valued:
            said |= span(m.start(1), m.end(1))
    places |= {p + 1 for p in valued if p + 1 not in valued}  # "LEAK-coded calls", "PRESS-03 tickets"
    unused = [p for p in sorted(said | places) if p not in used and p < len(qwords)]
    return {p for p in unused if p in said or (qwords[p] not in STOPWORDS and stem(qwords[p]) not in FRAMING
                                               and stem(qwords[p]) not in ROW_NOUNS and not qwords[p].isdigit()
                                               and not _mentioned(qwords[p], store, table))}


def _refine(question: str, qwords: list[str], operation: str, n: int, table: TableInfo, numeric: list[HeaderLink],
            used: set[int], shared: bool) -> tuple[str, int, list[HeaderLink], tuple[str, set[int]] | None, bool]:
    """What the table's columns say about the operation the wording suggests.

    - "how many labor hours", "how many hours of downtime": a total of that column, not a count of rows;
    - "which three units cost the most", "what two machines had the highest total cost", "which unit had
      the most downtime": a total per group, its top N (a row's own rating, "the highest RPN", stays a row);
    - "labor hours per year": a total per group.
    Returns the operation, N, the numeric links (the measure first), the group column if one is settled,
    and whether the smallest totals come first ("which unit cost the least")."""
    free = [h for h in numeric if not set(h.used) & used]
    span, content = _counted_words(question, qwords)
    if operation in ("sum", "group_sum", "average", "group_average") and span and _UNIT_COUNT.search(question):
        covered = [h for h in free if content <= set(h.used)]
        if not covered:
            return "none", n, numeric, None, False  # "how many flight hours" of a log that keeps labor hours
        asked_unit = next((family for family, at in question_units(qwords) if at[0] in span), None)
        covered.sort(key=lambda h: column_unit(table.columns[h.column]) != asked_unit)  # "how many hours": the hours column
        return operation, n, covered + [h for h in numeric if h not in covered], None, False
    if operation in ("count", "group") and span:
        # every word of "labor hours" / "hours of downtime" names the column ("flight hours" is not "Labor Hrs")
        counted = [h for h in free if set(h.used) <= span and content <= set(h.used)]
        if counted and not any(stem(qwords[p]) in ROW_NOUNS for p in span if p < len(qwords)):
            rest = [h for h in numeric if h not in counted]
            if _AVERAGE.search(question):  # "on average, how many labour hours did a squawk take"
                return ("group_average" if operation == "group" else "average"), n, counted + rest, None, False
            return ("group_sum" if operation == "group" else "sum"), n, counted + rest, None, False
    entity = _ENTITY.search(question)
    ranked_by = _TOP_BY.search(question)  # "top three ATA chapters by labor hours": a total per chapter, ranked
    counted_by = ranked_by and re.match(r"\s*(?:the\s+)?(?:number of|count of|how many)\b", question[ranked_by.end():], re.I)
    if ranked_by and operation == "top" and (table.kind == "work_order" or counted_by) and not (entity and entity.group(1)):
        # a log's events add up per group; a reference table's rows ("top 2 failure modes by RPN") rank as rows,
        # but "top 3 components by number of lines" counts the lines of each
        grouped = _entity_column(ranked_by, question, qwords, table, shared)
        if grouped and counted_by:
            return "group", n, numeric, grouped, False  # "top three tails by number of squawks": a count per tail
        measures = [h for h in free if column_key(table, h.column, shared) != grouped[0]] if grouped else []
        if measures:
            return "group_sum", n, measures + [h for h in numeric if h not in measures], grouped, False
    if entity and operation in ("max", "min", "top", "group", "group_least", "sum", "group_sum"):
        grouped = _entity_column(entity, question, qwords, table, shared)
        if grouped is not None:
            measures = [h for h in free if column_key(table, h.column, shared) != grouped[0]]
            if measures and (_ACCUMULATES.search(question) or operation in ("sum", "group_sum")):
                least = operation in ("min", "group_least") or bool(re.search(r"\b(least|lowest|fewest)\b", question, re.I))
                count = _number(entity.group(1)) if entity.group(1) else max(n, 1)
                return "group_sum", count, measures + [h for h in numeric if h not in measures], grouped, least
    if operation == "group" and n == 0 and free and not _COUNT.search(question) and (not has_row_noun(qwords) or any(
            next((w for w in qwords[max(h.used) + 1:] if w not in _UNIT_WORDS), "") in ("per", "by", "for")
            and any(qwords[p] not in STOPWORDS for p in h.used) for h in free)):  # not "break ... down by tech"
        # "labor hours per year", "the labour hours per mechanic" of the squawks: a total per group
        return "group_sum", n, free + [h for h in numeric if h not in free], None, False
    return operation, n, numeric, None, False


def _counted_words(question: str, qwords: list[str]) -> tuple[set[int], set[int]]:
    """Positions of the words after "how many" ("labor hours", "hours of downtime"), and of those that
    are neither stop words nor units: what a measured column must name."""
    m = _COUNTED.search(question)
    if not m:
        return set(), set()
    at = len(words_of(question[: m.start(1)]))
    span = set(range(at, at + len(words_of(m.group(1)))))
    return span, {p for p in span if p < len(qwords) and qwords[p] not in STOPWORDS and qwords[p] not in _UNIT_WORDS
                  and qwords[p] not in _TOTAL_WORDS}


def _entity_column(entity: re.Match, question: str, qwords: list[str], table: TableInfo,
                   shared: bool) -> tuple[str, set[int]] | None:
    """The column a "which/what [N] <noun>" question groups by: an asset noun ("unit", "machines") or a
    category column whose values repeat ("ATA chapter", "failure code"); None for the rows themselves
    ("which work order") or a column that names one row each ("which part" in a catalogue)."""
    found = _entity_noun(entity, question, qwords, table, shared)
    if found is None and ((entity.group(1) or "").lower() == "one" or words_of(entity.group(2))[:2] == ["of", "them"]):
        # "of our four GSE units, which one spent ...": the asset noun the question named before
        before = qwords[: len(words_of(question[: entity.start()]))]
        nouns = {stem(a) for a in ASSET_NOUNS}
        at = next((p for p, w in enumerate(before) if stem(w) in nouns), None)
        asset = role_index(table.columns, "asset")
        if at is not None and asset is not None:
            return column_key(table, asset, shared), {at}
    return found


def _entity_noun(entity: re.Match, question: str, qwords: list[str], table: TableInfo,
                 shared: bool) -> tuple[str, set[int]] | None:
    phrase = words_of(entity.group(2))
    skip = 2 if phrase[:2] in (["piece", "of"], ["pieces", "of"], ["bit", "of"], ["item", "of"], ["items", "of"]) else 0
    phrase = phrase[skip:]  # "which piece of equipment"
    cut = next((i for i, w in enumerate(phrase) if w in STOPWORDS or w in ("cost", "costs", "took", "got", "needed")),
               len(phrase))
    phrase = phrase[:cut]  # "which year did excavator C ...": the noun ends at the verb
    if phrase and phrase[0] in ("single", "individual", "one"):
        phrase = phrase[1:]  # "which single squawk": one row
    if not phrase or stem(phrase[0]) in ROW_NOUNS or phrase[0] in ("work", "year", "month", "day", "date"):
        return None
    at = len(words_of(question[: entity.start(2)])) + skip
    positions = {p for p in range(at - skip, at + len(phrase)) if p < len(qwords)}
    for h in link_headers(phrase, table.columns):
        column = table.columns[h.column]
        if column.type in (ColumnType.CATEGORY, ColumnType.ID, ColumnType.TEXT) and column.role != "wo_id" \
                and 1 < column.distinct < 0.5 * max(column.filled, 1) and h.score >= 0.5:
            return column_key(table, h.column, shared), {p for p in positions if stem(qwords[p]) in {stem(w) for w in phrase}
                                                         or p < at}
    asset = role_index(table.columns, "asset")
    nouns = {stem(a) for a in ASSET_NOUNS}
    if asset is not None and any(stem(w) in nouns for w in phrase):
        return column_key(table, asset, shared), {p for p in positions if stem(qwords[p]) in nouns or p < at}
    return None


def _by_value(values: Sequence[ValueLink]) -> dict[int, list[ValueLink]]:
    """Links grouped per column; a value found in several columns stays with the first."""
    out: dict[int, list[ValueLink]] = {}
    seen: set[str] = set()
    for v in values:
        if v.value in seen and v.column not in out:
            continue
        seen.add(v.value)
        out.setdefault(v.column, []).append(v)
    return out


def _named_logs(qwords: list[str], tables: tuple[TableInfo, ...]) -> tuple[TableInfo, ...]:
    """When the question names one log by its title ("in the maintenance log"), only that one."""
    generic = {stem(w) for w in ("work", "order", "orders", "workorder", "record", "records", "export", "data",
                                 "list", "sheet", "file", "table")}
    stems = {stem(w) for w in qwords if w not in STOPWORDS and not w.isdigit()} - generic
    overlap = {t.table_id: len(stems & ({stem(w) for w in words_of(f"{t.title} {t.name}")} - STOPWORDS)) for t in tables}
    best = max(overlap.values(), default=0)
    if best:
        return tuple(t for t in tables if overlap[t.table_id] == best)
    # "squawks": the logs whose record id is a squawk number, not the GSE log's work records
    nouns = stems & ROW_NOUNS - generic - {stem(w) for w in ("job", "jobs", "entry", "entries", "item", "items")}
    keyed = tuple(t for t in tables if nouns & {stem(w) for c in t.columns if c.role == "wo_id" for w in words_of(c.name)})
    return keyed or tables


def _has_all(table: TableInfo, conditions, measure, group_by, asked, date_col) -> bool:
    keys = [c.column for c in conditions] + [k for k in (measure, group_by, date_col) if k] + list(asked)
    return all(resolve(table, k) is not None for k in keys)


def _date_column(table: TableInfo, shared: bool) -> str | None:
    index = role_index(table.columns, "date")
    if index is None:
        index = next((i for i, c in enumerate(table.columns) if c.type is ColumnType.DATE), None)
    return None if index is None else column_key(table, index, shared)


def _date_condition(question: str, qwords: list[str], date_col: str | None) -> tuple[Condition | None, set[int]]:
    """An inclusive ISO date range named by the question, and the question words it used."""
    if date_col is None:
        return None, set()
    low = high = None
    dates = _full_dates(question)
    if len(dates) >= 2 and re.search(r"\b(between|from)\b", question, re.I):
        low, high = dates[0], dates[1]
    elif len(dates) == 1 and re.search(r"\bon\s+\d", question):
        low = high = dates[0]
    elif len(dates) == 1 and (m := _FROM_DAY.search(question)):  # "since 1 January 2024", "before 2023-03-15"
        day, word = date.fromisoformat(dates[0]), m.group(1).lower()
        if word in ("before", "until", "till", "prior to", "up to"):
            high = (day - timedelta(days=1) if word in ("before", "prior to") else day).isoformat()
        else:
            low = (day + timedelta(days=1) if word == "after" else day).isoformat()
    elif m := _MONTH_YEAR_RANGE.search(question):  # "from January 2022 through December 2024"
        first, last, y1, y2 = _month(m.group(1)), _month(m.group(3)), int(m.group(2)), int(m.group(4))
        if (y1, first) <= (y2, last):
            low, high = f"{y1}-{first:02d}-01", f"{y2}-{last:02d}-{calendar.monthrange(y2, last)[1]:02d}"
    elif m := _MONTH_RANGE.search(question):  # "between October and December 2024", "Oct-Dec 2024"
        first, last, year = _month(m.group(1)), _month(m.group(2)), int(m.group(3))
        if first <= last:
            low, high = f"{year}-{first:02d}-01", f"{year}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"
    elif (m := _MONTH_SPAN.search(question)) and len(set(_YEAR.findall(question))) == 1:
        # "in the second half of 2023, July through December": the one year the question names
        first, last, year = _month(m.group(1)), _month(m.group(2)), int(_YEAR.findall(question)[0])
        if first <= last:
            low, high = f"{year}-{first:02d}-01", f"{year}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"
    elif m := _HALF.search(question):  # "the first half of 2023", "H2 2024"
        year, second = int(m.group(3)), (m.group(2) == "2" or (m.group(1) or "").lower() in ("second", "2nd", "last"))
        low, high = (f"{year}-07-01", f"{year}-12-31") if second else (f"{year}-01-01", f"{year}-06-30")
    elif m := _SINCE_MONTH.search(question):  # "since March 2024", "after June 2023"
        month, year = _month(m.group(2)), int(m.group(3))
        if m.group(1).lower() == "after":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        low = f"{year}-{month:02d}-01"
    elif quarter := _quarter(question):  # "Q4 2024", "the third quarter of 2023"
        year, q = quarter
        low, high = f"{year}-{3 * q - 2:02d}-01", f"{year}-{3 * q:02d}-{calendar.monthrange(year, 3 * q)[1]:02d}"
    elif m := _MONTH_YEAR.search(question):
        month = [x[:3] for x in MONTHS].index(m.group(1)[:3].lower()) + 1
        year = int(m.group(2))
        low, high = f"{year}-{month:02d}-01", f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    elif m := _BETWEEN.search(question):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        low, high = f"{a}-01-01", f"{b}-12-31"
    elif m := _SINCE.search(question):
        low = f"{m.group(2)}-01-01" if m.group(1).lower() != "after" else f"{int(m.group(2)) + 1}-01-01"
    elif m := _BEFORE.search(question):
        high = f"{int(m.group(2)) - 1}-12-31" if m.group(1).lower() == "before" else f"{m.group(2)}-12-31"
    elif len(set(years := _YEAR.findall(question))) == 1:  # "for 2023? (... every 2023 squawk)": one year
        low, high = f"{years[0]}-01-01", f"{years[0]}-12-31"
    elif (m := _YEAR_LIST.search(question)) and _consecutive(years := [int(y) for y in _YEAR.findall(m.group(0))]):
        low, high = f"{years[0]}-01-01", f"{years[-1]}-12-31"  # "over 2023 and 2024 combined"
    if low is None and high is None:
        return None, set()
    used = {p for p, w in enumerate(qwords) if _YEAR.fullmatch(w) or w in MONTHS or w in {m[:3] for m in MONTHS}
            or w == "half" or re.fullmatch(r"h[12]", w) or p + 1 < len(qwords) and qwords[p + 1] == "half"}
    label = f"dated {low or 'any time'} to {high or 'the latest'}"
    return Condition(date_col, "between", (low, high), label), used


_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({'|'.join(m[:3] for m in MONTHS)})[a-z]*\.?(?:,?\s+(19\d{{2}}|20\d{{2}}))?\b"
    r"|\b(\d{4})-(\d{2})-(\d{2})\b", re.I)


def _consecutive(years: list[int]) -> bool:
    """ "2022, 2023 and 2024" is one span; "2022 and 2024" is two years apart, not a range."""
    return len(years) >= 2 and all(b == a + 1 for a, b in zip(years, years[1:]))


def _full_dates(question: str) -> list[str]:
    """Day-precise dates in a question, a missing year taken from the next date that has one.

    >>> _full_dates("between 1 Jan and 31 Mar 2008"), _full_dates("from 2008-01-01 to 2008-03-31")
    (['2008-01-01', '2008-03-31'], ['2008-01-01', '2008-03-31'])
    """
    found: list[list] = []
    for m in _DAY_MONTH.finditer(question):
        if m.group(4):
            found.append([int(m.group(4)), int(m.group(5)), int(m.group(6))])
        else:
            month = [x[:3] for x in MONTHS].index(m.group(2)[:3].lower()) + 1
            found.append([int(m.group(3)) if m.group(3) else None, month, int(m.group(1))])
    for i in range(len(found) - 2, -1, -1):
        if found[i][0] is None:
            found[i][0] = found[i + 1][0]
    out = []
    for year, month, day in found:
        if year and 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            out.append(f"{year}-{month:02d}-{day:02d}")
    return out


def _comparisons(question: str, qwords: list[str], table: TableInfo, numeric: list[HeaderLink],
                 shared: bool) -> tuple[list[Condition], set[int]]:
    out, used = [], set()
    for m in _COMPARE.finditer(question):
        if m.group(2) and _YEAR.search(question, m.start(2), m.end(2) + 12) and "$" not in m.group(0):
            continue  # "over 2022-2024", "since over 2019": a period, not an amount
        if m.group(4) and re.search(r"[A-Za-z][-/]?$", question[: m.start(4)]):
            continue  # "HPU-3 - when was ...": the number ends an id
        if m.group(3):
            word, number, written = ("less than", 0.0, "0") if m.group(3).lower() not in ("zero", "nil") else ("=", 0.0, "0")
        elif m.group(4):  # "25+", "(2-)", "4 or more"
            if _YEAR.fullmatch(m.group(4)):
                continue
            word = "at least" if m.group(5).lower() in ("+", "or more", "or above", "or higher", "or longer", "and above",
                                                         "and up") \
                else "at most"
            number, written = float(m.group(4).replace(",", "")), m.group(4)
        else:
            word, number, written = m.group(1).lower(), float(m.group(2).replace(",", "")), m.group(2)
            bound = re.match(r"\s*(\+|or more|or above|or higher|or greater|and above|and up|or less|or below|or lower|"
                             r"or fewer|and below)\b", question[m.end():], re.I)
            if bound and " ".join(word.split()) in _EQUALS:  # "an RPN of 24 or higher"
                word = "at least" if bound.group(1).lower() in ("+", "or more", "or above", "or higher", "or greater",
                                                                  "and above", "and up") else "at most"
            if " ".join(word.split()) in _EQUALS:
                # "an RPN of 27", "severity is 4": only right after a numeric column's name
                before = words_of(question[: m.start()])[-3:]
                named = [h for h in numeric if any(qwords[p] in before for p in h.used)]
                if not named:
                    continue
                candidates_eq = named
                index = candidates_eq[-1].column
                used |= set(candidates_eq[-1].used)
                key = column_key(table, index, shared)
                out.append(Condition(key, "=", (number,), f"{table.columns[index].name} = {written}"))
                used |= {p for p, w in enumerate(qwords) if w.replace(",", "") == written.replace(",", "")}
                continue
        before = question[: m.start()]
        at = len(words_of(before))  # the comparison's position in the question's words
        candidates = sorted((h for h in numeric if min(h.used) < at), key=lambda h: max(h.used)) or numeric
        end = at + len(words_of(m.group(0))) + 2
        written_units = {family for family, places in question_units(qwords) if at <= places[0] <= end}
        in_unit = [h for h in numeric if column_unit(table.columns[h.column]) in written_units]
        if in_unit:  # "85 N·m or more", "over 30 days": the column kept in the unit written after the number
            candidates = in_unit[:1]
        if not candidates:
            money = [i for i, c in enumerate(table.columns) if c.role == "cost" or c.type is ColumnType.MONEY]
            if "$" not in m.group(0) and not money:
                continue
            index = money[0] if money else None
        else:
            index = candidates[-1].column
            used |= set(candidates[-1].used)
        if index is None:
            continue
        op = {"=": "=", "over": ">", "above": ">", "more than": ">", "greater than": ">", "exceeding": ">",
              "higher than": ">", "at least": ">=", "under": "<", "below": "<", "less than": "<",
              "lower than": "<", "at most": "<=", "no more than": "<=", "longer than": ">", "larger than": ">",
              "bigger than": ">", "heavier than": ">", "shorter than": "<", "smaller than": "<", "lighter than": "<",
              "fewer than": "<"}.get(" ".join(word.split()))
        if op is None:
            continue
        key = column_key(table, index, shared)
        out.append(Condition(key, op, (number,), f"{table.columns[index].name} {op} {written}"))
        used |= {p for p, w in enumerate(qwords) if w.replace(",", "") == written.replace(",", "")
                 or (m.group(3) and w in m.group(3).lower().split())
                 or (m.group(1) and at <= p < end and w in m.group(1).lower().split())}  # "longer than"
    out_cols, used_cols = _column_comparisons(question, qwords, table, numeric, shared, used)
    out += out_cols
    used |= used_cols
    for h in numeric:  # "severity 2, severity 3 and severity 4", "severity 2, 3 or 4": one of several values
        listed = _listed_numbers(qwords, h, used)
        if len(listed) >= 2:
            name = table.columns[h.column].name
            out.append(Condition(column_key(table, h.column, shared), "in", tuple(float(qwords[p]) for p in listed),
                                 f"{name} is {', '.join(qwords[p] for p in listed)}"))
            used |= set(h.used) | set(listed)
    for h in numeric:  # "rated severity 4", "RPN 27": a numeric column's name right before a number
        at = max(h.used) + 1
        if at < len(qwords) and at not in used and re.fullmatch(r"\d+(?:\.\d+)?", qwords[at]) \
                and not _YEAR.fullmatch(qwords[at]) and not (at + 1 < len(qwords) and qwords[at + 1] in ("or", "and", "to")):
            index = h.column
            out.append(Condition(column_key(table, index, shared), "=", (float(qwords[at]),),
                                 f"{table.columns[index].name} = {qwords[at]}"))
            used |= set(h.used) | {at}
    return out, used


def _listed_numbers(qwords: list[str], h: HeaderLink, used: set[int]) -> list[int]:
    """Positions of the numbers listed after a numeric column's name: "severity 2, severity 3 and severity 4"."""
    out: list[int] = []
    p = min(h.used) + 1
    while p < len(qwords):
        word = qwords[p]
        if re.fullmatch(r"\d+(?:\.\d+)?", word) and not _YEAR.fullmatch(word) and p not in used:
            out.append(p)
        elif not (word in ("and", "or") or p in h.used):
            break
        p += 1
    return out


_VS_COLUMN = re.compile(r"\b(at or below|at or above|below|under|less than|lower than|fewer than|above|over|more than|"
                        r"greater than|higher than|exceeding)\s+(?:their|its|the|his|her|our)\s+", re.I)
_VS_OP = {"at or below": "<=", "at or above": ">="}


def _column_comparisons(question: str, qwords: list[str], table: TableInfo, numeric: list[HeaderLink], shared: bool,
                        used: set[int]) -> tuple[list[Condition], set[int]]:
    """ "parts below their minimum stock level": one numeric column against another of the same row
    (quantity on hand < minimum stock). The first is the one named before, or else the column the
    compared one's words point to ("stock" -> quantity on hand)."""
    out, taken = [], set()
    for m in _VS_COLUMN.finditer(question):
        at = len(words_of(question[: m.end()]))
        named = [h for h in numeric if at <= min(h.used) <= at + 1 and not set(h.used) & used]
        other = max(named, key=lambda h: (h.score, len(h.used)), default=None)
        if other is None:
            continue
        before = [h for h in numeric if h.column != other.column and max(h.used) < at - 1]
        first = before[-1].column if before else None
        if first is None:
            related = {t for p in other.used for t in QUANTITY_WORDS.get(qwords[p], ())}
            first = next((i for i, c in enumerate(table.columns) if i != other.column and c.type.numeric
                          and any(same_root(t, r) for t in header_terms(c) for r in related)), None)
        if first is None:
            continue
        word = " ".join(m.group(1).lower().split())
        op = _VS_OP.get(word) or ("<" if word in ("below", "under", "less than", "lower than", "fewer than") else ">")
        a, b = table.columns[first], table.columns[other.column]
        out.append(Condition(column_key(table, first, shared), op, (f"column:{column_key(table, other.column, shared)}",),
                             f"{a.name} {op} {b.name}"))
        taken |= set(other.used) | set(range(at - len(words_of(m.group(0))), max(other.used) + 1))
        after = max(other.used) + 1
        if after < len(qwords) and qwords[after] in ("level", "levels", "value", "limit", "amount", "point"):
            taken.add(after)  # "minimum stock level"
    return out, taken


def _ordering_first(question: str, qwords: list[str], numeric: list[HeaderLink]) -> list[HeaderLink]:
    """For "in descending order of their average occurrence": the numeric column named after the ordering words."""
    m = _ORDERED.search(question) or _AVERAGE.search(question)
    if not m:
        return numeric
    after = set(words_of(question[m.end():]))
    return sorted(numeric, key=lambda h: not any(qwords[p] in after for p in h.used))


_SEPARATELY = re.compile(r"\b(?:compare|compared|comparing|versus|vs\.?|against each other|each|apiece|respectively|"
                         r"separately|side by side)\b", re.I)
_SPLITS = {"sum": "group_sum", "count": "group", "average": "group_average"}  # the same figure, for each named value
_ONE_BY_ONE = re.compile(r"\b([a-z]+)\s+by\s+\1\b", re.I)  # "unit by unit", "tail by tail": one total each
_EACH_YEAR = re.compile(r"\beach of\s+(?:the\s+years\s+)?(?:19|20)\d{2}\b", re.I)
_CONSUMES = frozenset("ate eat eats eaten lost lose loses losing burned burnt burn burns swallowed soaked".split())
_TOTAL_WORDS = frozenset("total totals sum altogether combined overall".split())  # "how many hours in total"
_UNIT_WORDS = frozenset("hours hour hrs hr minutes mins days weeks dollars euros usd units".split())
_ADDS_UP = frozenset(stem(w) for w in "rack clock chalk add run ran pile tot total ring rang rung notch".split())
_ABSENT = frozenset("without no missing lacking lack waiting blank empty unset none nothing".split())
_ABSENT_AFTER = frozenset("blank empty missing unset".split())  # "the cost column is blank", "left empty"


def _blank_conditions(qwords: list[str], table: TableInfo, headers: list[HeaderLink],
                      shared: bool) -> tuple[list[Condition], set[int]]:
    """ "without a recommended action", "still waiting for a parts cost", "do not yet have a cost":
    the column is blank."""
    out, used = [], set()
    for h in headers:
        start = min(h.used)
        before = qwords[max(0, start - 4):start]
        after = qwords[max(h.used) + 1:max(h.used) + 4]
        negated = bool(_ABSENT & set(before)) or ("not" in before and {"have", "has"} & set(before))
        if negated or _ABSENT_AFTER & set(after):
            name = table.columns[h.column].name
            out.append(Condition(column_key(table, h.column, shared), "blank", (), f"{name} is blank"))
            used |= set(h.used) | {p for p in range(max(0, start - 4), max(h.used) + 4)
                                   if p < len(qwords) and qwords[p] in _ABSENT | _ABSENT_AFTER | {"not"}}
    return out, used


_MONEY = re.compile(r"\b(?:cost|costs|costing|spend|spent|spending|price|prices|priced|money|dollars?|euros?|"
                    r"expensive|cheap|cheapest|paid|pay|bill|billed|invoiced?|charged?|(?:add|adds|added) up to|"
                    r"(?:come|comes|came|amount|amounts) to)\b|[$€£]", re.I)  # "what did they add up to": an amount


def _measure(table: TableInfo, numeric: list[HeaderLink], shared: bool, operation: str,
             question: str = "") -> str | None:
    """The numeric column to add up or rank: the one the question names, or the cost when it speaks
    of money without naming a column. "How many downtime hours" of a log without a downtime column
    has none: summing its costs would answer another question."""
    if numeric:
        return column_key(table, numeric[0].column, shared)
    cost = role_index(table.columns, "cost")
    if cost is not None and operation in ("sum", "average", "group_sum") and _MONEY.search(question):
        return column_key(table, cost, shared)
    return None


def _group_column(question: str, qwords: list[str], table: TableInfo, best: _Linked,
                  shared: bool, prefer_listed: bool = False) -> tuple[str | None, set[int]]:
    """The column to group by: the one named after 'which'/'per'/'by', or the asset column."""
    if prefer_listed and (listed := _LISTED.search(question)):  # "give me all the subsystems in order of ..."
        for h in link_headers(words_of(listed.group(1)), table.columns):
            if table.columns[h.column].type in (ColumnType.CATEGORY, ColumnType.ID, ColumnType.TEXT):
                named = {stem(w) for w in words_of(listed.group(1))}
                return column_key(table, h.column, shared), {p for p, w in enumerate(qwords) if stem(w) in named}
    if (ranked := _RANKED_PERIOD.search(question)) and (date_col := _date_column(table, shared)):
        period = ranked.group(1).lower()  # "excavator D's three busiest years": per year, not per excavator
        return f"{period}:{date_col}", {p for p, w in enumerate(qwords) if stem(w) == period}
    if not _GROUP_BY.search(question) and (entity := _ENTITY.search(question)) \
            and (named_entity := _entity_column(entity, question, qwords, table, shared)) is not None:
        return named_entity  # "what were the two most common ATA chapters", "which three units"
    through: set[int] = set()
    m = _GROUP_BY.search(question) or _ONE_BY_ONE.search(question) \
        or re.search(rf"\b(?:which|what)\s+(?:(?:{_NUMBER_WORD}|\d+)\s+)?([a-z][\w-]*)", question, re.I)
    named = stem(m.group(1).lower()) if m else None
    if m and named and named not in ("year", "month", "quarter") and not link_headers([named], table.columns) \
            and named not in ASSET_NOUNS:
        phrase = re.match(r"(?:\s+(?:of\s+)?[a-z][\w-]*){0,4}", question[m.end():], re.I).group(0)
        # "each GSE unit", "each piece of ground support equipment": the noun may come a few words later
        after = [w for w in words_of(phrase) if w not in STOPWORDS][:4]
        noun = next((w for w in after if link_headers([stem(w)], table.columns) or w in ASSET_NOUNS), None)
        if noun is not None:  # "piece of ground support equipment": the words up to the noun name the group
            start = len(words_of(question[: m.start(1)]))
            through = set(range(start, start + 1 + words_of(question[m.start(1):]).index(noun)))
            named = stem(noun)
    date_col = _date_column(table, shared)
    if _EACH_YEAR.search(question) and date_col:
        return f"year:{date_col}", set()
    if re.search(r"\bwho\b", question, re.I) and (person := _person_column(table)) is not None:
        return column_key(table, person, shared), set()
    if named in ("year", "month", "quarter") and date_col:
        return f"{named}:{date_col}", {p for p, w in enumerate(qwords) if stem(w) == named}
    if named and m:
        phrase = words_of(question[m.start(1):])[:2]  # "PM type", "ATA chapter": the name may take two words
        for h in link_headers(phrase, table.columns) + link_headers([named], table.columns):
            column = table.columns[h.column]
            if column.type in (ColumnType.CATEGORY, ColumnType.ID, ColumnType.TEXT):
                names = {stem(w) for w in phrase} | {named}
                return column_key(table, h.column, shared), {p for p, w in enumerate(qwords) if stem(w) in names}
    asset = role_index(table.columns, "asset")
    if asset is not None and (named is None or named in ASSET_NOUNS or named in {stem(a) for a in ASSET_NOUNS}):
        return column_key(table, asset, shared), {p for p, w in enumerate(qwords) if stem(w) == named} | through
    return None, set()


_PERSON = re.compile(r"technician|tech\b|mechanic|lead|engineer|assigned|by\b|name|person|employee|operator|"
                     r"inspector|author|owner|crew|electrician|fitter", re.I)


def _person_column(table: TableInfo) -> int | None:
    """The column naming who did the work (Technician, Mechanic, Lead, Assigned to ...)."""
    if (person := role_index(table.columns, "person")) is not None:
        return person
    return next((i for i, c in enumerate(table.columns)
                 if c.type in (ColumnType.CATEGORY, ColumnType.ID) and _PERSON.search(c.name)), None)


def _counted_column(question: str, qwords: list[str], table: TableInfo, best: _Linked, shared: bool) -> str | None:
    """'How many failure modes ...': the column whose distinct values are counted too."""
    m = re.search(r"\b(?:how many|number of)\s+((?:[a-z-]+\s+){0,2}[a-z-]+)", question, re.I)
    if not m:
        return None
    counted = words_of(m.group(1))
    if any(stem(w) in ROW_NOUNS for w in counted):
        return None
    links = [h for h in link_headers(counted, table.columns) if h.score >= 0.6]
    return column_key(table, links[0].column, shared) if links else None


def _identifier_conditions(question: str, qwords: list[str], used: set[int]) -> tuple[list[TextCondition], set[int]]:
    """Part numbers and ids the question names that no value link used: the row must carry them."""
    out, taken = [], set()
    for ident in identifier_tokens(question):
        pieces = words_of(ident)
        for p in range(len(qwords) - len(pieces) + 1):
            span = set(range(p, p + len(pieces)))
            if qwords[p : p + len(pieces)] == pieces and not span & used:
                out.append(TextCondition(ident, (ident.lower(),)))
                taken |= span
                break
    return out, taken


def _text_conditions(qwords: list[str], used: set[int], table: TableInfo,
                     store: TableStore) -> tuple[list[TextCondition], list[str]]:
    """The subject's words left after columns, values, dates and framing: each a text condition."""
    out: list[TextCondition] = []
    for p, word in enumerate(qwords):
        s = stem(word)
        if p in used or word in STOPWORDS or s in FRAMING or s in ROW_NOUNS or word.isdigit() or len(word) < 2 \
                or (word == "work" and p + 1 < len(qwords) and qwords[p + 1].startswith("order")) \
                or (word.startswith("order") and p > 0 and qwords[p - 1] == "work") \
                or (word == "line" and p + 1 < len(qwords) and qwords[p + 1].startswith("item")) \
                or (s == "line" and (p - 1 in used or p > 0 and qwords[p - 1] in ("which", "what", "each", "every", "many", "most", "fewest",
                                                                     "more", "fewer", "its", "whose"))) \
                or (s == "call" and p + 1 < len(qwords) and qwords[p + 1] == "for") \
                or (s == "line" and p + 1 < len(qwords) and qwords[p + 1] in ("count", "counts", "total", "tally")):
            # "failure mode lines", "power frame lines", "which line": the rows; "lines that call for 85 N·m"
            continue
        if _YEAR.fullmatch(word) or word in MONTHS or word in ASSET_NOUNS and _near_value(p, used) \
                or re.fullmatch(r"q[1-4]|quarters?", word):
            continue
        if p + 1 < len(qwords) and qwords[p + 1] == "up" and (s in _ADDS_UP or not _mentioned(word, store, table)):
            continue  # "rack up", "clock up", "ate up": a way of saying total, when no row says the verb
        if word in _CONSUMES and any(q in used or qwords[q] in _UNIT_WORDS for q in range(p + 1, min(p + 5, len(qwords)))):
            continue  # "ate the most labour hours", "lost the most hours to downtime": the measure's verb
        if any(t.word == word for t in out) or word in NUMBER_WORDS:
            continue  # "which three aircraft": top-N's N, not a word the rows must mention
        out.append(TextCondition(word, tuple(sorted(concept(word) | {s}))))
    return out, []


def _asset_description(qwords: list[str], used: set[int], values: Sequence[ValueLink], table: TableInfo) -> set[int]:
    """ "the de-ice truck DEICE-1", "the paint oven OVEN-1": words naming the linked asset, back to the
    article. Only an asset noun right before the id starts one ("hydraulic leak PRESS-03" keeps its words)."""
    asset = role_index(table.columns, "asset")
    nouns = {stem(w) for w in ASSET_NOUNS}
    out: set[int] = set()
    for v in values:
        if v.column != asset:
            continue
        p = min(v.used) - 1
        if p < 0 or p in used or stem(qwords[p]) not in nouns and not _abbreviates(v.value, qwords[max(p - 1, 0) : p + 1]) \
                and not (p >= 2 and _abbreviates(v.value, qwords[p - 2 : p])):  # "the de-icing rig DEICE-1"
            continue
        while p >= 0 and p not in used and qwords[p] not in STOPWORDS and len(out) < 4:
            out.add(p)
            p -= 1
    for v in values:  # "a new de-ice fluid pump" on DEICE-1, "kept the tug out" of TUG-2: the asset's own name
        letters = re.match(r"[A-Za-z]{3,}", v.value)
        if v.column != asset or letters is None:
            continue
        for p in range(len(qwords)):
            for k in (2, 1):
                span = set(range(p, p + k))
                if p + k <= len(qwords) and not span & used and "".join(qwords[p : p + k]) == letters.group(0).lower():
                    out |= span
    return out


def _abbreviates(asset: str, before: list[str]) -> bool:
    """The words before an asset id spell out its letters: "de-icer DEICE-1", "compressor CMP-2".

    >>> _abbreviates("DEICE-1", ["the", "de", "icer"][-2:]), _abbreviates("CMP-2", ["the", "compressor"]), _abbreviates("PRESS-03", ["hydraulic", "leak"])
    (True, True, False)
    """
    letters = re.match(r"[a-z]+", asset.lower())
    if not letters or len(letters.group(0)) < 2:
        return False
    for word in (before[-1], "".join(before)):
        if word[:1] == letters.group(0)[0] and _subsequence(letters.group(0), word):
            return True
        if len(letters.group(0)) >= 4 and word.startswith(letters.group(0)[:-1]):
            return True  # "de-icing" for DEICE
    return False


def _subsequence(short: str, word: str) -> bool:
    rest = iter(word)
    return all(ch in rest for ch in short)


def _unknown_assets(qwords: list[str], used: set[int], table: TableInfo, question: str) -> tuple[str, ...]:
    """ "excavator F" where the log has no asset F: an asset noun and a short tag that no value linked.
    Summing every excavator instead would answer another question."""
    index = role_index(table.columns, "asset")
    if index is None:
        return ()
    asset = table.columns[index]
    nouns = {stem(w) for w in ASSET_NOUNS} | {stem(w) for w in header_terms(asset)}
    out = []
    for p in range(len(qwords) - 1):
        noun, tag = qwords[p], qwords[p + 1]
        if {p, p + 1} & used or stem(noun) not in nouns and noun not in ASSET_NOUNS:
            continue
        looks_like_tag = (len(tag) <= 2 and tag.isalpha()) or (len(tag) <= 4 and any(ch.isdigit() for ch in tag))
        if tag in STOPWORDS or tag in NUMBER_WORDS or _YEAR.fullmatch(tag) or not looks_like_tag or not tag.isalnum():
            continue  # "excavator F", "press 7", "unit 12"; not "engine job", "fleet log"
        if not re.search(rf"\b{re.escape(noun)}[\s-]+{re.escape(tag)}\b", question, re.I):
            continue  # "... system lines? 2 decimals": two sentences, no tag
        out.append(f"{noun} {tag.upper()}")
    return tuple(out)


def _near_value(p: int, used: set[int]) -> bool:
    return p + 1 in used or p - 1 in used
