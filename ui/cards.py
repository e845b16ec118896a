"""Answers and passages as HTML for the tablet. Everything from documents is escaped.

Pure functions, no gradio: `ui.app` puts their output into `gr.HTML` components
and the tests check it directly.

>>> "&lt;script&gt;" in source_card(1, _demo_chunk("<script>alert(1)</script>"))
True
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Sequence
from urllib.parse import quote

from assistant.domain import Answer, Chunk, DocKind, Hit

_CITE = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")  # passage pieces to mark: steps, clauses
_CLAIM_END = re.compile(r"(?<=[.!?])\s+|\n+")  # answer sentences: a citation closes a whole sentence
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-/·]*")
_STOP = frozenset("the and for with that this from are was were has have not you your all any its into per"
                  " then when what which will shall must should can may".split())
SNIPPET_CHARS = 320


@dataclass
class Turn:
    """One question and its answer as the session sees it while streaming."""

    question: str
    text: str = ""  # streamed tokens, then the final verified text
    hits: tuple[Hit, ...] = ()  # from SourcesEvent, shown before any token
    answer: Answer | None = None
    status: str = "searching"  # searching | waiting | streaming | done | error
    ahead: int = 0  # while waiting: questions before this one at the model
    error: str = ""
    feedback: list[str] = field(default_factory=list)  # ratings already given


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def source_url(chunk: Chunk) -> str:
    """Link to the original file, at the page when known (PDF viewers honour #page)."""
    url = f"/source/{quote(chunk.chunk_id, safe='')}"
    if chunk.page and chunk.source_path.lower().endswith(".pdf"):
        url += f"#page={int(chunk.page)}"
    return url


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
    claim_words = _words(_CITE.sub(" ", claim))
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
    """The sentences of the answer that cite [number] (the whole answer when none do)."""
    cited = [s for s in _CLAIM_END.split(answer_text) if f"[{number}]" in s]
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


def source_card(number: int, chunk: Chunk, claim: str = "", cited: bool = False, full_text: str | None = None) -> str:
    """One passage: title, kind, revision, section, locator, text (cited part marked), tap for more."""
    text = _tidy(full_text if full_text and len(full_text) >= len(chunk.text) else chunk.text)
    body = highlighted(text, claim) if claim else esc(text)
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
    warnings = "".join(f'<div class="fw-card-warning">⚠ {esc(w)}</div>' for w in chunk.warnings)
    page = f" at page {int(chunk.page)}" if chunk.page else ""
    return (
        f'<details class="fw-card{" fw-cited" if cited else ""}" id="fw-src-{number}">'
        f'<summary><span class="fw-num">[{number}]</span> <span class="fw-title">{esc(chunk.title or chunk.doc_id)}</span>'
        f'<div class="fw-meta">{" ".join(meta)}</div>'
        + (f'<div class="fw-where">{where}</div>' if where else "")
        + f'<div class="fw-snippet">{snippet_html}</div>'
        '<span class="fw-more">Tap to open the whole passage</span></summary>'
        f'{warnings}<div class="fw-fulltext">{body}</div>'
        f'<a class="fw-open" href="{esc(source_url(chunk))}" target="_blank" rel="noopener">'
        f"Open the original file{page}</a>"
        "</details>"
    )


def sources_panel(turn: Turn | None) -> str:
    """Source cards for the latest answer: retrieval hits first, then the passages the answer used."""
    if turn is None:
        return '<div class="fw-sources-empty">Sources for the answer appear here.</div>'
    full = {h.chunk.chunk_id: h.chunk.text for h in turn.hits}
    answer = turn.answer
    if answer is None:
        if not turn.hits:
            return '<div class="fw-sources-empty">Searching the approved documents…</div>'
        cards = [source_card(n, h.chunk, full_text=full.get(h.chunk.chunk_id)) for n, h in enumerate(turn.hits, 1)]
        return _panel("Passages found", cards)
    cited = {c.number for c in answer.citations}
    if answer.refused:
        heading = "Closest passages (not enough to answer)"
    elif cited:
        heading = "Sources cited in the answer"
    else:
        heading = "Passages used"
    cards = [
        source_card(n, h.chunk, claims_for(answer.text, n) if n in cited else "", n in cited,
                    full.get(h.chunk.chunk_id))
        for n, h in enumerate(answer.sources, 1)
    ]
    if not answer.sources:
        cards = [source_card(c.number, c.chunk, claims_for(answer.text, c.number), True) for c in answer.citations]
    return _panel(heading, cards)


def _panel(heading: str, cards: Sequence[str]) -> str:
    return f'<div class="fw-sources"><h3>{esc(heading)}</h3>{"".join(cards)}</div>'


def answer_text_html(text: str) -> str:
    """Escaped answer with [n] turned into links to the matching source card."""
    escaped = esc(text)
    return _CITE.sub(lambda m: f'<a class="fw-cite" href="#fw-src-{m.group(1)}">[{m.group(1)}]</a>', escaped)


def verification_flags(answer: Answer) -> list[str]:
    """Plain sentences a technician can read about what the checker changed."""
    v = answer.verification
    flags = []
    if answer.quoted_fallback:
        what = f": unsupported {', '.join(v.unsupported)}" if v.unsupported else ""
        flags.append(f"Answer replaced by a quote from the documents{what}. Read the quoted passage.")
    elif v.unsupported:
        flags.append(f"Not found in the cited passages: {', '.join(v.unsupported)}.")
    if v.removed_citations:
        flags.append("Citations removed because they did not support their sentence: "
                     + ", ".join(f"[{n}]" for n in v.removed_citations) + ".")
    return flags


def safety_box(warnings: Sequence[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return f'<div class="fw-safety" role="alert"><div class="fw-safety-head">⚠ SAFETY</div><ul>{items}</ul></div>'


def waiting_text(ahead: int) -> str:
    others = "1 other question" if ahead == 1 else f"{ahead} other questions"
    return f"The sources are ready. The assistant is answering {others} first…"


def turn_html(turn: Turn) -> str:
    question = f'<div class="fw-q">{esc(turn.question)}</div>'
    answer = turn.answer
    if turn.status == "error":
        return question + f'<div class="fw-a fw-error">{esc(turn.error)}</div>'
    if answer is None:
        if turn.status == "searching":
            body = '<div class="fw-a fw-pending">Searching the approved documents…</div>'
        elif turn.status == "waiting":
            body = f'<div class="fw-a fw-pending">{esc(waiting_text(turn.ahead))}</div>'
        else:
            body = f'<div class="fw-a fw-streaming">{answer_text_html(turn.text)}<span class="fw-caret">▍</span></div>'
        return question + body
    if answer.refused:
        body = (f'<div class="fw-a fw-refused"><div class="fw-refused-head">Not covered by the approved documents</div>'
                f'{esc(answer.text)}</div>')
    else:
        cls = "fw-a fw-quoted" if answer.quoted_fallback else "fw-a"
        body = f'<div class="{cls}">{answer_text_html(answer.text)}</div>'
    flags = "".join(f'<div class="fw-flag">{esc(f)}</div>' for f in verification_flags(answer))
    notes = [n for n in answer.verification.notes if not n.startswith("refused")]
    note_html = ""
    if notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in notes)
        note_html = f'<details class="fw-note"><summary>How this answer was checked</summary><ul>{items}</ul></details>'
    return question + safety_box(answer.safety) + body + flags + note_html


def thread_html(turns: Sequence[Turn]) -> str:
    if not turns:
        return ""
    return '<div class="fw-thread">' + "".join(f'<div class="fw-turn">{turn_html(t)}</div>' for t in turns) + "</div>"


def _demo_chunk(text: str) -> Chunk:
    return Chunk("c1", "SOP-1", "/docs/SOP-1.pdf", "SOP-1 Demo", DocKind.SOP, text, 0, "h")
