"""The third-party files the tests carry are the published bytes their README says they are."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.conftest import FIXTURE_CORPORA, corpus


def listed() -> dict[str, str]:
    """README table rows -> {relative path: SHA-256}."""
    text = (FIXTURE_CORPORA / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", text, flags=re.MULTILINE))


def test_every_carried_file_is_listed_with_its_checksum() -> None:
    carried = {p.relative_to(FIXTURE_CORPORA).as_posix() for p in FIXTURE_CORPORA.rglob("*")
               if p.is_file() and p.name not in ("README.md", ".gitattributes")}
    sums = listed()
    assert carried == set(sums), "each file needs a README row with its source, licence and SHA-256"
    for name, expected in sums.items():
        assert hashlib.sha256((FIXTURE_CORPORA / name).read_bytes()).hexdigest() == expected, name


def test_mit_notice_is_kept() -> None:
    text = (FIXTURE_CORPORA / "README.md").read_text(encoding="utf-8")
    assert "Copyright (c) 2025 UWA NLP-TLP Team" in text and "The above copyright notice" in text


def test_a_file_in_neither_place_skips_saying_where_it_comes_from() -> None:
    with pytest.raises(pytest.skip.Exception, match="shared corpora"):
        corpus("no_such_corpus", "missing.csv")
