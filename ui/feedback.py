"""Thumbs up/down on answers, kept in SQLite and exported as evaluation questions.

>>> import tempfile, pathlib
>>> fb = FeedbackStore(pathlib.Path(tempfile.mkdtemp()) / "fb.sqlite3")
>>> fb.record(question="torque?", answer_text="330 N·m [1]", rating="down", reason="wrong")
1
>>> fb.rows()[0]["reason"]
'wrong'
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping, Sequence

from assistant.domain import Answer

RATINGS = ("up", "down")
REASONS = ("wrong", "outdated SOP", "missing", "unsafe")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    user TEXT,
    rating TEXT NOT NULL,
    reason TEXT,
    comment TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL DEFAULT 0,
    sources_json TEXT NOT NULL,   -- [{"number", "chunk_id", "doc_id", "locator", "revision", "cited"}]
    settings_json TEXT NOT NULL   -- model/generation/retrieval settings that produced the answer
);
"""


def sources_of(answer: Answer) -> list[dict[str, Any]]:
    cited = {c.number for c in answer.citations}
    hits = answer.sources or tuple()
    out = [
        {"number": n, "chunk_id": h.chunk.chunk_id, "doc_id": h.chunk.doc_id, "locator": h.chunk.locator,
         "revision": h.chunk.revision, "cited": n in cited}
        for n, h in enumerate(hits, 1)
    ]
    if not out:
        out = [{"number": c.number, "chunk_id": c.chunk.chunk_id, "doc_id": c.chunk.doc_id,
                "locator": c.chunk.locator, "revision": c.chunk.revision, "cited": True} for c in answer.citations]
    return out


class FeedbackStore:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        question: str,
        answer_text: str,
        rating: str,
        reason: str | None = None,
        comment: str = "",
        sources: Sequence[Mapping[str, Any]] = (),
        model_settings: Mapping[str, Any] | None = None,
        user: str | None = None,
        refused: bool = False,
    ) -> int:
        """Store one rating; returns its id. Unknown ratings or reasons are refused."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}")
        if reason not in (None, "", *REASONS):
            raise ValueError(f"reason must be one of {REASONS}")
        row = (
            datetime.now(timezone.utc).replace(microsecond=0).isoformat(), user, rating, reason or None,
            (comment or "").strip()[:2000], question, answer_text, int(refused),
            json.dumps(list(sources), default=str), json.dumps(dict(model_settings or {}), default=str),
        )
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO feedback (created_at, user, rating, reason, comment, question, answer, refused,"
                " sources_json, settings_json) VALUES (?,?,?,?,?,?,?,?,?,?)", row)
            return int(cur.lastrowid)

    def record_answer(self, answer: Answer, rating: str, reason: str | None = None, comment: str = "",
                      user: str | None = None, model_settings: Mapping[str, Any] | None = None) -> int:
        return self.record(question=answer.question, answer_text=answer.text, rating=rating, reason=reason,
                           comment=comment, sources=sources_of(answer), model_settings=model_settings,
                           user=user, refused=answer.refused)

    def rows(self, limit: int = 500) -> list[dict[str, Any]]:
        """Newest first."""
        with self._lock:
            cur = self._db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,))
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r)) for r in cur.fetchall()]
        for r in rows:
            r["sources"] = json.loads(r.pop("sources_json"))
            r["settings"] = json.loads(r.pop("settings_json"))
            r["refused"] = bool(r["refused"])
        return rows

    def export_questions(self, path: Path) -> int:
        """Write the feedback as evaluation questions (JSONL, the eval harness format); returns the count.

        One line per rated answer, oldest first:
        {"id": "fb-7", "question": ..., "reference_answer": "", "must_contain": [], "gold_sources": [],
         "answerable": true, "tags": ["feedback", "wrong"]}
        A thumbs-up on a refusal is recorded as an unanswerable question; a reviewer fills in the rest.
        """
        rows = list(reversed(self.rows(limit=1_000_000)))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for r in rows:
                item = {
                    "id": f"fb-{r['id']}",
                    "question": r["question"],
                    "reference_answer": "",
                    "must_contain": [],
                    "gold_sources": [],
                    "answerable": not (r["refused"] and r["rating"] == "up"),
                    "tags": ["feedback", r["reason"] or ("helpful" if r["rating"] == "up" else "not helpful")],
                }
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        return len(rows)

    def close(self) -> None:
        with self._lock:
            self._db.close()
