"""The tablet chat UI: a thin Gradio layer over `assistant.Assistant`.

Import-light on purpose: gradio and FastAPI load inside `ui.app` and
`ui.server`, so `import ui` costs nothing.

    ui.answers   the conversation -> escaped HTML (value first, safety once, refusals, checks)
    ui.cards     passages -> escaped source cards, one panel per answer (fw-src-<turn>-<n>)
    ui.tablet.js citations open their own answer's card; the view follows the streaming answer
    ui.examples  example questions drawn from what is ingested
    ui.original  a CSV/XLSX row's table as a page, the row marked
    ui.app       build_app(assistant, settings, ...) -> gr.Blocks
    ui.server    FastAPI app: Gradio at "/", /api/v1/*, /source/{chunk_id}, /view/{chunk_id}
    ui.feedback  thumbs up/down in SQLite, exported as evaluation questions
    ui.uploads   safe names and limits for owner uploads
    ui.ingesting the server's in-process ingest service (one job at a time)
"""
