"""LangChain interop: Floorwise retrieval as a langchain-core `BaseRetriever`.

Plants can drop it into their own chains; each LangChain `Document` carries the
passage text and the citation metadata (title, kind, revision, section path,
page, step, work-order id, source path).

    retriever = as_langchain_retriever(runtime.assistant.retriever, Filters(kinds=("sop",)))
    docs = retriever.invoke("torque for the die clamp bolts")
"""

from __future__ import annotations

from typing import Any

from assistant.domain import Hit
from assistant.retrieve import Filters, Retriever


def hit_to_document(hit: Hit):
    from langchain_core.documents import Document

    c = hit.chunk
    metadata = {
        "chunk_id": c.chunk_id, "doc_id": c.doc_id, "title": c.title, "kind": c.kind.value,
        "source_path": c.source_path, "section_path": " > ".join(c.section_path), "page": c.page,
        "step": c.step, "revision": c.revision, "effective_date": c.effective_date,
        "warnings": list(c.warnings), "score": hit.score, **{f"field_{k}": v for k, v in c.fields.items()},
    }
    return Document(page_content=c.text, metadata={k: v for k, v in metadata.items() if v not in (None, "", [])})


def as_langchain_retriever(retriever: Retriever, filters: Filters | None = None):
    """Wrap a Floorwise `Retriever` (hybrid search, identifiers first, filters) for LangChain."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.retrievers import BaseRetriever

    class FloorwiseRetriever(BaseRetriever):
        floorwise: Any
        filters: Any = None

        def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun):
            result = self.floorwise.retrieve(query, self.filters)
            return [hit_to_document(h) for h in result.hits]

    return FloorwiseRetriever(floorwise=retriever, filters=filters)
