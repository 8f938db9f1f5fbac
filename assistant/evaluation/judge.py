"""LLM-judged columns (only with an LLM configured): llama-index's Faithfulness and Relevancy evaluators.

Faithfulness asks the judge whether the answer is supported by the cited passages' text;
relevancy whether the answer and its sources address the question. Both give pass/fail (1/0).
The judge is the configured LLM itself: a small model judges poorly, so these columns are a
cross-check beside the gold-based metrics, never a gate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from assistant.settings import Settings

logger = logging.getLogger(__name__)

# Judging costs two LLM calls per answer; beyond this many answers the columns cover a prefix.
JUDGE_LIMIT = 60


def make_judge(settings: Settings) -> Callable[[str, dict, object], dict] | None:
    """A function scoring one answer, or ``None`` when no LLM is configured or it cannot be built."""
    try:
        from llama_index.core.evaluation import FaithfulnessEvaluator, RelevancyEvaluator

        from assistant.llm import build_llm

        llm = build_llm(settings)
    except Exception as exc:  # an LLM that cannot be built leaves the columns empty, not the run failed
        logger.warning("no LLM judge: %s", exc)
        return None
    if llm is None:
        return None
    faithfulness = FaithfulnessEvaluator(llm=llm)
    relevancy = RelevancyEvaluator(llm=llm)
    calls = {"n": 0}

    def judge(question: str, answer: dict, catalogue) -> dict:
        if calls["n"] >= JUDGE_LIMIT:
            return {}
        calls["n"] += 1
        contexts = []
        for citation in answer["citations"]:
            entry = catalogue.task(citation["task"]) if citation.get("task") else None
            contexts.append(entry.text if entry else citation.get("quote", ""))
        contexts = list(dict.fromkeys(c for c in contexts if c)) or [""]
        scores: dict[str, float | None] = {}
        for name, evaluator in (("faithfulness", faithfulness), ("relevancy", relevancy)):
            try:
                result = evaluator.evaluate(query=question, response=answer["answer"], contexts=contexts)
                scores[name] = 1.0 if result.passing else 0.0
            except Exception as exc:  # a judge that errs or rambles yields no score for this answer
                logger.warning("%s judge failed: %s", name, exc)
                scores[name] = None
        return scores

    return judge
