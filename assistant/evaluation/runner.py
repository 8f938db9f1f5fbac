"""Running the gold questions through configurations of the assistant, and the baseline.

Each :class:`Config` is the product with one thing changed (retrieval mode, a stage switched
off, the generator), all on the same questions and the same index. Stages that have no setting
(the router, sentence-level chunks) are switched off by patching for the duration of that
configuration only; the runs are sequential, so nothing else sees the patch.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from assistant.evaluation.gold import GoldQuestion, PassageId
from assistant.evaluation.metrics import RANK_DEPTH, AnswerOutcome, aggregate, breakdown, score_answer, score_retrieval
from assistant.settings import Settings

logger = logging.getLogger(__name__)

PRIMARY = "hybrid"
BASELINE = "baseline"


@dataclass
class Config:
    name: str
    description: str
    overrides: dict = field(default_factory=dict)
    retrieval: bool = True  # run search on it (False: retrieval is the same as another config)
    answers: bool = True
    patch: Callable[[], contextlib.AbstractContextManager] | None = None
    judge: bool = False  # LLM-judged faithfulness / relevancy columns


@dataclass
class QuestionRecord:
    """One question under one configuration: what came back and its scores."""

    question: GoldQuestion
    ranked: list[PassageId] = field(default_factory=list)
    answer: AnswerOutcome | None = None
    generator: str = ""
    scores: dict = field(default_factory=dict)
    note: str = ""

    def row(self) -> dict:
        return {"id": self.question.id, "type": self.question.type, "split": self.question.split, **self.scores}


@dataclass
class ConfigRun:
    config: Config
    records: list[QuestionRecord] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def rows(self) -> list[dict]:
        return [r.row() for r in self.records]

    def metrics(self) -> dict:
        rows = self.rows
        return {
            **aggregate(rows),
            "by_type": breakdown(rows, "type"),
            "by_split": breakdown(rows, "split"),
            **self.extra,
        }


# --- switching stages off ----------------------------------------------------------------


@contextlib.contextmanager
def router_off() -> Iterator[None]:
    """Every question takes the semantic path: no exact task look-ups or metadata lists."""
    from assistant.question import QuestionAnalysis

    original = QuestionAnalysis.route
    QuestionAnalysis.route = property(lambda self: "semantic")  # type: ignore[assignment]
    try:
        yield
    finally:
        QuestionAnalysis.route = original  # type: ignore[assignment]


@contextlib.contextmanager
def passages_only() -> Iterator[None]:
    """Retrieval sees only whole-passage chunks, as if sentence-level chunks were never indexed.

    Filtering at query time gives the same ranking as an index without sentence nodes (BM25's
    term statistics aside) without building a second index.
    """
    from assistant.retrieval import HybridRetriever

    dense, lexical = HybridRetriever.dense, HybridRetriever.lexical

    def passage_dense(self, query, filters=None, k=None, query_embedding=None):
        hits = dense(self, query, filters, k=1000, query_embedding=query_embedding)
        return [h for h in hits if h.node.metadata.get("granularity") != "sentence"][: k or self.candidate_k]

    def passage_lexical(self, query, filters=None, k=None):
        saved = self.bm25.similarity_top_k
        self.bm25.similarity_top_k = int(self.bm25.bm25.scores["num_docs"])
        try:
            hits = lexical(self, query, filters, k=10_000)
        finally:
            self.bm25.similarity_top_k = saved
        return [h for h in hits if h.node.metadata.get("granularity") != "sentence"][: k or self.candidate_k]

    HybridRetriever.dense, HybridRetriever.lexical = passage_dense, passage_lexical
    try:
        yield
    finally:
        HybridRetriever.dense, HybridRetriever.lexical = dense, lexical


def _gate_off() -> dict:
    """Settings under which the refusal gate's evidence thresholds let everything through."""
    return {"gate_min_dense": -1.0, "gate_grey_dense": -1.0, "gate_min_dense_zh": -1.0}


def standard_configs(settings: Settings, with_llm: bool | None = None) -> list[Config]:
    """The product and its variations; an LLM configuration when one is configured."""
    extractive = {"llm_backend": "extractive"}
    configs = [
        Config(PRIMARY, "the product's default: hybrid retrieval, router, refusal gate, extractive answers",
               {**extractive, "retrieval_mode": "hybrid"}),
        Config("dense", "dense (embedding) retrieval only", {**extractive, "retrieval_mode": "dense"}),
        Config("lexical", "lexical (BM25) retrieval only", {**extractive, "retrieval_mode": "lexical"}),
        Config("passages-only", "hybrid without sentence-level chunks", {**extractive, "retrieval_mode": "hybrid"},
               patch=passages_only),
        Config("no-router", "hybrid without the router's exact task/unit/area look-ups",
               {**extractive, "retrieval_mode": "hybrid"}, retrieval=False, patch=router_off),
        Config("no-refusal-gate", "hybrid with the refusal gate's evidence thresholds disabled",
               {**extractive, "retrieval_mode": "hybrid", **_gate_off()}, retrieval=False),
    ]  # fmt: skip
    if "fusion" in Settings.model_fields and settings.fusion != "rrf":
        configs.insert(3, Config("rrf-fusion", "hybrid fused by reciprocal rank instead of the default score mix",
                                 {**extractive, "retrieval_mode": "hybrid", "fusion": "rrf"}))  # fmt: skip
    if with_llm is None:
        with_llm = settings.llm_backend != "extractive"
    if with_llm:
        model = settings.llm_model or (settings.llm_model_path.name if settings.llm_model_path else "default")
        configs.append(
            Config(f"llm:{model}", f"hybrid retrieval, answers by the {settings.llm_backend} backend ({model})",
                   {"retrieval_mode": "hybrid"}, retrieval=False, judge=True)
        )  # fmt: skip
    return configs


# --- running -------------------------------------------------------------------------------


def _progress(items: list, label: str):
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(items, desc=label, leave=False)
    return items


class PassageNames:
    """Maps search hits and citations to gold passage ids (task number, "intro", "closing")."""

    def __init__(self, catalogue) -> None:
        self.by_title: dict[str, PassageId] = {}
        for entry in catalogue.entries:
            if entry.task is not None:
                continue
            label = entry.label.lower()
            pid: PassageId = "intro" if "introduction" in label else "closing" if "closing" in label else entry.label
            for name in (entry.title, entry.label):
                if name:
                    self.by_title[name] = pid

    def of(self, task: int | None, title: str) -> PassageId:
        if task is not None:
            return int(task)
        return self.by_title.get(title, title)


def run_config(config: Config, base: Settings, questions: list[GoldQuestion], judge=None) -> ConfigRun:
    """Search and ask every question under ``config``."""
    from assistant.api import Assistant

    run = ConfigRun(config)
    started = time.perf_counter()
    settings = base.model_copy(update=config.overrides)
    patch = config.patch() if config.patch else contextlib.nullcontext()
    with patch:
        assistant = Assistant(settings)
        names = PassageNames(assistant.catalogue())
        vocabulary = assistant.catalogue().units
        for question in _progress(questions, config.name):
            record = QuestionRecord(question)
            if config.retrieval and question.scores_retrieval:
                hits = assistant.search(question.question, k=RANK_DEPTH)
                record.ranked = list(dict.fromkeys(names.of(h["task"], h["title"]) for h in hits))
                record.scores.update(score_retrieval(question, record.ranked))
            if config.answers:
                history = [assistant.ask(turn) for turn in question.history]
                began = time.perf_counter()
                answer = assistant.ask(question.question, history=history or None)
                latency = (time.perf_counter() - began) * 1000
                cited = list(dict.fromkeys(names.of(c["task"], c["title"]) for c in answer["citations"]))
                record.answer = AnswerOutcome(
                    answer["answer"], bool(answer["refused"]), cited, latency, answer.get("coverage", "")
                )
                record.generator = answer.get("generator", "")
                record.scores.update(score_answer(question, record.answer, vocabulary))
                if judge is not None and config.judge and not answer["refused"]:
                    record.scores.update(judge(question.question, answer, assistant.catalogue()))
            run.records.append(record)
    run.seconds = time.perf_counter() - started
    return run


BASELINES = {
    BASELINE: (
        None,
        "llama-index quickstart: VectorStoreIndex, default SentenceSplitter (1024 tokens), same embedding",
    ),
    "baseline-256": (256, "the quickstart with 256-token chunks (how much chunk size alone explains)"),
}


def run_baseline(base: Settings, questions: list[GoldQuestion], name: str = BASELINE) -> ConfigRun:
    """llama-index's quickstart: its top chunk, mapped to a passage, is its "first citation"."""
    from assistant.evaluation.baseline import QuickstartBaseline

    chunk_size, description = BASELINES[name]
    run = ConfigRun(Config(name, description))
    started = time.perf_counter()
    baseline = QuickstartBaseline(base, chunk_size)
    contains = []
    for question in _progress(questions, BASELINE):
        record = QuestionRecord(question)
        began = time.perf_counter()
        ranked, texts, inside = baseline.search(question.question, k=RANK_DEPTH)
        latency = (time.perf_counter() - began) * 1000
        if question.scores_retrieval:
            record.ranked = ranked
            record.scores.update(score_retrieval(question, ranked))
            contains.append(1.0 if inside & set(question.tasks) else 0.0)
        # It never refuses and has no generator: score only what its top chunk points at.
        outcome = AnswerOutcome(texts[0] if texts else "", False, ranked[:1], latency)
        scores = score_answer(question, outcome)
        keep = ("should_refuse", "refused", "refusal_correct", "first_citation", "latency_ms")
        record.scores.update({k: scores[k] for k in keep})
        record.answer = outcome
        run.records.append(record)
    run.seconds = time.perf_counter() - started
    run.extra = {
        "chunks": baseline.chunk_count,
        "top_chunk_contains_gold": sum(contains) / len(contains) if contains else None,
    }
    return run


@dataclass
class Evaluation:
    """Everything one ``eval`` run measured."""

    split: str
    questions: list[GoldQuestion]
    runs: dict[str, ConfigRun]
    seconds: float
    settings: Settings

    @property
    def primary(self) -> ConfigRun:
        return self.runs[PRIMARY]

    def metrics(self) -> dict:
        """The primary configuration's metrics at top level, the others under ``configs``."""
        primary = self.primary.metrics()
        configs = {}
        for name, run in self.runs.items():
            if run.error:
                configs[name] = {"error": run.error}
                continue
            configs[name] = run.metrics() if name != PRIMARY else primary
            if not run.config.retrieval and name not in BASELINES:
                # Retrieval is unchanged by this configuration: show the primary's numbers.
                for key in ("hit@1", "hit@5", "mrr", "ndcg@5", "n_retrieval"):
                    configs[name][key] = primary[key]
            configs[name]["description"] = run.config.description
            configs[name]["seconds"] = round(run.seconds, 1)
        return {
            "split": self.split,
            "config": PRIMARY,
            **primary,
            "configs": configs,
            "seconds": round(self.seconds, 1),
        }


def evaluate(
    settings: Settings,
    questions: list[GoldQuestion],
    configs: list[Config] | None = None,
    baseline: bool = True,
    split: str = "all",
    judge_factory: Callable[[Settings], object] | None = None,
) -> Evaluation:
    """Run ``configs`` (default: :func:`standard_configs`) and the baseline on ``questions``."""
    started = time.perf_counter()
    configs = configs if configs is not None else standard_configs(settings)
    runs: dict[str, ConfigRun] = {}
    for config in configs:
        logger.info("evaluating %s on %d questions", config.name, len(questions))
        judge = judge_factory(settings) if (config.judge and judge_factory) else None
        try:
            runs[config.name] = run_config(config, settings, questions, judge)
        except Exception as exc:
            if config.name == PRIMARY:
                raise
            # A variation that cannot run (e.g. an unreachable LLM) must not lose the others.
            logger.warning("configuration %s failed: %s", config.name, exc)
            runs[config.name] = ConfigRun(config, error=f"{type(exc).__name__}: {exc}")
    for name in BASELINES if baseline else ():
        try:
            runs[name] = run_baseline(settings, questions, name)
        except Exception as exc:
            logger.warning("%s failed: %s", name, exc)
            runs[name] = ConfigRun(Config(name, BASELINES[name][1]), error=f"{type(exc).__name__}: {exc}")
    return Evaluation(split, questions, runs, time.perf_counter() - started, settings)
