"""Passages as HTML source cards, one panel per answer. Everything from documents is escaped.

Pure functions, no gradio: `ui.app` puts their output into `gr.HTML` components
and the tests check it directly. Each answer keeps its own cards: the card for
passage n of turn t is `fw-src-<t>-<n>`, inside the section `fw-sources-<t>`,
so an older answer's [n] never lands on a newer answer's passage.

>>> "&lt;script&gt;" in source_card(1, 1, _demo_chunk("<script>alert(1)</script>"))
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Sequence
from urllib.parse import quote

from assistant.domain import Answer, Chunk, DocKind, Hit
from assistant.text import MARKER, marker_numbers

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")  # passage pieces to mark: steps, clauses
_CLAIM_END = re.compile(r"(?<=[.!?])\s+|\n+")  # answer sentences: a citation closes a whole sentence
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/·]*")
_STOP = frozenset("the and for with that this from are was were has have not you your all any its into per"
                  " then when what which will shall must should can may".split())
SNIPPET_CHARS = 320
TABLE_FILES = (".csv", ".xlsx", ".xlsm")  # originals shown as a page with the row marked (ui.original)


@dataclass
class Turn:
    """One question and its answer as the session sees it while streaming."""

    question: str
    text: str = ""  # streamed text (the evidence, at once), then the final answer's text
    hits: tuple[Hit, ...] = ()  # from SourcesEvent, shown before any answer text
    answer: Answer | None = None
    status: str = "searching"  # searching | waiting | streaming | done | error
    ahead: int = 0  # while waiting: questions before this one at the model
    error: str = ""
    feedback: list[str] = field(default_factory=list)  # ratings given on this answer
    note: str = ""  # what the feedback buttons answered ("Thanks, noted.")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def card_id(turn: int, number: int) -> str:
    return f"fw-src-{int(turn)}-{int(number)}"


def is_table_row(chunk: Chunk) -> bool:
    """A row of a CSV or XLSX file: its original opens as a page with the row marked."""
    return PurePath(chunk.source_path).suffix.lower() in TABLE_FILES and chunk.fields.get("row") is not None


def source_url(chunk: Chunk, download: bool = False) -> str:
    """Link to the original file, at the page when known (PDF viewers honour #page).

    >>> source_url(_demo_chunk("x")), source_url(_demo_chunk("x"), download=True)
    ('/source/c1', '/source/c1?download=1')
    """
    url = f"/source/{quote(chunk.chunk_id, safe='')}"
    if download:
        return url + "?download=1"
    if chunk.page and chunk.source_path.lower().endswith(".pdf"):
        url += f"#page={int(chunk.page)}"
    return url


def view_url(chunk: Chunk) -> str:
    """The table page for a row of a CSV or XLSX original, scrolled to the row."""
    return f"/view/{quote(chunk.chunk_id, safe='')}#row-{int(chunk.fields['row'])}"


def _words(text: str) -> set[str]:
    return {w.lower().rstrip(".") for w in _WORD.findall(text) if len(w) > 2 and w.lower() not in _STOP}


def split_sentences(text: str) -> list[str]:
    """Pieces of `text` that join back to it exactly.

    >>> split_sentences("Stop. Lock out.\\nTest")
    ['Stop. ', 'Lock out.\\n', 'Test']
    """
    pieces, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        pieces.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def highlighted(text: str, claim: str) -> str:
    """Escaped `text` with the sentences that support `claim` wrapped in <mark>.

    >>> highlighted("Wear gloves. Torque to 330 N·m in two passes.", "Torque the bolts to 330 N·m [1].")
    'Wear gloves. <mark>Torque to 330 N·m in two passes.</mark>'
    """
    claim_words = _words(MARKER.sub(" ", claim).replace("**", " "))
    pieces = split_sentences(text)
    if not claim_words:
        return esc(text)
    scores = []
    for piece in pieces:
        words = _words(piece)
        shared = words & claim_words
        numeric = any(any(ch.isdigit() for ch in w) for w in shared)
        scores.append((len(shared) / max(len(words), 1), len(shared), numeric))
    marks = [(ratio >= 0.5 and n >= 2) or (numeric and n >= 2) for ratio, n, numeric in scores]
    if not any(marks) and scores:
        best = max(range(len(scores)), key=lambda i: (scores[i][1], scores[i][0]))
        marks[best] = scores[best][1] >= 2
    return "".join(f"<mark>{esc(p.rstrip())}</mark>{esc(p[len(p.rstrip()):])}" if m else esc(p)
                   for p, m in zip(pieces, marks))


def claims_for(answer_text: str, number: int) -> str:
    """The sentences of the answer that cite [number] (the whole answer when none do).

    >>> claims_for("Torque 330 N·m [1]. Wear gloves [2].", 2)
    'Wear gloves [2].'
    """
    cited = [s for s in _CLAIM_END.split(answer_text)
             if any(number in marker_numbers(m.group(1)) for m in MARKER.finditer(s))]
    return " ".join(cited) or answer_text


def kind_badge(kind: DocKind) -> str:
    return f'<span class="fw-badge fw-kind-{esc(kind.value)}">{esc(kind.label)}</span>'


def _tidy(text: str) -> str:
    return re.sub(r"\n\s*\n+", "\n", text).strip()


def _snippet(text: str, claim: str) -> str:
    """About SNIPPET_CHARS of `text`, starting at the supporting sentence when there is one."""
    start = 0
    if claim:
        marked = highlighted(text, claim)
        at = marked.find("<mark>")
        if at > 0:
            start = len(html.unescape(re.sub(r"<[^>]+>", "", marked[:at])))
    piece = text[start:]
    if len(piece) > SNIPPET_CHARS:
        piece = piece[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + piece


def _open_links(chunk: Chunk) -> str:
    """How to reach the original: a table row opens as a page with the row marked, the download is apart."""
    if is_table_row(chunk):
        return (f'<div class="fw-open-row"><a class="fw-open" href="{esc(view_url(chunk))}" target="_blank" '
                f'rel="noopener">Open the original file at row {int(chunk.fields["row"])}</a>'
                f'<a class="fw-download" href="{esc(source_url(chunk, download=True))}" download>'
                f"Download {esc(PurePath(chunk.source_path).name)}</a></div>")
    page = f" at page {int(chunk.page)}" if chunk.page else ""
    return (f'<div class="fw-open-row"><a class="fw-open" href="{esc(source_url(chunk))}" target="_blank" '
            f'rel="noopener">Open the original file{page}</a></div>')


def source_card(turn: int, number: int, chunk: Chunk, claim: str = "", cited: bool = False,
                full_text: str | None = None) -> str:
    """One passage: title, kind, revision, section, locator, text (cited part marked), tap for more."""
    text = _tidy(full_text if full_text and len(full_text) >= len(chunk.text) else chunk.text)
    rest = text  # the open card shows its warnings once, in their own boxes above the text
    for warning in chunk.warnings:
        rest = rest.replace(warning.strip(), "") if warning.strip() else rest
    rest = _tidy(rest) or text
    body = highlighted(rest, claim) if claim else esc(rest)
    snippet = _snippet(text, claim)
    snippet_html = highlighted(snippet, claim) if claim else esc(snippet)
    meta = [kind_badge(chunk.kind)]
    if chunk.revision:
        meta.append(f'<span class="fw-rev">rev {esc(chunk.revision)}</span>')
    if chunk.superseded:
        meta.append('<span class="fw-superseded">superseded</span>')
    if chunk.effective_date:
        meta.append(f'<span class="fw-date">effective {esc(chunk.effective_date)}</span>')
    if cited:
        meta.append('<span class="fw-cited-tag">cited</span>')
    where = " · ".join(esc(p) for p in (chunk.breadcrumb, chunk.locator) if p)
    warnings = "".join(f'<div class="fw-card-warning">{esc(w)}</div>' for w in chunk.warnings)
    return (
        f'<details class="fw-card{" fw-cited" if cited else ""}" id="{card_id(turn, number)}" data-n="{int(number)}">'
        f'<summary><span class="fw-num">[{int(number)}]</span> '
        f'<span class="fw-title">{esc(chunk.title or chunk.doc_id)}</span>'
        f'<div class="fw-meta">{" ".join(meta)}</div>'
        + (f'<div class="fw-where">{where}</div>' if where else "")
        + f'<div class="fw-snippet">{snippet_html}</div>'
        '<span class="fw-more">Tap to open the whole passage</span></summary>'
        f'{warnings}<div class="fw-fulltext">{body}</div>{_open_links(chunk)}'
        "</details>"
    )


def turn_cards(turn: Turn, number: int) -> tuple[str, list[str]]:
    """(heading, cards) for one turn: retrieval hits while it streams, then the answer's own sources."""
    full = {h.chunk.chunk_id: h.chunk.text for h in turn.hits}
    answer = turn.answer
    if answer is None:
        if not turn.hits:
            return ("Searching the approved documents…" if turn.status != "error" else "No sources"), []
        return "Passages found", [source_card(number, n, h.chunk, full_text=full.get(h.chunk.chunk_id))
                                  for n, h in enumerate(turn.hits, 1)]
    cited = {c.number for c in answer.citations}
    if answer.refused:
        heading = "Closest passages (not enough to answer)"
    elif cited:
        heading = "Sources cited in the answer"
    else:
        heading = "Passages used"
    cards = [source_card(number, n, h.chunk, claims_for(answer.text, n) if n in cited else "", n in cited,
                         full.get(h.chunk.chunk_id))
             for n, h in enumerate(answer.sources, 1)]
    if not answer.sources:
        cards = [source_card(number, c.number, c.chunk, claims_for(answer.text, c.number), True)
                 for c in answer.citations]
    return heading, cards


def sources_panel(turns: Sequence[Turn] | Turn | None, active: int | None = None) -> str:
    """Every answer's cards in its own section; only the `active` one (default: the latest) is shown.

    >>> panel = sources_panel([Turn("a"), Turn("b")])
    >>> 'id="fw-sources-1" data-turn="1" hidden' in panel, 'id="fw-sources-2" data-turn="2">' in panel
    (True, True)
    """
    if isinstance(turns, Turn):
        turns = [turns]
    if not turns:
        return '<div class="fw-sources-empty">The sources of each answer appear here.</div>'
    active = active or len(turns)
    sections = []
    for number, turn in enumerate(turns, 1):
        heading, cards = turn_cards(turn, number)
        body = "".join(cards) or f'<div class="fw-sources-empty">{esc(heading)}</div>'
        sections.append(
            f'<section class="fw-turn-sources" id="fw-sources-{number}" data-turn="{number}"'
            f'{"" if number == active else " hidden"}>'
            f'<h3>{esc(heading)}</h3><div class="fw-for">For: {esc(turn.question)}</div>{body}'
            f'<button type="button" class="fw-btn fw-back" data-turn="{number}">Back to the answer</button></section>')
    return '<div class="fw-sources">' + "".join(sections) + "</div>"


def thread_html(turns: Sequence[Turn]) -> str:
    """The conversation as HTML; it lives in `ui.answers` (kept here for `bench.technician`'s callers)."""
    from ui.answers import thread_html as render

    return render(turns)


def _demo_chunk(text: str) -> Chunk:
    return Chunk("c1", "SOP-1", "/docs/SOP-1.pdf", "SOP-1 Demo", DocKind.SOP, text, 0, "h")
