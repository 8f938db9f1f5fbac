"""The Python API: one ``Assistant`` that the CLI, the Gradio UI, the evaluation and tests share.

Data flows one way: question -> analysis (question.py, once) -> exact lookup | metadata list |
hybrid retrieval -> decision (decision.py: answer, partial, refuse) -> generator (writes text
with [Task N] markers) -> citation verifier -> answer JSON.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answer import Draft, ExtractiveGenerator, display_title, joined, source_of
from assistant.catalogue import TaskCatalogue
from assistant.decision import (
    AnswerTypeCheck,
    Decision,
    EvidenceGate,
    asks_for_contact,
    asks_for_incentive,
    asks_for_operator,
    asks_for_requirements,
    asks_how_often,
    decide,
    facet_first,
    look_up_scope,
    phrase_first,
    tasks_looked_up,
    tasks_saying_any,
    yes_no_settled_by_naming,
)
from assistant.embedding import embedding_model, multilingual_functions, verifier_embedding
from assistant.index import IndexNotReady, IndexStore, IngestReport, Manifest
from assistant.llm import LANGUAGES, LlmError, LlmGenerator, needs_condensing, plausible_rewrite
from assistant.question import Asks, QuestionAnalysis, analyse, subject_words
from assistant.retrieval import HybridRetriever, PassageHit, SearchFilters
from assistant.settings import Settings
from assistant.verify import CitationVerifier, Source, idf_weights

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

logger = logging.getLogger(__name__)

# Control characters, C1 controls, zero-width and bidi-override characters (they can make a
# blank question look non-empty or disguise text on screen) and lone surrogates (undecodable
# bytes from a terminal; the tokenizer rejects them) become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\ud800-\udfff]")
_MANIFEST_CHECK_S = 2.0


class QuestionError(ValueError):
    """A question the assistant cannot take (empty, too long); the message says why.

    ``reason`` ("not_text", "empty", "too_long", "bad_k") with ``length`` and ``limit`` lets a
    front end word the problem for its own users: the message names the setting for operators.
    """

    def __init__(self, message: str, *, reason: str = "invalid", length: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.length = length
        self.limit = limit


# An amount asked for in so many words (a named task is otherwise quoted whole).
_ASKS_A_SUM = re.compile(
    # ("what premium subsidy rate do they give?": the sum's noun may carry words of its own)
    r"\bhow (?:much|many)\b|\bwhat\s+(?:[a-z-]+\s+){0,2}?(?:amount|percentage|rate)\b"
    r"|\bwhat(?:'s| is| are| was| were)\s+the\s+(?:total\s+)?"
    r"(?:budgets?|funding|costs?|fees?|prices?|amounts?|sizes?|charges?)\b"
    # ("is there a budget for it?": whether there is a sum at all)
    r"|\b(?:is|are)\s+there\s+(?:a|an|any)\s+(?:[\w-]+\s+)?(?:budgets?|funding|fees?|costs?|charges?|subsid\w+|grants?)\b"
    r"|多少|金额|比例|预算",
    re.I,
)

# The plan's own statement of who leads all of its work ("… will be led by the Leading Group …").
_LEADS_THE_WORK = re.compile(r"\bled by\b|\bleading group\b|领导小组|牵头", re.I)


@dataclass
class _State:
    manifest: Manifest
    retriever: HybridRetriever
    catalogue: TaskCatalogue
    generator: ExtractiveGenerator


# Full-width Latin letters and digits (Ｔａｓｋ ５) read as their ordinary forms (NFKC). Only
# these: Chinese punctuation (，？) stays as typed, and NFKC over the whole text would also
# rewrite ①, ㎡ and the like.
_FULLWIDTH = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# A history citation naming a task beyond any plan's numbering is not a task (e.g. 10**100).
_MAX_TASK_NUMBER = 9999


def clean_question(question: object, max_chars: int) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text", reason="not_text")
    question = _FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m[0]), question)
    text = " ".join(_CONTROL.sub(" ", question).split())
    if not text:
        raise QuestionError("the question is empty: type a question about the plan", reason="empty")
    if len(text) > max_chars:
        raise QuestionError(
            f"the question is {len(text)} characters long; the limit is {max_chars} "
            "(ASSISTANT_MAX_QUESTION_CHARS). Shorten it to the part you want answered.",
            reason="too_long",
            length=len(text),
            limit=max_chars,
        )
    return text


def _pieces(answer: dict) -> Iterator[dict]:
    """A finished answer as stream events: its text sentence by sentence, then the answer itself."""
    for piece in re.split(r"(?<=\])(?=\s)|(?<=\n\n)", answer["answer"]):
        if piece:
            yield {"type": "delta", "text": piece}
    yield {"type": "answer", "answer": answer}


def clean_history(history: object) -> list[dict]:
    """Earlier turns as answer dicts. Whatever else a client sends (strings, None, citations that
    are not objects) is dropped rather than failing the question that came with it."""
    if not isinstance(history, list | tuple):
        return []
    turns = []
    for turn in history:
        if not isinstance(turn, dict):
            continue
        citations = turn.get("citations")
        kept = [
            c
            for c in (citations if isinstance(citations, list) else [])
            if isinstance(c, dict)
            and (c.get("task") is None or (type(c.get("task")) is int and 0 < c["task"] <= _MAX_TASK_NUMBER))
        ]
        turns.append({**turn, "citations": kept})
    return turns


def failed_generation(verification: dict, sources: list[Source]) -> str | None:
    """Why a verified LLM draft is not worth showing, or None.

    The gate found evidence before the model was called, so a draft that only says the sources
    do not answer is a failed generation, and so is one most of whose claims failed their checks:
    the extractive answer then replaces it (the draft stays in the answer JSON for inspection).
    """
    labels = ", ".join(s.label for s in sources[:3])
    if verification.get("non_answer"):
        return f"the model said the sources do not answer, but they do ({labels})"
    claims, failed = verification.get("claims", 0), verification.get("failed", 0)
    if claims and failed * 2 > claims:
        return f"{failed} of the model's {claims} claims failed verification"
    return None


def _fuse_rankings(first: list[PassageHit], second: list[PassageHit], k: int) -> list[PassageHit]:
    """Two rankings of passages as one, by reciprocal rank. A passage keeps its hit of ``first`` (the
    gate judges the whole question's cosine, not the shorter query's) when it has one."""
    score: dict = {}
    best: dict = {}
    for ranking in (first, second):
        for rank, hit in enumerate(ranking):
            score[hit.key] = score.get(hit.key, 0.0) + 1.0 / (k + rank + 1)
            best.setdefault(hit.key, hit)
    return [best[key] for key in sorted(score, key=lambda key: -score[key])][: len(first)]


class Assistant:
    """Ask, search and browse the indexed policy documents."""

    def __init__(self, settings: Settings | None = None, *, auto_ingest: bool = True, llm: LLM | None = None) -> None:
        """``llm``: a llama-index LLM to answer with instead of the one ``settings`` configure."""
        self.settings = settings or Settings()
        self.auto_ingest = auto_ingest
        self._store: IndexStore | None = None
        self._state: _State | None = None
        self._checked_at = 0.0
        self._lock = threading.RLock()
        # LLM generator (built on first use) or why it could not be built; IDF weights per generation.
        self._llm_generator = LlmGenerator(llm, self.settings) if llm is not None else None
        self._llm_error: str | None = None
        self._idf: tuple[str, dict[str, float]] | None = None
        self._check: tuple[str, AnswerTypeCheck] | None = None
        self._corpus_sources: tuple[str, list[Source]] | None = None
        from assistant.uploads import clean_stale_uploads

        clean_stale_uploads(self.settings)  # what a killed process left half-written

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
            fusion=self.settings.fusion,
            dense_weight=self.settings.dense_weight,
        )
        catalogue = TaskCatalogue(self.store.nodes(manifest))
        generator = ExtractiveGenerator(catalogue, self.settings.answer_max_sentences, self.settings.prompts_dir)
        logger.info("loaded index generation %s (%d chunks)", manifest.generation, manifest.chunk_count)
        return _State(manifest, retriever, catalogue, generator)

    def warm_up(self) -> None:
        """Load the index and models now rather than on the first question."""
        state = self._ready()
        state.retriever.search("warm up", top_k=1)

    # --- asking --------------------------------------------------------------------------

    def ask(self, question: str, history: list[dict] | None = None) -> dict:
        """Answer one question; ``history`` is the list of earlier answer dicts of the conversation."""
        history = clean_history(history)
        if self.uses_llm:
            answer: dict = {}
            for event in self._llm_events(question, history):
                if event["type"] == "answer":
                    answer = event["answer"]
            return answer
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        state = self._ready()
        analysis = analyse(text, state.catalogue, history)
        answer = self._finish(text, self._draft(analysis, state), state)
        answer["analysis"] = analysis.to_json()
        answer["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return answer

    def ask_stream(self, question: str, history: list[dict] | None = None) -> Iterator[dict]:
        """Stream an answer: ``{"type": "delta", "text": ...}`` events, then ``{"type": "answer", "answer": {...}}``.

        With an LLM the deltas are the model's tokens as they arrive (its raw draft); the final
        answer event carries the verified text, which front ends show in place of the draft.
        The extractive generator has its whole answer at once; it is streamed sentence by
        sentence so every front end handles one protocol whatever the generator.
        """
        history = clean_history(history)
        if self.uses_llm:
            yield from self._llm_events(question, history)
            return
        answer = self.ask(question, history)
        yield from _pieces(answer)

    def analyse(self, question: str, history: list[dict] | None = None) -> QuestionAnalysis:
        """What the question means (the one analysis every later stage reads)."""
        text = clean_question(question, self.settings.max_question_chars)
        return analyse(text, self._ready().catalogue, clean_history(history))

    def _draft(self, analysis: QuestionAnalysis, state: _State, decision: Decision | None = None) -> Draft:
        """The extractive answer; ``decision``: one already made for this analysis (not made again)."""
        generator = state.generator
        if analysis.parts:  # (the document's details and another question: each answered in turn)
            return joined([self._draft(part, state) for part in analysis.parts])
        if details := self._details_asked(analysis, state):  # (before a task a follow-up points back to)
            return generator.details_answer(analysis, details, is_plan=details.get("authority") == "plan")
        if analysis.route == "task":
            return generator.task_answer(analysis, *self._task_gap(analysis, state))
        if analysis.route == "list":
            listed = generator.set_answer(analysis)
            if analysis.wants_chinese_text and listed.coverage == "full" and not listed.refused:
                # ("and in Chinese?" after a list: the same list, from the English text)
                lead = generator.phrases(analysis)("partial.language")
                return replace(listed, text=f"{lead}\n\n{listed.text}", coverage="partial")
            return listed
        if analysis.other_places and not analysis.tasks:
            return generator.refusal(analysis, "other_place", ", ".join(analysis.other_places))
        decision = decision or self._decide(analysis, state)
        if analysis.wants_every_task and decision.action in ("answer", "refuse"):
            # (a word no task uses cannot pick tasks out: "tasks on e-bills of lading, if any")
            known = {w for w in analysis.look_up_words if state.catalogue.knows_word(w)}
            items_said: list[str] = []
            if known and analysis.look_up_items and not analysis.look_up_negated:
                mentioning, items_said = tasks_saying_any(analysis, state.catalogue, known)
            else:
                mentioning = tasks_looked_up(analysis, state.catalogue, known) if known else []
            weak_cosine_only = decision.code in ("floor", "grey", "off_subject") and known == analysis.look_up_words
            if decision.action == "refuse" and not weak_cosine_only:
                # (a refusal for a weak cosine stands unless the tasks' own text has every word of
                # the subject: then the text itself answers "which tasks mention X?")
                mentioning = []
            if analysis.look_up_negated and mentioning:
                # (the tasks of the plan, or of the section or unit it names, that the look-up does not find)
                others = [e for e in look_up_scope(analysis, state.catalogue) if e not in mentioning]
                return generator.mentions_answer(analysis, others, negated=True)
            if analysis.within_tasks:
                mentioning = [e for e in mentioning if e.task in analysis.within_tasks]
            if analysis.other_than and mentioning:
                # ("any other tasks on insurance?": not the one just given; or that there is none)
                others = [e for e in mentioning if e.task not in analysis.other_than]
                return generator.mentions_answer(analysis, others or mentioning)
            if len(mentioning) == 1 and decision.action == "answer" and decision.chosen[0].task != mentioning[0].task:
                # ("which tasks mention export credit insurance?": the one task whose text says it is
                # quoted, not the closest passage, which may say only part of it)
                return generator.task_answer(replace(analysis, tasks=[mentioning[0].task]), "", {})
            if len(mentioning) >= 2:  # one task: the ordinary answer quotes it in full
                # (the items named in the lead when more than one of them was found)
                said = items_said if len(items_said) >= 2 else []
                return generator.mentions_answer(analysis, mentioning, any_of=said)
        # A gap found in a whole description ("… we manage cash centrally …") is not what such a
        # question asks; one in its asking sentence ("… what's the relocation bonus?") is.
        describes_and_asks_what_applies = (
            decision.action == "partial"
            and analysis.asks in (Asks.APPLIES, Asks.TASKS, Asks.CONTENT)
            and not (decision.missing == "partial.incentive" and asks_for_incentive(analysis.asking_sentence))
            and not (decision.missing == "partial.how_to" and asks_for_requirements(analysis.asking_sentence))
        )
        if analysis.multi_policy and (
            decision.action == "answer" or decision.code in ("floor", "off_subject") or describes_and_asks_what_applies
        ):
            # Several activities dilute the question's cosine as a whole; each is judged on its own
            # evidence (profile.applicable_tasks), so two that match answer even when the whole does not.
            matches = self._policies(analysis, state, decision)
            # (one activity matched on its own evidence answers a question the whole did not reach,
            # when that evidence is close beyond doubt: the cosine a question needs with no words in common)
            single = len(matches) == 1 and matches[0].activity_cosine >= self.settings.gate_grey_dense
            if len(matches) >= 2 or (single and decision.action == "refuse"):
                return generator.policies_answer(analysis, matches)
        if decision.action == "refuse":
            return generator.refusal(analysis, decision.missing, decision.detail.get("places", ""))
        return generator.semantic_answer(analysis, decision.chosen, decision.missing, decision.detail)

    def _task_gap(self, analysis: QuestionAnalysis, state: _State) -> tuple[str, dict]:
        """What the named tasks do not give of what the question expects (a date, an amount, a
        procedure, a count), judged as for any other evidence."""
        operator = analysis.asks in (Asks.WHO, Asks.CONTENT) and asks_for_operator(analysis)
        checked = (Asks.WHEN, Asks.AMOUNT, Asks.COUNT, Asks.HOW_TO, Asks.MEMBERS, Asks.WHERE)
        # ("does it offer tax breaks for that?", "…, and when will it open?": asked of the named task too)
        requirement = asks_for_requirements(analysis.asking_sentence or analysis.text)
        also = (
            bool(analysis.also_asks)
            or asks_for_incentive(analysis.text)
            or requirement
            or asks_for_contact(analysis.text)
            or yes_no_settled_by_naming(analysis)  # ("is customer data on it?")
            or asks_how_often(analysis)  # ("who publishes those and how often?")
            or analysis.wants_chinese_text  # ("its title in Chinese?": the documents are English)
            # ("does it mention the Canton Fair?": a name no document uses, which the task cannot settle)
            or (analysis.asks == Asks.YES_NO and bool(self._answer_type_check(state).unknown_names(analysis)))
        )
        if analysis.asks not in checked and not operator and not also:
            return "", {}
        if analysis.asks == Asks.AMOUNT and not _ASKS_A_SUM.search(analysis.text) and not requirement:
            return "", {}  # "what does task 12 say about exchange rates?" names a topic, not a sum
        entries = [e for e in (state.catalogue.task(n) for n in analysis.tasks) if e is not None]
        hits = [PassageHit(key=(e.source, e.label), score=0.0) for e in entries]
        return self._answer_type_check(state).missing(analysis, hits) if hits else ("", {})

    @staticmethod
    def _details_asked(analysis: QuestionAnalysis, state: _State) -> dict[str, str]:
        """The indexed details (title, issuer, dates) of the document a question asks a detail of
        (another document by its title, else the plan), when they hold what is asked; else {} (the
        passages are then searched as for any question)."""
        if not analysis.document_fact:
            return {}
        records = list(state.manifest.sources.values())
        named = [r for r in records if r.doc_id in analysis.documents]
        plan = [r for r in records if r.metadata.get("authority") == "plan"]
        record = (named or plan or [None])[0]
        if record is None:
            return {}
        if analysis.document_fact == "title":
            return {"doc_id": record.doc_id, "title": record.title, **record.metadata} if record.title else {}
        asked = {"date": ("issued", "published"), "issuer": ("issuer", "publisher")}[analysis.document_fact]
        if not any(record.metadata.get(key) for key in asked):
            return {}
        return {"doc_id": record.doc_id, "title": record.title, **record.metadata}

    @staticmethod
    def _document_scope(analysis: QuestionAnalysis) -> dict:
        """The filter for the one document a question names ("what does the plan say ...")."""
        if len(analysis.documents) != 1:
            return {}
        named = analysis.documents[0]
        return {"authority": "plan"} if named == "plan" else {"source": named}

    def _hits(self, analysis: QuestionAnalysis, state: _State) -> list[PassageHit]:
        """Retrieved passages; a question naming a unit searches that unit's tasks first, and one
        naming a document searches only that document."""
        query, lexical = analysis.search_query, analysis.lexical_query
        scope = self._document_scope(analysis)
        if analysis.units:
            filtered = state.retriever.search(
                query,
                filters=SearchFilters(units=analysis.units, **scope),
                top_k=self.settings.top_k,
                lexical_query=lexical,
            )
            if filtered and filtered[0].dense >= self.settings.gate_grey_dense:
                return phrase_first(analysis, state.catalogue, filtered)
        everywhere = SearchFilters(**scope) if scope else None
        if analysis.within_tasks:  # "which of them mentions X?": the best among the earlier answer's tasks
            hits = state.retriever.search(
                query, filters=everywhere, top_k=len(state.catalogue.entries), lexical_query=lexical
            )
            among = [h for h in hits if h.task in analysis.within_tasks]
            return among[: self.settings.top_k] or hits[: self.settings.top_k]
        hits = state.retriever.search(query, filters=everywhere, top_k=self.settings.top_k, lexical_query=lexical)
        hits = phrase_first(analysis, state.catalogue, hits)
        if analysis.own_query and hits:
            # "and anything on data centres?" after a question on 5G: the passages the follow-up finds
            # with and without the earlier question, fused by rank (reciprocal rank fusion), so a
            # passage on the new subject that also fits the earlier topic leads.
            own = state.retriever.search(
                analysis.own_query,
                filters=everywhere,
                top_k=self.settings.top_k,
                lexical_query=subject_words(analysis.own_query),
            )
            earlier = analysis.follow_up.tasks if analysis.follow_up else ()
            words_of = state.catalogue.task_words
            named_task = {
                t
                for w in analysis.topic_words
                if state.catalogue.task_frequency.get(w) == 1
                for t, words in words_of.items()
                if w in words and t not in earlier
            }
            if own and named_task == {own[0].task}:
                # "and the DEPA zone?" after the Silk Road task: a word only one other task uses names
                # that task, and the follow-up is about it now (not "the payments side" of the same topic)
                hits = [own[0], *(h for h in _fuse_rankings(hits, own, self.settings.rrf_k) if h.key != own[0].key)]
            else:
                hits = facet_first(analysis, state.catalogue, _fuse_rankings(hits, own, self.settings.rrf_k), own)
        if analysis.areas and not analysis.first_person and hits:
            # "What is planned for Yangpu?": the place is the subject. Its tasks (metadata) come first
            # when one of them is about as close to the question as the best passage overall. An
            # enterprise saying where it is based ("we are in Pudong") keeps the unfiltered ranking.
            local = state.retriever.search(
                query,
                filters=SearchFilters(areas=analysis.areas, **scope),
                top_k=self.settings.top_k,
                lexical_query=lexical,
            )
            if local and local[0].dense >= hits[0].dense - self.settings.place_margin:
                # (the place's own tasks, ordered as any ranking is: one saying the question's phrase first)
                local = phrase_first(analysis, state.catalogue, local)
                hits = local + [h for h in hits if h.key not in {x.key for x in local}]
        return hits

    def _decide(self, analysis: QuestionAnalysis, state: _State) -> Decision:
        if analysis.wants_plan_lead:
            # The plan names one body for all of its work, in a passage that is no task (its closing
            # part): that passage answers, however a translation or paraphrase of the question scores.
            lead = self._plan_lead_passage(analysis, state)
            if lead is not None:
                return Decision("answer", chosen=[lead])
        hits = self._hits(analysis, state)
        gate = EvidenceGate(
            self.settings.gate_min_dense,
            self.settings.gate_grey_dense,
            self.settings.gate_min_dense_zh,
            dense=state.retriever.mode != "lexical",
        )
        check = self._answer_type_check(state)
        return decide(analysis, hits, gate, check, self.settings.gate_min_dense, self.settings.second_source_margin)

    def _plan_lead_passage(self, analysis: QuestionAnalysis, state: _State) -> PassageHit | None:
        """The passage outside the tasks that says who leads the plan's work, as retrieved for the question."""
        every = state.retriever.search(
            analysis.search_query, top_k=len(state.catalogue.entries), lexical_query=analysis.lexical_query
        )
        for hit in every:
            entry = state.catalogue.by_label(*hit.key)
            if entry is not None and entry.task is None and _LEADS_THE_WORK.search(entry.text):
                return hit
        return None

    def _policies(self, analysis: QuestionAnalysis, state: _State, decision: Decision) -> list:
        """Every task that applies to an enterprise (the engine of the "applies to me" tab), led by
        the passage that best answers the question as a whole."""
        from assistant.profile import SECOND_TASK_COSINE, TaskMatch, applicable_tasks

        try:
            matches = applicable_tasks(
                analysis.text,
                state.retriever,
                state.catalogue,
                limit=6,
                activities_only=True,
                margin=0.1,
                leader_dense=self.settings.gate_min_dense,
                close_to_leader=SECOND_TASK_COSINE,
            )
        except ValueError:
            return []
        if not decision.chosen:  # the question as a whole found nothing: each activity on its own evidence
            return matches
        lead = decision.chosen[0]
        entry = state.catalogue.by_label(*lead.key)
        if lead.task is None or entry is None:
            return matches
        first = next((m for m in matches if m.task == lead.task), None)
        if first is None:
            sentence = state.generator.best_sentences(entry, lead, 1)[0]
            first = TaskMatch(
                0,
                lead.task,
                entry.title,
                entry.section,
                sentence,
                "Best match for your question",
                f"[Task {lead.task}]",
                list(entry.units),
                round(lead.dense, 4),
                ["activities"],
            )
        ordered = [first] + [m for m in matches if m.task != lead.task]
        for rank, match in enumerate(ordered, 1):
            match.rank = rank
        return ordered

    def _finish(
        self, question: str, draft: Draft, state: _State, *, generator: str | None = None, strict: bool = False
    ) -> dict:
        """Verify the draft's citations (lexical and embedding evidence) into the answer JSON.

        ``strict`` (LLM drafts): every factual sentence must carry a citation, so uncited ones
        get the supporting source's marker or are flagged.
        """
        base = {"question": question, "generator": generator or state.generator.name}
        if draft.refused or not draft.sources:
            return {
                **base,
                "answer": draft.text,
                "citations": [],
                "refused": draft.refused,
                "coverage": "none" if draft.refused else draft.coverage,
                "verification": {
                    "removed": [],
                    "reattributed": [],
                    "flagged": [],
                    "added": [],
                    "problems": [],
                    "claims": 0,
                    "failed": 0,
                    "non_answer": False,
                },
            }
        known = {e.task for e in state.catalogue.tasks if e.task is not None}

        def embed(texts: list[str]) -> list[list[float]]:  # loaded only when a claim needs it
            return verifier_embedding(self.settings).get_text_embedding_batch(texts)

        # The extractive generator writes only the sources' own sentences, titles and unit names:
        # the lexical test is the whole check, and a claim that fails it is a generator fault to
        # show, not one to accept through embedding similarity. LLM drafts get the semantic test.
        verifier = CitationVerifier(
            draft.sources,
            known,
            embed if strict else None,
            strict=strict,
            idf=self._idf_weights(state),
            corpus=self._corpus(state) if strict else None,
            multilingual=multilingual_functions(self.settings) if strict else None,
        )
        verification = verifier.verify(draft.text)
        return {
            **base,
            "answer": verification.text,
            "citations": [c.to_json() for c in verification.citations],
            "refused": False,
            "coverage": draft.coverage,
            "verification": {
                "removed": verification.removed,
                "reattributed": verification.reattributed,
                "flagged": verification.flagged,
                "added": verification.added,
                "problems": verification.problems,
                "claims": verification.claims,
                "failed": verification.failed,
                "non_answer": verification.non_answer,
            },
        }

    def _corpus(self, state: _State) -> list[Source]:
        """Every indexed passage as a citable source (absence claims and Chinese claims read them)."""
        generation = state.manifest.generation
        with self._lock:
            if self._corpus_sources is None or self._corpus_sources[0] != generation:
                self._corpus_sources = (generation, [source_of(e) for e in state.catalogue.entries])
            return self._corpus_sources[1]

    def _answer_type_check(self, state: _State) -> AnswerTypeCheck:
        """One per index generation: it holds the corpus vocabulary and IDF weights."""
        generation = state.manifest.generation
        idf = self._idf_weights(state)
        with self._lock:
            if self._check is None or self._check[0] != generation:
                self._check = (generation, AnswerTypeCheck(state.catalogue, idf))
            return self._check[1]

    def _idf_weights(self, state: _State) -> dict[str, float]:
        """IDF of content words over the generation's passages (weights the verifier's lexical test)."""
        generation = state.manifest.generation
        with self._lock:
            if self._idf is None or self._idf[0] != generation:
                self._idf = (generation, idf_weights([e.text for e in state.catalogue.entries]))
            return self._idf[1]

    # --- LLM answers -----------------------------------------------------------------------

    @property
    def uses_llm(self) -> bool:
        """Whether answers are written by an LLM (else by the extractive generator)."""
        return self._llm_generator is not None or self.settings.llm_backend != "extractive"

    def _llm(self) -> LlmGenerator | None:
        """The configured LLM generator, built once (None when it cannot be built: see ``_llm_error``)."""
        with self._lock:
            if self._llm_generator is None and self._llm_error is None:
                try:
                    self._llm_generator = LlmGenerator.from_settings(self.settings)
                except LlmError as exc:
                    logger.error("LLM backend unavailable, answers fall back to extractive: %s", exc)
                    self._llm_error = str(exc)
            return self._llm_generator

    def _llm_events(self, question: str, history: list[dict] | None) -> Iterator[dict]:
        """The LLM path: rewrite (follow-up, Chinese) -> route -> refusal gate -> stream -> verify.

        No answer-writing LLM call happens unless the gate found evidence; exact list answers
        (a unit's or an area's tasks) stay extractive because they come complete from metadata
        and a model could only drop items. Any backend failure falls back to the extractive
        generator, and the answer's ``generator`` says so: ``extractive (fallback: <reason>)``.
        """
        started = time.perf_counter()
        text = clean_question(question, self.settings.max_question_chars)
        state = self._ready()
        generator = self._llm()

        streamed = False  # whether draft deltas went out (a fallback must then withdraw them)

        def fallback(reason: str, draft: dict | None = None) -> Iterator[dict]:
            logger.warning("LLM answer fell back to extractive: %s", reason)
            analysis = analyse(text, state.catalogue, history)
            answer = self._finish(
                text, self._draft(analysis, state), state, generator=f"extractive (fallback: {reason})"
            )
            answer["fallback_reason"] = reason
            if draft is not None:  # what the model wrote, kept for inspection
                answer["draft"] = draft
            answer["analysis"] = analysis.to_json()
            answer["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            if streamed:
                yield {"type": "reset", "reason": reason}
            yield from _pieces(answer)

        if generator is None:
            yield from fallback(self._llm_error or "no LLM backend")
            return
        # One deadline for the whole answer, from the request: rewrite, answer and retries.
        deadline = time.monotonic() + self.settings.llm_timeout_s
        standalone = text
        try:
            if history and needs_condensing(text):
                condensed = generator.condense(history, text, deadline)
                if plausible_rewrite(condensed, text, history):
                    standalone = condensed
                else:  # the model did not rewrite: the analysis resolves the follow-up itself
                    logger.info("condensed question %r not built from the conversation", condensed)
        except LlmError as exc:
            yield from fallback(str(exc))
            return
        # The condensed question goes through the same analysis as any other.
        analysis = analyse(standalone, state.catalogue, history)
        sources, final = self._llm_sources(analysis, state)
        if final is not None:  # refusal, partial, missing task or exhaustive list: no LLM answer
            answer = self._finish(text, final, state)
            answer["analysis"] = analysis.to_json()
            answer["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            yield from _pieces(answer)
            return
        language = LANGUAGES[analysis.language]
        try:
            messages, context = generator.messages(standalone, sources, language)
        except ValueError as exc:  # the context window cannot hold a source
            yield from fallback(str(exc))
            return
        deltas: list[str] = []
        try:
            for delta in generator.stream_answer(messages, deadline):
                deltas.append(delta)
                streamed = True
                yield {"type": "delta", "text": delta}
        except LlmError as exc:
            partial = "".join(deltas).strip()
            yield from fallback(str(exc), {"generator": generator.name, "text": partial} if partial else None)
            return
        draft = Draft(text="".join(deltas).strip(), sources=context.sources)
        answer = self._finish(text, draft, state, generator=generator.name, strict=True)
        failure = failed_generation(answer["verification"], context.sources)
        if failure:
            kept = {
                "generator": generator.name,
                "text": draft.text,
                "answer": answer["answer"],
                "citations": answer["citations"],
                "verification": answer["verification"],
            }
            yield from fallback(failure, kept)
            return
        missing = analysis.missing_tasks
        if missing:
            note = f"(There is no task {', '.join(map(str, missing))} in the plan.)"
            answer["answer"] = f"{note}\n\n{answer['answer']}"
        answer["analysis"] = analysis.to_json()
        answer["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        yield {"type": "answer", "answer": answer}

    def _llm_sources(self, analysis: QuestionAnalysis, state: _State) -> tuple[list[Source], Draft | None]:
        """Sources for the LLM, or a final draft that needs no LLM.

        Lists, policy overviews and the document's own details come complete from metadata and
        ranking (a model could only drop items); refusals and partial answers keep the decision's
        own wording, so the gate always runs before any model call.
        """
        if analysis.parts or self._details_asked(analysis, state):
            # (the document's metadata: no passage for a model to read)
            return [], self._draft(analysis, state)
        if analysis.route == "task":
            entries = [e for e in (state.catalogue.task(n) for n in analysis.tasks) if e is not None]
            if not entries:
                return [], state.generator.task_answer(analysis)  # only missing tasks: say so
            return [source_of(e) for e in entries], None
        if analysis.route == "list" or analysis.multi_policy or (analysis.other_places and not analysis.tasks):
            return [], self._draft(analysis, state)
        decision = self._decide(analysis, state)
        if decision.action != "answer":
            return [], self._draft(analysis, state, decision)
        entries = [state.catalogue.by_label(*hit.key) for hit in decision.chosen]
        return [source_of(e) for e in entries if e is not None], None

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
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise QuestionError(f"k must be a whole number of at least 1 (got {k!r})", reason="bad_k")
        state = self._ready()
        filters = SearchFilters(
            task=task,
            section=self._section_name(section, state) if section else None,
            units=state.catalogue.matching_units(unit) if unit else [],
            areas=state.catalogue.matching_areas(area) if area else [],
        )
        if (unit and not filters.units) or (area and not filters.areas) or (section and not filters.section):
            return []
        hits = state.retriever.search(text, filters=filters if filters.chroma_where() else None, top_k=k)
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
            "title": display_title(entry) if entry else meta.get("title", "") or meta.get("label", ""),
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

    def remove_document(self, doc_id: str, progress: bool = False, user: str | None = None) -> IngestReport:
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
        delete_upload(record.path, self.settings, user=user)
        return self.ingest(progress=progress)

    def applies_to(self, profile, limit: int = 10) -> list[dict]:
        """Which tasks apply to an enterprise: ``profile`` is a description string, a dict
        (description, activities, location, size, ownership) or an ``EnterpriseProfile``."""
        from assistant.profile import EnterpriseProfile, ProfileError, applicable_tasks

        # The same length limit as a question, on every field, before any work is done: an 8 MB
        # description once held a worker for minutes and slowed every other user's answers.
        profile = EnterpriseProfile.from_any(profile)
        limit_chars = self.settings.max_question_chars
        for name in ("description", "activities", "location", "size", "ownership"):
            value = getattr(profile, name)
            if len(value) > limit_chars:
                raise ProfileError(
                    f"the {name} is {len(value):,} characters long; the limit is {limit_chars:,}. "
                    "Shorten it to what the enterprise does."
                )
        state = self._ready()
        matches = applicable_tasks(profile, state.retriever, state.catalogue, limit=limit)
        return [m.to_json() for m in matches]
