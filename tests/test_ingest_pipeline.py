"""The ingest pipeline end to end on real files: incremental, atomic, failure-isolated, offline."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant.store.base import CURRENT, LIVE, Criteria
from tests.conftest import REPO, SAMPLE_DOCS, corpus


def sample_subset(dest: Path, work_orders: int = 40) -> Path:
    """A small real corpus: SOP-104 rev B and C, one DOCX SOP, two notes, the head of the CSV export."""
    picks = [
        "sops/SOP-104 Die Change PRESS-03 rev B.pdf",
        "sops/SOP-104 Die Change PRESS-03 rev C.pdf",
        "sops/SOP-120 Conveyor Belt Tracking and Tensioning rev C.docx",
        "expert_notes/2023-07-12 press02 ram drift.md",
        "expert_notes/2022-02-08 cmp2 condensate drain freezing.eml",
    ]
    for rel in picks:
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLE_DOCS / rel, target)
    csv_lines = (SAMPLE_DOCS / "work_orders" / "cmms_export_2022_2023.csv").read_bytes().splitlines(keepends=True)
    (dest / "work_orders").mkdir(exist_ok=True)
    (dest / "work_orders" / "cmms_export_head.csv").write_bytes(b"".join(csv_lines[: work_orders + 1]))
    return dest


def test_reingest_of_an_unchanged_folder_changes_nothing(ingestor, catalog, tmp_path):
    docs = sample_subset(tmp_path / "docs")
    first = ingestor.add([docs])
    assert first.counts() == {"added": 6}, first.to_dict()
    before = {s.source_path: s for s in catalog.sources()}
    points_before = catalog.store.count(Criteria())
    second = ingestor.add([docs])
    assert second.counts() == {"unchanged": 6}
    assert second.embedded_texts == 0
    assert {s.source_path: s for s in catalog.sources()} == before
    assert catalog.store.count(Criteria()) == points_before
    assert catalog.check() == []


def test_sync_replaces_changed_removes_deleted_and_supersedes(ingestor, catalog, tmp_path):
    docs = sample_subset(tmp_path / "docs")
    ingestor.sync(docs)
    revs = {s.revision: s.superseded for s in catalog.sources() if s.doc_id == "SOP-104"}
    assert revs == {"B": True, "C": False}
    current = catalog.store.scroll(CURRENT.and_(Criteria(equals={"doc_id": "SOP-104"})), 500)
    assert current and {c.revision for c in current} == {"C"}

    note = docs / "expert_notes" / "2023-07-12 press02 ram drift.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n\nUpdate: fan motor FM-3318 replaced again.\n", encoding="utf-8")
    (docs / "sops" / "SOP-104 Die Change PRESS-03 rev C.pdf").unlink()
    report = ingestor.sync(docs)
    statuses = {Path(r.path).name: r.status for r in report.results}
    assert statuses["2023-07-12 press02 ram drift.md"] == "replaced"
    assert statuses["SOP-104 Die Change PRESS-03 rev C.pdf"] == "removed"
    assert sum(1 for s in statuses.values() if s == "unchanged") == 4
    texts = [c.text for c in catalog.store.scroll(LIVE.and_(Criteria(equals={"source_path": str(note.resolve())})), 100)]
    assert any("FM-3318 replaced again" in t for t in texts)
    # With rev C gone, rev B is the current revision again.
    assert [s.superseded for s in catalog.sources() if s.doc_id == "SOP-104"] == [False]
    assert catalog.check() == []


def test_dry_run_writes_nothing(ingestor, catalog, tmp_path):
    docs = sample_subset(tmp_path / "docs")
    report = ingestor.add([docs], dry_run=True)
    assert report.counts() == {"would-add": 6}
    assert catalog.sources() == [] and catalog.store.count(Criteria()) == 0


BAD_FILES = {
    "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf",
    "empty.md": b"",
    "binary.txt": bytes(range(256)) * 20,
    "fake.docx": b"%PDF-1.4 not a docx",
    "notes.xyz": b"plain text with an unknown extension",
    "bad-utf8.md": b"# Title\n\n\xff\xfe\xfa broken \x80\x81 bytes \xc3\x28 here " * 3,
}


def test_bad_files_fail_alone_with_one_line_reasons(ingestor, catalog, tmp_path):
    docs = sample_subset(tmp_path / "docs")
    bad = tmp_path / "docs" / "incoming"
    bad.mkdir()
    for name, data in BAD_FILES.items():
        (bad / name).write_bytes(data)
    explicit = [bad / name for name in BAD_FILES]
    report = ingestor.add([docs / "sops", docs / "expert_notes", docs / "work_orders", *explicit])
    by_name = {Path(r.path).name: r for r in report.results}
    good = [r for r in report.results if r.status == "added"]
    assert len(good) == 6
    for name in ("corrupt.pdf", "empty.md", "binary.txt", "notes.xyz"):
        result = by_name[name]
        assert result.status == "failed", (name, result)
        assert result.error and "\n" not in result.error and name in result.error
    assert by_name["fake.docx"].status in ("failed", "added")  # parsed by its real type or refused, never a crash
    assert catalog.check() == []


def test_real_corpora_ingest(ingestor, catalog, tmp_path):
    files = [
        corpus("loto_osha", "29-CFR-1910.147.md"),
        corpus("fmea_haul_truck", "fmea_dataset_combined.csv"),
    ]
    report = ingestor.add(files)
    assert report.counts() == {"added": 2}, report.to_dict()
    kinds = {s.kind.value for s in catalog.sources()}
    assert kinds == {"sop", "table"}
    rows = catalog.store.count(Criteria(equals={"kind": "table"}))
    assert rows == 330


def _run_ingest_subprocess(data_dir: Path, docs: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "floorwise.cli", "--data-dir", str(data_dir), "ingest", "add", str(docs), "--json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=REPO,
    )


def _check_store(data_dir: Path, embedder) -> tuple[list[str], int]:
    from assistant.catalog import Catalog
    from assistant.settings import load_settings
    from assistant.store.edge import EdgeStore

    settings = load_settings(overrides={"data_dir": str(data_dir)}, environ={})
    store = EdgeStore(settings.store_dir, embedder.dim)
    catalog = Catalog(store, settings.state_db)  # runs recovery
    try:
        return catalog.check(), len(catalog.sources())
    finally:
        catalog.close()
        store.close()


def test_sigkill_during_ingest_leaves_a_consistent_store(tmp_path, embedder):
    docs = sample_subset(tmp_path / "docs")
    data_dir = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for delay in (5.0, 8.0, 11.0):
        proc = _run_ingest_subprocess(data_dir, docs, env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        problems, _ = _check_store(data_dir, embedder)
        assert problems == [], f"after kill at {delay}s: {problems}"
    proc = _run_ingest_subprocess(data_dir, docs, env)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()[-2000:]
    problems, n_sources = _check_store(data_dir, embedder)
    assert problems == [] and n_sources == 6


def test_ingest_runs_with_the_network_disabled(ingestor, catalog, tmp_path, no_network):
    docs = sample_subset(tmp_path / "docs")
    report = ingestor.add([docs])
    assert report.counts() == {"added": 6}, report.to_dict()
    assert no_network == []
