"""Identifier-like tokens: asset tags, part numbers, fault codes, work-order ids.

Both the ingest side (stored as the `id_tokens` payload field) and the question
side use the same function, so an identifier named in a question finds the
passages that carry it verbatim, whatever the plant's naming scheme.

>>> identifier_tokens("Replace filter HF-2210-B on PRESS-03, see WO-22-0017 (E47).")
('HF-2210-B', 'PRESS-03', 'WO-22-0017', 'E47')
>>> identifier_tokens("Torque to 95 N·m in 2 passes"), identifier_tokens("work orders over 2022-2024")
((), ())
"""

from __future__ import annotations

import re

# A token of letters, digits and inner dashes/slashes/dots that mixes letters
# and digits ("HF-2210-B", "E47", "6205-2RS") or is a long dashed number ("24-1001").
_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9][A-Za-z0-9]*(?:[-/.][A-Za-z0-9]+)*(?![\w-])")
_HAS_ALPHA = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"\d")
_UNITS = re.compile(
    r"^\d+(?:\.\d+)?(?:mm|cm|m|km|nm|n|kn|kg|g|bar|psi|mpa|kpa|kw|w|v|kv|a|ma|hz|rpm|h|hr|hrs|s|ms|min|l|ml|t|c|f|in|ft|lb|lbs|st|nd|rd|th|x|pcs?)$",
    re.IGNORECASE,
)


def identifier_tokens(text: str) -> tuple[str, ...]:
    """Upper-cased identifier tokens in order of first appearance, deduplicated.

    >>> identifier_tokens("the first PM06-type order on PRESS-03, then LW-20417")
    ('PM06', 'PRESS-03', 'LW-20417')
    """
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        written = match.group(0).strip(".")
        # "PM06-type", "SAFE-coded", "N27315-related": a lower-case word joined on is no part of the id
        trimmed = re.sub(r"(?:-[a-z]{3,})+$", "", written)
        token = (trimmed if _is_identifier(trimmed.upper()) else written).upper()
        if _is_identifier(token):
            seen.setdefault(token, None)
    return tuple(seen)


def _is_identifier(token: str) -> bool:
    if len(token) < 3 or not _HAS_DIGIT.search(token):
        return False
    if _HAS_ALPHA.search(token):
        return not _UNITS.match(token) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", token)
    # Pure digits: only dashed forms such as "24-1001" (dates and year ranges such as "2022-2024" excluded).
    return "-" in token and not re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?|(?:19|20)\d{2}-(?:19|20)\d{2}", token)


def id_pieces(text: str) -> tuple[str, ...]:
    """An id's letter and number pieces, leading zeros dropped: 'PRESS-03' ~ 'press 3' ~ 'PRESS03'.

    >>> id_pieces("press03") == id_pieces("PRESS-3"), id_pieces("n27315")
    (True, ('n', '27315'))
    """
    return tuple(str(int(p)) if p.isdigit() else p for p in re.findall(r"[a-z]+|\d+", text.lower()))


def id_key(token: str) -> str:
    """One spelling of an id however it is written: the letters and numbers of `id_pieces`, joined.

    >>> id_key("LW-61420") == id_key("lw61420"), id_key("PRESS-03"), id_key("24-1001")
    (True, 'PRESS3', '241001')
    """
    return "".join(id_pieces(token)).upper()


def id_keys(tokens) -> tuple[str, ...]:
    """The keys of ids that hold a letter ("LW61420" for "LW-61420"); a bare dashed number has none,
    as "241001" could be any number.

    >>> id_keys(("LW-61420", "24-1001", "E47"))
    ('LW61420', 'E47')
    """
    return tuple(dict.fromkeys(k for k in map(id_key, tokens) if _HAS_ALPHA.search(k)))


def with_keys(tokens) -> tuple[str, ...]:
    """The ids as written and by their keys: what the store's `id_tokens` holds and a lookup asks for.

    >>> with_keys(("LW-61420", "24-1001"))
    ('LW-61420', '24-1001', 'LW61420')
    """
    return tuple(dict.fromkeys((*tokens, *id_keys(tokens))))


def carried(asked, tokens) -> list[str]:
    """The asked ids that `tokens` carry, each however it is written ("lw61420" is carried by "LW-61420").

    >>> carried(("LW61420", "N999ZZ"), {"LW-61420", "N27315"})
    ['LW61420']
    """
    keys = set(with_keys(tokens))
    return [a for a in asked if a in keys or id_key(a) in keys]
