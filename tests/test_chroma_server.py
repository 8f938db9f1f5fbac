"""Chroma server mode: a real `chroma run` on loopback, two app replicas sharing one index.

ASSISTANT_CHROMA_HOST/PORT (here set through Settings, and through the environment for the CLI)
switch the index from the embedded database to a Chroma server. Two Assistant instances with
separate index directories play two replicas of the app: one ingests a new document, the other
(and a CLI process) sees and answers from it, without any file of the index being shared.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import PROJECT_ROOT
from tests.conftest import PLAN_FILE, copy_corpus, make_settings
from tests.servers import free_port, wait_until_up

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A Chroma server on 127.0.0.1:<free port>, persisting to a temporary directory; always stopped."""
    data = tmp_path_factory.mktemp("chroma_server")
    port = free_port()
    log = (data / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, data / "server.log", 60, "chroma run")
        yield {"host": "127.0.0.1", "port": port, "path": data / "db"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _write_notice(folder: Path) -> Path:
    spec = importlib.util.spec_from_file_location("distractors", PROJECT_ROOT / "benchmarks" / "distractors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_notices(folder, count=1, start=1)[0]  # "household waste sorting"


def test_two_replicas_share_one_index_through_a_chroma_server(chroma_server, tmp_path):
    server = {"chroma_host": chroma_server["host"], "chroma_port": chroma_server["port"]}
    replica_a = Assistant(make_settings(tmp_path / "a", **server))
    replica_b = Assistant(make_settings(tmp_path / "b", **server), auto_ingest=False)

    # Replica A builds the index in the server; nothing of it is written to A's own directory.
    report = replica_a.ingest()
    assert report.added == [PLAN_FILE] and not report.errors
    assert not (tmp_path / "a" / "index" / "chroma").exists()
    assert (chroma_server["path"] / "chroma.sqlite3").exists()
    stats_a = replica_a.stats()
    assert stats_a["index_path"] == f"chroma://{chroma_server['host']}:{chroma_server['port']}"

    # Replica B, which never ingested, answers from the same generation (its BM25 side is rebuilt
    # locally from the server's chunks).
    assert replica_b.stats()["generation"] == stats_a["generation"] == report.generation
    answer = replica_b.ask("What does task 12 say?")
    assert not answer["refused"] and answer["citations"][0]["task"] == 12
    assert all(c["verified"] for c in answer["citations"])
    semantic = replica_b.ask("Which tasks is Shanghai Customs responsible for?")
    assert not semantic["refused"] and len({c["task"] for c in semantic["citations"]}) >= 3

    # A new document ingested by replica A becomes visible to replica B (it re-checks the manifest).
    notice = _write_notice(tmp_path / "a" / "corpus")
    added = replica_a.ingest()
    assert added.added == [notice.name] and added.unchanged == [PLAN_FILE]
    deadline = time.monotonic() + 15
    while replica_b.stats()["generation"] != added.generation and time.monotonic() < deadline:
        time.sleep(0.3)
    assert replica_b.stats()["generation"] == added.generation
    assert {d["doc_id"] for d in replica_b.documents()} == {PLAN_FILE, notice.name}
    hits = replica_b.search("household waste sorting stations in residential compounds", k=3)
    assert hits[0]["doc_id"] == notice.name

    # A third replica configured only by environment variables (the CLI) sees the same index.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_CHROMA_HOST=chroma_server["host"],
        ASSISTANT_CHROMA_PORT=str(chroma_server["port"]),
        ASSISTANT_CORPUS_DIR=str(copy_corpus(tmp_path / "c" / "corpus")),
        ASSISTANT_INDEX_DIR=str(tmp_path / "c" / "index"),
        HF_HUB_OFFLINE="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "search", "--json", "-k", "3", "household waste sorting stations"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout)[0]["doc_id"] == notice.name
    assert not (tmp_path / "c" / "index" / "chroma").exists()


def test_unreachable_chroma_server_is_a_clear_error(tmp_path):
    settings = make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(RuntimeError, match="cannot reach the Chroma server at 127.0.0.1"):
        Assistant(settings).stats()
