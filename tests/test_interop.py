"""The retriever works inside LangChain (langchain-core) with citation metadata."""

from __future__ import annotations

from assistant.interop import as_langchain_retriever
from assistant.retrieve import Filters


def test_langchain_retriever_returns_documents_with_citation_metadata(retrieval_assistant):
    retriever = as_langchain_retriever(retrieval_assistant.retriever, Filters(kinds=("sop",)))
    docs = retriever.invoke("torque for the lower die clamp bolts on PRESS-03")
    assert docs and all(d.metadata["kind"] == "sop" for d in docs)
    top = next(d for d in docs if d.metadata["doc_id"] == "SOP-104")
    assert "330 N·m" in top.page_content and top.metadata["revision"] == "C"
    assert top.metadata["step"] and top.metadata["source_path"].endswith(".pdf")


def test_langchain_retriever_composes_in_a_runnable_chain(retrieval_assistant):
    from langchain_core.runnables import RunnableLambda

    retriever = as_langchain_retriever(retrieval_assistant.retriever)
    chain = retriever | RunnableLambda(lambda docs: [d.metadata.get("field_wo_id") for d in docs])
    ids = chain.invoke("what was done on WO-23-0074?")
    assert ids[0] == "WO-23-0074"
