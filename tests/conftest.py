"""Shared fixtures. Every test works on its own temporary index, never on the project's index/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

PLAN_FILE = "shanghai-digital-trade-and-services-plan.txt"


@pytest.fixture(scope="session")
def plan_text() -> str:
    return (PROJECT_ROOT / "corpus" / PLAN_FILE).read_text(encoding="utf-8")


def copy_corpus(target: Path) -> Path:
    """A private copy of the project's corpus/ that a test may change."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (PROJECT_ROOT / "corpus").iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def make_settings(tmp: Path, **overrides) -> Settings:
    corpus = overrides.pop("corpus_dir", None) or copy_corpus(tmp / "corpus")
    return Settings(corpus_dir=corpus, index_dir=tmp / "index", **overrides)


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory) -> Settings:
    """Settings pointing at an index built once per test session from the real corpus."""
    from assistant.index import IndexStore

    settings = make_settings(tmp_path_factory.mktemp("shared"))
    IndexStore(settings).ingest(progress=False)
    return settings


@pytest.fixture(scope="session")
def assistant(built_settings):
    """An Assistant over the session's index (read-only use: tests that write build their own)."""
    from assistant.api import Assistant

    return Assistant(built_settings, auto_ingest=False)
