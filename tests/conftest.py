"""Shared fixtures: real small parts (MiniLM, Qdrant Edge in a temp folder, the 0.5B GGUF)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.offline import enforce_offline

enforce_offline()

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"  # the project's shared folder, next to the repository
FIXTURE_CORPORA = REPO / "tests" / "fixtures" / "corpora"  # copies of the files tests read (README there)
SAMPLE_DOCS = REPO / "sample_plant" / "docs"


@pytest.fixture(scope="session")
def embedder():
    from assistant.embedder import SentenceTransformerEmbedder
    from assistant.modelfiles import resolve_embedding

    return SentenceTransformerEmbedder(resolve_embedding(None))


@pytest.fixture(scope="session")
def bm25():
    from assistant.embedder import Bm25Encoder

    return Bm25Encoder()


@pytest.fixture()
def settings(tmp_path):
    from assistant.settings import load_settings

    return load_settings(overrides={"data_dir": str(tmp_path / "data")}, environ={})


@pytest.fixture()
def edge_store(settings, embedder):
    from assistant.store.edge import EdgeStore

    store = EdgeStore(settings.store_dir, embedder.dim)
    yield store
    store.close()


@pytest.fixture()
def catalog(edge_store, settings):
    from assistant.catalog import Catalog

    cat = Catalog(edge_store, settings.state_db)
    yield cat
    cat.close()


@pytest.fixture()
def ingestor(catalog, embedder, bm25, settings):
    from ingest.pipeline import Ingestor

    return Ingestor(catalog, embedder, bm25, settings.ingest)


@pytest.fixture()
def no_network(monkeypatch) -> list:
    """Block every outbound connection in this process; returns the addresses attempted."""
    import socket

    attempts: list = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError(f"network disabled in test: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def stop_process(proc, timeout: float = 30) -> None:
    """Terminate a test server subprocess, killing it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The browser Playwright drives: $FLOORWISE_CHROMIUM, else the first of BROWSERS on PATH."""
    explicit = os.environ.get("FLOORWISE_CHROMIUM")
    if explicit:
        return shutil.which(explicit)  # a path or a name; None when it is not an executable
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def corpus(*parts: str) -> Path:
    """A real third-party file or folder: tests/fixtures/corpora's copy, else ../shared/corpora, else skip."""
    for root in (FIXTURE_CORPORA, CORPORA):
        path = root.joinpath(*parts)
        if path.exists():
            return path
    pytest.skip(f"{'/'.join(parts)} is in neither tests/fixtures/corpora/ nor {CORPORA}; it comes from the "
                "project's shared corpora (see tests/fixtures/corpora/README.md for its source and licence)")


# ---- fixtures added by other modules' authors below this line ----


# ---- generation fixtures (assistant/generate.py, prompting, verify) ----


@pytest.fixture(scope="session")
def llm_path(tmp_path_factory) -> Path:
    """The default 0.5B GGUF, assembled once per session from its PyPI parts."""
    from assistant.modelfiles import resolve_llm

    return resolve_llm("qwen2.5-coder-0.5b", None, None, tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def llama_generator(llm_path):
    """One in-process LlamaCppGenerator shared by the slow tests (loading takes ~1 s)."""
    from assistant.generate import LlamaCppGenerator

    return LlamaCppGenerator(llm_path, n_ctx=2048, seed=0)
# ---- end of generation fixtures ----


# ---- UI fixtures (ui/, tests/test_ui*.py, tests/test_browser*.py) ----

# Plain text keeps markup verbatim (Markdown parsing would drop the tags), so the UI must escape it.
HOSTILE_NOTE = """PRESS-09 guard interlock note <script>alert('doc')</script>

The PRESS-09 guard interlock switch <img src=x onerror="alert(1)"> must be tested every shift.
Use the ${7*7} {{constructor}} test key, then check that the amber lamp lights.
"""


@pytest.fixture(scope="session")
def ui_docs(tmp_path_factory) -> Path:
    """A few small real documents (sample plant PDFs, else the OSHA LOTO text) and one hostile note."""
    folder = tmp_path_factory.mktemp("ui_docs")
    sops = SAMPLE_DOCS / "sops"
    picked = [p for p in sorted(sops.glob("*.pdf")) if p.name.startswith(("SOP-101", "SOP-104"))] if sops.is_dir() else []
    if picked:
        for path in picked:
            (folder / path.name).write_bytes(path.read_bytes())
    else:
        loto = corpus("loto_osha", "29-CFR-1910.147.md")
        (folder / loto.name).write_bytes(loto.read_bytes())
    (folder / "press09 guard interlock.txt").write_text(HOSTILE_NOTE, encoding="utf-8")
    return folder


def ingested_runtime(tmp_path_factory, name: str, docs, embedder, bm25, **shared):
    """A Runtime over a temp data folder with `docs` (paths) ingested, sharing the session's MiniLM
    and BM25 (and anything in `shared`, e.g. llm_path). The caller closes it."""
    from assistant.runtime import Runtime
    from assistant.settings import load_settings
    from ingest.pipeline import Ingestor

    settings = load_settings(overrides={"data_dir": str(tmp_path_factory.mktemp(name))}, environ={})
    runtime = Runtime(settings)
    runtime.__dict__.update(embedder=embedder, bm25=bm25, **shared)
    report = Ingestor(runtime.catalog, embedder, bm25, settings.ingest).add(list(docs))
    assert not report.failed, [(r.path, r.error) for r in report.failed]
    return runtime


@pytest.fixture(scope="session")
def ui_runtime(tmp_path_factory, ui_docs, embedder, bm25):
    """A Runtime over a temp Qdrant Edge store holding `ui_docs` (the LLM is not loaded here)."""
    runtime = ingested_runtime(tmp_path_factory, "ui_data", [ui_docs], embedder, bm25)
    yield runtime
    runtime.close()


@pytest.fixture(scope="session")
def ui_assistant(ui_runtime, llm_path):
    """The real Assistant with the 0.5B GGUF over the `ui_runtime` store."""
    ui_runtime.__dict__["llm_path"] = llm_path
    return ui_runtime.assistant
# ---- end of UI fixtures ----


# ---- answering fixtures (assistant/answering, retrieve, records) ----


@pytest.fixture(scope="session")
def sample_runtime(tmp_path_factory, embedder, bm25, llm_path):
    """The whole sample plant ingested once into a temp Qdrant Edge store; the LLM loads on first use."""
    runtime = ingested_runtime(tmp_path_factory, "sample_data", [SAMPLE_DOCS], embedder, bm25, llm_path=llm_path)
    yield runtime
    runtime.close()


@pytest.fixture(scope="session")
def retrieval_assistant(sample_runtime):
    """An Assistant whose generator is absent: any LLM call fails the test (gate and side-door tests)."""
    from assistant.answering import Assistant

    s = sample_runtime.settings
    return Assistant(sample_runtime.catalog, sample_runtime.embedder, sample_runtime.bm25, None, s.retrieval, s.generation)
# ---- end of answering fixtures ----
