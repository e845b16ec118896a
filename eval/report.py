"""Markdown and standalone HTML reports of one run: failures first, then metrics, tags, latency.

The HTML file carries its CSS and SVG charts inline and refers to nothing
outside itself, so it opens on a plant PC with no network. All document and
answer text is escaped.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Mapping, Sequence

from eval.metrics import LATENCIES, METRICS, is_failure

FAILURES_SHOWN = 200


def write_reports(out_dir: Path, records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]) -> None:
    (out_dir / "report.md").write_text(markdown_report(records, summary), encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(records, summary), encoding="utf-8")


def rebuild(out_dir: Path) -> dict[str, Any]:
    """Re-summarise a run folder's results.jsonl (after a metric change, or of an interrupted run)."""
    import json

    from eval.compare import load_run
    from eval.metrics import summarise

    records, old = load_run(out_dir)
    keep = {k: old[k] for k in ("dataset", "mode", "created", "seconds", "settings", "ingest") if k in old}
    summary = {"dataset": out_dir.name, "mode": "?", **keep, **summarise(records)}
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    write_reports(out_dir, records, summary)
    return summary


def fmt(value: Any, digits: int = 3) -> str:
    """Example:

    >>> fmt(0.12345), fmt(None), fmt(7)
    ('0.123', '–', '7')
    """
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _sources_line(items: Sequence[Mapping[str, Any]], limit: int = 5) -> str:
    parts = []
    for item in items[:limit]:
        loc = ", ".join(f"{k} {v}" for k, v in (item.get("locator") or {}).items() if k != "section")
        mark = " ✓" if item.get("gold") else ""
        parts.append(f"{item.get('doc_id')}{f' ({loc})' if loc else ''}{mark}")
    return "; ".join(parts) or "none"


def _expected(record: Mapping[str, Any]) -> str:
    if not record.get("answerable", True):
        return "a refusal (not in the documents)"
    gold = "; ".join(f"{g['doc']} {g.get('locator') or ''}".strip() for g in record.get("gold_sources") or [])
    must = ", ".join(record.get("must_contain") or [])
    out = record.get("reference_answer") or ""
    if must:
        out += f" [must contain: {must}]"
    if gold:
        out += f" [gold: {gold}]"
    return out


def _got(record: Mapping[str, Any]) -> str:
    if record.get("error"):
        return f"ERROR {record['error']}"
    if record.get("answer") is None:
        return "refused by the gate" if record.get("refused") else "(retrieval only: passed the refusal gate)"
    text = ("REFUSED: " if record.get("refused") else "") + (str(record["answer"]).strip() or "(empty answer)")
    if record.get("unsupported"):
        text += f" [unsupported: {', '.join(record['unsupported'])}]"
    return text


def _metric_rows(summary: Mapping[str, Any]) -> list[tuple[str, str, Any, int]]:
    return [(METRICS[name][1], name, summary["metrics"].get(name), summary["support"].get(name, 0))
            for name in METRICS]


# -- markdown ------------------------------------------------------------------------
def markdown_report(records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]) -> str:
    failures = [r for r in records if is_failure(r)]
    lines = [f"# Evaluation: {summary.get('dataset')} ({summary.get('mode')})", "",
             f"{summary['questions']} questions ({summary['answerable']} answerable), {len(failures)} failures, "
             f"{summary['errors']} errors; {summary.get('seconds')} s; {summary.get('created')}.", "",
             f"Settings: {_inline(summary.get('settings') or {})}", "",
             f"Ingest: {_inline(summary.get('ingest') or {})}", "", f"## Failures ({len(failures)})", ""]
    for r in failures[:FAILURES_SHOWN]:
        lines += [f"### {r['id']}: {_md(r['question'])}", "", f"- tags: {', '.join(r.get('tags') or [])}",
                  f"- expected: {_md(_expected(r))}", f"- got: {_md(_got(r))}",
                  f"- retrieved: {_md(_sources_line(r.get('retrieved') or []))}",
                  f"- cited: {_md(_sources_line(r.get('cited') or []))}", ""]
    lines += ["## Metrics", "", "| group | metric | value | questions |", "|---|---|---|---|"]
    lines += [f"| {g} | {n} | {fmt(v)} | {s} |" for g, n, v, s in _metric_rows(summary)]
    lines += ["", "## Latency (seconds) and prompt size", "", "| stage | p50 | p95 |", "|---|---|---|"]
    lines += [f"| {k} | {fmt(v['p50'])} | {fmt(v['p95'])} |" for k, v in summary["latency"].items()]
    stages = summary.get("stages") or {}
    judged = sum(stages.values())
    if judged:
        lines += ["", f"## Where the asked fact was lost ({judged} answerable questions with must-contain)", "",
                  "| stage | questions | share |", "|---|---|---|"]
        lines += [f"| {k} | {v} | {fmt(v / judged)} |" for k, v in stages.items()]
    names = [n for n in METRICS if summary["support"].get(n)]
    lines += ["", "## By tag", "", "| tag | n | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for tag, part in summary.get("by_tag", {}).items():
        lines.append(f"| {tag} | {part['questions']} | " + " | ".join(fmt(part["metrics"].get(n)) for n in names) + " |")
    passed = [r for r in records if not is_failure(r)]
    lines += ["", f"## Passing questions ({len(passed)})", ""]
    lines += [f"- {r['id']}: {_md(r['question'])} → {_md(_got(r)[:160])}" for r in passed]
    return "\n".join(lines) + "\n"


def _inline(data: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in data.items() if k not in ("failed",))


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


# -- html ----------------------------------------------------------------------------
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.fail{border-left:4px solid #c0392b;padding:.25rem .75rem;margin:.75rem 0;background:#fdf3f2}
.fail h3{margin:.2rem 0;font-size:1rem}.k{color:#666;display:inline-block;min-width:6rem}
.tag{display:inline-block;background:#eee;border-radius:3px;padding:0 .3rem;margin-right:.2rem;font-size:12px}
.cell{text-align:right;font-variant-numeric:tabular-nums}details{margin:.5rem 0}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(items: Sequence[tuple[str, float | None]], width: int = 520, maximum: float = 1.0) -> str:
    """Horizontal bars as inline SVG (values 0..maximum).

    >>> "<svg" in bar_chart([("recall@5", 0.8)]) and "http" not in bar_chart([("x", None)])
    True
    """
    row, label_w = 22, 170
    height = row * len(items) + 10
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="bar chart">']
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{_e(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{width - label_w - 60}" height="14" fill="#eee"/>')
        if value is not None:
            w = max(0.0, min(1.0, value / maximum if maximum else 0)) * (width - label_w - 60)
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="14" fill="#2e86c1"/>')
        parts.append(f'<text x="{width - 55}" y="{y + 15}" font-size="12">{_e(fmt(value, 2))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _heat(value: float | None, higher_better: bool) -> str:
    if value is None:
        return ""
    good = value if higher_better else 1 - min(1.0, value)
    hue = int(120 * max(0.0, min(1.0, good)))
    return f' style="background:hsl({hue},60%,85%)"'


def html_report(records: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]) -> str:
    failures = [r for r in records if is_failure(r)]
    out = [f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation: {_e(summary.get('dataset'))}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>Evaluation: {_e(summary.get('dataset'))} <small>({_e(summary.get('mode'))})</small></h1>",
           f"<p>{summary['questions']} questions ({summary['answerable']} answerable), "
           f"<b>{len(failures)} failures</b>, {summary['errors']} errors; {_e(summary.get('seconds'))} s; "
           f"{_e(summary.get('created'))}</p>",
           f"<p><span class='k'>settings</span>{_e(_inline(summary.get('settings') or {}))}<br>"
           f"<span class='k'>ingest</span>{_e(_inline(summary.get('ingest') or {}))}</p>",
           f"<h2>Failures ({len(failures)})</h2>"]
    for r in failures[:FAILURES_SHOWN]:
        tags = "".join(f"<span class='tag'>{_e(t)}</span>" for t in r.get("tags") or [])
        out.append(
            f"<div class='fail'><h3>{_e(r['id'])}: {_e(r['question'])}</h3>{tags}<br>"
            f"<span class='k'>expected</span>{_e(_expected(r))}<br><span class='k'>got</span>{_e(_got(r))}<br>"
            f"<span class='k'>retrieved</span>{_e(_sources_line(r.get('retrieved') or []))}<br>"
            f"<span class='k'>cited</span>{_e(_sources_line(r.get('cited') or []))}</div>")
    rows = [(n, v) for _, n, v, s in _metric_rows(summary) if s]
    out += ["<h2>Metrics</h2>", bar_chart(rows), "<table><tr><th>group</th><th>metric</th><th>value</th>"
            "<th>questions</th></tr>"]
    out += [f"<tr><td>{_e(g)}</td><td>{_e(n)}</td><td class='cell'{_heat(v, METRICS[n][0])}>{fmt(v)}</td>"
            f"<td class='cell'>{s}</td></tr>" for g, n, v, s in _metric_rows(summary)]
    out.append("</table>")
    lat = summary["latency"]
    top = max([v for k in LATENCIES for v in lat[k].values() if v is not None] or [1.0])
    out += ["<h2>Latency (seconds)</h2>",
            bar_chart([(f"{k} {p}", lat[k][p]) for k in LATENCIES for p in ("p50", "p95")], maximum=top),
            f"<p>prompt tokens p50 {fmt(lat['prompt_tokens']['p50'], 0)}, p95 {fmt(lat['prompt_tokens']['p95'], 0)}</p>"]
    out.append(_tag_table(summary))
    passed = [r for r in records if not is_failure(r)]
    out.append(f"<h2>Passing questions ({len(passed)})</h2><details><summary>show</summary><table>")
    out += [f"<tr><td>{_e(r['id'])}</td><td>{_e(r['question'])}</td><td>{_e(_got(r)[:300])}</td></tr>" for r in passed]
    out.append("</table></details></body></html>")
    return "\n".join(out) + "\n"


def _tag_table(summary: Mapping[str, Any]) -> str:
    names = [n for n in METRICS if summary["support"].get(n)]
    head = "".join(f"<th>{_e(n)}</th>" for n in names)
    rows = [f"<h2>By tag</h2><table><tr><th>tag</th><th>n</th>{head}</tr>"]
    for tag, part in summary.get("by_tag", {}).items():
        cells = "".join(f"<td class='cell'{_heat(part['metrics'].get(n), METRICS[n][0])}>"
                        f"{fmt(part['metrics'].get(n), 2)}</td>" for n in names)
        rows.append(f"<tr><td>{_e(tag)}</td><td class='cell'>{part['questions']}</td>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)
