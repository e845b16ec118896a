"""Dense and sparse text encoders.

`Embedder.embed(texts)` is the seam for dense vectors (one real implementation:
sentence-transformers from a local folder). `Bm25Encoder` makes the BM25 sparse
vectors with Qdrant's own tokenizer and weighting (from qdrant-edge-py), so the
same vectors serve Qdrant Edge and a Qdrant server with the IDF modifier, and
nothing is downloaded from a hub.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Protocol, Sequence

from assistant.store.base import SparseVec

log = logging.getLogger(__name__)


class Embedder(Protocol):
    dim: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...

    def count_tokens(self, texts: Sequence[str]) -> int: ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or any sentence-transformers folder), on the CPU, normalised."""

    def __init__(self, model_dir: Path, batch_size: int = 64, device: str = "cpu"):
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir), device=device, local_files_only=True)
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension()) if hasattr(
            self.model, "get_embedding_dimension"
        ) else int(self.model.get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the encoder actually sees (after truncation), for throughput figures."""
        tokenizer = self.model.tokenizer
        limit = self.model.max_seq_length
        return sum(min(len(ids), limit) for ids in tokenizer(list(texts), add_special_tokens=True)["input_ids"])


# Pooling modes of a sentence-transformers Pooling module; each one adds a block of the output.
_POOLING_MODES = ("cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens",
                  "lasttoken")


def declared_dim(model_dir: Path) -> int | None:
    """The vector size a sentence-transformers folder declares in its JSON files, without loading it.

    The last Dense module's `out_features`, else the Pooling module's output, else the transformer's
    `hidden_size`; None when the files say nothing readable.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "config.json").write_text('{"hidden_size": 384}')
    >>> declared_dim(d)
    384
    """
    def read(path: Path) -> dict:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    dim = None
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        modules = []
    for module in modules if isinstance(modules, list) else []:
        kind = str(module.get("type", ""))
        config = read(model_dir / str(module.get("path", "")) / "config.json")
        if kind.endswith(".Dense") and config.get("out_features"):
            dim = int(config["out_features"])
        elif kind.endswith(".Pooling") and config.get("word_embedding_dimension"):
            modes = sum(bool(config.get(f"pooling_mode_{m}")) for m in _POOLING_MODES)
            dim = int(config["word_embedding_dimension"]) * max(modes, 1)
    if dim is None:
        config = read(model_dir / "config.json")
        found = config.get("hidden_size") or config.get("d_model") or config.get("dim")
        dim = int(found) if found else None
    return dim


class LazyEmbedder:
    """A `SentenceTransformerEmbedder` loaded on first use: listing, removing or an unchanged sync
    never imports torch. `dim` comes from the folder's JSON files (see `declared_dim`).

    >>> e = LazyEmbedder(Path("/nowhere"), dim=384)
    >>> e.dim, e.embed([]), e.loaded
    (384, [], False)
    """

    def __init__(self, model_dir: Path, batch_size: int = 64, dim: int | None = None):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self._dim = dim
        self._loaded: SentenceTransformerEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def load(self) -> SentenceTransformerEmbedder:
        with self._lock:
            if self._loaded is None:
                log.info("loading the embedding model from %s", self.model_dir)
                self._loaded = SentenceTransformerEmbedder(self.model_dir, batch_size=self.batch_size)
            return self._loaded

    @property
    def dim(self) -> int:
        if self._dim is None and self._loaded is None:
            self._dim = declared_dim(self.model_dir)
        if self._dim is None:
            self._dim = self.load().dim
        return self._dim

    @property
    def model(self):
        return self.load().model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.load().embed(texts) if texts else []

    def count_tokens(self, texts: Sequence[str]) -> int:
        return self.load().count_tokens(texts)


class Bm25Encoder:
    """BM25 term weights for documents, unit weights for queries (IDF comes from the store).

    >>> enc = Bm25Encoder()
    >>> len(enc.embed_query("hydraulic leak").indices)
    2
    """

    def __init__(self, avg_len: float = 120.0):
        import qdrant_edge

        self._model = qdrant_edge.Bm25(qdrant_edge.Bm25Config(avg_len=avg_len))

    def embed_documents(self, texts: Sequence[str]) -> list[SparseVec]:
        return [self._convert(self._model.embed_document(t)) for t in texts]

    def embed_query(self, text: str) -> SparseVec:
        return self._convert(self._model.embed_query(text))

    @staticmethod
    def _convert(vector) -> SparseVec:
        return SparseVec(tuple(vector.indices), tuple(vector.values))
