"""Keep every library off the network: no model hub, no telemetry, no update checks.

Called once at each entry point (the `floorwise` command, the test session),
before heavy libraries are imported, because several of them read these
variables at import time.
"""

from __future__ import annotations

import os
from typing import MutableMapping

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",  # unstructured's scarf analytics and others
    "SCARF_NO_ANALYTICS": "true",
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def enforce_offline(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the offline switches (values already set by the operator are overridden)."""
    target = os.environ if environ is None else environ
    target.update(OFFLINE_ENV)
