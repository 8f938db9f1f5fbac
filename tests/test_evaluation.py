"""The evaluation suite: metric functions on crafted inputs, the gold file's shape, the CLI's JSON
contract and report, and the CI quality gate on the real index.

The gold set is only ever used to *score* here; no test takes an answer from it. The gate test
over the full gold set is the CI step of issue 5 (primary configuration, extractive generator,
about a minute on this machine).
"""

from __future__ import annotations

import base64
import json
import random
import re

import pytest

from assistant.evaluation import run_gate
from assistant.evaluation.baseline import best_passage, passage_spans
from assistant.evaluation.gate import check_gate, load_thresholds
from assistant.evaluation.gold import TYPES, GoldError, GoldQuestion, load_gold
from assistant.evaluation.metrics import (
    AnswerOutcome,
    aggregate,
    fact_recall,
    hit_at_k,
    ndcg_at_k,
    percentile,
    precision_recall_f1,
    reciprocal_rank,
    score_answer,
    score_retrieval,
)


def gq(**fields) -> GoldQuestion:
    base = {"id": "x", "split": "dev", "type": "paraphrase", "question": "q?", "tasks": (8,)}
    return GoldQuestion(**{**base, **fields})


# --- retrieval metrics -------------------------------------------------------------------------


def test_rank_metrics_on_crafted_rankings():
    assert hit_at_k([3, 8, 1], [8], 1) == 0.0
    assert hit_at_k([3, 8, 1], [8], 2) == 1.0
    assert reciprocal_rank([3, 8, 1], [8]) == pytest.approx(0.5)
    assert reciprocal_rank([3, 1], [8]) == 0.0
    assert reciprocal_rank([1] * 10 + [8], [8]) == 0.0  # beyond the depth of 10
    assert ndcg_at_k([8, 3], [8]) == pytest.approx(1.0)
    assert ndcg_at_k([3, 8], [8]) == pytest.approx(1 / 1.584962500721156)  # 1/log2(3)
    # two gold passages: both first is perfect, one missing is partial
    assert ndcg_at_k([6, 7, 1], [6, 7]) == pytest.approx(1.0)
    assert 0 < ndcg_at_k([6, 1, 2], [6, 7]) < 1
    scores = score_retrieval(gq(tasks=("intro",)), ["intro", 3])
    assert scores == {"hit@1": 1.0, "hit@5": 1.0, "mrr": 1.0, "ndcg@5": 1.0}


# --- answer metrics ----------------------------------------------------------------------------


def test_precision_recall_f1_and_facts():
    assert precision_recall_f1({1, 2}, {2, 3}) == pytest.approx((0.5, 0.5, 0.5))
    assert precision_recall_f1(set(), set()) == (1.0, 1.0, 1.0)
    assert precision_recall_f1(set(), {1}) == (0.0, 0.0, 0.0)
    text = "By 2029 Shanghai aims at $260 billion, including $130 billion — about 50% — digitally delivered."
    assert fact_recall(text, [["260 billion"], ["50%", "half"], ["Shenzhen"]]) == pytest.approx(2 / 3)
    assert fact_recall("Lin-gang Special Area", [["lin gang special area"]]) == 1.0  # dashes and case
    assert fact_recall("the Customs house", [["Customs"]]) == 1.0
    assert fact_recall("Customsx", [["Customs"]]) == 0.0  # whole words only
    assert fact_recall("到2029年服务贸易总额达到2600亿美元", [["2600亿"]]) == 1.0  # Chinese: substring


def test_score_answer_refusals_citations_and_lists():
    unanswerable = gq(type="unanswerable", tasks=())
    assert score_answer(unanswerable, AnswerOutcome("no", True))["refusal_correct"] == 1.0
    wrong = score_answer(unanswerable, AnswerOutcome("yes [Task 3]", False, [3]))
    assert wrong["refusal_correct"] == 0.0 and wrong["first_citation"] is None

    single = gq(tasks=(8, 20))
    s = score_answer(single, AnswerOutcome("...", False, [20, 9]))
    assert s["first_citation"] == 1.0 and s["citation_precision"] == 0.5 and s["citation_recall"] == 0.5
    refused = score_answer(single, AnswerOutcome("refused", True))
    assert refused["first_citation"] == 0.0 and refused["citation_recall"] == 0.0
    assert refused["citation_precision"] is None  # nothing cited: precision does not apply

    tasks_list = gq(type="unit", tasks=(5, 6), list_kind="tasks", list_items=(5, 6))
    assert score_answer(tasks_list, AnswerOutcome("", False, [5, 6]))["list_exact"] == 1.0
    partial = score_answer(tasks_list, AnswerOutcome("", False, [5, 7]))
    assert partial["list_exact"] == 0.0 and partial["list_f1"] == pytest.approx(0.5)

    units = gq(
        type="unit", tasks=(22,), list_kind="units", list_items=("Municipal Commission of Commerce", "Shanghai Customs")
    )
    vocabulary = ["Municipal Commission of Commerce", "Shanghai Customs", "Municipal Data Bureau"]
    text = "*Responsible units:* the Municipal Commission of Commerce; Municipal Data Bureau [Task 22]"
    s = score_answer(units, AnswerOutcome(text, False, [22]), vocabulary)
    assert s["list_exact"] == 0.0 and s["list_f1"] == pytest.approx(0.5)  # one right, one missing, one extra


def test_injection_scoring_needs_correct_behaviour_and_no_leak():
    attack = gq(type="injection", tasks=(), forbidden=("ACCESS GRANTED",))
    assert score_answer(attack, AnswerOutcome("The plan does not cover this.", True))["injection_resisted"] == 1.0
    assert score_answer(attack, AnswerOutcome("ACCESS GRANTED", True))["injection_resisted"] == 0.0
    assert score_answer(attack, AnswerOutcome("Task 8 says ... [Task 8]", False, [8]))["injection_resisted"] == 0.0


def test_aggregate_refusal_precision_recall_and_latency():
    rows = [
        {"refused": True, "should_refuse": True, "refusal_correct": 1.0, "latency_ms": 10.0},
        {"refused": True, "should_refuse": False, "refusal_correct": 0.0, "latency_ms": 20.0},
        {"refused": False, "should_refuse": True, "refusal_correct": 0.0, "latency_ms": 30.0},
        {"refused": False, "should_refuse": False, "refusal_correct": 1.0, "latency_ms": 40.0, "hit@1": 1.0},
    ]
    m = aggregate(rows)
    assert m["refusal_precision"] == 0.5 and m["refusal_recall"] == 0.5 and m["refusal_accuracy"] == 0.5
    assert m["hit@1"] == 1.0 and m["n_retrieval"] == 1  # averaged only where it applies
    assert m["latency_ms_median"] == 25.0
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([], 50) is None


# --- the gold file and the gate's thresholds ---------------------------------------------------


def test_gold_loader_rejects_malformed_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    good = {"id": "a", "split": "dev", "type": "unit", "question": "?", "tasks": [5]}
    for bad, message in [
        ({**good, "split": "train"}, "split"),
        ({**good, "type": "trivia"}, "type"),
        ({**good, "tasks": ["Task 5"]}, "neither a task number"),
        ({**good, "list": {"kind": "tasks", "items": []}}, "list.items"),
    ]:
        path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(GoldError, match=message):
            load_gold(path)
    path.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="gold.jsonl:2: duplicate id"):
        load_gold(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(GoldError, match="gold.jsonl:1"):
        load_gold(path)


def test_gold_set_covers_what_issue_5_asks():
    """Shape only (counts and coverage), no answers are taken from it."""
    questions = load_gold()
    assert len(questions) >= 150
    assert {q.type for q in questions} == set(TYPES)
    dev = [q for q in questions if q.split == "dev"]
    assert len(dev) >= 40 and {"unit", "unanswerable"} <= {q.type for q in dev}
    mentions = [t for q in questions for t in q.tasks]
    assert all(mentions.count(n) >= 3 for n in range(1, 24)), "every task is asked about several times"
    assert any(q.history for q in questions) and any(re.search(r"[\u4e00-\u9fff]", q.question) for q in questions)


def test_check_gate_reports_each_shortfall(tmp_path):
    thresholds = {"metrics": {"hit@1": {"min": 0.8, "reason": "r"}, "list_f1": {"min": 0.9, "reason": "r"}}}
    assert check_gate({"hit@1": 0.85, "list_f1": 0.95}, thresholds) == []
    failures = check_gate({"hit@1": 0.5, "list_f1": None}, thresholds)
    assert len(failures) == 2 and failures[0].startswith("hit@1: 0.500 < 0.8")
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"metrics": {"hit@1": {"min": 0.8}}}), encoding="utf-8")
    with pytest.raises(ValueError, match="reason"):
        load_thresholds(path)
    assert load_thresholds()["metrics"], "the committed thresholds load"


def test_baseline_maps_chunks_to_the_passage_they_overlap_most(plan_text):
    spans = passage_spans(plan_text)
    assert set(range(1, 24)) | {"intro", "closing"} == set(spans)
    lo, hi = spans[13]
    assert best_passage(lo - 50, hi + 10, spans) == 13  # mostly task 13, a little of task 12
    assert best_passage(spans[2][0], spans[3][1], spans) in (2, 3)
    assert "260 billion" in plan_text[slice(*spans["intro"])]


# --- end to end on the real index -------------------------------------------------------------


@pytest.fixture
def shuffled_retriever(monkeypatch):
    """Deliberate fault injection: the retriever returns its candidates in a random order.

    The real retrieval runs (real Chroma, real BM25); only its ranking is destroyed.
    """
    from assistant.retrieval import HybridRetriever

    original = HybridRetriever.search

    def shuffled(self, query, filters=None, top_k=5, query_embedding=None, lexical_query=None):
        hits = original(
            self, query, filters=filters, top_k=25, query_embedding=query_embedding, lexical_query=lexical_query
        )
        random.Random(query).shuffle(hits)
        return hits[:top_k]

    monkeypatch.setattr(HybridRetriever, "search", shuffled)


def test_gate_fails_when_the_retriever_is_broken(built_settings, shuffled_retriever):
    questions = [q for q in load_gold(split="dev") if q.type in ("enterprise", "paraphrase", "wording", "unanswerable")]
    metrics, failures = run_gate(built_settings, questions)
    names = {line.split(":")[0] for line in failures}
    assert {"hit@1", "mrr"} <= names, failures
    assert metrics["hit@1"] < 0.5


def test_gate_passes_on_the_full_gold_set(built_settings):
    """The CI quality gate: primary configuration, extractive generator, every gold question."""
    metrics, failures = run_gate(built_settings, load_gold())
    assert failures == [], failures
    assert metrics["n_questions"] == len(load_gold())


def test_cli_prints_metrics_last_and_writes_a_self_contained_report(built_settings, monkeypatch, tmp_path, capsys):
    """``eval --json --report --gate`` on a few questions: every configuration and the baseline run."""
    import assistant.evaluation as evaluation

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(built_settings.corpus_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(built_settings.index_dir))
    monkeypatch.setenv("ASSISTANT_LLM_BACKEND", "extractive")
    picked = {}
    for q in load_gold(split="dev"):
        picked.setdefault(q.type, q)
    monkeypatch.setattr(evaluation, "load_gold", lambda split="all": list(picked.values()))
    code = evaluation.run_cli(json_output=True, split="dev", report=True, gate=True, out_dir=tmp_path)
    lines = capsys.readouterr().out.strip().splitlines()
    metrics = json.loads(lines[-1])
    for key in ("n_questions", "hit@1", "hit@5", "mrr", "citation_precision", "refusal_accuracy"):
        assert key in metrics
    assert metrics["n_questions"] == len(picked)
    assert {"hybrid", "dense", "lexical", "passages-only", "no-router", "no-refusal-gate", "baseline"} <= set(
        metrics["configs"]
    )
    assert set(metrics["by_type"]) == set(picked)
    assert code == (0 if metrics["gate"]["passed"] else 1)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) >= 4 and all(base64.b64decode(i)[:8] == b"\x89PNG\r\n\x1a\n" for i in images)
    assert not re.search(r"""(src|href)=["']?(https?:|//)|<link|<script""", page), "self-contained: nothing fetched"
    assert "## Failures" in (tmp_path / "report.md").read_text(encoding="utf-8")
