"""The gold question set (``eval/gold.jsonl``): loading and validation.

One JSON object per line, written by hand from reading the plan (see docs/eval.md):

``id``, ``split`` (dev | test), ``type`` (see :data:`TYPES`), ``question``,
``tasks``: the passages that answer it: task numbers, ``"intro"`` (the introduction with the
2029 targets) or ``"closing"`` (the closing paragraph); ``[]`` means the plan does not answer it.
Optional: ``facts`` (each a list of alternative phrasings, one of which the answer must contain),
``list`` (``{"kind": "tasks" | "units", "items": [...]}``: the complete list the answer must give),
``history`` (earlier user turns of a follow-up), ``forbidden`` (strings an injected instruction
tries to make the answer say), ``claim`` (a paraphrased answer sentence, used by
``eval/calibrate.py`` to calibrate the citation verifier).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import PROJECT_ROOT

GOLD_PATH = PROJECT_ROOT / "eval" / "gold.jsonl"

TYPES = (
    "enterprise",
    "paraphrase",
    "wording",
    "unit",
    "area",
    "figures",
    "unanswerable",
    "followup",
    "injection",
    "chinese",
)
SPLITS = ("dev", "test")
# Issue 2's "task questions": English questions about one part of the plan.
TASK_QUESTION_TYPES = ("enterprise", "paraphrase", "wording", "figures")
# What an enterprise or civil servant types without knowing the plan's wording.
EVERYDAY_TYPES = ("enterprise", "paraphrase")
NON_TASK_PASSAGES = ("intro", "closing")

PassageId = int | str  # a task number, "intro" or "closing"


class GoldError(ValueError):
    """The gold file is malformed; the message names the line and the problem."""


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    split: str
    type: str
    question: str
    tasks: tuple[PassageId, ...]
    facts: tuple[tuple[str, ...], ...] = ()
    list_kind: str | None = None
    list_items: tuple[PassageId | str, ...] = ()
    history: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    claim: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.tasks)

    @property
    def scores_retrieval(self) -> bool:
        """Search is stateless, so a follow-up's own words are not a fair retrieval query."""
        return self.answerable and not self.history

    def expected(self) -> str:
        """A readable statement of the gold answer, for failure tables."""
        if not self.answerable:
            return "refuse"
        text = ", ".join(_label(t) for t in self.tasks)
        if self.list_kind == "units":
            text += " · units: " + "; ".join(str(i) for i in self.list_items)
        return text


def _label(passage: PassageId) -> str:
    return f"Task {passage}" if isinstance(passage, int) else str(passage)


def _passages(value: object, where: str) -> tuple[PassageId, ...]:
    if not isinstance(value, list):
        raise GoldError(f"{where}: 'tasks' must be a list")
    out: list[PassageId] = []
    for item in value:
        if isinstance(item, bool) or not (isinstance(item, int) or item in NON_TASK_PASSAGES):
            raise GoldError(f"{where}: task {item!r} is neither a task number nor one of {NON_TASK_PASSAGES}")
        if isinstance(item, int) and not 1 <= item <= 999:
            raise GoldError(f"{where}: task number {item} out of range")
        out.append(item)
    return tuple(out)


def _question(raw: dict, where: str) -> GoldQuestion:
    for key in ("id", "split", "type", "question", "tasks"):
        if key not in raw:
            raise GoldError(f"{where}: missing {key!r}")
    if raw["split"] not in SPLITS:
        raise GoldError(f"{where}: split must be one of {SPLITS}, not {raw['split']!r}")
    if raw["type"] not in TYPES:
        raise GoldError(f"{where}: type must be one of {TYPES}, not {raw['type']!r}")
    if not str(raw["question"]).strip():
        raise GoldError(f"{where}: empty question")
    facts = tuple(tuple([f] if isinstance(f, str) else f) for f in raw.get("facts", []))
    if any(not alternatives or not all(isinstance(a, str) and a for a in alternatives) for alternatives in facts):
        raise GoldError(f"{where}: every fact must be a non-empty string or list of strings")
    listing = raw.get("list") or {}
    kind = listing.get("kind")
    if listing and kind not in ("tasks", "units"):
        raise GoldError(f"{where}: list.kind must be 'tasks' or 'units'")
    items = tuple(listing.get("items", []))
    if listing and not items:
        raise GoldError(f"{where}: list.items is empty")
    return GoldQuestion(
        id=str(raw["id"]),
        split=raw["split"],
        type=raw["type"],
        question=str(raw["question"]),
        tasks=_passages(raw["tasks"], where),
        facts=facts,
        list_kind=kind,
        list_items=items,
        history=tuple(raw.get("history", [])),
        forbidden=tuple(raw.get("forbidden", [])),
        claim=raw.get("claim"),
    )


def load_gold(path: Path | None = None, split: str = "all") -> list[GoldQuestion]:
    """The gold questions of ``split`` (dev, test or all), validated."""
    path = path or GOLD_PATH
    if split not in (*SPLITS, "all"):
        raise GoldError(f"split must be dev, test or all, not {split!r}")
    if not path.exists():
        raise GoldError(f"no gold question set at {path}")
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from exc
        question = _question(raw, where)
        if question.id in seen:
            raise GoldError(f"{where}: duplicate id {question.id}")
        seen.add(question.id)
        questions.append(question)
    return [q for q in questions if split == "all" or q.split == split]
