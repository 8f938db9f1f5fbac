"""Generalisation metrics on the fresh splits (``eval/fresh.jsonl``, ``eval/fresh_zh.jsonl``).

The fresh splits were written blind, from the plan's text and a description of the users, by
people who never saw the code or ``eval/gold.jsonl``; they are frozen and never tuned on.
Each line is a question with ``type``, ``tasks`` (what a right answer cites), ``expect``
(``answer`` | ``partial`` | ``refuse``) and optionally ``list`` and ``history``.

``python -m assistant.evaluation.fresh [--split fresh|fresh_zh|dev|all] [--json] [--out DIR]``
prints the figures the issues set targets for (refusals of answerable questions, first
citation, near-misses declined, multi-policy recall and precision, compound lists exact,
follow-ups, typo/slang, Chinese) and writes per-question rows for inspection.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from pathlib import Path

from assistant.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

FRESH_FILES = {
    "fresh": PROJECT_ROOT / "eval" / "fresh.jsonl",
    "fresh_zh": PROJECT_ROOT / "eval" / "fresh_zh.jsonl",
}
# Development questions written blind from the plan by people who never saw the code (tuned on).
DEV_BLIND_SPLITS = (
    "dev_blind",
    "dev_blind_zh",
    "dev_blind3",
    "dev_blind3_zh",
    "dev_refusal",
    "dev_blind4",
    "dev_blind4b",
    "dev_blind4_zh",
    "dev_blind5",
    "dev_blind6",
    "dev_blind6b",
    "dev_blind6c",
    "dev_blind7",
    "dev_blind7b",
    "dev_blind8",
    "dev_blind9",
    "dev_blind9_zh",
    "dev_blind10",
    "dev_blind11",
    "dev_blind12",
    "dev_blind12b",
    "dev_blind12c",
    "dev_blind12_zh",
    "dev_blind13",
    "dev_blind13b",
    "dev_blind13c",
    "dev_blind14",
    "dev_blind14c",
    "dev_blind15",
    "dev_blind16",
    "dev_blind16b",
    "dev_blind16c",
    "dev_blind16_zh",
    "dev_blind17",
    "dev_blind18",
    "dev_blind19",
    "dev_blind20",
    "dev_blind21",
    "dev_blind22",
    "dev_blind23",
    "dev_blind24",
    "dev_blind25",
    "dev_blind26",
    "dev_blind27",
    "dev_blind28",
    "dev_blind29",
    "dev_blind30",
    "dev_blind31",
    "dev_blind32",
    "dev_blind33",
    "dev_blind34",
    "dev_blind35",
    "dev_blind36",
    "dev_blind37",
    "dev_blind38",
    "dev_blind39",
    "dev_blind40",
    "dev_blind41",
    "dev_blind42",
    "dev_blind43",
    "dev_blind44",
    "dev_blind45",
    "dev_blind46",
    "dev_blind47",
    "dev_blind48",
    "dev_blind49",
    "dev_blind50",
    "dev_blind51",
    "dev_blind52",
    "dev_blind53",
    "dev_blind54",
    "dev_blind55",
    "dev_blind56",
    "dev_blind57",
    "dev_blind58",
    "dev_blind59",
    "dev_blind60",
    "dev_blind61",
    "dev_blind62",
    "dev_blind63",
    "dev_blind64",
    "dev_blind65",
    "dev_blind66",
    "dev_blind67",
    "dev_blind68",
    "dev_blind69",
    "dev_blind70",
    "dev_blind71",
    "dev_blind72",
    "dev_blind73",
    "dev_blind74",
    "dev_blind75",
    "dev_blind76",
    "dev_blind77",
    "dev_blind78",
    "dev_blind79",
    "dev_blind80",
    "dev_blind81",
    "dev_blind82",
    "dev_blind83",
)
ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def load_questions(split: str) -> list[dict]:
    """Rows of a fresh split; ``dev`` maps the gold set's dev split onto the same shape."""
    if split in FRESH_FILES:
        return [
            json.loads(line) for line in FRESH_FILES[split].read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    if split in DEV_BLIND_SPLITS:
        path = PROJECT_ROOT / "eval" / f"{split}.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if split == "dev":
        rows = []
        for line in (PROJECT_ROOT / "eval" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            raw = json.loads(line)
            if raw["split"] != "dev":
                continue
            raw["expect"] = "answer" if raw["tasks"] else "refuse"
            rows.append(raw)
        # Development questions of the kinds the gold set lacks (compound lists, near-misses,
        # multi-policy profiles, follow-ups, Chinese), written from the plan for tuning.
        extra = PROJECT_ROOT / "eval" / "dev_extra.jsonl"
        rows += [json.loads(line) for line in extra.read_text(encoding="utf-8").splitlines() if line.strip()]
        return rows
    raise ValueError(f"unknown split {split!r}")


def _cited(answer: dict, names) -> list:
    """Cited passages as gold ids: task numbers, "intro", "closing" (the gold runner's mapping)."""
    return list(dict.fromkeys(names.of(c.get("task"), str(c.get("title", ""))) for c in answer.get("citations", [])))


def _list_lines(text: str) -> str:
    """A listed answer's list lines (its lead line may name the unit asked about); else all of it."""
    return "\n".join(line for line in text.splitlines() if line.lstrip().startswith("- ")) or text


def _norm(text: str) -> str:
    # a label may write a unit with its article ("the Municipal Data Bureau"); the name is the same
    words = re.sub(r"[^\w&']+", " ", text.lower().replace("’", "'")).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def score(row: dict, answer: dict, units_vocabulary: list[str], names) -> dict:
    """Per-question scores (``None`` where a score does not apply)."""
    refused = bool(answer.get("refused"))
    coverage = answer.get("coverage", "none" if refused else "full")
    cited = _cited(answer, names)
    gold = set(row["tasks"])
    out: dict = {
        "id": row["id"],
        "type": row["type"],
        "expect": row["expect"],
        "refused": refused,
        "coverage": coverage,
        "cited": cited,
        "gold": row["tasks"],
    }
    if row["expect"] == "answer":
        out["answerable_refused"] = 1.0 if refused else 0.0
        # "is there a task X handles alone?" may rightly have no task: no first citation to score
        out["first_citation"] = (1.0 if (not refused and cited and cited[0] in gold) else 0.0) if gold else None
        if row["type"] == "multipolicy":
            hits = len(set(cited) & gold)
            out["mp_recall"] = hits / len(gold) if gold else None
            out["mp_precision"] = hits / len(set(cited)) if cited else 0.0
        listing = row.get("list")
        if listing:
            text = answer.get("answer", "")
            kind, items = listing["kind"], listing["items"]
            if refused:
                exact = False
            elif kind == "tasks":
                exact = {c for c in cited if isinstance(c, int)} == set(items)
            elif kind == "units":
                vocabulary = set(units_vocabulary) | set(items)
                listed = _list_lines(text)
                named = {_norm(u) for u in vocabulary if f" {_norm(u)} " in f" {_norm(listed)} "}
                # a longer name that contains a shorter one ("All district people's governments") counts once
                named = {n for n in named if not any(n != m and f" {n} " in f" {m} " for m in named)}
                exact = named == {_norm(u) for u in items}
            elif kind == "count":
                first = re.search(r"\d+", re.sub(r"\[Task \d+\]|Task \d+", "", text.split("\n")[0]))
                exact = bool(first) and int(first.group(0)) == int(items[0])
            elif kind == "sections":  # every section named, and no other, in the answer's list
                exact = set(re.findall(r"\b([IVX]+)\.", _list_lines(text))) == {str(i) for i in items}
            else:  # section
                exact = bool(re.search(rf"\b{re.escape(str(items[0]))}\.", text.split("\n\n")[0]))
            out["list_exact"] = 1.0 if exact else 0.0
    else:
        out["declined"] = 1.0 if (refused or coverage == "partial") else 0.0
        if row["expect"] == "refuse":
            out["refused_right"] = 1.0 if refused else 0.0
        if row["expect"] == "partial":
            out["partial_cites_topic"] = 1.0 if (refused or (cited and cited[0] in gold) or not gold) else 0.0
    return out


def _mean(rows: list[dict], key: str, where=lambda r: True) -> tuple[float | None, int]:
    values = [r[key] for r in rows if r.get(key) is not None and where(r)]
    return (sum(values) / len(values) if values else None), len(values)


def summarise(rows: list[dict]) -> dict:
    def of_type(*types: str):
        return lambda r: r["type"] in types

    metrics = {
        "n": len(rows),
        "answerable_refused": _mean(rows, "answerable_refused"),
        "first_citation": _mean(rows, "first_citation"),
        "declined_when_not_answerable": _mean(rows, "declined"),
        "nearmiss_declined": _mean(rows, "declined", of_type("nearmiss")),
        "unanswerable_refused": _mean(rows, "refused_right"),
        "multipolicy_recall": _mean(rows, "mp_recall"),
        "multipolicy_precision": _mean(rows, "mp_precision"),
        "compound_exact": _mean(rows, "list_exact", of_type("compound")),
        "list_exact": _mean(rows, "list_exact"),
        "followup_right": _mean(rows, "first_citation", of_type("followup")),
        "sloppy_right": _mean(rows, "first_citation", of_type("sloppy")),
    }
    by_type = {}
    for kind in dict.fromkeys(r["type"] for r in rows):
        subset = [r for r in rows if r["type"] == kind]
        by_type[kind] = {
            "n": len(subset),
            "first_citation": _mean(subset, "first_citation")[0],
            "declined": _mean(subset, "declined")[0],
            "list_exact": _mean(subset, "list_exact")[0],
        }
    return {"metrics": {k: {"value": v[0], "n": v[1]} for k, v in metrics.items() if k != "n"}, "by_type": by_type}


def run(split: str, settings: Settings | None = None) -> tuple[dict, list[dict]]:
    from assistant.api import Assistant
    from assistant.evaluation.runner import PassageNames

    assistant = Assistant(settings or Settings())
    units = assistant.catalogue().units
    names = PassageNames(assistant.catalogue())
    rows = []
    started = time.perf_counter()
    for row in load_questions(split):
        history = []
        for turn in row.get("history", []):
            history.append(assistant.ask(turn, history=list(history)))
        answer = assistant.ask(row["question"], history=history or None)
        scored = score(row, answer, units, names)
        scored["question"] = row["question"]
        scored["answer"] = answer.get("answer", "")[:400]
        rows.append(scored)
    summary = summarise(rows)
    summary["split"] = split
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary, rows


def _table(summary: dict) -> str:
    lines = [f"split {summary['split']}: {summary['seconds']} s"]
    for name, value in summary["metrics"].items():
        if value["n"]:
            lines.append(f"  {name:32s} {value['value']:.3f}  (n={value['n']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--split", default="fresh", choices=["fresh", "fresh_zh", "dev", *DEV_BLIND_SPLITS, "all", "dev_all"]
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="write summary and rows here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    splits = {"all": ["dev", *DEV_BLIND_SPLITS, *FRESH_FILES], "dev_all": ["dev", *DEV_BLIND_SPLITS]}.get(
        args.split, [args.split]
    )
    results = {}
    for split in splits:
        summary, rows = run(split)
        results[split] = summary
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            with (args.out / f"{split}-rows.jsonl").open("w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        if not args.json:
            print(_table(summary))
    if args.out:
        (args.out / "generalisation.json").write_text(
            json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8"
        )
    if args.json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
