"""Normalised terms for exact record matching: shorthand expanded, light stemming.

Work-order text is technician shorthand ("HYD LEAK AT L/H CYL"). Both the
stored records (`wo_terms` payload) and the questions go through
`normalise_terms`, so "hydraulic leaks" finds "HYD LEAKING" by exact keyword
filters that Qdrant can count.

>>> normalise_terms("HYD LEAKING at L/H cyl, won't swing")
('hydraulic', 'leak', 'left', 'cylinder', 'swing')
"""

from __future__ import annotations

import re

# Common CMMS shorthand -> word. Extend per plant through a glossary if needed.
ABBREVIATIONS = {
    "hyd": "hydraulic", "hydr": "hydraulic", "cyl": "cylinder", "elec": "electrical", "eng": "engine",
    "l/h": "left", "lh": "left", "r/h": "right", "rh": "right", "u/s": "unserviceable", "repl": "replace",
    "pmp": "pump", "mtr": "motor", "brg": "bearing", "brgs": "bearing", "lube": "lubrication", "temp": "temperature",
    "press": "press", "comp": "compressor", "cond": "condition", "trans": "transmission", "sw": "switch",
    "sol": "solenoid", "vlv": "valve", "inop": "inoperative", "o/s": "outside", "c/o": "changeout",
    "a/c": "aircon", "gbox": "gearbox", "g/box": "gearbox", "ph": "phase", "insp": "inspect", "chk": "check",
}
STOPWORDS = frozenset(
    "a an the and or of on in at to for from by with without is are was were be been has have had do did does "
    "not no won t s it its this that these those there their they them we our you your he she his her i me my "
    "as into onto off up down out over under again per via after before during while than then so too very "
    "wont cant dont doesnt didnt isnt wasnt arent".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:/[a-z0-9]+)?")
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s")


def stem(word: str) -> str:
    """Crude suffix stripping; consistent is what matters, both sides use it.

    >>> [stem(w) for w in ("leaking", "leaks", "leaked", "bearings", "glass", "hoses")]
    ['leak', 'leak', 'leak', 'bear', 'glass', 'hose']
    """
    if len(word) <= 4 or word.isdigit() or word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "ies":
                return base + "y"
            if suffix == "es":
                return base if base.endswith(("ss", "x", "z", "ch", "sh")) else word[:-1]
            return base
    return word


def normalise_terms(text: str) -> tuple[str, ...]:
    """Distinct normalised content terms, in order of appearance."""
    out: dict[str, None] = {}
    for raw in _WORD.findall(text.lower().replace("'", "").replace(",", " ")):
        word = ABBREVIATIONS.get(raw, raw)
        for part in word.split("/"):
            if part and part not in STOPWORDS and not part.isdigit():
                out.setdefault(stem(part), None)
    return tuple(out)
