"""Calibrate the refusal gate and the citation verifier on the dev split of eval/gold.jsonl.

    .venv/bin/python eval/calibrate.py            # uses ASSISTANT_* settings (index/ by default)

Refusal gate (Settings.refusal_bands, applied in Assistant.select_evidence: answer when, for
some band, the top passage's dense cosine and the question's topic coverage both reach the
band's minimums): every dev question is asked once; for those that reach the gate (the semantic
path) both inputs are recorded exactly as the gate sees them. The script then reports the
current bands' errors on dev, and searches (one band at a time, from the current bands) for the
bands with the least weighted error on dev (a wrongly answered question costs twice a needless
refusal), ties broken by the widest margin around the dense cuts.

Citation verifier (verify.LEXICAL_SUPPORT, verify.EMBED_SUPPORT): each dev question's
hand-written ``claim`` (a paraphrased answer sentence) is scored against its gold source (a
true pair) and against every other passage (wrong pairs): lexical support (IDF-weighted) and
the cosine to the source's closest sentence. Reported: acceptance of true and wrong pairs
over a grid of both thresholds.

Writes eval/reports/calibration.json and eval/reports/calibration.png; prints a summary.
The test split is scored with both for information only, never used to choose: with ~60 dev
questions at the gate, a dev-optimal set that does no better on test is over-fitted.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.api import Assistant  # noqa: E402
from assistant.evaluation.gold import GoldQuestion, load_gold  # noqa: E402
from assistant.settings import Settings  # noqa: E402

logger = logging.getLogger("calibrate")
REPORTS = ROOT / "eval" / "reports"


# --- refusal gate ----------------------------------------------------------------------------


def gate_inputs(assistant: Assistant, questions: list[GoldQuestion]) -> list[dict]:
    """(top dense cosine, topic coverage, unknown year) for every question that reaches the gate."""
    seen: dict[str, object] = {}
    original = Assistant.select_evidence

    def spy(self, question, plan, hits):
        seen["hits"], seen["question"] = hits, question
        return original(self, question, plan, hits)

    Assistant.select_evidence = spy
    rows = []
    try:
        for q in questions:
            history = [assistant.ask(turn) for turn in q.history]
            seen.clear()
            answer = assistant.ask(q.question, history=history or None)
            if "hits" not in seen:
                continue  # answered by the router (task / unit / area look-up) or the Chinese notice
            hits = seen["hits"]
            coverage, missing = assistant._ready().vocabulary.coverage(str(seen["question"]))
            rows.append(
                {
                    "id": q.id,
                    "split": q.split,
                    "type": q.type,
                    "answerable": q.answerable,
                    "dense": round(float(hits[0].dense), 4) if hits else 0.0,
                    "coverage": round(float(coverage), 4),
                    # The gate's fixed rule (api.select_evidence): a year the documents never mention.
                    "unknown_year": any(re.fullmatch(r"(19|20)\d\d", w) for w in missing),
                    "refused_now": bool(answer["refused"]),
                }
            )
    finally:
        Assistant.select_evidence = original
    return rows


def gate_passes(rows: list[dict], bands: list[tuple[float, float]]) -> list[bool]:
    """The gate's rule: some band's (min dense cosine, min coverage) is reached, and no unknown year."""
    return [not r["unknown_year"] and any(r["dense"] >= d and r["coverage"] >= c for d, c in bands) for r in rows]


# A dev question the plan does not answer that gets through costs twice a needless refusal:
# a wrong answer misleads, a refusal only sends the user to rephrase.
FALSE_ANSWER_COST = 2.0
DENSE_GRID = [round(x, 2) for x in np.arange(0.15, 0.701, 0.01)]
COVERAGE_GRID = [round(x, 2) for x in np.arange(0.4, 1.0001, 0.05)]


def _cost_and_margin(rows: list[dict], bands: list[tuple[float, float]]) -> tuple[float, float]:
    passes = gate_passes(rows, bands)
    cost = sum(
        FALSE_ANSWER_COST if p and not r["answerable"] else 1.0 if r["answerable"] and not p else 0.0
        for r, p in zip(rows, passes)
    )
    # Margin: how close the nearest question sits to a dense cut of a band whose coverage it meets.
    gaps = [abs(r["dense"] - d) for r in rows for d, c in bands if r["coverage"] >= c and not r["unknown_year"]]
    return cost, min(gaps, default=1.0)


def choose_bands(rows: list[dict], start: list[tuple[float, float]], rounds: int = 4) -> list[tuple[float, float]]:
    """Coordinate descent from the current bands: each band in turn takes the (dense, coverage)
    pair of the grid with the least weighted dev error, ties broken by the widest margin.

    Searching one band at a time (rather than all six numbers at once) keeps the search small
    and the result close to the hand-designed shape, which matters with ~60 dev questions.
    """
    bands = [tuple(b) for b in start]
    best_cost, best_margin = _cost_and_margin(rows, bands)
    for _ in range(rounds):
        improved = False
        for i in range(len(bands)):
            for d in DENSE_GRID:
                for c in COVERAGE_GRID:
                    trial = bands[:i] + [(d, c)] + bands[i + 1 :]
                    cost, margin = _cost_and_margin(rows, trial)
                    if (cost, -margin) < (best_cost, -best_margin):
                        bands, best_cost, best_margin, improved = trial, cost, margin, True
        if not improved:
            break
    return sorted(((float(d), float(c)) for d, c in bands), key=lambda b: -b[0])


def gate_summary(rows: list[dict], bands: list[tuple[float, float]]) -> dict:
    passes = gate_passes(rows, bands)
    yes = [p for r, p in zip(rows, passes) if r["answerable"]]
    no = [p for r, p in zip(rows, passes) if not r["answerable"]]
    cost, margin = _cost_and_margin(rows, bands)
    return {
        "bands": [list(b) for b in bands],
        "questions_at_gate": len(rows),
        "answerable_passed": f"{sum(yes)}/{len(yes)}",
        "unanswerable_refused": f"{len(no) - sum(no)}/{len(no)}",
        "weighted_errors": cost,
        "margin": round(margin, 4),
        "refused_answerable": [r["id"] for r, p in zip(rows, passes) if r["answerable"] and not p],
        "passed_unanswerable": [r["id"] for r, p in zip(rows, passes) if not r["answerable"] and p],
    }


# --- citation verifier -----------------------------------------------------------------------


def claim_pairs(assistant: Assistant, questions: list[GoldQuestion]) -> list[dict]:
    """Lexical support and closest-sentence cosine of each claim against every passage."""
    from assistant.answer import source_of
    from assistant.verify import figures_supported, idf_weights, lexical_support

    catalogue = assistant.catalogue()
    entries = [e for e in catalogue.entries if e.task is not None or e.label in ("Introduction", "Closing paragraph")]
    idf = idf_weights([e.text for e in catalogue.entries])
    sources = {_pid(e): source_of(e) for e in entries}
    from assistant.embedding import embedding_model

    embed = embedding_model(assistant.settings)
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


# --- plots -----------------------------------------------------------------------------------


def plot(rows: list[dict], bands: dict[str, list], pairs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(17, 5))
    ax = axes[0]
    for name, style, colour in (("current", "--", "grey"), ("dev-optimal", "-", "black")):
        for i, (d, c) in enumerate(bands[name]):
            # each band accepts the rectangle to its upper right
            ax.plot([d, 1.0], [c, c], ls=style, color=colour, lw=1, label=f"{name} bands" if i == 0 else None)
            ax.plot([d, d], [c, 1.02], ls=style, color=colour, lw=1)
    for answerable, colour, label in ((True, "#2b7bba", "answerable"), (False, "#d7301f", "not in the plan")):
        pts = [r for r in rows if r["answerable"] == answerable]
        ax.scatter([r["dense"] for r in pts], [r["coverage"] for r in pts], c=colour, label=label, alpha=0.75, s=28)
    ax.set_xlim(0, 0.9)
    ax.set_ylim(-0.02, 1.04)
    ax.set_xlabel("top passage dense cosine")
    ax.set_ylabel("topic coverage")
    ax.set_title(
        "Refusal gate inputs, dev questions on the semantic path\n(a band answers above and right of its corner)"
    )
    ax.legend(loc="lower right", fontsize=8)
    for ax, key, title in ((axes[1], "lexical", "lexical support"), (axes[2], "cosine", "closest-sentence cosine")):
        bins = np.linspace(0, 1, 41)
        ax.hist([p[key] for p in pairs if not p["true"]], bins=bins, alpha=0.6, color="#d7301f",
                label="claim vs wrong passage", density=True)  # fmt: skip
        ax.hist([p[key] for p in pairs if p["true"]], bins=bins, alpha=0.6, color="#2b7bba",
                label="claim vs its own passage", density=True)  # fmt: skip
        ax.set_xlabel(title)
        ax.set_ylabel("density")
        ax.set_title(f"Verifier: {title} of dev claims")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPORTS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    assistant = Assistant(settings)
    current = [tuple(b) for b in settings.refusal_bands]
    dev, test = load_gold(split="dev"), load_gold(split="test")
    dev_rows, test_rows = gate_inputs(assistant, dev), gate_inputs(assistant, test)
    chosen = choose_bands(dev_rows, current)
    pairs = claim_pairs(assistant, dev)
    from assistant import verify

    grid = verifier_grid(pairs, (verify.LEXICAL_SUPPORT, verify.EMBED_SUPPORT))

    result = {
        "gate": {
            "current_on_dev": gate_summary(dev_rows, current),
            "dev_optimal_on_dev": gate_summary(dev_rows, chosen),
            "current_on_test (report only)": gate_summary(test_rows, current),
            "dev_optimal_on_test (report only)": gate_summary(test_rows, chosen),
            "dev_rows": dev_rows,
            "test_rows": test_rows,
        },
        "verifier": {
            "current": {"LEXICAL_SUPPORT": verify.LEXICAL_SUPPORT, "EMBED_SUPPORT": verify.EMBED_SUPPORT},
            "claims": sum(1 for p in pairs if p["true"]),
            "wrong_pairs": sum(1 for p in pairs if not p["true"]),
            "grid": grid,
            "true_pair_lexical_median": float(np.median([p["lexical"] for p in pairs if p["true"]])),
            "true_pair_cosine_median": float(np.median([p["cosine"] for p in pairs if p["true"]])),
            "wrong_pair_cosine_p99": float(np.percentile([p["cosine"] for p in pairs if not p["true"]], 99)),
            "wrong_pair_lexical_p99": float(np.percentile([p["lexical"] for p in pairs if not p["true"]], 99)),
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "calibration.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    plot(dev_rows, {"current": current, "dev-optimal": chosen}, pairs, args.out / "calibration.png")
    print(json.dumps({k: v for k, v in result["gate"].items() if not k.endswith("_rows")}, indent=1))
    summary = {k: v for k, v in result["verifier"].items() if k != "grid"}
    print(json.dumps(summary, indent=1))
    for row in grid:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
