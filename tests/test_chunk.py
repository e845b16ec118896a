"""Chunkers, kind detection and identity on real corpora and small fixtures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from assistant.domain import DocKind, chunk_id_for
from assistant.settings import IngestSettings
from ingest.chunk_sop import sop_passages
from ingest.chunk_tables import fill_down
from ingest.chunkers import chunk_document
from ingest.detect import detect_kind, identify
from ingest.identifiers import IdExtractor
from ingest.parse import Block, ParsedFile, parse_file
from assistant.tables.columns import infer_columns

HERE = Path(__file__).resolve().parent
CORPORA = HERE / "fixtures" / "corpora"  # copies of public files, provenance in its README
SAMPLE = HERE.parent / "sample_plant" / "docs"
IDS = IdExtractor.from_settings(IngestSettings())
MB = 1_000_000


def _chunks(path: Path, root: Path | None = None, kind: DocKind | None = None):
    parsed = parse_file(path, max_bytes=50 * MB)
    doc = identify(path, parsed, kind or detect_kind(path, parsed, root), root)
    return doc, chunk_document(doc, parsed, IDS)


def test_fmea_fill_down_matches_the_filled_export() -> None:
    doc, chunks = _chunks(CORPORA / "fmea_haul_truck" / "fmea_dataset_combined.csv")
    assert doc.kind is DocKind.TABLE and len(chunks) == 330
    with open(CORPORA / "fmea_haul_truck" / "fmea_dataset_filled.csv", encoding="utf-8-sig", newline="") as f:
        filled = list(csv.DictReader(f))
    hierarchy = ("Subsystem", "Component", "Sub-Component", "Potential Failure Mode", "Potential Effect(s) of Failure")
    for chunk, truth in zip(chunks, filled):
        assert [chunk.fields[h] for h in hierarchy] == [truth[h].strip() for h in hierarchy], chunk.fields["row"]
    assert chunks[1].text.startswith("Subsystem: Power Unit | Component: Fuel System | Sub-Component: Fuel Tank")
    assert chunks[1].fields["row"] == 3


def test_fill_down_leaves_ordinary_tables_alone() -> None:
    headers = ("Part No", "Description", "Notes", "Qty")
    rows = [("HF-1", "Filter", "", "2"), ("HF-2", "Bowl", "spare", "1"), ("HF-3", "Seal", "", "4")]
    assert fill_down(headers, rows) == rows


def test_all_excavator_work_orders_chunk_one_per_row() -> None:
    parsed = parse_file(CORPORA / "excavator_work_orders" / "excavators.csv", max_bytes=50 * MB)
    doc = identify(parsed.path, parsed, detect_kind(parsed.path, parsed), None)
    assert doc.kind is DocKind.WORK_ORDER
    chunks = chunk_document(doc, parsed, IDS)  # its speed is measured by `make bench-ingest`, not asserted here
    assert len(chunks) == 5485 and len({c.chunk_id for c in chunks}) == 5485
    ragged = next(c for c in chunks if c.fields["row"] == 3454)
    assert (ragged.fields["problem"], ragged.fields["PMType"], ragged.fields["cost"]) == ("won,t swing", "PM01", None)
    assert ragged.fields["wo_id"] == "excavators#3454" and ragged.asset_ids[0] == "B"
    assert chunks[0].chunk_id == chunk_id_for(doc.doc_id, doc.file_hash, 0)


def test_work_order_line_and_fields(tmp_path: Path) -> None:
    (tmp_path / "cmms.csv").write_text(
        "WO Number,Date Created,Equipment ID,Problem Description,Action Taken,Failure Code,Total Cost,Tech\n"
        "WO-22-0017,03/04/2022,PRESS-03,Oil leak at ram seal,Replaced seal HF-2210-B,LEAK,412.50,JR\n"
    )
    doc, [chunk] = _chunks(tmp_path / "cmms.csv")
    assert chunk.text == (
        "Work order WO-22-0017 | 2022-03-04 | PRESS-03 | Problem: Oil leak at ram seal | "
        "Action: Replaced seal HF-2210-B | Failure code: LEAK | Cost: 412.50 | Tech: JR"
    )
    assert chunk.fields["cost"] == 412.5 and chunk.fields["row"] == 2 and chunk.fields["Tech"] == "JR"
    assert chunk.asset_ids == ("PRESS-03",) and chunk.equipment_ids == ("HF-2210-B",)
    assert chunk.to_payload()["wo_id"] == "WO-22-0017" and chunk.locator.startswith("work order WO-22-0017")


def _roles(headers, rows, overrides=None) -> dict[str, int]:
    return {c.role: i for i, c in enumerate(infer_columns(headers, rows, overrides)) if c.role}


@pytest.mark.parametrize(
    ("headers", "row", "expected"),
    [
        (["WONUM", "REPORTDATE", "ASSETNUM", "DESCRIPTION", "REMARKS", "FAILURECODE", "ACTTOTALCOST"],
         lambda i: (f"W{i:04d}", f"2024-01-{i % 28 + 1:02d}", f"PRESS-0{i % 3}", f"Oil leak number {i} at seal",
                    f"Replaced seal kit {i}", ("LEAK", "WEAR")[i % 2], f"{i}.50"),
         {"wo_id": 0, "date": 1, "asset": 2, "problem": 3, "action": 4, "failure_code": 5, "cost": 6}),
        (["Order", "Basic start date", "Equipment", "Short text", "PMType"],
         lambda i: (f"4000{i:03d}", f"2023-02-{i % 28 + 1:02d}", f"EQ-{i % 4}", f"Pump {i} noisy on start", "PM01"),
         {"wo_id": 0, "date": 1, "asset": 2, "problem": 3}),
        (["Work Order #", "Date Created", "Completed Date", "Asset", "Problem Description", "Action Taken", "Cost"],
         lambda i: (f"WO-{i}", f"2022-03-{i % 28 + 1:02d}", f"2022-04-{i % 28 + 1:02d}", f"CNC-{i % 5}",
                    f"Spindle {i} overheats", f"Cleaned chiller {i}", f"{i * 3}.00"),
         {"wo_id": 0, "date": 2, "asset": 3, "problem": 4, "action": 5, "cost": 6}),
    ],
)  # fmt: skip
def test_column_roles_of_common_cmms_exports(headers, row, expected) -> None:
    assert _roles(headers, [row(i) for i in range(40)]) == expected


def test_configured_roles_win() -> None:
    rows = [(f"T{i}", f"note {i} about the pump", f"fixed valve {i}") for i in range(20)]
    assert _roles(["Ticket", "Notes", "Fix"], rows, {"action": "Fix"})["action"] == 2
    with pytest.raises(ValueError, match="unknown column role"):
        _roles(["a"], [("x",)], {"colour": "a"})


def test_sop_warning_guards_following_step_and_substeps_merge() -> None:
    blocks = [
        Block("SOP-1 Press", "title"), Block("Procedure", "title", 1),
        Block("1. Stop the press.", "list_item"),
        Block("WARNING: Accumulator holds 200 bar.", "text"),
        Block("2. Bleed the accumulator.", "list_item"), Block("2.1 Open BV-7.", "list_item"),
        Block("3. Remove the bolts.", "list_item"),
        Block("CAUTION: The gland is heavy.", "text"), Block("Use the strap.", "text"),
    ]  # fmt: skip
    out = sop_passages(blocks)
    assert [p.step for p in out] == ["1", "2", "3"]
    assert out[0].warnings == () and out[1].warnings == ("WARNING: Accumulator holds 200 bar.",)
    assert out[1].text.startswith("WARNING: Accumulator") and "2.1 Open BV-7." in out[1].text
    assert out[2].text == "3. Remove the bolts.\nUse the strap.\nCAUTION: The gland is heavy."
    assert all(p.section_path == ("Procedure",) for p in out)


def test_long_substeps_become_their_own_chunks() -> None:
    long = " ".join(["tighten"] * 120)
    blocks = [Block("Procedure", "title"), Block("4. Fit the gland.", "list_item"),
              Block(f"4.1 {long}.", "list_item"), Block(f"4.2 {long}.", "list_item")]  # fmt: skip
    out = sop_passages([Block("SOP-2", "title"), *blocks])
    assert [p.step for p in out] == ["4", "4.1", "4.2"]
    assert out[1].section_path == ("Procedure", "4. Fit the gland.")


def test_unnumbered_list_under_procedure_is_numbered() -> None:
    blocks = [Block("SOP-3", "title"), Block("Tools", "title", 1), Block("Wrench", "list_item"),
              Block("Procedure", "title", 1), Block("Open the cover", "list_item"), Block("Check oil", "list_item")]
    out = sop_passages(blocks)
    assert [(p.step, p.text) for p in out] == [(None, "Wrench"), ("1", "1. Open the cover"), ("2", "2. Check oil")]


def test_sop_from_pdf_and_docx(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("SOP-330 Mixer Cleaning, Revision B", 0)
    d.add_paragraph("Effective date: 2024-03-01")
    d.add_heading("Procedure", 1)
    d.add_paragraph("LOCKOUT: Lock out MIX-2 at the disconnect.")
    d.add_paragraph("1. Open the lid of MIX-2.")
    d.add_paragraph("2. Rinse with water.")
    d.save(tmp_path / "mixer.docx")
    doc, chunks = _chunks(tmp_path / "mixer.docx", tmp_path)
    assert (doc.doc_id, doc.kind, doc.revision, doc.effective_date) == ("SOP-330", DocKind.SOP, "B", "2024-03-01")
    step1 = next(c for c in chunks if c.step == "1")
    assert step1.warnings == ("LOCKOUT: Lock out MIX-2 at the disconnect.",) and "MIX-2" in step1.asset_ids


def test_expert_note_from_email(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "tip.eml").write_text(
        "From: Ray Brennan <ray@example.com>\nSubject: PRESS-02 ram drift\nDate: Wed, 12 Jul 2023 10:00:00 +0000\n"
        "Content-Type: text/plain\n\nOn hot afternoons PRESS-02 drifts 5 mm a minute. Check the counterbalance valve.\n"
    )
    doc, chunks = _chunks(tmp_path / "notes" / "tip.eml", tmp_path)
    assert doc.kind is DocKind.EXPERT_NOTE and doc.doc_id == "notes/tip.eml" and doc.title == "PRESS-02 ram drift"
    assert chunks[0].fields == {"author": "Ray Brennan <ray@example.com>", "date": "2023-07-12",
                                "subject": "PRESS-02 ram drift"}  # fmt: skip
    assert chunks[0].asset_ids == ("PRESS-02",)


def test_note_header_lines_are_not_body() -> None:
    doc, chunks = _chunks(HERE / "fixtures" / "note_pump.txt", kind=DocKind.EXPERT_NOTE)
    assert not any("Author:" in c.text or "Subject:" in c.text for c in chunks)
    assert chunks[0].fields["author"] == "Dana Ortiz"


def test_long_notes_split_at_sentences(tmp_path: Path) -> None:
    sentence = "The seal on PUMP-4 weeps when the flush line is shut for more than an hour. "
    (tmp_path / "n.md").write_text("# Pump notes\n\nAuthor: Dana\n\n" + sentence * 40 + "\n\nShort tip.\n")
    doc, chunks = _chunks(tmp_path / "n.md", kind=DocKind.EXPERT_NOTE)
    sizes = [len(c.text.split()) for c in chunks]
    assert all(s <= 180 for s in sizes) and sum(sizes) == 40 * 16 + 2
    assert chunks[-1].text.endswith("Short tip.")


@pytest.mark.parametrize(
    ("rel", "headers", "kind"),
    [
        ("sops/a.md", (), DocKind.SOP), ("work_orders/x.csv", ("WO", "Description"), DocKind.WORK_ORDER),
        ("tables/x.csv", ("WONUM", "Date", "Description"), DocKind.TABLE), ("x.csv", ("Part", "Qty"), DocKind.TABLE),
        ("notes/a.txt", (), DocKind.EXPERT_NOTE), ("misc/a.eml", (), DocKind.EXPERT_NOTE),
        ("misc/plain.txt", (), DocKind.EXPERT_NOTE), ("misc/SOP-9 oven.md", (), DocKind.SOP),
    ],
)  # fmt: skip
def test_detect_kind(rel: str, headers, kind: DocKind, tmp_path: Path) -> None:
    parsed = ParsedFile(tmp_path / rel, "h", blocks=(Block("Some text here.", "text"),), headers=headers)
    assert detect_kind(tmp_path / rel, parsed, tmp_path) is kind


def test_prose_with_steps_defaults_to_sop(tmp_path: Path) -> None:
    blocks = tuple(Block(f"{i}. Do thing {i}.", "list_item") for i in range(1, 4))
    assert detect_kind(tmp_path / "x.md", ParsedFile(tmp_path / "x.md", "h", blocks=blocks)) is DocKind.SOP


def test_identify_revision_from_file_name(tmp_path: Path) -> None:
    parsed = ParsedFile(tmp_path / "SOP-104 Die Change rev C.md", "h", blocks=(Block("Die change", "title"),))
    doc = identify(parsed.path, parsed, DocKind.SOP, tmp_path)
    assert (doc.doc_id, doc.revision, doc.source_path, doc.title) == ("SOP-104", "C", "SOP-104 Die Change rev C.md",
                                                                      "Die change")  # fmt: skip


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample plant corpus not built")
def test_sample_plant_corpus_parses_and_chunks() -> None:
    files = [p for p in sorted(SAMPLE.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    assert files
    for path in files:
        doc, chunks = _chunks(path, SAMPLE)
        assert chunks, path
        if doc.kind is DocKind.SOP:
            assert doc.doc_id.startswith("SOP-") and any(c.step for c in chunks), path
            sections = " ".join(c.text for c in chunks if c.step is None)
            for chunk in chunks:  # a warning is in its step's text, or comes from a section of the same SOP
                assert all(w in chunk.text or (chunk.step and w in sections) for w in chunk.warnings)


def test_a_safety_section_warning_travels_with_the_steps_it_names() -> None:
    """TC-24-31-01 keeps "disconnect the GPU before you disconnect the battery connector" in its Safety
    section; step 3 pulls the battery connector off, so the warning is that step's too (in `warnings`,
    for the answer's safety box), while a step it does not name ("open the access panel") gets none."""
    card = Path(__file__).resolve().parents[1] / "sample_hangar" / "docs" / "task_cards"
    parsed = parse_file(card / "TC-24-31-01 main battery removal and installation.html", max_bytes=50 * MB)
    steps = {p.step: p for p in sop_passages(parsed.blocks) if p.section_path and "Removal" in p.section_path[-1]}
    gpu = next(w for p in sop_passages(parsed.blocks) if p.step is None for w in p.warnings if "disconnect the GPU" in w)
    assert gpu in steps["3"].warnings and "battery connector" in steps["3"].text
    assert gpu not in steps["2"].warnings and steps["3"].text.startswith("3.")  # the step's text stays as written
