"""Crash-safe ingestion: an ingest killed with SIGKILL mid-write loses nothing.

Everything runs in real subprocesses (`python -m assistant ...`) over a real embedded Chroma
index, the way a user's process would die: no mocks, no sleep hooks. The kill is timed by the
ingest's own progress signal: the tqdm bar "Embedding chunks: n/N" on stderr. Once n > 0 the new
generation's collection exists in Chroma, holds the unchanged chunks copied from the previous
one, and the new chunks are being embedded, so the process dies with a half-written collection
on disk, which is exactly the state the design must survive.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from assistant.settings import PROJECT_ROOT
from tests.conftest import PLAN_FILE, copy_corpus

_PROGRESS = re.compile(r"Embedding chunks:\s*\d+%\|[^|]*\|\s*(\d+)/(\d+)")

# Reads the index the way any reader would, and reports what it sees as one JSON line. With an
# argument "ingest", it first runs the CLI's `ingest --json` in the same process (one model load
# fewer than two subprocesses: these tests start Python four times and that dominates their time).
_CHECK = """
import json, sys
from assistant.api import Assistant
from assistant.cli import main
from assistant.settings import Settings

if sys.argv[1:] == ["ingest"]:
    assert main(["ingest", "--json"]) == 0
a = Assistant(Settings(), auto_ingest=False)
store = a.store
m = store.manifest()
names = [c if isinstance(c, str) else c.name for c in store.client.list_collections()]
others = {n: store.client.get_collection(n).count() for n in names if n not in (m.collection, store.meta_name)}
answer = a.ask("What does task 12 say about financial insurance services?")
hits = a.search("household waste sorting stations in residential compounds", k=5)
print(json.dumps({
    "generation": m.generation,
    "sources": sorted(m.sources),
    "manifest_chunks": m.chunk_count,
    "collection_count": store.collection(m).count(),
    "bm25": store.bm25_dir(m.generation).is_dir(),
    "other_collections": others,
    "answer_refused": answer["refused"],
    "answer_tasks": [c["task"] for c in answer["citations"]],
    "answer_verified": all(c["verified"] for c in answer["citations"]),
    "hit_docs": [h["doc_id"] for h in hits],
}))
"""


def _distractors():
    spec = importlib.util.spec_from_file_location("distractors", PROJECT_ROOT / "benchmarks" / "distractors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_CORPUS_DIR=str(tmp_path / "corpus"),
        ASSISTANT_INDEX_DIR=str(tmp_path / "index"),
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"{args} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result


def _check(env: dict[str, str], cwd: Path, *args: str) -> tuple[dict, list[dict]]:
    """What a fresh reader process sees (and the JSON lines printed before it, e.g. the ingest report)."""
    lines = [json.loads(line) for line in _run(["-c", _CHECK, *args], env, cwd).stdout.strip().splitlines()]
    return lines[-1], lines[:-1]


def _kill_while_embedding(env: dict[str, str], cwd: Path, timeout: float = 120) -> tuple[int, int]:
    """Start `ingest`, SIGKILL it as soon as its progress bar shows written chunks; returns (n, total)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen: list[tuple[int, int]] = []
    buffer = bytearray()

    def watch() -> None:
        assert proc.stderr is not None
        while chunk := os.read(proc.stderr.fileno(), 4096):
            buffer.extend(chunk)
            for match in _PROGRESS.finditer(buffer[-4096:].decode("utf-8", "replace")):
                done, total = int(match[1]), int(match[2])
                if 0 < done < total and not seen:
                    seen.append((done, total))
                    os.kill(proc.pid, signal.SIGKILL)
                    return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        watcher.join(timeout)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    tail = buffer[-2000:].decode("utf-8", "replace")
    assert seen, f"the ingest never reported embedding progress before finishing or timing out:\n{tail}"
    assert proc.returncode == -signal.SIGKILL, f"ingest ended by itself ({proc.returncode}), not by the kill"
    return seen[0]


def test_sigkill_mid_ingest_keeps_the_previous_index_and_the_next_ingest_completes(tmp_path):
    copy_corpus(tmp_path / "corpus")
    env = _env(tmp_path)

    # 1. A complete index of the plan.
    first = json.loads(_run(["-m", "assistant", "ingest", "--json"], env, tmp_path).stdout)
    assert first["added"] == [PLAN_FILE] and not first["errors"]

    # 2. New documents arrive; the ingest that embeds them is killed half-way through writing.
    notices = _distractors().write_notices(tmp_path / "corpus", count=6)
    # Small batches so the first progress tick (and the kill) comes early in a long embedding run.
    done, total = _kill_while_embedding(_env(tmp_path, ASSISTANT_EMBED_BATCH_SIZE="16"), tmp_path)
    assert total > 100  # only the notices are embedded; the plan's chunks are copied with their vectors

    # 3. A fresh process finds the previous generation complete and current, and it answers.
    after_kill, _ = _check(env, tmp_path)
    assert after_kill["generation"] == first["generation"]
    assert after_kill["sources"] == [PLAN_FILE]
    assert after_kill["manifest_chunks"] == after_kill["collection_count"] == first["chunks"]
    assert after_kill["bm25"]
    # The half-written generation exists on disk (copied chunks, not all new ones), but no reader uses it.
    partial = after_kill["other_collections"]
    assert len(partial) == 1 and first["chunks"] <= next(iter(partial.values())) < first["chunks"] + total, partial
    assert not after_kill["answer_refused"] and 12 in after_kill["answer_tasks"] and after_kill["answer_verified"]
    assert all(doc == PLAN_FILE for doc in after_kill["hit_docs"])

    # 4. The next ingest completes the job (the stale lock and the partial collection are no obstacle).
    final, (second,) = _check(env, tmp_path, "ingest")
    assert sorted(second["added"]) == sorted(p.name for p in notices) and second["unchanged"] == [PLAN_FILE]
    assert not second["errors"] and second["generation"] != first["generation"]
    assert final["generation"] == second["generation"]
    assert final["manifest_chunks"] == final["collection_count"] == second["chunks"]
    assert final["bm25"] and not final["answer_refused"]
    assert any(doc.startswith("notice-") and "household-waste" in doc for doc in final["hit_docs"])
    # Only the previous complete generation is kept beside the new one; the partial one is gone.
    assert set(final["other_collections"]) <= {f"policy_{first['generation']}"}
    assert final["other_collections"].get(f"policy_{first['generation']}", first["chunks"]) == first["chunks"]
