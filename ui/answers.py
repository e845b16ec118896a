"""The conversation as HTML for the tablet: each answer leads with its value, each safety text shown once.

Pure functions, no gradio. The route decides what leads (`Answer.route`, never
the note strings): the model's checked line (GENERATED), the value line of a
table answer (RECORDS), the first quoted piece (EVIDENCE), or why the documents
do not answer (REFUSED). Every [n] links to its own turn's card,
`fw-src-<turn>-<n>` (see `ui.cards`), and is a 44 px tap target.

The markup keeps what `bench.technician` reads: `<div class="fw-turn">`,
`<div class="fw-q">question</div>`, `fw-streaming">...<span class="fw-caret">`.

>>> html = thread_html([Turn("q?", text="Lock out DS-1 [1]", status="streaming")])
>>> 'href="#fw-src-1-1"' in html and 'fw-caret' in html
True
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.domain import Answer, Reason, Route
from assistant.text import MARKER, cited_numbers, marker_numbers, strip_markers
from ui.cards import Turn, card_id, esc
from ui.feedback import REASONS

_BOLD = re.compile(r"\*\*(.+?)\*\*")
REFUSAL_HEADINGS = {
    Reason.NO_EVIDENCE: "Nothing in the approved documents matches this question",
    Reason.NOT_COVERED: "Not covered by the approved documents",
    Reason.ATTRIBUTE_MISSING: "The approved documents do not give this",
    Reason.OUTSIDE_RECORDS: "The records do not cover that",
    Reason.NO_MATCHING_RECORDS: "No record meets every criterion",
    None: "Not covered by the approved documents",
}
HOW_MADE = {
    Route.GENERATED: "The first line was written by the assistant and checked against the passages it cites. "
                     "The lines under it are quoted word for word from the documents.",
    Route.EVIDENCE: "Quoted word for word from the documents; the assistant added nothing.",
    Route.RECORDS: "Computed exactly from the rows of the table, not written by the assistant.",
}
WHY_REFUSED = {
    Reason.NO_EVIDENCE: "No passage in the documents is close to the question.",
    Reason.NOT_COVERED: "The passages found are about something else.",
    Reason.ATTRIBUTE_MISSING: "The documents mention the subject but not the value asked for.",
    Reason.OUTSIDE_RECORDS: "The records hold no date in the period, or no asset by the name, asked about.",
    Reason.NO_MATCHING_RECORDS: "Records meet some of the criteria, none meets all; the closest are listed as such.",
}


def cite_link(turn: int, number: int) -> str:
    return (f'<a class="fw-cite" href="#{card_id(turn, number)}" data-turn="{int(turn)}" data-n="{int(number)}" '
            f'aria-label="Source {int(number)}">[{int(number)}]</a>')


def rich(text: str, turn: int) -> str:
    """Escaped text with **bold** and each [n] (also [1, 2]) a link to turn `turn`'s card n.

    >>> rich("**330 N·m** <b> [1, 2]", 3)  # doctest: +ELLIPSIS
    '<strong>330 N·m</strong> &lt;b&gt; <a ... href="#fw-src-3-1" ...>[1]</a><a ... href="#fw-src-3-2" ...>[2]</a>'
    """
    out = _BOLD.sub(r"<strong>\1</strong>", esc(text))
    return MARKER.sub(lambda m: "".join(cite_link(turn, n) for n in marker_numbers(m.group(1))), out)


def without_safety(text: str, safety: Sequence[str]) -> str:
    """`text` with the safety texts taken out, since the safety box shows them; a line left with
    nothing but its citation goes.

    >>> without_safety("Torque 330 N·m [1]\\nLOCKOUT: lock DS-1. [2]", ["LOCKOUT: lock DS-1."])
    'Torque 330 N·m [1]'
    """
    if not safety:
        return text
    for warning in safety:
        if warning.strip():
            text = text.replace(warning.strip(), "")
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
    kept = [line for line in lines if not line or any(ch.isalnum() for ch in strip_markers(line))]
    return "\n".join(kept).strip("\n")


def lead_and_rest(answer: Answer, body: str) -> tuple[str, str]:
    """What the answer leads with, and the rest of its text.

    >>> from assistant.domain import Verification
    >>> a = Answer("q", "Torque to 330 N·m [1].\\n\\nTorque (N·m): 330 [1]", (), Verification(True),
    ...            route=Route.GENERATED, line="Torque to 330 N·m [1].")
    >>> lead_and_rest(a, a.text)
    ('Torque to 330 N·m [1].', 'Torque (N·m): 330 [1]')
    """
    body = body.strip("\n")
    if answer.route is Route.GENERATED and answer.line:
        rest = body[len(answer.line):] if body.startswith(answer.line) else "\n".join(
            line for line in body.split("\n") if line.strip() != answer.line.strip())
        return answer.line, rest.strip("\n")
    lines = body.split("\n")
    end = 0
    if answer.route is not Route.RECORDS:  # the first quoted piece, up to its citation
        end = next((i for i, line in enumerate(lines) if MARKER.search(line)), 0)
    return "\n".join(lines[:end + 1]), "\n".join(lines[end + 1:]).strip("\n")


def safety_box(warnings: Sequence[str], cited: dict[str, int] | None = None, turn: int = 0) -> str:
    """The warnings, each once, each with the passage it came from when known."""
    if not warnings:
        return ""
    cited = cited or {}
    items = "".join(f"<li>{esc(w)}{' ' + cite_link(turn, cited[w]) if w in cited else ''}</li>"
                    for w in dict.fromkeys(warnings))
    return (f'<div class="fw-safety" role="alert"><div class="fw-safety-head">⚠ SAFETY</div>'
            f"<ul>{items}</ul></div>")


def warning_sources(warnings: Sequence[str], numbered_chunks) -> dict[str, int]:
    """warning -> the first passage number (of `numbered_chunks`: (n, chunk)) that carries it."""
    found: dict[str, int] = {}
    for n, chunk in numbered_chunks:
        for w in chunk.warnings:
            if w in warnings:
                found.setdefault(w, n)
    return found


def streaming_safety(turn: Turn) -> tuple[str, ...]:
    """While the answer streams: the warnings of the passages its text cites so far."""
    numbers = [n for n in cited_numbers(turn.text) if 0 < n <= len(turn.hits)]
    return tuple(dict.fromkeys(w for n in numbers for w in turn.hits[n - 1].chunk.warnings))


def answer_html(answer: Answer, number: int) -> str:
    """The answer body: the lead (value first), then what it was read from."""
    if answer.refused:
        heading = REFUSAL_HEADINGS.get(answer.reason, REFUSAL_HEADINGS[None])
        return (f'<div class="fw-a fw-refused"><div class="fw-refused-head">{esc(heading)}</div>'
                f'<div class="fw-body">{rich(answer.text, number)}</div></div>')
    lead, rest = lead_and_rest(answer, without_safety(answer.text, answer.safety))
    label = {Route.GENERATED: "In the documents", Route.RECORDS: "From the table"}.get(answer.route)
    rest_html = ""
    if rest:
        head = f'<div class="fw-rest-head">{label}</div>' if label else ""
        rest_html = f'<div class="fw-rest">{head}<div class="fw-body">{rich(rest, number)}</div></div>'
    return (f'<div class="fw-a fw-route-{esc(answer.route.value)}"><div class="fw-lead">{rich(lead, number)}</div>'
            f"{rest_html}</div>")


def checked_items(answer: Answer) -> list[str]:
    """Plain sentences on how the answer was made and checked (the notes are for people)."""
    items = [WHY_REFUSED.get(answer.reason, "") if answer.refused else HOW_MADE.get(answer.route, "")]
    table = answer.table
    if answer.route is Route.RECORDS and table is not None:
        criteria = "; ".join(table.plan.describe()) or "every row"
        items.append(f"Rows counted: {criteria} ({table.matched} found).")
    v = answer.verification
    if v.unsupported:
        items.append(f"Not found in the cited passages: {', '.join(v.unsupported)}.")
    if v.removed_citations:
        items.append("Citations removed because they did not support their sentence: "
                     + ", ".join(f"[{n}]" for n in v.removed_citations) + ".")
    items += [n for n in v.notes if n]
    return [i for i in items if i]


def checked_html(answer: Answer) -> str:
    items = "".join(f"<li>{esc(i)}</li>" for i in checked_items(answer))
    return (f'<details class="fw-checked"><summary><span class="fw-chevron" aria-hidden="true"></span>'
            f"How this answer was checked</summary><ul>{items}</ul></details>")


def feedback_html(turn: Turn, number: int) -> str:
    """Thumbs for this answer; what is sent names this turn, so it attaches to this answer."""
    if turn.note:
        return f'<div class="fw-fb-note" role="status">{esc(turn.note)}</div>'
    reasons = "".join(f'<label class="fw-reason"><input type="radio" name="fw-why-{number}" value="{esc(r)}">'
                      f"{esc(r)}</label>" for r in REASONS)
    return (f'<div class="fw-fb" data-turn="{number}">'
            '<button type="button" class="fw-btn fw-fb-up" data-fw-rating="up">✓ Helpful</button>'
            '<details class="fw-fb-down"><summary class="fw-btn">✗ Not right</summary>'
            f'<div class="fw-fb-form"><div class="fw-fb-ask">What was wrong with this answer?</div>{reasons}'
            '<textarea class="fw-fb-comment" rows="2" placeholder="Comment (optional)"></textarea>'
            '<div class="fw-fb-hint" hidden>Pick what was wrong first.</div>'
            '<button type="button" class="fw-btn fw-primary" data-fw-rating="down">Send feedback</button>'
            "</div></details></div>")


def actions_html(turn: Turn, number: int) -> str:
    count = len(turn.answer.sources or turn.answer.citations) if turn.answer else 0
    show = (f'<button type="button" class="fw-btn fw-show-sources" data-turn="{number}">'
            f"Sources for this answer ({count})</button>") if count else ""
    return f'<div class="fw-actions">{show}{feedback_html(turn, number)}</div>'


def waiting_text(ahead: int) -> str:
    others = "1 other question" if ahead == 1 else f"{ahead} other questions"
    return f"The sources are ready. The assistant is answering {others} first…"


def turn_html(turn: Turn, number: int = 1) -> str:
    question = f'<div class="fw-q">{esc(turn.question)}</div>'
    answer = turn.answer
    if turn.status == "error":
        return question + f'<div class="fw-a fw-error">{esc(turn.error)}</div>'
    if answer is None:
        if turn.status == "searching":
            return question + '<div class="fw-a fw-pending">Searching the approved documents…</div>'
        if turn.status == "waiting":
            return question + f'<div class="fw-a fw-pending">{esc(waiting_text(turn.ahead))}</div>'
        safety = streaming_safety(turn)
        cited = warning_sources(safety, ((n, h.chunk) for n, h in enumerate(turn.hits, 1)))
        body = rich(without_safety(turn.text, safety), number)
        caret = '<span class="fw-caret"></span>'
        shown = f'<div class="fw-body">{body}{caret}</div>' if body.strip() else caret
        after = "Finishing the answer…" if body.strip() else "Reading the passages…"
        return (question + safety_box(safety, cited, number)
                + f'<div class="fw-a fw-streaming">{shown}<div class="fw-finishing">{after}</div></div>')
    numbered = [(c.number, c.chunk) for c in answer.citations]
    safety = safety_box(answer.safety, warning_sources(answer.safety, numbered), number)
    return question + safety + answer_html(answer, number) + checked_html(answer) + actions_html(turn, number)


def thread_html(turns: Sequence[Turn]) -> str:
    if not turns:
        return ""
    return '<div class="fw-thread">' + "".join(
        f'<div class="fw-turn">{turn_html(t, n)}</div>' for n, t in enumerate(turns, 1)) + "</div>"
