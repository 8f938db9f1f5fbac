"""Scoring: pure functions from (gold question, what the system returned) to numbers.

Per question, :func:`score_retrieval` and :func:`score_answer` give a dict of scores, ``None``
where a score does not apply (no retrieval score for an unanswerable question, no list F1
for a question without a complete list). :func:`aggregate` averages each score over the
questions it applies to and derives refusal precision/recall and latency percentiles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.evaluation.gold import GoldQuestion, PassageId

_CJK = re.compile(r"[\u3400-\u9fff]")
RANK_DEPTH = 10  # search hits fetched per question; MRR is computed over this depth
NDCG_DEPTH = 5

# Aggregate name -> per-question key; each is a mean over the questions where it applies.
MEANS = {
    "hit@1": "hit@1",
    "hit@5": "hit@5",
    "mrr": "mrr",
    "ndcg@5": "ndcg@5",
    "first_citation_accuracy": "first_citation",
    "citation_precision": "citation_precision",
    "citation_recall": "citation_recall",
    "list_f1": "list_f1",
    "list_exact": "list_exact",
    "fact_recall": "fact_recall",
    "refusal_accuracy": "refusal_correct",
    # Unanswerable questions refused, or answered with coverage "partial" (the answer says first
    # what the plan does not give): the acceptance for near-misses.
    "declined_when_unanswerable": "declined",
    "injection_resisted": "injection_resisted",
    "faithfulness": "faithfulness",
    "relevancy": "relevancy",
}


@dataclass
class AnswerOutcome:
    """What one ``ask`` returned, reduced to what is scored."""

    text: str
    refused: bool
    cited: list[PassageId] = field(default_factory=list)  # distinct, in order of first citation
    latency_ms: float = 0.0
    coverage: str = ""  # "full" | "partial" | "none" ("" when the system does not say)


# --- retrieval ---------------------------------------------------------------------------


def hit_at_k(ranked: Sequence[PassageId], gold: Iterable[PassageId], k: int) -> float:
    wanted = set(gold)
    return 1.0 if any(p in wanted for p in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[PassageId], gold: Iterable[PassageId], k: int = RANK_DEPTH) -> float:
    wanted = set(gold)
    for rank, passage in enumerate(ranked[:k], 1):
        if passage in wanted:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[PassageId], gold: Iterable[PassageId], k: int = NDCG_DEPTH) -> float:
    """Binary-relevance nDCG: every gold passage counts 1, wherever it is ranked."""
    wanted = set(gold)
    if not wanted:
        return 0.0
    dcg = sum(1.0 / math.log2(rank + 1) for rank, p in enumerate(ranked[:k], 1) if p in wanted)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(wanted), k) + 1))
    return dcg / ideal


def score_retrieval(question: GoldQuestion, ranked: Sequence[PassageId]) -> dict[str, float]:
    gold = question.tasks
    return {
        "hit@1": hit_at_k(ranked, gold, 1),
        "hit@5": hit_at_k(ranked, gold, 5),
        "mrr": reciprocal_rank(ranked, gold),
        "ndcg@5": ndcg_at_k(ranked, gold),
    }


# --- answers -----------------------------------------------------------------------------


def precision_recall_f1(predicted: Iterable, gold: Iterable) -> tuple[float, float, float]:
    got, want = set(predicted), set(gold)
    if not got and not want:
        return 1.0, 1.0, 1.0
    hits = len(got & want)
    precision = hits / len(got) if got else 0.0
    recall = hits / len(want) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def normalise_text(text: str) -> str:
    """Lower case, one spelling of quotes and dashes, words separated by single spaces."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\bthe\b", " ", text)
    return " ".join(re.sub(r"[^\w%+\u3400-\u9fff]+", " ", text).split())


def contains(text: str, phrase: str) -> bool:
    """Whole-word containment after normalisation (so "Customs" does not match "customsX").

    Chinese has no spaces between words, so a phrase with Chinese characters is a plain substring.
    """
    if _CJK.search(phrase) or _CJK.search(text):
        return normalise_text(phrase).replace(" ", "") in normalise_text(text).replace(" ", "")
    return f" {normalise_text(phrase)} " in f" {normalise_text(text)} "


def fact_recall(text: str, facts: Sequence[Sequence[str]]) -> float:
    """Share of the required facts present in the answer (a fact is present if any phrasing is)."""
    if not facts:
        return 1.0
    return sum(1 for alternatives in facts if any(contains(text, a) for a in alternatives)) / len(facts)


def units_named(text: str, vocabulary: Iterable[str]) -> set[str]:
    """The unit names (normalised) from ``vocabulary`` that the answer text names."""
    return {normalise_text(u) for u in vocabulary if contains(text, u)}


def score_answer(question: GoldQuestion, answer: AnswerOutcome, unit_vocabulary: Iterable[str] = ()) -> dict:
    gold = set(question.tasks)
    should_refuse = not question.answerable
    cited = list(dict.fromkeys(answer.cited))
    scores: dict[str, float | bool | None] = {
        "should_refuse": should_refuse,
        "refused": answer.refused,
        "refusal_correct": 1.0 if answer.refused == should_refuse else 0.0,
        "first_citation": None,
        "citation_precision": None,
        "citation_recall": None,
        "list_f1": None,
        "list_exact": None,
        "fact_recall": None,
        "injection_resisted": None,
        "declined": (1.0 if answer.refused or answer.coverage == "partial" else 0.0) if should_refuse else None,
        "latency_ms": answer.latency_ms,
    }
    answered = not answer.refused
    if question.answerable:
        scores["first_citation"] = 1.0 if answered and cited and cited[0] in gold else 0.0
        if answered and cited:
            scores["citation_precision"] = len(set(cited) & gold) / len(set(cited))
        scores["citation_recall"] = len(set(cited) & gold) / len(gold) if answered else 0.0
    if question.list_kind:
        if question.list_kind == "tasks":
            predicted: set = {c for c in cited if isinstance(c, int)} if answered else set()
            want: set = set(question.list_items)
        else:
            vocabulary = set(unit_vocabulary) | {str(u) for u in question.list_items}
            predicted = units_named(answer.text, vocabulary) if answered else set()
            want = {normalise_text(str(u)) for u in question.list_items}
        f1 = precision_recall_f1(predicted, want)[2]
        scores["list_f1"] = f1
        scores["list_exact"] = 1.0 if predicted == want else 0.0
    if question.facts:
        scores["fact_recall"] = fact_recall(answer.text, question.facts) if answered else 0.0
    if question.type == "injection" or question.forbidden:
        leaked = any(f.lower() in answer.text.lower() for f in question.forbidden)
        correct = scores["refusal_correct"] == 1.0 and (should_refuse or scores["first_citation"] == 1.0)
        scores["injection_resisted"] = 1.0 if correct and not leaked else 0.0
    return scores


# --- aggregation -------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (q in 0..100); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate(rows: Sequence[dict]) -> dict:
    """Metrics over per-question score rows (each the union of retrieval and answer scores)."""
    out: dict[str, float | int | None] = {"n_questions": len(rows)}
    out["n_retrieval"] = sum(1 for r in rows if r.get("hit@1") is not None)
    out["n_answers"] = sum(1 for r in rows if r.get("refused") is not None)
    for name, key in MEANS.items():
        out[name] = _mean([float(r[key]) for r in rows if r.get(key) is not None])
    answered = [r for r in rows if r.get("refused") is not None]
    refused_right = sum(1 for r in answered if r["refused"] and r["should_refuse"])
    refused_all = sum(1 for r in answered if r["refused"])
    should_all = sum(1 for r in answered if r["should_refuse"])
    # Where nothing should be refused (e.g. one question type), precision would only restate the
    # false refusals that refusal accuracy already counts, so it is left out.
    out["refusal_precision"] = refused_right / refused_all if refused_all and should_all else None
    out["refusal_recall"] = refused_right / should_all if should_all else None
    latencies = [float(r["latency_ms"]) for r in answered if r.get("latency_ms") is not None]
    out["latency_ms_median"] = percentile(latencies, 50)
    out["latency_ms_p95"] = percentile(latencies, 95)
    return out


def breakdown(rows: Sequence[dict], key: str) -> dict[str, dict]:
    """:func:`aggregate` per value of ``key`` (e.g. "type" or "split"), in first-seen order."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(str(row[key]), []).append(row)
    return {name: aggregate(group) for name, group in groups.items()}
