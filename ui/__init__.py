"""The tablet chat UI: a thin Gradio layer over `assistant.Assistant`.

Import-light on purpose: gradio and FastAPI load inside `ui.app` and
`ui.server`, so `import ui` costs nothing.

    ui.cards     Answer/Chunk -> escaped HTML (source cards, safety, refusals)
    ui.app       build_app(assistant, settings, ...) -> gr.Blocks
    ui.server    FastAPI app: Gradio mounted at "/", /api/v1/*, /source/{chunk_id}
    ui.feedback  thumbs up/down in SQLite, exported as evaluation questions
    ui.uploads   safe names and limits for owner uploads
    ui.ingesting the server's in-process ingest service (one job at a time)
"""
