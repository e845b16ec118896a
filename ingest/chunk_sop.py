"""SOPs: one chunk per numbered step, one per non-step section, warnings with the step they guard.

Rules, in the order a technician reads the page:

- Headings keep a breadcrumb (`section_path`); the document's own title heading
  is left out of it (it is `Chunk.title` already).
- A numbered block (`4.`, `2)`, `(3)`, `Step 5`, `4.2`) starts a step; the text
  that follows it until the next step or heading belongs to it. Unnumbered list
  items under a "Procedure"/"Steps"/"Sequence" heading are numbered 1, 2, ...
- Sub-steps (`4.1`, `4.2`) stay inside their parent step's chunk while the
  whole step is at most `MAX_STEP_WORDS` words; a longer step is split into the
  parent and one chunk per sub-step (breadcrumb gains the parent step).
- A WARNING / CAUTION / DANGER / NOTICE / LOCKOUT paragraph guards the step that
  FOLLOWS it: it goes into that step's `warnings` and at the top of its text.
  When the step it sits in goes on after it, it belongs to that step instead,
  after the step's text. Outside procedures it stays with its section.
- Other sections (Purpose, Scope, Tools and Parts) become one chunk each,
  split at paragraph ends near `MAX_SECTION_WORDS` words.

>>> from ingest.parse import Block
>>> blocks = [Block("SOP-9 Oven", "title"), Block("Procedure", "title", 1),
...           Block("WARNING: hot surface.", "text"), Block("1. Turn off OVEN-2.", "list_item"),
...           Block("2. Wait 30 min.", "list_item")]
>>> [(s.step, s.text, s.warnings) for s in sop_passages(blocks)]
[('1', 'WARNING: hot surface.\\n1. Turn off OVEN-2.', ('WARNING: hot surface.',)), ('2', '2. Wait 30 min.', ())]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.text import STOPWORDS, stem
from ingest.chunk_notes import is_warning, pack_paragraphs

if TYPE_CHECKING:
    from assistant.domain import Chunk
    from ingest.parse import Block

MAX_STEP_WORDS = 180
MAX_SECTION_WORDS = 180
_STEP = re.compile(
    r"^\s*(?:step\s+(\d{1,3}(?:\.\d{1,3})*)\s*[.:)\-]?|\((\d{1,3})\)|(\d{1,3}(?:\.\d{1,3})+)\.?|(\d{1,3})[.)])\s+(?=\S)",
    re.IGNORECASE,
)
_SECTION_WORDS = re.compile(
    r"\b(purpose|scope|responsibilit|definition|reference|safety|hazard|ppe|tools?|parts|materials|"
    r"procedure|steps|restor|restart|records?|revision|approval|appendix|general|prerequisite|"
    r"preparation|verification|training|shutdown|start-?up|inspection|clean-?up|attachment)",
    re.IGNORECASE,
)
_TOP_HEADING = re.compile(r"^\s*(?:\([a-z]\)\s|[Aa]ppendix\b)")  # CFR "(a) Scope ..."
_PROCEDURE_HEADING = re.compile(r"procedure|steps|sequence|instructions|restor", re.IGNORECASE)


def step_number(text: str) -> str | None:
    """
    >>> step_number("4.2 Close V-1"), step_number("(3) Shut down"), step_number("Step 5: go"), step_number("Tools")
    ('4.2', '3', '5', None)
    """
    match = _STEP.match(text)
    return next((g for g in match.groups() if g), None) if match else None


@dataclass(frozen=True)
class Passage:
    """What one chunk will hold, before ids are stamped on it."""

    text: str
    section_path: tuple[str, ...] = ()
    page: int | None = None
    step: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass
class _Unit:
    """An open step or section while walking the blocks."""

    path: tuple[str, ...]
    page: int | None
    step: str | None = None
    parts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # guard the step: top of text
    after: list[str] = field(default_factory=list)  # warnings inside the step: after its text
    children: list["_Unit"] = field(default_factory=list)

    def words(self) -> int:
        return sum(len(t.split()) for t in (*self.parts, *self.warnings, *self.after)) + sum(
            c.words() for c in self.children
        )


def is_heading(block: "Block", infer: bool = True) -> bool:
    """Titles; short numbered section names ("1. Purpose"); and, when `infer` (a document with no
    headings of its own, like the OSHA text), "(a) ..." lines and short unpunctuated lines ("General")."""
    if is_warning(block.text):
        return False
    number = step_number(block.text)
    if block.category == "title":
        return not (number and block.text.rstrip().endswith(".") and len(block.text.split()) > 3)
    text = block.text.strip()
    unpunctuated = not text.endswith((".", ":", ";", ",", "?", "!")) and ":" not in text
    if number:
        return bool(len(text.split()) <= 6 and unpunctuated and _SECTION_WORDS.search(text))
    if block.category != "text" or not infer:
        return False
    if _TOP_HEADING.match(text) and len(text.split()) <= 10:
        return True
    # a short bare line in body font: "Sequence of Lockout", "General"
    return len(text.split()) <= 8 and unpunctuated and text[:1].isupper()


def heading_depth(block: "Block") -> int:
    """Real titles keep their level; inferred ones sit under "(a) ..." / "Appendix ..." lines."""
    if block.category == "title":
        return block.depth
    return 0 if _TOP_HEADING.match(block.text) else 1


def chunk_sop(blocks: Sequence["Block"], make: Callable[..., "Chunk"]) -> list["Chunk"]:
    return [
        make(p.text, section_path=p.section_path, page=p.page, step=p.step, warnings=p.warnings)
        for p in sop_passages(blocks)
    ]


def split_run_in_headings(blocks: Sequence["Block"]) -> list["Block"]:
    """A lettered section that runs into its text, "(d) Application of control.  The established
    procedures ...", becomes its heading and its text, so the section's steps sit under it.

    >>> from ingest.parse import Block
    >>> [b.text for b in split_run_in_headings([Block("(d) Application of control.  The procedures shall cover:", "text")])]
    ['(d) Application of control.', 'The procedures shall cover:']
    """
    from dataclasses import replace

    out: list["Block"] = []
    for block in blocks:
        m = _RUN_IN.match(block.text) if block.category == "text" else None
        if m and len(m.group(1).split()) <= 8:
            out += [replace(block, text=m.group(1)), replace(block, text=m.group(2))]
        else:
            out.append(block)
    return out


_RUN_IN = re.compile(r"^\s*(\([a-z]\)\s[^.]{2,80}\.)\s+(\S.*)$", re.S)


def sop_passages(blocks: Sequence["Block"]) -> list[Passage]:
    start = 1 if blocks and blocks[0].category == "title" else 0  # the document title
    infer = not any(b.category == "title" for b in blocks[start:])
    if infer:
        blocks = [*blocks[:start], *split_run_in_headings(blocks[start:])]
    walker = _Walker(infer_headings=infer)
    for i in range(start, len(blocks)):
        walker.feed(blocks[i], blocks[i + 1 :])
    return _safety_warnings_to_steps(walker.finish())


def _safety_warnings_to_steps(passages: list[Passage]) -> list[Passage]:
    """A warning kept in a Safety section that names what a step acts on ("disconnect the GPU before
    you disconnect the battery connector" and "3. ... pull the battery connector off") guards that step
    too: it travels with it in `warnings`, so the answer's safety box shows it beside the step. The step's
    text stays as written (a copy in every step it names would change what retrieval finds: on our dev
    questions it did, for the worse).

    >>> out = _safety_warnings_to_steps([Passage("WARNING: Disconnect the GPU before the battery connector.",
    ...     ("Safety",), warnings=("WARNING: Disconnect the GPU before the battery connector.",)),
    ...     Passage("3. Pull the battery connector off.", ("Removal",), step="3"), Passage("4. Lift it.", step="4")])
    >>> [(p.step, p.warnings) for p in out[1:]]
    [('3', ('WARNING: Disconnect the GPU before the battery connector.',)), ('4', ())]
    """
    guards = [w for p in passages if p.step is None for w in p.warnings]
    if not guards:
        return passages
    phrases = {w: _phrases(w) for w in guards}
    out = []
    for p in passages:
        extra = tuple(w for w in guards if p.step is not None and w not in p.warnings and phrases[w] & _phrases(p.text))
        if extra:
            p = Passage(p.text, p.section_path, p.page, p.step, (*p.warnings, *extra))
        out.append(p)
    return out


def _phrases(text: str) -> set[tuple[str, str]]:
    """Pairs of neighbouring content words: "battery connector", "disconnect gpu"."""
    content = [stem(w) for w in re.findall(r"[a-z][a-z0-9-]+", text.lower()) if w not in STOPWORDS and len(w) > 2]
    return set(zip(content, content[1:]))


class _Walker:
    def __init__(self, infer_headings: bool) -> None:
        self.infer = infer_headings
        self.path: list[tuple[int, str]] = []
        self.unit: _Unit | None = None
        self.pending: list[str] = []  # warnings waiting for the next step
        self.auto_step = 0  # numbering for unnumbered list items under a procedure heading
        self.out: list[Passage] = []

    @property
    def breadcrumb(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.path)

    def feed(self, block: "Block", rest: Sequence["Block"]) -> None:
        if is_heading(block, self.infer):
            self._close()
            depth = heading_depth(block)
            self.path = [(d, t) for d, t in self.path if d < depth] + [(depth, block.text)]
            self.auto_step = 0
        elif is_warning(block.text):
            self._warning(block, rest)
        elif (number := self._step_of(block)) is not None:
            self._step(block, number)
        else:
            self._body(block)

    def _step_of(self, block: "Block") -> str | None:
        number = step_number(block.text)
        if number is not None:
            self.auto_step = -1  # explicit numbers: do not invent any in this section
            return number
        in_procedure = any(_PROCEDURE_HEADING.search(t) for t in self.breadcrumb[-1:])
        if block.category == "list_item" and in_procedure and self.auto_step >= 0:
            self.auto_step += 1
            return str(self.auto_step)
        return None

    def _warning(self, block: "Block", rest: Sequence["Block"]) -> None:
        upcoming = next((b for b in rest if not is_warning(b.text) and not is_heading(b, self.infer)), None)
        guards_next_step = upcoming is not None and self._peek_is_step(upcoming)
        if guards_next_step:
            self.pending.append(block.text)
        elif self.unit is not None and self.unit.step is not None:
            self.unit.after.append(block.text)
        else:
            self._body(block, warning=True)

    def _peek_is_step(self, block: "Block") -> bool:
        if step_number(block.text) is not None:
            return True
        in_procedure = any(_PROCEDURE_HEADING.search(t) for t in self.breadcrumb[-1:])
        return block.category == "list_item" and in_procedure and self.auto_step >= 0

    def _step(self, block: "Block", number: str) -> None:
        text = block.text if step_number(block.text) else f"{number}. {block.text}"
        parent = self.unit
        if parent is not None and parent.step and number.startswith(parent.step + ".") and "." in number:
            child = _Unit(parent.path, block.page, number, [text], self.pending)
            parent.children.append(child)
        else:
            self._close()
            self.unit = _Unit(self.breadcrumb, block.page, number, [text], self.pending)
        self.pending = []

    def _body(self, block: "Block", warning: bool = False) -> None:
        if self.unit is None:
            self.unit = _Unit(self.breadcrumb, block.page)
        target = self.unit.children[-1] if self.unit.children else self.unit
        (target.warnings if warning and target.step is None else target.parts).append(block.text)
        if self.pending and target.step is None:  # warnings before a section, not a step
            target.warnings[:0] = self.pending
            self.pending = []

    def _close(self) -> None:
        unit, self.unit = self.unit, None
        if unit is None:
            return
        if unit.step is None:
            self.out += _section_passages(unit)
        elif unit.children and unit.words() > MAX_STEP_WORDS:
            parent = _Unit(unit.path, unit.page, unit.step, unit.parts, unit.warnings, unit.after)
            self.out += _step_passages(parent)
            label = unit.parts[0] if len(unit.parts[0]) <= 80 else unit.parts[0][:77] + "..."
            for child in unit.children:
                sub = _Unit((*unit.path, label), child.page, child.step, child.parts, child.warnings, child.after)
                self.out += _step_passages(sub)
        else:
            self.out += _step_passages(unit)

    def finish(self) -> list[Passage]:
        if self.pending:  # warnings at the very end guard what came before them
            if self.unit is None:
                self.unit = _Unit(self.breadcrumb, None)
            self.unit.after += self.pending
        self._close()
        return self.out


def _step_passages(unit: _Unit) -> list[Passage]:
    """Warnings before the step on top, then the step (and merged sub-steps), then inside warnings.

    A step whose own text runs past `MAX_STEP_WORDS` (a regulation paragraph
    with many clauses) continues in further chunks with the same step number.
    """
    before = [*unit.warnings, *(w for c in unit.children for w in c.warnings)]
    after = [*unit.after, *(w for c in unit.children for w in c.after)]
    body = [*unit.parts, *(line for c in unit.children for line in c.parts)]
    pieces = [body]
    if sum(len(t.split()) for t in body) > MAX_STEP_WORDS:
        pieces = [p.split("\n\n") for p in pack_paragraphs(body, lo=MAX_STEP_WORDS, hi=MAX_STEP_WORDS)]
    warnings = tuple(dict.fromkeys((*before, *after)))
    passages = []
    for i, piece in enumerate(pieces):
        lines = [*(before if i == 0 else ()), *piece, *(after if i == len(pieces) - 1 else ())]
        passages.append(Passage("\n".join(lines), unit.path, unit.page, unit.step, warnings))
    return passages


def _section_passages(unit: _Unit) -> list[Passage]:
    pieces = pack_paragraphs(unit.parts, lo=MAX_SECTION_WORDS, hi=MAX_SECTION_WORDS) if unit.parts else []
    passages = []
    for i, piece in enumerate(pieces or [""]):
        warnings = tuple(unit.warnings) if i == 0 else ()
        text = "\n".join((*warnings, piece)).strip()
        if text:
            passages.append(Passage(text, unit.path, unit.page, None, warnings))
    return passages
