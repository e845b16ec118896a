"""Dense and sparse text encoders.

`Embedder.embed(texts)` is the seam for dense vectors (one real implementation:
sentence-transformers from a local folder). `Bm25Encoder` makes the BM25 sparse
vectors with Qdrant's own tokenizer and weighting (from qdrant-edge-py), so the
same vectors serve Qdrant Edge and a Qdrant server with the IDF modifier, and
nothing is downloaded from a hub.
"""

from __future__ import annotations

import logging
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
