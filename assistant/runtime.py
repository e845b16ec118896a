"""Wires the configured parts together, lazily: settings in, embedder/store/LLM out.

The CLI, the server and the evaluation harness each build one `Runtime` from
their `Settings` and close it when done. Nothing heavy loads until first used.
"""

from __future__ import annotations

import logging
from functools import cached_property

from assistant.settings import Settings

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def embedder(self):
        """MiniLM, loaded at its first `embed`: verbs that embed nothing never import torch."""
        from assistant.embedder import LazyEmbedder
        from assistant.modelfiles import resolve_embedding

        return LazyEmbedder(resolve_embedding(self.settings.models.embedding_path),
                            batch_size=self.settings.ingest.batch_size)

    @cached_property
    def bm25(self):
        from assistant.embedder import Bm25Encoder

        return Bm25Encoder()

    @cached_property
    def store(self):
        from assistant.store import open_store

        return open_store(self.settings, self.embedder.dim)

    @cached_property
    def catalog(self):
        from assistant.catalog import Catalog

        return Catalog(self.store, self.settings.state_db, tables=self.tables)

    @cached_property
    def tables(self):
        from assistant.tables.store import TableStore

        return TableStore(self.settings.tables_db)

    @cached_property
    def llm_path(self):
        from assistant.modelfiles import resolve_llm

        m = self.settings.models
        return resolve_llm(m.llm_preset, m.llm_path, m.llm_sha256, self.settings.models_dir)

    @cached_property
    def generator(self):
        from assistant.generate import open_generator

        gen = self.settings.generation
        return open_generator(gen, self.llm_path if gen.backend == "llama" else None)

    @cached_property
    def assistant(self):
        from assistant.answering import Assistant
        from assistant.model_queue import ModelQueue

        s = self.settings
        getattr(self.embedder, "load", lambda: None)()  # a process that answers loads the model now
        if hasattr(self.store, "keep_indexed"):
            self.store.keep_indexed()  # builds the index in a child process once ingestion pauses
        return Assistant(self.catalog, self.embedder, self.bm25, self.generator, s.retrieval, s.generation,
                         model_queue=ModelQueue(s.server.concurrency))

    def warm_store(self) -> None:
        """A serving process reads the store's files once in the background (`[store] warm`), so its
        first questions do not wait on the disk. One-shot commands skip it."""
        if self.settings.store.warm and hasattr(self.store, "warm_in_background"):
            self.store.warm_in_background()

    def close(self) -> None:
        if "catalog" in self.__dict__:
            self.catalog.close()
        if "store" in self.__dict__:
            self.store.close()
        if "tables" in self.__dict__:
            self.tables.close()
