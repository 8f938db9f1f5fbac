"""Volume scenario: can a flood of other documents drown the plan, and does the disk stay flat?

    .venv/bin/python benchmarks/volume.py                 # plan + 100x distractors + 2,000-page PDF
    .venv/bin/python benchmarks/volume.py --scale 10 --pages 200   # a quicker look

Not a test: nothing asserts. It prints, for the same machine in the same run:

- first-citation accuracy on the frozen fresh splits (English and Chinese), on the plan alone and
  on the plan + ``scale`` x synthetic notices (benchmarks/distractors.py) + one ``pages``-page
  PDF of near-identical port-notice articles; the issue allows a loss of at most 2 points;
- warm ``ask`` latency (median, p95) on the large index;
- the index's size on disk after each of ``ingests`` ingests of one changing file (with
  ``retire_grace_s=0``: a superseded generation is otherwise kept two minutes for readers).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import ASK_QUESTIONS, _copy_plan, _pct, build_corpus  # noqa: E402
from distractors import write_repetitive_pdf  # noqa: E402

logger = logging.getLogger("volume")


def _first_citation(settings) -> dict[str, float]:
    from assistant.evaluation.fresh import run

    figures = {}
    for split in ("fresh", "fresh_zh"):
        summary, _ = run(split, settings)
        figures[split] = summary["metrics"]["first_citation"]["value"]
        figures[f"{split}_refused"] = summary["metrics"]["answerable_refused"]["value"]
    return figures


def _disk_bytes(index_dir: Path) -> int:
    return sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())


def run(scale: int, pages: int, ingests: int, rounds: int) -> dict:
    from assistant.api import Assistant
    from assistant.index import IndexStore
    from assistant.settings import Settings

    scratch = Path(tempfile.mkdtemp(prefix="volume-"))
    results: dict = {"scale": scale, "pages": pages}
    try:
        plan_only = Settings(corpus_dir=_copy_plan(scratch / "plan" / "corpus"), index_dir=scratch / "plan" / "index")
        IndexStore(plan_only).ingest(progress=False)
        results["plan_only"] = _first_citation(plan_only)
        print(f"plan only: {results['plan_only']}", file=sys.stderr)

        corpus = scratch / "big" / "corpus"
        documents, chunks = build_corpus(corpus, scale)
        write_repetitive_pdf(corpus / "port-notices.pdf", pages)
        big = Settings(corpus_dir=corpus, index_dir=scratch / "big" / "index")
        started = time.perf_counter()
        report = IndexStore(big).ingest(progress=True)
        results["ingest_s"] = round(time.perf_counter() - started, 1)
        results["chunks"] = report.chunks
        results["errors"] = report.errors
        results["with_volume"] = _first_citation(big)
        print(f"with volume: {results['with_volume']}", file=sys.stderr)

        assistant = Assistant(big, auto_ingest=False)
        for question in ASK_QUESTIONS:
            assistant.ask(question)
        from assistant.embedding import embedding_model

        recent = getattr(embedding_model(big), "_recent", None)
        asks = []
        for _ in range(rounds):
            for question in ASK_QUESTIONS:
                if recent is not None:
                    recent.clear()
                started = time.perf_counter()
                assistant.ask(question)
                asks.append((time.perf_counter() - started) * 1000)
        results["ask_ms_median"] = round(statistics.median(asks), 1)
        results["ask_ms_p95"] = round(_pct(asks, 95), 1)

        churn = Settings(
            corpus_dir=_copy_plan(scratch / "churn" / "corpus"), index_dir=scratch / "churn" / "index", retire_grace_s=0
        )
        store = IndexStore(churn)
        changing = churn.corpus_dir / "changing-notice.md"
        sizes = []
        for number in range(ingests):
            changing.write_text(f"# Notice {number}\n\nArticle 1 Harbour cranes are inspected {number} times.", "utf-8")
            store.ingest(progress=False)
            sizes.append(_disk_bytes(churn.index_dir))
        results["disk_mb_after_ingest"] = [round(s / 1e6, 2) for s in sizes]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def table(results: dict) -> str:
    plan, volume = results["plan_only"], results["with_volume"]
    sizes = results["disk_mb_after_ingest"]
    rows = [
        "| Figure | Plan only | Plan + volume |",
        "| --- | --- | --- |",
        f"| first citation, fresh English | {plan['fresh']:.3f} | {volume['fresh']:.3f} |",
        f"| first citation, fresh Chinese | {plan['fresh_zh']:.3f} | {volume['fresh_zh']:.3f} |",
        f"| answerable refused, fresh English | {plan['fresh_refused']:.3f} | {volume['fresh_refused']:.3f} |",
        f"| warm ask median / p95 (ms) | | {results['ask_ms_median']} / {results['ask_ms_p95']} |",
        "",
        f"Volume: {results['scale']}x distractors + a {results['pages']}-page repetitive PDF, "
        f"{results['chunks']} chunks, ingested in {results['ingest_s']} s; errors: {results['errors'] or 'none'}.",
        f"Index on disk after each of {len(sizes)} ingests of one changing file (MB): {sizes}. "
        f"Largest in the first half {max(sizes[: len(sizes) // 2])}, in the second half "
        f"{max(sizes[len(sizes) // 2 :])} (flat = it does not grow with the number of ingests).",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--ingests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    results = run(args.scale, args.pages, args.ingests, args.rounds)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
