"""The baseline a user would otherwise reach for: llama-index's quickstart.

``SimpleDirectoryReader`` -> ``VectorStoreIndex.from_documents`` (the default ``SentenceSplitter``,
1024-token chunks with 200 overlap) over the plain plan text, the same bundled embedding model,
in memory. It has no notion of tasks, so its top chunk is mapped to the plan passage (task,
introduction or closing) that the chunk overlaps most, by character span; the passage spans are
found here with a small regex of our own so the baseline shares nothing with the product's parser.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from assistant.evaluation.gold import PassageId
from assistant.settings import Settings

logger = logging.getLogger(__name__)

_TASK_LINE = re.compile(r"^(\d{1,2})\.\s.*\(Responsible units?\s*:.*\)\s*$", re.MULTILINE)
_SECTION_LINE = re.compile(r"^[IVX]+\.\s", re.MULTILINE)


def plan_file(corpus_dir: Path) -> Path:
    """The plan in the corpus: the text file with numbered tasks and responsible-unit lists."""
    for path in sorted(corpus_dir.glob("*.txt")):
        if len(_TASK_LINE.findall(path.read_text(encoding="utf-8", errors="replace"))) >= 10:
            return path
    raise FileNotFoundError(f"no plan text (numbered tasks with responsible units) in {corpus_dir}")


def passage_spans(text: str) -> dict[PassageId, tuple[int, int]]:
    """Character span of every task, of the introduction (before section I) and of the closing."""
    spans: dict[PassageId, tuple[int, int]] = {}
    tasks = list(_TASK_LINE.finditer(text))
    for match in tasks:
        spans[int(match.group(1))] = (match.start(), match.end())
    if tasks:
        first_section = _SECTION_LINE.search(text)
        intro_end = first_section.start() if first_section else tasks[0].start()
        spans["intro"] = (0, intro_end)
        spans["closing"] = (tasks[-1].end(), len(text))
    return spans


def best_passage(start: int, end: int, spans: dict[PassageId, tuple[int, int]]) -> PassageId | None:
    """The passage a chunk overlaps most (by characters)."""
    best, best_overlap = None, 0
    for passage, (lo, hi) in spans.items():
        overlap = min(end, hi) - max(start, lo)
        if overlap > best_overlap:
            best, best_overlap = passage, overlap
    return best


class QuickstartBaseline:
    """llama-index quickstart retrieval over the plan; ranks plan passages via its chunks."""

    def __init__(self, settings: Settings, chunk_size: int | None = None) -> None:
        """``chunk_size=None`` is the quickstart exactly; a size shows how much smaller chunks alone change."""
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from assistant.embedding import embedding_model

        started = time.perf_counter()
        path = plan_file(settings.corpus_dir)
        self.documents = SimpleDirectoryReader(input_files=[str(path)]).load_data()
        self.text = self.documents[0].text
        self.spans = passage_spans(self.text)
        # The quickstart exactly: default transformations (SentenceSplitter), in-memory vector store.
        transformations = (
            [SentenceSplitter(chunk_size=chunk_size, chunk_overlap=chunk_size // 10)] if chunk_size else None
        )
        self.index = VectorStoreIndex.from_documents(
            self.documents, embed_model=embedding_model(settings), transformations=transformations
        )
        self.chunk_count = len(self.index.docstore.docs)
        self.build_seconds = time.perf_counter() - started
        logger.info("quickstart baseline: %d chunks in %.1fs", self.chunk_count, self.build_seconds)

    def _span(self, node) -> tuple[int, int]:
        start, end = node.start_char_idx, node.end_char_idx
        if start is None or end is None:  # fall back to locating the chunk's text
            start = max(self.text.find(node.get_content()[:200]), 0)
            end = start + len(node.get_content())
        return start, end

    def search(self, question: str, k: int = 10) -> tuple[list[PassageId], list[str], set[PassageId]]:
        """Passages of the top ``k`` chunks (each chunk mapped to one passage), the chunk texts, and
        every passage the top chunk overlaps at all (for the lenient "right task is in there" check)."""
        retriever = self.index.as_retriever(similarity_top_k=k)
        hits = retriever.retrieve(question)
        ranked: list[PassageId] = []
        for hit in hits:
            passage = best_passage(*self._span(hit.node), self.spans)
            if passage is not None and passage not in ranked:
                ranked.append(passage)
        inside: set[PassageId] = set()
        if hits:
            start, end = self._span(hits[0].node)
            inside = {p for p, (lo, hi) in self.spans.items() if min(end, hi) > max(start, lo)}
        return ranked, [h.node.get_content() for h in hits], inside
