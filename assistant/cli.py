"""Command line: ``python -m assistant VERB`` / ``policy-assistant VERB`` (verbs in DESIGN.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import ValidationError

logger = logging.getLogger("assistant")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policy-assistant", description="Question answering over Shanghai's digital trade plan."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    verbs = parser.add_subparsers(dest="verb", required=True)

    ingest = verbs.add_parser("ingest", help="index corpus/ (default) or the given files")
    ingest.add_argument("paths", nargs="*", type=Path)
    ingest.add_argument("--rebuild", action="store_true", help="rebuild the index from scratch")
    ingest.add_argument("--json", action="store_true")

    ask = verbs.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="print the answer JSON")
    ask.add_argument("--jsonl", action="store_true", help="batch: questions on stdin, one JSON per line out")

    search = verbs.add_parser("search", help="ranked passages (wording search)")
    search.add_argument("query", nargs="*")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--task", type=int)
    search.add_argument("--section")
    search.add_argument("--unit")
    search.add_argument("--area")
    search.add_argument("--json", action="store_true")
    search.add_argument("--jsonl", action="store_true")

    tasks = verbs.add_parser("tasks", help="the task catalogue, filtered exhaustively")
    tasks.add_argument("--unit")
    tasks.add_argument("--area")
    tasks.add_argument("--section")
    tasks.add_argument("--json", action="store_true")

    stats = verbs.add_parser("stats", help="index statistics")
    stats.add_argument("--json", action="store_true")

    evaluate = verbs.add_parser("eval", help="run the evaluation suite")
    evaluate.add_argument("--json", action="store_true")
    evaluate.add_argument("--split", default="all", help="dev, test or all")
    evaluate.add_argument("--report", action="store_true", help="write the markdown/HTML report")
    evaluate.add_argument("--gate", action="store_true", help="exit 1 when below the committed thresholds")

    verbs.add_parser("serve", help="start the Gradio app (same as python app.py)")
    return parser


def _emit(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _batch(lines: Iterable[str], key: str, handle: Callable[[str], object]) -> int:
    """One JSON object per input line; a bad line gets an error object, the batch goes on."""
    failures = 0
    for raw in lines:
        raw = raw.strip()
        if not raw:
            continue
        try:
            item = json.loads(raw) if raw.startswith("{") else {key: raw}
            text = next((item[k] for k in (key, "q", "question", "query") if k in item), None)
            _emit(handle(text))
        except Exception as exc:  # report and continue: one bad line must not lose the rest
            failures += 1
            _emit({"error": str(exc), "input": raw[:200]})
    return 1 if failures else 0


def _named(path: Path, named: list[Path]) -> bool:
    """Whether ``path`` is one of the paths given on the command line, or inside one of them."""
    path = path.resolve()
    return any(path == p.resolve() or p.resolve() in path.parents for p in named)


def _print_answer(answer: dict) -> None:
    print(answer["answer"])
    if answer["citations"]:
        print("\nSources:")
        for c in answer["citations"]:
            label = f"Task {c['task']}" if c["task"] else c["title"]
            mark = "" if c["verified"] else "  (UNVERIFIED)"
            print(f'  [{label}] "{c["quote"]}"{mark}')
    coverage = {"partial": "partial answer: the plan covers the topic, not everything asked"}.get(
        answer.get("coverage", ""), ""
    )
    print(f"\n({answer['generator']}, {answer['latency_ms']} ms{', ' + coverage if coverage else ''})")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return _run(args)
    except ValidationError as exc:
        print(f"error: invalid settings: {exc}", file=sys.stderr)
        return 2
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.verb == "serve":
        from assistant.ui import serve

        serve()
        return 0
    if args.verb == "eval":
        from assistant.evaluation import run_cli

        return run_cli(json_output=args.json, split=args.split, report=args.report, gate=args.gate)

    from assistant.api import Assistant

    assistant = Assistant()
    if args.verb == "ingest":
        report = assistant.ingest(args.paths or None, rebuild=args.rebuild, progress=not args.json)
        summary = {
            "added": report.added,
            "updated": report.updated,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "errors": report.errors,
            "chunks": report.chunks,
            "embedded": report.embedded,
            "generation": report.generation,
            "seconds": report.seconds,
        }
        if args.json:
            _emit(summary)
        else:
            for error in report.errors:
                print(f"skipped {error['file']}: {error['error']}", file=sys.stderr)
            state = "changed" if report.changed else "already up to date"
            print(
                f"index {state}: {len(report.added)} added, {len(report.updated)} updated, "
                f"{len(report.removed)} removed, {len(report.unchanged)} unchanged; "
                f"{report.chunks} chunks ({report.embedded} embedded) in {report.seconds}s"
            )
        if report.errors and not (report.added or report.updated or report.unchanged):
            return 1
        # A file the user named that could not be indexed is a failure for scripts to see, even
        # though the rest of the corpus indexed fine.
        return 1 if any(_named(Path(e["file"]), args.paths) for e in report.errors) else 0
    if args.verb == "ask":
        if args.jsonl:
            return _batch(sys.stdin, "q", assistant.ask)
        question = " ".join(args.question)
        answer = assistant.ask(question)
        _emit(answer) if args.json else _print_answer(answer)
        return 0
    if args.verb == "search":

        def run(query: str) -> list[dict]:
            return assistant.search(
                query, k=args.k, task=args.task, section=args.section, unit=args.unit, area=args.area
            )

        if args.jsonl:
            return _batch(sys.stdin, "q", run)
        hits = run(" ".join(args.query))
        if args.json:
            _emit(hits)
        else:
            for rank, hit in enumerate(hits, 1):
                label = f"Task {hit['task']}" if hit["task"] else hit["title"]
                print(f"{rank}. [{label}] {hit['title']}  (score {hit['score']:.4f})\n   {hit['text']}\n")
            if not hits:
                print("no matching passages")
        return 0
    if args.verb == "tasks":
        entries = assistant.tasks(unit=args.unit, area=args.area, section=args.section)
        if args.json:
            _emit(entries)
        else:
            for entry in entries:
                print(f"Task {entry['task']:>2}  {entry['title']}\n          units: {'; '.join(entry['units'])}")
            print(f"\n{len(entries)} task(s)")
        return 0
    if args.verb == "stats":
        stats = assistant.stats()
        if args.json:
            _emit(stats)
        else:
            for key, value in stats.items():
                print(f"{key}: {value}")
        return 0
    raise AssertionError(args.verb)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
