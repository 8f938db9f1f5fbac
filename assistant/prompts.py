"""Prompt templates kept as versioned files in ``prompts/`` and loaded by name."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_HEADER = re.compile(r"^\s*<!--\s*prompt:\s*(?P<name>[\w-]+)\s*·\s*version\s*(?P<version>\d+)[^>]*-->\s*", re.DOTALL)


class PromptNotFound(FileNotFoundError):
    pass


@lru_cache(maxsize=64)
def _read(path: Path) -> tuple[str, int]:
    text = path.read_text(encoding="utf-8")
    match = _HEADER.match(text)
    version = int(match["version"]) if match else 0
    return (text[match.end() :] if match else text).strip(), version


def load_prompt(name: str, prompts_dir: Path) -> str:
    """The text of ``prompts/<name>.md`` without its version header."""
    path = prompts_dir / f"{name}.md"
    if not path.is_file():
        raise PromptNotFound(f"prompt {name!r} not found: expected {path}")
    return _read(path)[0]


def prompt_version(name: str, prompts_dir: Path) -> int:
    return _read(prompts_dir / f"{name}.md")[1]
