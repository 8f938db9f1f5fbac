"""Calibrate the refusal gate and the citation verifier on the dev split.

    .venv/bin/python eval/calibrate.py            # uses ASSISTANT_* settings (index/ by default)

Refusal gate (``Settings.gate_min_dense``, ``gate_grey_dense``, ``gate_min_dense_zh``; applied
in ``decision.EvidenceGate``): every development question (eval/gold.jsonl dev, eval/dev_extra.jsonl
and the blind dev splits) that takes the semantic path is analysed and searched once, and the
gate's inputs are recorded exactly as it sees them (the best passage's dense cosine and BM25
score, whether the question is put in the documents' words, the language). A grid
search then picks the thresholds with the lowest cost on dev: refusing an answerable question
costs 2 (the user loses the answer), answering an unanswerable one in full 1 (a wrong answer
still shows its cited source), answering it with the hedge "the plan does not use the words …"
0.5, and hedging an answerable one 0.25. The fresh splits are scored with the chosen values for
information only, never used to choose.

Citation verifier (verify.LEXICAL_SUPPORT, verify.EMBED_SUPPORT): each dev question's
hand-written ``claim`` (a paraphrased answer sentence) is scored against its gold source (a
true pair) and against every other passage (wrong pairs): lexical support (IDF-weighted) and
the cosine to the source's closest sentence (the verifier's own embedding, all-MiniLM-L6-v2).

Writes eval/reports/calibration.json; prints a summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant  # noqa: E402
from assistant.evaluation.fresh import DEV_BLIND_SPLITS, FRESH_FILES, load_questions  # noqa: E402
from assistant.evaluation.gold import GoldQuestion, load_gold  # noqa: E402
from assistant.settings import Settings  # noqa: E402

REPORTS = ROOT / "eval" / "reports"


# --- refusal gate ------------------------------------------------------------------------------


def gate_inputs(assistant: Assistant, split: str) -> list[dict]:
    """The gate's inputs for every question of ``split`` that reaches it (semantic path, no history)."""
    state = assistant._ready()
    check = assistant._answer_type_check(state)
    rows = []
    for row in load_questions(split):
        if row.get("history"):
            continue
        analysis = assistant.analyse(row["question"])
        if analysis.route != "semantic" or analysis.other_places or analysis.multi_policy:
            continue
        hits = assistant._hits(analysis, state)
        if not hits:
            continue
        rows.append(
            {
                "id": row["id"],
                "expect": row["expect"],
                "language": analysis.language,
                "dense": round(hits[0].dense, 4),
                "lexical": round(hits[0].lexical, 3),
                "wording": check.uses_documents_wording(analysis) if analysis.language == "en" else True,
            }
        )
    return rows


def passes(row: dict, min_dense: float, grey: float, min_zh: float) -> bool:
    """Whether the gate lets the question through (the rule of decision.EvidenceGate.refuses)."""
    if row["language"] == "zh":
        return row["dense"] >= min_zh
    return row["dense"] >= min_dense and (row["dense"] >= grey or row["lexical"] > 0 or row["wording"])


def answers_in_full(row: dict, min_dense: float, grey: float, min_zh: float) -> bool:
    """Through the gate and not hedged (decision.EvidenceGate.unsure): a plain answer."""
    hedged = row["language"] == "en" and row["dense"] < grey and not row["wording"]
    return passes(row, min_dense, grey, min_zh) and not hedged


def errors(rows: list[dict], values: tuple[float, float, float]) -> dict:
    answerable = [r for r in rows if r["expect"] != "refuse"]
    silent = [r for r in rows if r["expect"] == "refuse"]
    refused_answerable = sum(1 for r in answerable if not passes(r, *values))
    hedged_answerable = sum(1 for r in answerable if passes(r, *values) and not answers_in_full(r, *values))
    answered_silent = sum(1 for r in silent if answers_in_full(r, *values))
    hedged_silent = sum(1 for r in silent if passes(r, *values)) - answered_silent
    return {
        "answerable_refused": refused_answerable,
        "answerable_hedged": hedged_answerable,
        "unanswerable_answered": answered_silent,
        "unanswerable_hedged": hedged_silent,
        "n_answerable": len(answerable),
        "n_unanswerable": len(silent),
        "cost": 2 * refused_answerable + answered_silent + 0.5 * hedged_silent + 0.25 * hedged_answerable,
    }


def choose(rows: list[dict]) -> tuple[float, float, float]:
    grid = [round(0.76 + 0.005 * i, 3) for i in range(25)]
    candidates = [(m, g, z) for m in grid for g in grid if g >= m for z in grid]
    # Ties go to the lower values: of two equally good settings, the one that answers more.
    return min(candidates, key=lambda v: (errors(rows, v)["cost"], v[0], v[1], v[2]))


# --- citation verifier -----------------------------------------------------------------------


def claim_pairs(assistant: Assistant, questions: list[GoldQuestion]) -> list[dict]:
    """Lexical support and closest-sentence cosine of each claim against every passage."""
    from assistant.answer import source_of
    from assistant.verify import figures_supported, idf_weights, lexical_support

    catalogue = assistant.catalogue()
    entries = [e for e in catalogue.entries if e.task is not None or e.label in ("Introduction", "Closing paragraph")]
    idf = idf_weights([e.text for e in catalogue.entries])
    sources = {_pid(e): source_of(e) for e in entries}
    from assistant.embedding import verifier_embedding

    embed = verifier_embedding(assistant.settings)
    sentence_vectors = {
        pid: np.asarray(embed.get_text_embedding_batch(s.sentences or [s.text])) for pid, s in sources.items()
    }
    pairs = []
    for q in questions:
        if not q.claim or len(q.tasks) != 1:
            continue
        vector = np.asarray(embed.get_text_embedding(q.claim))
        for pid, source in sources.items():
            pairs.append(
                {
                    "id": q.id,
                    "source": pid,
                    "true": pid == q.tasks[0],
                    "lexical": round(lexical_support(q.claim, source.text, idf), 4),
                    "cosine": round(float((sentence_vectors[pid] @ vector).max()), 4),
                    "figures_ok": figures_supported(q.claim, source.text),
                }
            )
    return pairs


def _pid(entry) -> int | str:
    if entry.task is not None:
        return entry.task
    return "intro" if entry.label == "Introduction" else "closing"


def verifier_grid(pairs: list[dict], current: tuple[float, float]) -> list[dict]:
    out = []
    for lexical in sorted({0.5, 0.55, 0.6, 0.65, 0.7, 0.8, current[0]}):
        for cosine in sorted({0.55, 0.6, 0.65, 0.7, 0.75, current[1]}):
            accepted = [p["figures_ok"] and (p["lexical"] >= lexical or p["cosine"] >= cosine) for p in pairs]
            true = [a for p, a in zip(pairs, accepted) if p["true"]]
            wrong = [a for p, a in zip(pairs, accepted) if not p["true"]]
            out.append(
                {
                    "lexical": lexical,
                    "cosine": cosine,
                    "true_accepted": round(sum(true) / len(true), 3) if true else None,
                    "wrong_accepted": round(sum(wrong) / len(wrong), 4) if wrong else None,
                    "wrong_accepted_n": sum(wrong),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPORTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    assistant = Assistant(settings)
    current = (settings.gate_min_dense, settings.gate_grey_dense, settings.gate_min_dense_zh)
    rows = {split: gate_inputs(assistant, split) for split in ("dev", *DEV_BLIND_SPLITS, *FRESH_FILES)}
    development = [row for split in ("dev", *DEV_BLIND_SPLITS) for row in rows[split]]
    chosen = choose(development)
    pairs = claim_pairs(assistant, load_gold(split="dev"))
    from assistant import verify

    grid = verifier_grid(pairs, (verify.LEXICAL_SUPPORT, verify.EMBED_SUPPORT))
    result = {
        "gate": {
            "current": dict(zip(("min_dense", "grey_dense", "min_dense_zh"), current)),
            "dev_optimal": dict(zip(("min_dense", "grey_dense", "min_dense_zh"), chosen)),
            "current_on_dev": errors(development, current),
            "dev_optimal_on_dev": errors(development, chosen),
            **{f"current_on_{s} (report only)": errors(rows[s], current) for s in ("fresh", "fresh_zh")},
            "rows": rows,
        },
        "verifier": {
            "current": {"LEXICAL_SUPPORT": verify.LEXICAL_SUPPORT, "EMBED_SUPPORT": verify.EMBED_SUPPORT},
            "claims": sum(1 for p in pairs if p["true"]),
            "wrong_pairs": sum(1 for p in pairs if not p["true"]),
            "grid": grid,
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "calibration.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result["gate"].items() if k != "rows"}, indent=1))
    for row in grid:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
