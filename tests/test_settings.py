"""Settings: defaults documented in floorwise.example.toml, precedence, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]


def test_example_config_documents_the_real_defaults():
    from_file = load_settings(REPO / "floorwise.example.toml", environ={})
    defaults = Settings()
    assert from_file.model_dump(exclude={"data_dir"}) == defaults.model_dump(exclude={"data_dir"})
    assert from_file.data_dir == REPO / "floorwise-data"


def test_precedence_file_then_env_then_flags(tmp_path):
    cfg = tmp_path / "f.toml"
    cfg.write_text('[retrieval]\ntop_k = 3\ncontext_tokens = 200\n[generation]\nline_tokens = 99\n')
    env = {"FLOORWISE_RETRIEVAL__TOP_K": "5", "FLOORWISE_GENERATION__LINE_TOKENS": "77"}
    s = load_settings(cfg, {"generation": {"line_tokens": 11}}, environ=env)
    assert (s.retrieval.top_k, s.retrieval.context_tokens, s.generation.line_tokens) == (5, 200, 11)


def test_unknown_key_and_bad_value_give_one_line_errors(tmp_path):
    cfg = tmp_path / "f.toml"
    cfg.write_text("[retrieval]\ntop_kk = 3\n")
    with pytest.raises(ConfigError, match="retrieval.top_kk"):
        load_settings(cfg, environ={})
    with pytest.raises(ConfigError, match="top_k"):
        load_settings(overrides={"retrieval": {"top_k": 0}}, environ={})
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_store_url_implies_server_backend():
    s = load_settings(overrides={"store": {"url": "http://q:6333"}}, environ={})
    assert s.store.backend == "server"
