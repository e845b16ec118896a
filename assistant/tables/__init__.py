"""The typed table engine: every tabular source is also a SQL table, queried exactly.

    rows (CSV, XLSX sheets, DOCX/HTML tables) ──> columns.infer (types, roles)
        ──> TableStore (SQLite, kept in step with the vector store by the catalog)
    question ──> plan.plan_question (linked to columns and values) ──> run.execute ──> TableAnswer

Modules: `columns` (what each column holds), `store` (SQLite, atomic versions),
`link` (question words to columns and values), `plan` (operations and
criteria), `run` (exact execution) and `answer` (the text and citations).
"""
