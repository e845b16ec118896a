"""Asset and equipment identifiers found in text, from configurable regexes.

>>> ids = IdExtractor(asset_patterns=(r"\\bPRESS[-_ ]?\\d{1,4}\\b",), equipment_patterns=(r"\\b[A-Z]{1,4}-\\d{3,6}\\b",))
>>> ids.assets("press 3 and PRESS_03, then PRESS-03 again")
('PRESS-3', 'PRESS-03')
>>> ids.equipment("Replace seal HF-2210 on PRESS-03")
('HF-2210',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from assistant.errors import ConfigError


def normalise_id(raw: str) -> str:
    """Upper-case, and '-' between the letters and the digits.

    >>> normalise_id("press_3"), normalise_id("cnc 12a"), normalise_id("HF-2210-B")
    ('PRESS-3', 'CNC-12A', 'HF-2210-B')
    """
    text = raw.strip().upper()
    return re.sub(r"^([A-Z]+)[-_ ]?(?=\d)", r"\1-", text)


def _compile(patterns: Sequence[str], setting: str, flags: int = 0) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern, flags))
        except re.error as exc:
            raise ConfigError(f"ingest.{setting}: {pattern!r} is not a valid regex ({exc})") from exc
    return tuple(compiled)


@dataclass(frozen=True)
class IdExtractor:
    """Built from `IngestSettings.asset_patterns` / `equipment_patterns`.

    Asset patterns match case-insensitively (technicians write "press 3");
    equipment patterns (part numbers) match as written.
    """

    asset_patterns: Sequence[str] = ()
    equipment_patterns: Sequence[str] = ()
    _assets: tuple[re.Pattern[str], ...] = field(init=False, repr=False)
    _equipment: tuple[re.Pattern[str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_assets", _compile(self.asset_patterns, "asset_patterns", re.IGNORECASE))
        object.__setattr__(self, "_equipment", _compile(self.equipment_patterns, "equipment_patterns"))

    @classmethod
    def from_settings(cls, settings) -> "IdExtractor":
        """`settings` is an `IngestSettings`."""
        return cls(tuple(settings.asset_patterns), tuple(settings.equipment_patterns))

    def assets(self, text: str) -> tuple[str, ...]:
        return _find(self._assets, text)

    def equipment(self, text: str) -> tuple[str, ...]:
        """Equipment ids that are not also asset ids (PRESS-03 is an asset, not a part)."""
        assets = set(self.assets(text))
        return tuple(i for i in _find(self._equipment, text) if i not in assets)


def _find(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[str, ...]:
    hits: list[tuple[int, str]] = []
    for pattern in patterns:
        hits += [(m.start(), normalise_id(m.group(0))) for m in pattern.finditer(text or "")]
    return tuple(dict.fromkeys(ident for _, ident in sorted(hits)))
