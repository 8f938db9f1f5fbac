"""LLM backends and the LLM answer generator.

Backends are llama-index LLM classes built from :class:`Settings`:

- ``openai``: ``OpenAILike`` against any OpenAI-compatible server (vLLM, llama.cpp's server,
  Ollama's /v1, hosted APIs); chat or plain completion endpoint (``ASSISTANT_LLM_CHAT``).
- ``ollama``: ``Ollama`` against Ollama's native API.
- ``llamacpp``: ``LlamaCPP``, a GGUF file loaded in this process.

Every call streams. One deadline bounds a whole answer (``ASSISTANT_LLM_TIMEOUT_S``, measured
from the request: the follow-up rewrite, the answer and the client's own retries together). The
client runs in a worker thread and this side waits for its tokens only until the deadline,
because neither a client timeout (per request, multiplied by retries) nor a read timeout (a
server that trickles tokens never trips one) bounds the wait. Any failure of the backend
(unreachable, timeout, connection closed mid-answer, error reply, empty reply) raises
:class:`LlmError` with a message that says what happened and how long it waited; the caller then
falls back to the extractive generator and marks the answer's ``generator`` as
``"extractive (fallback: <reason>)"``. A backend that stopped answering is remembered for
``ASSISTANT_LLM_DOWN_S`` seconds, during which questions fall back at once.

The generator only writes text with [Task N] markers; the citation verifier checks it exactly
as it checks the extractive generator's text.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import threading
import time
from collections.abc import Iterator

from llama_index.core.llms import LLM, ChatMessage, MessageRole
from llama_index.core.prompts import PromptTemplate

from assistant.context import AssembledContext, assemble, source_budget
from assistant.prompts import load_prompt, prompt_version
from assistant.settings import Settings
from assistant.verify import Source, content_words

logger = logging.getLogger(__name__)

# Completion-endpoint prompts are "role: text" turns (llama-index's generic format); a base
# model would go on to write the next turn itself without these stops.
_TURN_STOPS = ["\nuser:", "\nsystem:", "\nUser:", "\nQuestion:"]
# Condensed questions are one line; more than this is a model rambling on.
_MAX_REWRITE_CHARS = 400
_HISTORY_TURNS = 3
_HISTORY_ANSWER_CHARS = 600
_MARKERS = re.compile(r"\s*\[[^\[\]]{2,80}\]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Share of a condensed question's content words that must come from the conversation.
REWRITE_OVERLAP = 0.6

LANGUAGES = {"en": "English", "zh": "Chinese (简体中文)"}


class LlmError(RuntimeError):
    """The configured LLM backend could not produce an answer; the message says why."""


class BackendDown(LlmError):
    """The backend stopped answering (unreachable, hung, dropped the connection): remembered."""


def deadline_after(seconds: float) -> float:
    """A deadline on the monotonic clock."""
    return time.monotonic() + seconds


def _model_name(settings: Settings) -> str:
    if settings.llm_backend == "llamacpp" and settings.llm_model_path:
        return settings.llm_model or settings.llm_model_path.name
    return settings.llm_model or "default"


def _llm_model_name(llm: LLM, settings: Settings) -> str:
    try:
        name = str(llm.metadata.model_name or "")
    except Exception:  # metadata of some backends asks the server; the name is not worth a failure
        name = ""
    if not name or name == "unknown":
        return _model_name(settings)
    return name.rsplit("/", 1)[-1] if name.endswith(".gguf") else name


def _where(settings: Settings) -> str:
    if settings.llm_backend == "llamacpp":
        return str(settings.llm_model_path)
    if settings.llm_backend == "ollama":
        return settings.llm_base_url or "http://localhost:11434"
    return settings.llm_base_url or "?"


def build_llm(settings: Settings) -> LLM | None:
    """The llama-index LLM for the configured backend (``None`` for ``extractive``)."""
    backend = settings.llm_backend
    if backend == "extractive":
        return None
    try:
        if backend == "openai":
            from llama_index.llms.openai_like import OpenAILike

            key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
            return OpenAILike(
                model=_model_name(settings),
                api_base=settings.llm_base_url,
                api_key=key,
                is_chat_model=settings.llm_chat,
                context_window=settings.llm_context_window,
                max_tokens=settings.llm_max_answer_tokens,
                temperature=settings.llm_temperature,
                timeout=settings.llm_timeout_s,
                max_retries=settings.llm_max_retries,
                additional_kwargs={"extra_body": dict(settings.llm_extra_body)} if settings.llm_extra_body else {},
            )
        if backend == "ollama":
            from llama_index.llms.ollama import Ollama

            if not settings.llm_model:
                raise LlmError("ASSISTANT_LLM_BACKEND=ollama needs ASSISTANT_LLM_MODEL (e.g. qwen2.5:7b-instruct)")
            return Ollama(
                model=settings.llm_model,
                base_url=settings.llm_base_url or "http://localhost:11434",
                request_timeout=settings.llm_timeout_s,
                # Set explicitly: left at -1, the class asks the server for it on first use.
                context_window=settings.llm_context_window,
                temperature=settings.llm_temperature,
                additional_kwargs={
                    "num_predict": settings.llm_max_answer_tokens,
                    "num_ctx": settings.llm_context_window,
                },
                is_function_calling_model=False,
            )
        if backend == "llamacpp":
            from llama_index.llms.llama_cpp import LlamaCPP

            path = settings.llm_model_path
            if path is None or not path.is_file():
                raise LlmError(f"ASSISTANT_LLM_MODEL_PATH {path} is not a file (a .gguf model is expected)")
            return LlamaCPP(
                model_path=str(path),
                context_window=settings.llm_context_window,
                max_new_tokens=settings.llm_max_answer_tokens,
                temperature=min(settings.llm_temperature, 1.0),
                generate_kwargs={"stop": _TURN_STOPS},
                verbose=False,
            )
    except LlmError:
        raise
    except ImportError as exc:
        raise LlmError(
            f"the {backend} backend needs its llama-index package ({exc.name}): "
            "pip install 'policy-assistant[llamacpp]' for llamacpp"
        ) from exc
    except Exception as exc:  # a model file that does not load, a bad URL: report, do not crash the app
        raise LlmError(f"cannot set up the {backend} backend at {_where(settings)}: {exc}") from exc
    raise LlmError(f"unknown LLM backend {backend!r}")


def history_text(history: list[dict], turns: int = _HISTORY_TURNS) -> str:
    """The last turns of a conversation, answers shortened and stripped of citation markers."""
    lines = []
    for turn in history[-turns:]:
        question = str(turn.get("question", "")).strip()
        answer = _MARKERS.sub("", str(turn.get("answer", ""))).strip()
        if len(answer) > _HISTORY_ANSWER_CHARS:
            answer = answer[:_HISTORY_ANSWER_CHARS].rsplit(" ", 1)[0] + " …"
        if question:
            lines.append(f"User: {question}")
        if answer:
            lines.append(f"Assistant: {answer}")
    return "\n".join(lines)


class LlmGenerator:
    """Writes grounded answers (and rewrites questions) through one llama-index LLM."""

    def __init__(self, llm: LLM, settings: Settings) -> None:
        self.llm = llm
        self.settings = settings
        self.name = f"llm:{_llm_model_name(llm, settings)}"
        self.backend = settings.llm_backend
        # llama.cpp in-process is not thread-safe: one generation at a time (servers queue for us).
        self._lock: contextlib.AbstractContextManager = (
            threading.Lock() if settings.llm_backend == "llamacpp" else contextlib.nullcontext()
        )
        # (monotonic time until which the backend counts as down, why): see BackendDown.
        self._down: tuple[float, str] | None = None
        self._down_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> LlmGenerator | None:
        llm = build_llm(settings)
        return None if llm is None else cls(llm, settings)

    def _prompt(self, name: str) -> str:
        return load_prompt(name, self.settings.prompts_dir)

    # --- answers ---------------------------------------------------------------------------

    def messages(
        self, question: str, sources: list[Source], language: str
    ) -> tuple[list[ChatMessage], AssembledContext]:
        """The system rules and the user message with as many labelled sources as the budget allows."""
        system = self._prompt("answer_system")
        template = PromptTemplate(self._prompt("answer_context"))
        fixed = system + template.format(sources="", question=question, language=language)
        budget = source_budget(self.settings.llm_context_window, self.settings.llm_max_answer_tokens, fixed)
        context = assemble(sources, budget)
        user = template.format(sources=context.sources_text, question=question, language=language)
        logger.info(
            "LLM prompt: answer_system v%d, answer_context v%d, %d source tokens of %d (%s)",
            prompt_version("answer_system", self.settings.prompts_dir),
            prompt_version("answer_context", self.settings.prompts_dir),
            context.source_tokens,
            budget,
            ", ".join(s.label for s in context.sources),
        )
        if not self.settings.llm_system_role:
            return [ChatMessage(role=MessageRole.USER, content=f"{system}\n\n{user}")], context
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content=user),
        ], context

    def stream_answer(self, messages: list[ChatMessage], deadline: float | None = None) -> Iterator[str]:
        """The model's answer as text deltas; raises :class:`LlmError` on any backend failure.

        ``deadline``: the answer's deadline (:func:`deadline_after`), shared with its rewrite."""
        produced = False
        for delta in self._stream(messages, deadline):
            produced = produced or bool(delta.strip())
            yield delta
        if not produced:
            raise LlmError(f"the {self.backend} backend returned an empty answer")

    # --- question rewriting ------------------------------------------------------------------

    def condense(self, history: list[dict], question: str, deadline: float | None = None) -> str:
        """A follow-up rewritten as a standalone question (prompt ``condense_question``)."""
        prompt = PromptTemplate(self._prompt("condense_question")).format(
            history=history_text(history), question=question
        )
        return self._rewrite(prompt, "condense", deadline)

    def _rewrite(self, prompt: str, what: str, deadline: float | None = None) -> str:
        text = ""
        stream = self._stream([ChatMessage(role=MessageRole.USER, content=prompt)], deadline)
        try:
            for delta in stream:
                text += delta
                # One line is all we asked for: stop reading (and generating) once it is there.
                if ("\n" in text.strip() and text.strip()) or len(text) > _MAX_REWRITE_CHARS:
                    break
        finally:
            close = getattr(stream, "close", None)
            if close:
                close()
        line = next((part.strip() for part in text.strip().splitlines() if part.strip()), "")
        line = line.strip(" \"'“”`*")
        line = re.sub(r"^(standalone|rewritten|english)\s+question\s*:\s*", "", line, flags=re.IGNORECASE)
        if not line or len(line) > _MAX_REWRITE_CHARS:
            raise LlmError(f"the {self.backend} backend gave no usable {what} rewrite")
        logger.info("%s: %r", what, line)
        return line

    # --- transport -----------------------------------------------------------------------

    def _call_kwargs(self) -> dict:
        from llama_index.llms.openai_like import OpenAILike

        if isinstance(self.llm, OpenAILike) and not self.llm.is_chat_model:
            return {"stop": _TURN_STOPS}
        return {}

    def check_available(self) -> None:
        """Raise :class:`BackendDown` while a recent failure is remembered (see ``llm_down_s``)."""
        with self._down_lock:
            if self._down is None:
                return
            until, reason = self._down
            if time.monotonic() >= until:
                self._down = None
                return
        raise BackendDown(f"{reason}; not asked again for {until - time.monotonic():.0f} s (ASSISTANT_LLM_DOWN_S)")

    def _remember_down(self, reason: str) -> None:
        if self.settings.llm_down_s > 0:
            with self._down_lock:
                self._down = (time.monotonic() + self.settings.llm_down_s, reason)

    def _stream(self, messages: list[ChatMessage], deadline: float | None = None) -> Iterator[str]:
        """Deltas from a worker thread, waited for only until ``deadline`` (see the module doc)."""
        self.check_available()
        now = time.monotonic()
        deadline = deadline if deadline is not None else now + self.settings.llm_timeout_s
        # Waits are reported from the answer's request (the deadline's start), not this call's.
        started = deadline - self.settings.llm_timeout_s
        if deadline <= now:
            raise LlmError(self._late(now - started, 0))
        events: queue.Queue = queue.Queue()
        stop = threading.Event()
        kwargs = self._call_kwargs()

        def work() -> None:
            responses = None
            try:
                with self._lock:
                    responses = self.llm.stream_chat(messages, **kwargs)
                    for response in responses:
                        if stop.is_set():  # the reader gave up: stop generating
                            break
                        if response.delta:
                            events.put(("delta", response.delta))
                events.put(("end", None))
            except Exception as exc:  # handed to the reader, which explains it
                events.put(("error", exc))
            finally:
                close = getattr(responses, "close", None)
                if close:
                    with contextlib.suppress(Exception):
                        close()

        threading.Thread(target=work, name="llm-stream", daemon=True).start()
        received = 0
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    kind, value = events.get(timeout=max(remaining, 0.0))
                except queue.Empty:
                    reason = self._late(time.monotonic() - started, received)
                    self._remember_down(reason)
                    raise BackendDown(reason) from None
                if kind == "end":
                    return
                if kind == "error":
                    reason, down = self._explain(value, received, time.monotonic() - started)
                    if down:
                        self._remember_down(reason)
                        raise BackendDown(reason) from value
                    raise LlmError(reason) from value
                received += 1
                yield value
        finally:
            stop.set()  # also when the consumer stops reading (GeneratorExit)

    def _late(self, waited: float, received: int) -> str:
        where = f"the {self.backend} backend at {_where(self.settings)}"
        what = "did not finish its answer" if received else "did not answer"
        return (
            f"{where} {what} within {waited:.1f} s (one deadline per answer, retries included: "
            f"ASSISTANT_LLM_TIMEOUT_S={self.settings.llm_timeout_s:g})"
        )

    def _explain(self, exc: Exception, received: int = 0, waited: float = 0.0) -> tuple[str, bool]:
        """The reason for the fallback, and whether the backend counts as down."""
        name = type(exc).__name__
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else name
        chain = " ".join(f"{type(e).__name__} {e}" for e in _causes(exc)).lower()
        where = f"the {self.backend} backend at {_where(self.settings)}"
        if received and any(k in chain for k in ("closed", "incomplete", "remoteprotocol", "connection", "reset")):
            return f"{where} closed the connection mid-answer (after {received} tokens, {waited:.0f} s)", True
        if "Timeout" in name or "timed out" in chain or "timeout" in chain:
            return f"{where} timed out after {waited:.0f} s", True
        if "Connect" in name or "connection" in chain:
            return f"{where} is unreachable ({text})", True
        return f"{where} failed: {name}: {text}", False


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it (clients wrap transport errors in their own)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 8:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


# Follow-ups that lean on the conversation: pronouns, "what about ...", Chinese 它/这/该/其/他们.
_DEPENDENT = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|the same|above|former|latter)\b"
    r"|^\s*(and|also|what about|how about|and what|same for)\b|[它该]|这[个项些]|那[个项些]|他们|上述",
    re.IGNORECASE,
)


def needs_condensing(question: str) -> bool:
    """Whether a question depends on the conversation (only then is the LLM asked to rewrite it)."""
    return bool(_DEPENDENT.search(question))


def plausible_rewrite(rewrite: str, question: str, history: list[dict]) -> bool:
    """Whether a condensed question is built from the conversation's words, as a rewrite must be.

    Weak models answer the question or ramble instead of rewriting it; retrieving with that
    would lose the thread, so the caller then carries the previous turn's tasks over instead.
    """
    words = content_words(rewrite)
    if not words:
        return bool(_CJK.search(rewrite))  # a Chinese rewrite: nothing to compare in English
    said = content_words(question + " " + history_text(history, turns=_HISTORY_TURNS))
    return len(words & said) / len(words) >= REWRITE_OVERLAP
