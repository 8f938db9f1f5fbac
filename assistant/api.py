"""The Python API: one ``Assistant`` that the CLI, the Gradio UI, the evaluation and tests share.

Data flows one way: question -> router -> (exact lookup | hybrid retrieval + refusal gate)
-> generator (writes text with [Task N] markers) -> citation verifier -> answer JSON.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Draft, ExtractiveGenerator, topic_coverage
from assistant.catalogue import TaskCatalogue
from assistant.embedding import embedding_model
from assistant.index import IndexNotReady, IndexStore, IngestReport, Manifest
from assistant.prompts import load_prompt
from assistant.retrieval import HybridRetriever, PassageHit, SearchFilters
from assistant.router import Route, route
from assistant.settings import Settings
from assistant.verify import CitationVerifier, content_words

logger = logging.getLogger(__name__)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FOLLOW_UP = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|the same|above|former|latter)\b", re.IGNORECASE
)
_FOLLOW_UP_NOISE = content_words(
    "who whom responsible units unit contact lead leads in charge which department departments agency "
    "agencies more detail details tell me about say says what does do else also again explain please "
    "involved handles exactly full text wording quote"
)
_MANIFEST_CHECK_S = 2.0


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long); the message says why."""


@dataclass
class _State:
    manifest: Manifest
    retriever: HybridRetriever
    catalogue: TaskCatalogue
    generator: ExtractiveGenerator


def clean_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise QuestionError("the question is empty: type a question about the plan")
    if len(text) > max_chars:
        raise QuestionError(
            f"the question is {len(text)} characters long; the limit is {max_chars} "
            "(ASSISTANT_MAX_QUESTION_CHARS). Shorten it to the part you want answered."
        )
    return text


class Assistant:
    """Ask, search and browse the indexed policy documents."""

    def __init__(self, settings: Settings | None = None, *, auto_ingest: bool = True) -> None:
        self.settings = settings or Settings()
        self.auto_ingest = auto_ingest
        self._store: IndexStore | None = None
        self._state: _State | None = None
        self._checked_at = 0.0
        self._lock = threading.RLock()

    # --- index lifecycle -------------------------------------------------------------------

    @property
    def store(self) -> IndexStore:
        if self._store is None:
            self._store = IndexStore(self.settings)
        return self._store

    def ingest(self, paths: list[Path] | None = None, rebuild: bool = False, progress: bool = False) -> IngestReport:
        report = self.store.ingest(paths, rebuild=rebuild, progress=progress)
        with self._lock:
            self._checked_at = 0.0  # pick the new generation up on the next call
        return report

    def _ready(self) -> _State:
        with self._lock:
            now = time.monotonic()
            if self._state is not None and now - self._checked_at < _MANIFEST_CHECK_S:
                return self._state
            manifest = self.store.manifest()
            if manifest is None:
                if not self.auto_ingest:
                    raise IndexNotReady("no index yet: run `policy-assistant ingest` first")
                logger.info("no index found: building it from %s", self.settings.corpus_dir)
                self.store.ingest(progress=True)
                manifest = self.store.manifest()
                if manifest is None:
                    raise IndexNotReady(f"could not build an index from {self.settings.corpus_dir}")
            if self._state is None or self._state.manifest.generation != manifest.generation:
                self._state = self._load(manifest)
            self._checked_at = now
            return self._state

    def _load(self, manifest: Manifest) -> _State:
        embed = embedding_model(self.settings)
        retriever = HybridRetriever(
            self.store,
            manifest,
            embed,
            mode=self.settings.retrieval_mode,
            candidate_k=self.settings.candidate_k,
            rrf_k=self.settings.rrf_k,
        )
        catalogue = TaskCatalogue(self.store.nodes(manifest))
        generator = ExtractiveGenerator(catalogue, self.settings.answer_max_sentences)
        logger.info("loaded index generation %s (%d chunks)", manifest.generation, manifest.chunk_count)
        return _State(manifest, retriever, catalogue, generator)

    def warm_up(self) -> None:
        """Load the index and models now rather than on the first question."""
        state = self._ready()
        state.retriever.search("warm up", top_k=1)

    # --- asking --------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict] | None = None) -> dict:
        """Answer one question; ``history`` is the list of earlier answer dicts of the conversation."""
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        state = self._ready()
        plan = self._follow_up_route(text, history, state) or route(text, state.catalogue)
        draft = self._draft(text, plan, state)
        answer = self._finish(text, draft, state)
        answer["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None) -> Iterator[dict]:
        """Stream an answer: ``{"type": "delta", "text": ...}`` events, then ``{"type": "answer", "answer": {...}}``.

        The extractive generator has its whole answer at once; it is streamed sentence by
        sentence so every front end handles one protocol whatever the generator.
        """
        answer = self.ask(question, history)
        for piece in re.split(r"(?<=\])(?=\s)|(?<=\n\n)", answer["answer"]):
            if piece:
                yield {"type": "delta", "text": piece}
        yield {"type": "answer", "answer": answer}

    def _follow_up_route(self, question: str, history: list[dict] | None, state: _State) -> Route | None:
        """Without an LLM, a follow-up such as "who is responsible for it?" reuses the last turn's tasks."""
        if not history or not _FOLLOW_UP.search(question):
            return None
        if content_words(question) - _FOLLOW_UP_NOISE:
            own = route(question, state.catalogue)
            if own.kind != "semantic":
                return None  # it names its own task, unit or area
            leftover = (
                content_words(question) - _FOLLOW_UP_NOISE - content_words(" ".join(_FOLLOW_UP.findall(question)))
            )
            if len(leftover) > 1:
                return None
        previous = next((turn for turn in reversed(history) if turn.get("citations")), None)
        tasks = [c["task"] for c in (previous or {}).get("citations", []) if c.get("task")]
        tasks = list(dict.fromkeys(tasks))[:3]
        if not tasks:
            return None
        from assistant.router import _RESPONSIBILITY, _WHO

        return Route(
            kind="task", tasks=tasks, wants_units=bool(_WHO.search(question) or _RESPONSIBILITY.search(question))
        )

    def _draft(self, question: str, plan: Route, state: _State) -> Draft:
        generator = state.generator
        if plan.kind == "task":
            return generator.task_answer(plan)
        if plan.kind == "unit":
            return generator.unit_answer(plan)
        if plan.kind == "area":
            return generator.area_answer(plan)
        if plan.chinese:
            return Draft(text=load_prompt("chinese_unsupported", self.settings.prompts_dir), sources=[], refused=True)
        hits = state.retriever.search(question, top_k=self.settings.top_k)
        chosen = self.select_evidence(question, plan, hits)
        if not chosen:
            return Draft(text=load_prompt("refusal", self.settings.prompts_dir), sources=[], refused=True)
        return generator.semantic_answer(plan, hits, chosen)

    def select_evidence(self, question: str, plan: Route, hits: list[PassageHit]) -> list[PassageHit]:
        """The refusal gate and the choice of passages to answer from (empty list: refuse)."""
        if not hits:
            return []
        top = hits[0]
        coverage = topic_coverage(question, hits[:3])
        settings = self.settings
        strong = top.dense >= settings.refusal_min_dense
        grey = top.dense >= settings.refusal_floor_dense and coverage >= settings.refusal_min_support
        if not (strong or grey):
            logger.info("refusing: dense=%.3f coverage=%.2f", top.dense, coverage)
            return []
        if plan.wants_targets:
            intro = next((h for h in hits[:3] if h.key[1] == "Introduction"), None)
            if intro is not None:
                return [intro]
        chosen = [top]
        for hit in hits[1:]:
            if len(chosen) >= 2:
                break
            if hit.dense >= top.dense - 0.03 and hit.dense >= self.settings.refusal_min_dense:
                chosen.append(hit)
        return chosen

    def _finish(self, question: str, draft: Draft, state: _State) -> dict:
        base = {"question": question, "generator": state.generator.name}
        if draft.refused or not draft.sources:
            return {
                **base,
                "answer": draft.text,
                "citations": [],
                "refused": True,
                "verification": {"removed": [], "reattributed": [], "flagged": []},
            }
        known = {e.task for e in state.catalogue.tasks if e.task is not None}
        verification = CitationVerifier(draft.sources, known).verify(draft.text)
        return {
            **base,
            "answer": verification.text,
            "citations": [c.to_json() for c in verification.citations],
            "refused": False,
            "verification": {
                "removed": verification.removed,
                "reattributed": verification.reattributed,
                "flagged": verification.flagged,
            },
        }

    # --- search and browse -------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        task: int | None = None,
        section: str | None = None,
        unit: str | None = None,
        area: str | None = None,
    ) -> list[dict]:
        """Ranked passages for staff wording search (one hit per task or section)."""
        text = clean_question(query, self.settings.max_question_chars)
        state = self._ready()
        filters = SearchFilters(
            task=task,
            section=self._section_name(section, state) if section else None,
            units=state.catalogue.matching_units(unit) if unit else [],
            areas=state.catalogue.matching_areas(area) if area else [],
        )
        if (unit and not filters.units) or (area and not filters.areas) or (section and not filters.section):
            return []
        hits = state.retriever.search(text, filters=filters if filters.llama_filters() else None, top_k=k)
        return [self._hit_json(hit, state) for hit in hits]

    @staticmethod
    def _section_name(section: str, state: _State) -> str | None:
        wanted = section.strip().lower().rstrip(".")
        for name in state.catalogue.sections:
            numeral = name.split(".")[0].strip().lower()
            if wanted == numeral or wanted == name.lower() or wanted in name.lower():
                return name
        return None

    @staticmethod
    def _hit_json(hit: PassageHit, state: _State) -> dict:
        entry = state.catalogue.by_label(*hit.key)
        meta = hit.metadata
        return {
            "task": hit.task,
            "doc_id": meta.get("source", ""),
            "title": (entry.title if entry else meta.get("title", "")) or meta.get("label", ""),
            "section": meta.get("section", ""),
            "score": round(hit.score, 6),
            "text": hit.best.text,
        }

    def tasks(self, unit: str | None = None, area: str | None = None, section: str | None = None) -> list[dict]:
        """The task catalogue, filtered exhaustively from metadata."""
        state = self._ready()
        return [e.to_json() for e in state.catalogue.filter(unit=unit, area=area, section=section)]

    def catalogue(self) -> TaskCatalogue:
        return self._ready().catalogue

    def stats(self) -> dict:
        manifest = self._ready().manifest
        return {
            "documents": len(manifest.sources),
            "chunks": manifest.chunk_count,
            "index_path": (
                f"chroma://{self.settings.chroma_host}:{self.settings.chroma_port}"
                if self.settings.server_mode
                else str(self.settings.index_dir)
            ),
            "embed_model": manifest.embed_model,
            "generation": manifest.generation,
        }

    def documents(self) -> list[dict]:
        manifest = self._ready().manifest
        return [
            {
                "doc_id": r.doc_id,
                "title": r.title,
                "file_type": r.file_type,
                "chunks": len(r.chunk_ids),
                "sha256": r.sha256,
                **{k: v for k, v in r.metadata.items() if k in ("issuer", "issued", "url")},
            }
            for r in manifest.sources.values()
        ]

    # --- documents and profiles (used by the Gradio UI) ---------------------------------------

    def add_documents(self, paths: list[Path], progress: bool = False) -> IngestReport:
        """Index extra files (e.g. uploads); the next question already sees them, no restart needed."""
        return self.ingest([Path(p) for p in paths], progress=progress)

    def remove_document(self, doc_id: str, progress: bool = False) -> IngestReport:
        """Remove an uploaded document: its file is deleted and the index rewritten without it.

        Only files under ``settings.upload_dir`` can be removed this way; documents of the corpus
        are managed on disk (delete the file from ``corpus/`` and run ``ingest``).
        """
        from assistant.uploads import UploadError, delete_upload, is_upload

        record = self._ready().manifest.sources.get(doc_id)
        if record is None:
            raise UploadError(f"no indexed document {doc_id!r}")
        if not is_upload(record.path, self.settings):
            raise UploadError(
                f"{doc_id} is part of the corpus, not an upload; remove it from {self.settings.corpus_dir} "
                "and run `policy-assistant ingest` instead"
            )
        delete_upload(record.path, self.settings)
        return self.ingest(progress=progress)

    def applies_to(self, profile, limit: int = 10) -> list[dict]:
        """Which tasks apply to an enterprise: ``profile`` is a description string, a dict
        (description, activities, location, size, ownership) or an ``EnterpriseProfile``."""
        from assistant.profile import applicable_tasks

        state = self._ready()
        matches = applicable_tasks(
            profile, state.retriever, state.catalogue, min_dense=self.settings.refusal_min_dense, limit=limit
        )
        return [m.to_json() for m in matches]
