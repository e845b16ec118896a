"""The default models come from PyPI packages and are verified before use."""

from __future__ import annotations


import pytest

from assistant.errors import ModelNotAvailable
from assistant.modelfiles import PRESETS, GgufPreset, assemble, file_sha256, resolve_embedding, resolve_llm, verified_gguf


def test_default_llm_assembles_from_pypi_parts_and_matches_its_hash(tmp_path):
    path = resolve_llm("qwen2.5-coder-0.5b", None, None, tmp_path)
    assert file_sha256(path) == PRESETS["qwen2.5-coder-0.5b"].sha256
    assert path.read_bytes()[:4] == b"GGUF"
    again = assemble(PRESETS["qwen2.5-coder-0.5b"], tmp_path)  # reuses the verified file
    assert again == path


def _fake_parts(tmp_path, monkeypatch, contents: list[bytes], prefix="fwtestpart"):
    for n, data in enumerate(contents, start=1):
        pkg = tmp_path / "site" / f"{prefix}{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


def test_tampered_parts_fail_the_hash_check_and_leave_no_file(tmp_path, monkeypatch):
    import hashlib

    _fake_parts(tmp_path, monkeypatch, [b"GGUF-one", b"-two"])
    good = hashlib.sha256(b"GGUF-one-two").hexdigest()
    preset = GgufPreset("fake", "fwtestpart", 2, good, "fake.gguf", "fwtestpart1..2")
    assert assemble(preset, tmp_path / "m").read_bytes() == b"GGUF-one-two"
    bad = GgufPreset("fake", "fwtestpart", 2, "0" * 64, "bad.gguf", "fwtestpart1..2")
    with pytest.raises(ModelNotAvailable, match="SHA-256"):
        assemble(bad, tmp_path / "m")
    assert not (tmp_path / "m" / "bad.gguf").exists()
    assert not list((tmp_path / "m").glob("*.partial"))


def test_missing_part_names_the_package_and_the_fix(tmp_path, monkeypatch):
    _fake_parts(tmp_path, monkeypatch, [b"x"], prefix="fwmissing")
    preset = GgufPreset("fake", "fwmissing", 2, "0" * 64, "f.gguf", "fwmissing1..2")
    with pytest.raises(ModelNotAvailable, match="part 2 of 2.*fwmissing2.*make setup"):
        assemble(preset, tmp_path / "m")


def test_configured_gguf_is_checked(tmp_path):
    f = tmp_path / "m.gguf"
    f.write_bytes(b"GGUF")
    assert verified_gguf(f, None) == f
    with pytest.raises(ModelNotAvailable, match="SHA-256"):
        verified_gguf(f, "ab" * 32)
    with pytest.raises(ModelNotAvailable, match="not found"):
        verified_gguf(tmp_path / "nope.gguf", None)


def test_embedding_model_comes_from_its_package():
    path = resolve_embedding(None)
    assert (path / "config.json").is_file() or (path / "modules.json").is_file()
