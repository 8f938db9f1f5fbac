"""Which embedding model should the citation verifier compare claims with? (docs/llm.md)

For each calibration claim (tests/data/verify_claims.jsonl, English) and a few correct Chinese
claims, the cosine to the closest sentence of its own source (true pair) and of every other task
and the introduction (wrong pairs), with all-MiniLM-L6-v2 and with multilingual-e5-small (claim
as an e5 query, sentences as passages). Builds a private index of corpus/ in a temporary directory.

    PYTHONPATH=. .venv/bin/python benchmarks/verifier_embeddings.py
"""

from __future__ import annotations

import json
import logging
import statistics
import tempfile
from pathlib import Path

from assistant.answer import source_of
from assistant.api import Assistant
from assistant.embedding import multilingual_functions, verifier_embedding
from assistant.index import IndexStore
from tests.conftest import make_settings

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
# Correct Chinese renderings of plan sentences (written from the plan's English text).
CHINESE = [
    ("Task 6", "该任务简化小微跨境电商企业的外汇手续，并完善跨境人民币结算服务"),
    ("Task 20", "上海自贸试验区（含临港新片区）将制定跨境数据流动负面清单和操作指引"),
    ("Task 22", "支持在银行体系内发展数字人民币全球结算中心"),
    ("Task 13", "上海将建立覆盖飞机、发动机等航空资产全生命周期的航空资产交易平台"),
    ("Task 11", "上海将加强提单、信用证等电子单证的在线核验和流转应用"),
    ("Task 1", "推动设立外商独资的互联网数据中心、内容分发网络和应用商店"),
    ("Task 16", "临港新片区将作为DEPA合作的核心区"),
    ("Introduction", "到2029年，上海服务贸易进出口总额目标达到2600亿美元"),
]


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = make_settings(Path(tempfile.mkdtemp()))
    IndexStore(settings).ingest(progress=False)
    catalogue = Assistant(settings, auto_ingest=False).catalogue()
    sources = {e.label: source_of(e) for e in catalogue.entries if e.task is not None or e.label == "Introduction"}
    claims = [json.loads(line) for line in (ROOT / "tests/data/verify_claims.jsonl").read_text().splitlines() if line]
    english = [(c["label"], c["claim"]) for c in claims]
    minilm = verifier_embedding(settings).get_text_embedding_batch
    e5 = multilingual_functions(settings)
    models = {"all-MiniLM-L6-v2": (minilm, minilm), "multilingual-e5-small": e5}
    for name, (query, passage) in models.items():
        vectors = {label: passage(source.sentences) for label, source in sources.items()}
        for language, items in (("en", english), ("zh", CHINESE)):
            true, wrong, top = [], [], 0
            for label, claim in items:
                q = query([claim])[0]
                scores = {k: max(sum(a * b for a, b in zip(q, v)) for v in vs) for k, vs in vectors.items()}
                true.append(scores[label])
                wrong += [s for k, s in scores.items() if k != label]
                top += max(scores, key=scores.get) == label
            wrong.sort()
            print(
                f"{name:22} {language}: true median {statistics.median(true):.3f} (min {min(true):.3f}); "
                f"wrong p99 {wrong[int(len(wrong) * 0.99)]:.3f} (max {wrong[-1]:.3f}); "
                f"own source ranked first for {top}/{len(items)}"
            )


if __name__ == "__main__":
    main()
