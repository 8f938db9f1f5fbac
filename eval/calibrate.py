"""Calibrate the refusal gate and the citation verifier on the dev split of eval/gold.jsonl.

    .venv/bin/python eval/calibrate.py            # uses ASSISTANT_* settings (index/ by default)

Refusal gate (Settings.refusal_min_dense / refusal_min_support / refusal_floor_dense /
refusal_full_support, applied in Assistant.select_evidence): every dev question is asked once;
for those that reach the gate (the semantic path) the top passage's dense cosine and the
question's topic coverage are recorded, exactly as the gate sees them, and thresholds are
chosen by grid search for the least weighted error on dev (a wrongly answered question costs
twice a needless refusal), ties broken by the widest margin around the dense thresholds.

Citation verifier (verify.LEXICAL_SUPPORT, verify.EMBED_SUPPORT): each dev question's
hand-written ``claim`` (a paraphrased answer sentence) is scored against its gold source (a
true pair) and against every other passage (wrong pairs): lexical support (IDF-weighted) and
the cosine to the source's closest sentence. Reported: acceptance of true and wrong pairs
over a grid of both thresholds.

Writes eval/reports/calibration.json and eval/reports/calibration.png; prints a summary.
The test split is scored with the chosen thresholds for information only, never used to choose.
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
from assistant.evaluation.gold import GoldQuestion, load_gold  # noqa: E402
from assistant.settings import Settings  # noqa: E402

logger = logging.getLogger("calibrate")
REPORTS = ROOT / "eval" / "reports"


# --- refusal gate ----------------------------------------------------------------------------


def gate_inputs(assistant: Assistant, questions: list[GoldQuestion]) -> list[dict]:
    """(top dense cosine, topic coverage) for every question that reaches the refusal gate."""
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
            coverage = _coverage(assistant, str(seen["question"]), hits)
            rows.append(
                {
                    "id": q.id,
                    "split": q.split,
                    "type": q.type,
                    "answerable": q.answerable,
                    "dense": round(float(hits[0].dense), 4) if hits else 0.0,
                    "coverage": round(float(coverage), 4),
                    "refused_now": bool(answer["refused"]),
                }
            )
    finally:
        Assistant.select_evidence = original
    return rows


def _coverage(assistant: Assistant, question: str, hits) -> float:
    """The gate's coverage measure: the corpus vocabulary's, or the older top-passage overlap."""
    state = assistant._ready()  # the calibration needs the gate's own evidence, not a public API
    vocabulary = getattr(state, "vocabulary", None)
    if vocabulary is not None:
        return vocabulary.coverage(question)[0]
    from assistant.answer import topic_coverage

    return topic_coverage(question, hits[:3])


def gate_passes(rows: list[dict], t: dict) -> list[bool]:
    """The gate's rule (api.Assistant.select_evidence): strong evidence, or near-complete coverage."""
    return [
        (r["dense"] >= t["refusal_min_dense"] and r["coverage"] >= t["refusal_min_support"])
        or (r["dense"] >= t["refusal_floor_dense"] and r["coverage"] >= t["refusal_full_support"])
        for r in rows
    ]


# A dev question the plan does not answer that gets through costs twice a needless refusal:
# a wrong answer misleads, a refusal only sends the user to rephrase.
FALSE_ANSWER_COST = 2.0


def choose_gate(rows: list[dict]) -> dict:
    """Grid search over the four thresholds: least weighted error on dev, then the widest margin.

    The margin is the smallest distance between a question's dense score and the dense threshold
    of a tier whose coverage demand it meets, so the chosen cut sits in the middle of its gap
    rather than on top of a dev question.
    """
    dense = np.array([r["dense"] for r in rows])
    coverage = np.array([r["coverage"] for r in rows])
    answerable = np.array([r["answerable"] for r in rows])
    dense_grid = np.round(np.arange(0.15, 0.701, 0.01), 2)
    support_grid = np.round(np.arange(0.5, 1.0001, 0.05), 2)
    best = None
    for min_support in support_grid:
        tier1_cov = coverage >= min_support
        for full_support in support_grid[support_grid >= min_support]:
            tier2_cov = coverage >= full_support
            for min_dense in dense_grid:
                strong = tier1_cov & (dense >= min_dense)
                for floor_dense in dense_grid[dense_grid <= min_dense]:
                    passes = strong | (tier2_cov & (dense >= floor_dense))
                    cost = FALSE_ANSWER_COST * np.sum(passes & ~answerable) + np.sum(~passes & answerable)
                    gaps = np.concatenate([np.abs(dense - min_dense)[tier1_cov], np.abs(dense - floor_dense)[tier2_cov]])
                    margin = float(gaps.min()) if gaps.size else 1.0
                    key = (-float(cost), margin, -float(min_support), -float(full_support))
                    if best is None or key > best[0]:
                        best = (key, (min_dense, min_support, floor_dense, full_support))
    min_dense, min_support, floor_dense, full_support = best[1]
    return {
        "refusal_min_dense": float(min_dense),
        "refusal_min_support": float(min_support),
        "refusal_floor_dense": float(floor_dense),
        "refusal_full_support": float(full_support),
    }


def gate_summary(rows: list[dict], t: dict) -> dict:
    passes = gate_passes(rows, t)
    yes = [p for r, p in zip(rows, passes) if r["answerable"]]
    no = [p for r, p in zip(rows, passes) if not r["answerable"]]
    return {
        "questions_at_gate": len(rows),
        "answerable_passed": f"{sum(yes)}/{len(yes)}",
        "unanswerable_refused": f"{len(no) - sum(no)}/{len(no)}",
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


def verifier_grid(pairs: list[dict]) -> list[dict]:
    out = []
    for lexical in (0.5, 0.55, 0.6, 0.65, 0.7, 0.8):
        for cosine in (0.55, 0.6, 0.65, 0.7, 0.75):
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


def plot(rows: list[dict], t: dict, pairs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8))
    ax = axes[0]
    for answerable, colour, label in ((True, "#2b7bba", "answerable"), (False, "#d7301f", "not in the plan")):
        pts = [r for r in rows if r["answerable"] == answerable]
        ax.scatter([r["dense"] for r in pts], [r["coverage"] for r in pts], c=colour, label=label, alpha=0.75, s=28)
    ax.axvline(t["refusal_min_dense"], color="grey", ls="--", lw=1)
    ax.axhline(t["refusal_min_support"], color="grey", ls="--", lw=1)
    ax.axvline(t["refusal_floor_dense"], color="grey", ls=":", lw=1)
    ax.axhline(t["refusal_full_support"], color="grey", ls=":", lw=1)
    ax.set_xlabel("top passage dense cosine")
    ax.set_ylabel("topic coverage")
    ax.set_title("Refusal gate inputs, dev questions on the semantic path\n(dashed: strong tier; dotted: coverage tier)")
    ax.legend(loc="lower right")
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
    current = {
        k: getattr(settings, k)
        for k in ("refusal_min_dense", "refusal_min_support", "refusal_floor_dense", "refusal_full_support")
        if hasattr(settings, k)
    }
    dev, test = load_gold(split="dev"), load_gold(split="test")
    dev_rows, test_rows = gate_inputs(assistant, dev), gate_inputs(assistant, test)
    chosen = choose_gate(dev_rows)
    pairs = claim_pairs(assistant, dev)
    grid = verifier_grid(pairs)
    from assistant import verify

    result = {
        "gate": {
            "current": current,
            "current_on_dev": gate_summary(dev_rows, current) if len(current) == 4 else None,
            "recommended": chosen,
            "recommended_on_dev": gate_summary(dev_rows, chosen),
            "recommended_on_test (report only)": gate_summary(test_rows, chosen),
            "current_on_test (report only)": gate_summary(test_rows, current) if len(current) == 4 else None,
            "dev_rows": dev_rows,
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
    plot(dev_rows, chosen, pairs, args.out / "calibration.png")
    print(json.dumps({k: v for k, v in result["gate"].items() if k != "dev_rows"}, indent=1))
    summary = {k: v for k, v in result["verifier"].items() if k != "grid"}
    print(json.dumps(summary, indent=1))
    for row in grid:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
