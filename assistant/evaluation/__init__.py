"""The evaluation suite: gold questions, metrics, configuration comparison, report and CI gate.

``python -m assistant eval [--split dev|test|all] [--json] [--report] [--gate]`` (see docs/eval.md).

- :mod:`.gold`: the hand-written question set ``eval/gold.jsonl``
- :mod:`.metrics`: scoring one question, aggregating many (pure functions)
- :mod:`.runner`: running configurations of the assistant and the baseline on the questions
- :mod:`.baseline`: llama-index's quickstart pipeline, mapped to plan passages
- :mod:`.judge`: LLM-judged faithfulness / relevancy (only with an LLM configured)
- :mod:`.report`: report.md and the self-contained report.html
- :mod:`.gate`: committed thresholds (``eval/thresholds.json``) and the check
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from assistant.evaluation.gate import check_gate, load_thresholds
from assistant.evaluation.gold import GoldQuestion, load_gold
from assistant.evaluation.runner import PRIMARY, Config, Evaluation, evaluate, standard_configs
from assistant.settings import PROJECT_ROOT, Settings

logger = logging.getLogger(__name__)

REPORT_DIR = PROJECT_ROOT / "eval" / "reports"

__all__ = ["run_cli", "run_gate", "evaluate", "load_gold", "standard_configs", "Config", "Evaluation"]


def run_gate(
    settings: Settings, questions: list[GoldQuestion], thresholds: dict | None = None
) -> tuple[dict, list[str]]:
    """The CI gate alone: the primary configuration on ``questions``; its metrics and the failed checks."""
    primary = [c for c in standard_configs(settings, with_llm=False) if c.name == PRIMARY]
    metrics = evaluate(settings, questions, configs=primary, baseline=False).metrics()
    return metrics, check_gate(metrics, thresholds or load_thresholds())


def _summary(metrics: dict) -> str:
    keys = ["hit@1", "hit@5", "mrr", "first_citation_accuracy", "citation_precision", "list_f1",
            "refusal_precision", "refusal_recall", "fact_recall", "latency_ms_median"]  # fmt: skip
    names = list(metrics["configs"])
    width = max(len(n) for n in names) + 2
    lines = [f"{metrics['n_questions']} questions (split: {metrics['split']}), {metrics['seconds']:.0f} s", ""]
    lines.append("config".ljust(width) + "".join(k.replace("_accuracy", "")[:14].rjust(15) for k in keys))
    for name in names:
        conf = metrics["configs"][name]
        if "error" in conf:
            lines.append(name.ljust(width) + f"  failed: {conf['error']}")
            continue
        cells = []
        for key in keys:
            value = conf.get(key)
            cells.append(("—" if value is None else f"{value:.0f}" if "latency" in key else f"{value:.3f}").rjust(15))
        lines.append(name.ljust(width) + "".join(cells))
    if metrics.get("issue2_targets"):
        lines += ["", "issue 2 targets (dev):"]
        for t in metrics["issue2_targets"]:
            value = "—" if t["value"] is None else f"{t['value']:.3f}"
            lines.append(f"  {'ok ' if t['met'] else 'NO '} {t['target']}: {value} (goal {t['goal']})")
    return "\n".join(lines)


def run_cli(json_output: bool, split: str, report: bool, gate: bool, out_dir: Path | None = None) -> int:
    """``policy-assistant eval``: run everything, print metrics (``--json``: the object last), maybe gate."""
    from assistant.evaluation.judge import make_judge
    from assistant.evaluation.report import issue2_targets, write_report

    settings = Settings()
    questions = load_gold(split=split)
    evaluation = evaluate(settings, questions, split=split, judge_factory=make_judge)
    metrics = evaluation.metrics()
    if any(q.split == "dev" for q in questions):
        metrics["issue2_targets"] = issue2_targets(evaluation)
    gate_result = None
    if gate:
        failures = check_gate(metrics, load_thresholds())
        gate_result = {"passed": not failures, "failures": failures}
        metrics["gate"] = gate_result
    if report:
        out_dir = out_dir or REPORT_DIR
        paths = write_report(evaluation, metrics, out_dir, gate_result)
        (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False), encoding="utf-8")
        for path in paths:
            print(f"wrote {path}", file=sys.stderr)
    if json_output:
        sys.stdout.write(json.dumps(metrics, ensure_ascii=False) + "\n")
    else:
        print(_summary(metrics))
        if gate_result is not None:
            print(
                "\ngate: passed"
                if gate_result["passed"]
                else "\ngate FAILED:\n  " + "\n  ".join(gate_result["failures"])
            )
    sys.stdout.flush()
    return 1 if gate_result is not None and not gate_result["passed"] else 0
