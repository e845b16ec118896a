"""Every docstring example in the product's packages runs, module by module.

The modules are found by walking the package folders, so a new module's examples run
without anyone listing it here. `assistant/` and `ingest/` are namespace packages (no
`__init__.py`), which `pytest --doctest-modules` cannot import under their own names
without changing how the whole suite is imported; `doctest` on the imported module
does not have that problem and sees the same module objects the other tests use.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "ingest", "eval", "floorwise", "ui", "bench")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def module_names(root: Path = REPO, packages=PACKAGES) -> list[str]:
    """Every module under the package folders: "assistant/store/edge.py" -> "assistant.store.edge"."""
    names = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "__pycache__" in parts:
                continue
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def run_doctests(name: str) -> tuple[doctest.TestResults, str]:
    """(failed, attempted) and the report of the failures, for one module's examples."""
    module = importlib.import_module(name)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        runner.run(test, out=out.write)
    return runner.summarize(verbose=False), out.getvalue()


@pytest.mark.parametrize("name", module_names())
def test_module_examples(name: str) -> None:
    results, report = run_doctests(name)
    assert results.failed == 0, f"{name}: {results.failed} of {results.attempted} examples fail\n{report}"


def test_modules_with_examples_are_found() -> None:
    """Guards the walk itself: modules known to carry examples are collected and their examples run."""
    names = module_names()
    assert len(names) >= 60, names
    for name in ("assistant.domain", "assistant.settings", "ingest.chunk_sop", "eval.metrics", "ui.cards"):
        assert name in names
        assert run_doctests(name)[0].attempted > 0, name
