"""The CI quality gate: committed minimums (``eval/thresholds.json``) for the primary configuration."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.settings import PROJECT_ROOT

THRESHOLDS_PATH = PROJECT_ROOT / "eval" / "thresholds.json"


def load_thresholds(path: Path | None = None) -> dict:
    """``{"metrics": {name: {"min": x, "reason": "..."}}, ...}``; every entry must give a reason."""
    path = path or THRESHOLDS_PATH
    data = json.loads(path.read_text(encoding="utf-8"))
    metrics = data.get("metrics")
    if not isinstance(metrics, dict) or not metrics:
        raise ValueError(f"{path}: no 'metrics' thresholds")
    for name, rule in metrics.items():
        if not isinstance(rule, dict) or not isinstance(rule.get("min"), int | float):
            raise ValueError(f"{path}: threshold {name!r} needs a numeric 'min'")
        if not str(rule.get("reason", "")).strip():
            raise ValueError(f"{path}: threshold {name!r} needs a 'reason'")
    return data


def check_gate(metrics: dict, thresholds: dict) -> list[str]:
    """The failed checks, as readable lines (empty: the gate passes)."""
    failures = []
    for name, rule in thresholds["metrics"].items():
        value = metrics.get(name)
        if value is None:
            failures.append(f"{name}: not measured (threshold {rule['min']})")
        elif value < rule["min"]:
            failures.append(f"{name}: {value:.3f} < {rule['min']} ({rule['reason']})")
    return failures
