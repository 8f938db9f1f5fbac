"""Many users at once: a bounded load test, and readers that never see a half-written index.

Real components throughout: the Assistant over a real Chroma index with the real embedding
model, in threads (how Gradio serves requests), and the running Gradio app through
gradio_client when the UI exists. Figures are printed (run with -s to see them), never asserted
as timings: speed belongs in benchmarks/bench.py. What is asserted is correctness under load:
zero errors, and every state a reader observes is a complete, committed generation.
"""

from __future__ import annotations

import importlib.util
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from assistant.api import Assistant
from assistant.index import IndexStore
from assistant.settings import PROJECT_ROOT
from tests.conftest import PLAN_FILE, make_settings
from tests.servers import running_app

CLIENTS = 32
LOAD_SECONDS = 10.0

# Everyday questions of the kinds users send (task lookups, unit lists, semantic, refusals) and searches.
QUESTIONS = [
    "What does task 12 say?",
    "Which tasks is Shanghai Customs responsible for?",
    "How will the city help digital trade companies expand overseas?",
    "What are the targets for 2029?",
    "What support is there for cross-border data flows?",
    "Who is responsible for the aircraft leasing task?",
    "How do I renew a fishing licence on Chongming island?",
]
SEARCHES = ["data cross-border flow", "Lin-gang Special Area", "trade in services export", "digital RMB"]


def _distractors():
    spec = importlib.util.spec_from_file_location("distractors", PROJECT_ROOT / "benchmarks" / "distractors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _percentiles(latencies: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def run_load(request: Callable[[int, int], object], clients: int, seconds: float) -> tuple[list[float], Counter]:
    """``clients`` threads each call ``request(client, n)`` in a loop until ``seconds`` pass."""
    latencies: list[float] = []
    errors: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                request(number, n)
            except Exception as exc:  # counted and reported: the assertion is that there are none
                with lock:
                    errors[f"{type(exc).__name__}: {str(exc)[:200]}"] += 1
            with lock:
                latencies.append(time.perf_counter() - started)
            n += 1

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    return latencies, errors


def _report(name: str, latencies: list[float], errors: Counter, seconds: float) -> None:
    p = _percentiles(latencies)
    print(
        f"\n[{name}] {CLIENTS} clients, {seconds:.0f}s: {len(latencies)} requests, "
        f"{len(latencies) / seconds:.1f} req/s, latency p50 {p['p50']:.0f} ms, p95 {p['p95']:.0f} ms, "
        f"p99 {p['p99']:.0f} ms, errors {sum(errors.values())}"
    )


def test_python_api_serves_32_concurrent_clients_without_errors(assistant):
    assistant.warm_up()

    def request(client: int, n: int) -> None:
        if (client + n) % 3 == 2:
            hits = assistant.search(SEARCHES[(client + n) % len(SEARCHES)], k=5)
            assert hits, "a search for plan wording found nothing"
        else:
            answer = assistant.ask(QUESTIONS[(client + n) % len(QUESTIONS)])
            assert answer["refused"] or answer["citations"], answer
            assert all(c["verified"] for c in answer["citations"])

    latencies, errors = run_load(request, CLIENTS, LOAD_SECONDS)
    _report("python api", latencies, errors, LOAD_SECONDS)
    assert not errors, errors
    assert len(latencies) >= CLIENTS  # every client completed at least one request


def test_readers_never_see_a_half_written_index_while_a_writer_ingests(tmp_path):
    settings = make_settings(tmp_path)
    writer = Assistant(settings)
    first = writer.ingest()
    reader = Assistant(settings, auto_ingest=False)  # the serving side: a separate instance, same index
    reader.warm_up()
    store = IndexStore(settings)
    committed = {first.generation: first.chunks}  # every generation the writer completed, and its size
    observations: list[tuple[str, int, int, bool]] = []
    reader_errors: Counter = Counter()
    done = threading.Event()
    lock = threading.Lock()

    def read_loop(number: int) -> None:
        n = 0
        while not done.is_set():
            try:
                # The low-level view: the manifest a reader finds always points at a complete generation.
                manifest = store.manifest()
                count = store.collection(manifest).count()
                bm25 = store.bm25_dir(manifest.generation).is_dir()
                # The user's view: stats and answers come from one consistent generation.
                stats = reader.stats()
                if n % 2:
                    reader.search("household waste sorting stations", k=3)
                else:
                    answer = reader.ask(QUESTIONS[(number + n) % len(QUESTIONS)])
                    assert all(c["verified"] for c in answer["citations"])
                with lock:
                    observations.append((manifest.generation, manifest.chunk_count, count, bm25))
                    observations.append((stats["generation"], stats["chunks"], stats["chunks"], True))
            except Exception as exc:
                with lock:
                    reader_errors[f"{type(exc).__name__}: {str(exc)[:200]}"] += 1
            n += 1
            time.sleep(0.05)  # users pause between requests; unpaced readers would starve the writer of CPU

    readers = [threading.Thread(target=read_loop, args=(i,)) for i in range(4)]
    for thread in readers:
        thread.start()
    notices = _distractors()
    try:
        # Three quick ingests in a row (new documents twice, then one removed): each is a new generation.
        for round_number in range(3):
            if round_number < 2:
                notices.write_notices(settings.corpus_dir, count=1, start=round_number)
            else:
                next(settings.corpus_dir.glob("notice-0001-*.md")).unlink()
            report = writer.ingest()
            assert report.changed and not report.errors
            with lock:
                committed[report.generation] = report.chunks
    finally:
        time.sleep(0.5)
        done.set()
        for thread in readers:
            thread.join(60)

    assert not reader_errors, reader_errors
    assert len(committed) == 4 and len(observations) > 20
    for generation, manifest_chunks, chroma_chunks, bm25 in observations:
        # Every generation a reader saw was a committed one, with all its chunks and its BM25 index.
        assert generation in committed, generation
        assert manifest_chunks == chroma_chunks == committed[generation]
        assert bm25
    # The readers caught up with the last generation (they re-check the manifest every ~2 s).
    final = list(committed)[-1]
    deadline = time.monotonic() + 10
    while reader.stats()["generation"] != final and time.monotonic() < deadline:
        time.sleep(0.2)
    assert reader.stats()["generation"] == final
    assert sorted(d["doc_id"] for d in reader.documents()) == sorted(
        [PLAN_FILE, "notice-0002-household-waste-sorting.md"]
    )


def test_gradio_ask_endpoint_serves_32_concurrent_clients_without_errors(assistant):
    """32 gradio_client sessions call the running app's /ask over loopback HTTP for a bounded time."""
    from gradio_client import Client

    with running_app(assistant, assistant.settings) as url:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:  # connecting is not part of the timed load
            clients = list(pool.map(lambda _: Client(url, verbose=False), range(CLIENTS)))

        def request(client: int, n: int) -> None:
            answer = clients[client].predict(QUESTIONS[(client + n) % len(QUESTIONS)], api_name="/ask")
            assert answer["refused"] or answer["citations"], answer
            assert all(c["verified"] for c in answer["citations"])

        latencies, errors = run_load(request, CLIENTS, LOAD_SECONDS)
    _report("gradio /ask", latencies, errors, LOAD_SECONDS)
    assert not errors, errors
    assert len(latencies) >= CLIENTS
