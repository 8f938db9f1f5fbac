"""Retrieval quality of the embedding engines on the dev and fresh splits (docs/embeddings.md).

    .venv/bin/python benchmarks/embedding_compare.py MODEL_ID INDEX_DIR

Search only (no gate, no generator), so the figures compare the engines and not thresholds that
were calibrated for one of them: hit@1 and hit@5 of the right task over every answerable
question without conversation history, per split.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.api import Assistant  # noqa: E402
from assistant.evaluation.fresh import load_questions  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> None:
    model, index_dir = sys.argv[1], Path(sys.argv[2])
    assistant = Assistant(Settings(embed_model=model, index_dir=index_dir))
    started = time.perf_counter()
    assistant.stats()  # builds the index on first use
    out = {"model": model, "first_use_s": round(time.perf_counter() - started, 1)}
    for split in ("dev", "fresh", "fresh_zh"):
        rows = [r for r in load_questions(split) if r["tasks"] and not r.get("history")]
        hit1 = hit5 = 0
        for row in rows:
            hits = assistant.search(row["question"], k=5)
            ranked = [h["task"] if h["task"] is not None else "intro" for h in hits]
            hit1 += ranked[:1] and ranked[0] in row["tasks"]
            hit5 += any(t in row["tasks"] for t in ranked)
        out[split] = {"n": len(rows), "hit@1": round(hit1 / len(rows), 3), "hit@5": round(hit5 / len(rows), 3)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
