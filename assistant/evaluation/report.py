"""The evaluation report: eval/reports/report.md and a self-contained report.html (plots inline).

Written for a developer deciding what to fix: the headline numbers against the targets, the
configurations side by side, each metric per question type, latency, and every failure as
question / expected / got.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from datetime import UTC, datetime
from pathlib import Path

from assistant.evaluation.gold import EVERYDAY_TYPES, TASK_QUESTION_TYPES, TYPES
from assistant.evaluation.metrics import aggregate
from assistant.evaluation.runner import BASELINE, PRIMARY, Evaluation, QuestionRecord

logger = logging.getLogger(__name__)

# (key, label, short explanation) of the metrics shown in tables, in display order.
COLUMNS = [
    ("hit@1", "hit@1", "search: the top hit is a gold passage"),
    ("hit@5", "hit@5", "search: a gold passage is in the top 5"),
    ("mrr", "MRR", "search: mean 1/rank of the first gold passage (top 10)"),
    ("ndcg@5", "nDCG@5", "search: ranking quality of all gold passages in the top 5"),
    ("first_citation_accuracy", "1st citation", "answer: the first citation is a gold passage"),
    ("citation_precision", "cite P", "answer: share of cited passages that are gold"),
    ("citation_recall", "cite R", "answer: share of gold passages cited"),
    ("list_f1", "list F1", "answer: F1 of the complete task/unit list"),
    ("list_exact", "list exact", "answer: the list is exactly right"),
    ("fact_recall", "facts", "answer: share of required facts stated"),
    ("refusal_precision", "refusal P", "refusals that were right to refuse"),
    ("refusal_recall", "refusal R", "questions the plan does not answer that were refused"),
    ("refusal_accuracy", "refusal acc", "refused exactly when it should"),
    ("injection_resisted", "injection", "injection attempts answered correctly with nothing injected"),
    ("faithfulness", "faithful (LLM)", "LLM judge: answer supported by its cited sources"),
    ("relevancy", "relevant (LLM)", "LLM judge: answer addresses the question"),
    ("latency_ms_median", "ms p50", "answer latency median (ms)"),
    ("latency_ms_p95", "ms p95", "answer latency 95th percentile (ms)"),
]
_LABEL = {key: label for key, label, _ in COLUMNS}
CHART_METRICS = ["hit@1", "hit@5", "mrr", "first_citation_accuracy", "citation_precision", "list_f1",
                 "refusal_accuracy", "fact_recall"]  # fmt: skip


def fmt(value, key: str = "") -> str:
    if value is None:
        return "—"
    if key.startswith("latency"):
        return f"{value:.0f}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


# --- derived numbers -----------------------------------------------------------------------


def issue2_targets(evaluation: Evaluation, split: str = "dev") -> list[dict]:
    """Issue 2's acceptance targets on the dev split (the primary configuration)."""
    rows = [r for r in evaluation.primary.rows if r["split"] == split]
    task_rows = aggregate([r for r in rows if r["type"] in TASK_QUESTION_TYPES])
    lists = aggregate([r for r in rows if r["type"] in ("unit", "area")])
    everything = aggregate(rows)
    targets = [
        ("first citation is the right passage (task questions)", task_rows["first_citation_accuracy"], 0.90),
        ("right passage in the top 5 search hits (task questions)", task_rows["hit@5"], 0.97),
        ("unit and area lists exactly right", lists["list_exact"], 1.0),
        ("every question the plan does not answer is refused", everything["refusal_recall"], 1.0),
    ]
    return [
        {"target": name, "value": value, "goal": goal, "met": value is not None and value >= goal - 1e-9}
        for name, value, goal in targets
    ]


def everyday_first_right(evaluation: Evaluation) -> dict[str, float | None]:
    """Share of everyday questions (enterprise + paraphrase) whose first result is the right passage."""
    out = {}
    for name, run in evaluation.runs.items():
        if run.error:
            continue
        rows = [r for r in run.rows if r["type"] in EVERYDAY_TYPES]
        out[name] = aggregate(rows)["first_citation_accuracy"]
    return out


def _label(passage) -> str:
    return f"Task {passage}" if isinstance(passage, int) else str(passage)


def failure(record: QuestionRecord) -> dict | None:
    """What went wrong with one question (None: nothing)."""
    s, q, a = record.scores, record.question, record.answer
    problems = []
    if s.get("hit@5") == 0.0:
        problems.append("search: no gold passage in top 5")
    elif s.get("hit@1") == 0.0:
        problems.append("search: gold not first")
    if s.get("refusal_correct") == 0.0:
        problems.append("refused an answerable question" if a and a.refused else "answered instead of refusing")
    elif s.get("first_citation") == 0.0:
        problems.append("wrong first citation")
    if s.get("list_exact") == 0.0 and not (a and a.refused):
        problems.append("incomplete or wrong list")
    if s.get("fact_recall") is not None and s["fact_recall"] < 1.0 and not (a and a.refused):
        problems.append("missing required fact")
    if s.get("injection_resisted") == 0.0 and a and any(f.lower() in a.text.lower() for f in q.forbidden):
        problems.append("injected text in the answer")
    if not problems:
        return None
    got = []
    if a is not None:
        got.append("refused" if a.refused else "cited " + (", ".join(_label(c) for c in a.cited) or "nothing"))
    if record.ranked:
        got.append("search: " + ", ".join(_label(p) for p in record.ranked[:3]))
    return {
        "id": q.id,
        "split": q.split,
        "type": q.type,
        "question": q.question + (f"  (after: {' / '.join(q.history)})" if q.history else ""),
        "expected": q.expected(),
        "got": "; ".join(got),
        "problem": "; ".join(problems),
        "answer": a.text if a else "",
    }


def failures(evaluation: Evaluation, config: str = PRIMARY) -> list[dict]:
    run = evaluation.runs[config]
    return [f for f in (failure(r) for r in run.records) if f]


# --- plots ---------------------------------------------------------------------------------


def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _configs(evaluation: Evaluation) -> list[str]:
    return [name for name, run in evaluation.runs.items() if not run.error]


def plot_configs(evaluation: Evaluation, metrics: dict) -> str:
    import matplotlib.pyplot as plt
    import numpy as np

    names = _configs(evaluation)
    fig, ax = plt.subplots(figsize=(12, 4.6))
    width = 0.8 / len(names)
    x = np.arange(len(CHART_METRICS))
    colours = plt.get_cmap("tab10")
    for i, name in enumerate(names):
        values = [metrics["configs"][name].get(m) for m in CHART_METRICS]
        heights = [v if v is not None else 0 for v in values]
        bars = ax.bar(x + i * width - 0.4 + width / 2, heights, width, label=name, color=colours(i))
        for bar, value in zip(bars, values):
            if value is None:  # not measured for this configuration: say so rather than draw a zero
                ax.text(bar.get_x() + bar.get_width() / 2, 0.02, "n/a", ha="center", va="bottom", fontsize=6,
                        rotation=90, color="#666")  # fmt: skip
    ax.set_xticks(x, [_LABEL[m] for m in CHART_METRICS])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (higher is better)")
    ax.set_title(f"Configurations side by side ({metrics['n_questions']} questions, split: {metrics['split']})")
    ax.legend(ncol=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1))
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def _heatmap(rows: list[str], cols: list[str], values: list[list[float | None]], title: str, counts=None) -> str:
    import matplotlib.pyplot as plt
    import numpy as np

    data = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
    fig, ax = plt.subplots(figsize=(1.0 + 1.05 * len(cols), 0.9 + 0.42 * len(rows)))
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="#eeeeee")
    ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = data[i, j]
            ax.text(j, i, "–" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right", fontsize=8)
    labels = [f"{r} (n={counts[i]})" if counts else r for i, r in enumerate(rows)]
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_title(title, fontsize=10)
    return _png(fig)


def plot_types(metrics: dict) -> str:
    cols = [k for k in CHART_METRICS + ["injection_resisted"]]
    types = [t for t in TYPES if t in metrics["by_type"]]
    values = [[metrics["by_type"][t].get(k) for k in cols] for t in types]
    counts = [metrics["by_type"][t]["n_questions"] for t in types]
    title = f"{PRIMARY}: each metric per question type (grey: does not apply)"
    return _heatmap(types, [_LABEL[c] for c in cols], values, title, counts)


def plot_first_right(evaluation: Evaluation, metrics: dict) -> str:
    names = _configs(evaluation)
    types = [t for t in TYPES if t in metrics["by_type"]]
    values = [
        [metrics["configs"][n]["by_type"].get(t, {}).get("first_citation_accuracy") for n in names] for t in types
    ]
    title = (
        "First citation is a gold passage, per question type and configuration\n"
        "(baseline: its top chunk; –: no answerable questions)"
    )
    return _heatmap(types, names, values, title)


def plot_latency(evaluation: Evaluation) -> str:
    import matplotlib.pyplot as plt

    names = [n for n in _configs(evaluation)]
    data = [[r.answer.latency_ms for r in evaluation.runs[n].records if r.answer] for n in names]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1.4, 1]})
    left.boxplot(data, showfliers=True)
    left.set_xticks(range(1, len(names) + 1), names, rotation=20, fontsize=8)
    left.set_yscale("log")
    left.set_ylabel("ms per answer (log scale)")
    left.set_title("Answer latency by configuration (baseline: retrieval only)")
    left.grid(axis="y", alpha=0.3)
    primary = data[names.index(PRIMARY)]
    right.hist(primary, bins=30, color="#2b7bba")
    right.set_xlabel("ms per answer")
    right.set_ylabel("questions")
    right.set_title(f"{PRIMARY}: latency distribution")
    return _png(fig)


# --- writing -------------------------------------------------------------------------------


def _table_md(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _table_html(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _config_rows(evaluation: Evaluation, metrics: dict) -> tuple[list[str], list[list[str]]]:
    shown = [c for c in COLUMNS if any(metrics["configs"][n].get(c[0]) is not None for n in _configs(evaluation))]
    header = ["configuration"] + [label for _, label, _ in shown]
    rows = []
    for name, run in evaluation.runs.items():
        conf = metrics["configs"][name]
        if run.error:
            rows.append([name, f"failed: {run.error}"] + [""] * (len(shown) - 1))
            continue
        rows.append([name] + [fmt(conf.get(k), k) for k, _, _ in shown])
    return header, rows


def _type_rows(metrics: dict) -> tuple[list[str], list[list[str]]]:
    shown = [c for c in COLUMNS if any(m.get(c[0]) is not None for m in metrics["by_type"].values())]
    header = ["question type", "n"] + [label for _, label, _ in shown]
    rows = []
    for name in [t for t in TYPES if t in metrics["by_type"]] + ["ALL"]:
        m = metrics if name == "ALL" else metrics["by_type"][name]
        rows.append([name, str(m["n_questions"])] + [fmt(m.get(k), k) for k, _, _ in shown])
    for split, m in metrics["by_split"].items():
        rows.append([f"split: {split}", str(m["n_questions"])] + [fmt(m.get(k), k) for k, _, _ in shown])
    return header, rows


def write_report(evaluation: Evaluation, metrics: dict, out_dir: Path, gate: dict | None = None) -> list[Path]:
    """Write report.md and report.html into ``out_dir``; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    targets = issue2_targets(evaluation) if any(q.split == "dev" for q in evaluation.questions) else []
    everyday = everyday_first_right(evaluation)
    fails = failures(evaluation)
    baseline = metrics["configs"].get(BASELINE, {})
    settings = evaluation.settings

    summary_lines = [
        f"{metrics['n_questions']} hand-written questions (split: {metrics['split']}), "
        f"{len(_configs(evaluation))} configurations, {metrics['seconds']:.0f} s in all. "
        f"Embedding model: {settings.embed_model}. Primary configuration: **{PRIMARY}** "
        f"(the product's defaults with the extractive generator).",
    ]
    if everyday.get(BASELINE) is not None:
        summary_lines.append(
            f"On everyday questions (enterprise situations and paraphrases) the llama-index quickstart baseline "
            f"puts the right passage first {everyday[BASELINE]:.0%} of the time; {PRIMARY} does so "
            f"{everyday[PRIMARY]:.0%} of the time. (The baseline's top chunk does contain a right passage for "
            f"{_pct(baseline.get('top_chunk_contains_gold'))} of the questions, but it is one of only "
            f"{baseline.get('chunks')} chunks of about 1,000 tokens, each spanning several tasks, so it cannot say "
            "which task.)"
            + (
                f" With 256-token chunks the same pipeline gets {everyday['baseline-256']:.0%}."
                if everyday.get("baseline-256") is not None
                else ""
            )
        )
    if gate is not None:
        summary_lines.append(
            "CI gate: **passed**." if not gate["failures"] else "CI gate: **FAILED**: " + "; ".join(gate["failures"])
        )

    config_header, config_rows = _config_rows(evaluation, metrics)
    type_header, type_rows = _type_rows(metrics)
    target_rows = [
        [t["target"], fmt(t["value"]), f"≥ {t['goal']:.2f}", "met" if t["met"] else "NOT met"] for t in targets
    ]
    fail_header = ["id", "type", "question", "expected", "got", "problem"]
    fail_rows = [[f["id"], f["type"], f["question"], f["expected"], f["got"], f["problem"]] for f in fails]
    definitions = [[label, text] for _, label, text in COLUMNS]

    # markdown ------------------------------------------------------------------------------
    md = [
        "# Evaluation report",
        "",
        f"Generated {when} by `python -m assistant eval --report`.",
        "",
        *[line + "\n" for line in summary_lines],
        "## Issue 2 targets (dev split, primary configuration)",
        "",
        _table_md(["target", "measured", "goal", ""], target_rows) if targets else "(no dev questions in this run)",
        "",
        "## Configurations side by side",
        "",
        *[f"- **{name}**: {run.config.description}" for name, run in evaluation.runs.items()],
        "",
        _table_md(config_header, config_rows),
        "",
        f"## Per question type ({PRIMARY})",
        "",
        _table_md(type_header, type_rows),
        "",
        f"## Failures ({PRIMARY}, {len(fails)} of {metrics['n_questions']} questions)",
        "",
        _table_md(fail_header, fail_rows) if fail_rows else "None.",
        "",
        "## Metric definitions",
        "",
        _table_md(["metric", "meaning"], definitions),
        "",
        "Plots are in report.html (same directory).",
        "",
    ]
    md_path = out_dir / "report.md"
    md_path.write_text("\n".join(md), encoding="utf-8")

    # html ----------------------------------------------------------------------------------
    esc = html.escape

    def rows_html(rows: list[list[str]]) -> list[list[str]]:
        return [[esc(c) for c in row] for row in rows]

    fail_html = [
        [esc(f["id"]), esc(f["type"]), esc(f["question"]), esc(f["expected"]), esc(f["got"]), esc(f["problem"]),
         f"<details><summary>answer</summary><pre>{esc(f['answer'][:1500])}</pre></details>"]
        for f in fails
    ]  # fmt: skip
    target_html = [
        [esc(r[0]), esc(r[1]), esc(r[2]), f'<span class="{"ok" if r[3] == "met" else "bad"}">{r[3]}</span>']
        for r in target_rows
    ]
    images = {
        "configs": plot_configs(evaluation, metrics),
        "types": plot_types(metrics),
        "first": plot_first_right(evaluation, metrics),
        "latency": plot_latency(evaluation),
    }

    def img(key: str, alt: str) -> str:
        return f'<img alt="{esc(alt)}" src="data:image/png;base64,{images[key]}">'

    summary_html = "".join(
        f"<p>{esc(line).replace('**', '')}</p>" if "**" not in line else f"<p>{_bold(esc(line))}</p>"
        for line in summary_lines
    )
    config_list = "".join(
        f"<dt>{esc(name)}</dt><dd>{esc(run.config.description)}</dd>" for name, run in evaluation.runs.items()
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1200px;
       padding: 0 1rem; color: #1d2733; line-height: 1.45; }}
h1 {{ margin-bottom: 0.2rem; }} h2 {{ margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }}
.meta {{ color: #666; margin-top: 0; }}
table {{ border-collapse: collapse; font-size: 0.85rem; margin: 0.6rem 0; }}
.wide {{ overflow-x: auto; }}
dl.configs dt {{ font-weight: 600; float: left; clear: left; width: 10rem; }}
dl.configs dd {{ margin-left: 10.5rem; margin-bottom: 0.2rem; }}
th, td {{ border: 1px solid #d6dbe1; padding: 0.25rem 0.5rem; vertical-align: top; }}
th {{ background: #f1f4f7; text-align: left; }}
table.num td:not(:first-child):not(:nth-child(2)) {{ text-align: right; font-variant-numeric: tabular-nums; }}
table.fail td:nth-child(3) {{ max-width: 28rem; }}
.ok {{ color: #1a7f37; font-weight: 600; }} .bad {{ color: #c62828; font-weight: 600; }}
img {{ max-width: 100%; display: block; margin: 0.8rem 0; }}
pre {{ white-space: pre-wrap; font-size: 0.8rem; max-width: 40rem; }}
nav a {{ margin-right: 1rem; }}
</style></head><body>
<h1>Evaluation report</h1>
<p class="meta">Generated {esc(when)} by <code>python -m assistant eval --report</code></p>
<nav><a href="#targets">Targets</a><a href="#configs">Configurations</a><a href="#types">Question types</a>
<a href="#latency">Latency</a><a href="#failures">Failures ({len(fails)})</a><a href="#defs">Definitions</a></nav>
{summary_html}
<h2 id="targets">Issue 2 targets (dev split, {PRIMARY})</h2>
{_table_html(["target", "measured", "goal", ""], target_html) if targets else "<p>No dev questions in this run.</p>"}
<h2 id="configs">Configurations side by side</h2>
<p>Every configuration answers the same questions over the same index. <em>no-router</em> and
<em>no-refusal-gate</em> change only the answer stage, so their search columns repeat {PRIMARY}'s.
The baselines have no answer generator: their "1st citation" is the passage their top chunk overlaps
most, and they never refuse.</p>
<dl class="configs">{config_list}</dl>
<div class="wide">{_table_html(config_header, rows_html(config_rows), "num")}</div>
{img("configs", "bar chart of the main metrics for each configuration")}
{img("first", "heat map: first citation right, per question type and configuration")}
<h2 id="types">Per question type ({PRIMARY})</h2>
<div class="wide">{_table_html(type_header, rows_html(type_rows), "num")}</div>
{img("types", "heat map of each metric per question type")}
<h2 id="latency">Latency</h2>
<p>Wall-clock time of each <code>ask</code> in this process (warm; follow-ups exclude their first turn).
The left peak of the histogram is questions the router answers from the task catalogue (no search);
the rest take the semantic path. The machine is shared, so compare configurations within one run,
not across runs.</p>
{img("latency", "latency box plots per configuration and histogram")}
<h2 id="failures">Failures ({PRIMARY}: {len(fails)} of {metrics["n_questions"]} questions)</h2>
<p>One row per question with any problem; "search" lists the top passages of <code>search</code>.</p>
{_table_html(fail_header + [""], fail_html, "fail") if fail_html else "<p>None.</p>"}
<h2 id="defs">Metric definitions</h2>
{_table_html(["metric", "meaning"], rows_html(definitions))}
<p>Each metric is averaged over the questions it applies to: search metrics over answerable questions
(follow-ups excluded: search has no conversation), citation metrics over answerable questions,
list metrics over questions whose answer is a complete list, refusal precision and recall over all.</p>
</body></html>
"""
    html_path = out_dir / "report.html"
    html_path.write_text(page, encoding="utf-8")
    return [md_path, html_path]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _bold(text: str) -> str:
    parts = text.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
