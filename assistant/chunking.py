"""Turn a document's passages into llama-index nodes with flat, Chroma-safe metadata.

Each passage gives one ``passage`` node (the whole task, as written) and one ``sentence`` node
per sentence. Sentence nodes carry a short header (task number and title) in their embedded
text, so a sentence still matches questions about its task; the answer generator quotes them.
Long passages of other documents are split by llama-index's SentenceSplitter (token-counted
with tiktoken) so no node overflows the embedding model's window.
"""

from __future__ import annotations

import hashlib

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import MetadataMode, TextNode

from assistant.loaders import LoadedDocument
from assistant.structure import Passage, parse_document, split_sentences
from assistant.units import areas_in, slug

# The embedding model reads at most 256 word pieces; keep whole passages well inside that.
PASSAGE_TOKENS = 220
_splitter = SentenceSplitter(chunk_size=PASSAGE_TOKENS, chunk_overlap=30)

# Metadata the embedding and BM25 see: only the header. Everything else is for filters/display.
_VISIBLE = {"header"}

NO_TASK = 0  # Chroma metadata cannot hold None; 0 means "not one of the plan's tasks".
# A "sentence" longer than this (a line with no sentence breaks) is cut at spaces into pieces
# of about this size, so no chunk and no quoted answer grows with the input.
MAX_SENTENCE_CHARS = 1200


class TooManyChunks(ValueError):
    """A document that would become more chunks than the per-document limit."""


def chunk_id(*parts: str) -> str:
    """Deterministic id from content, so re-ingesting the same text is idempotent."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _base_metadata(doc: LoadedDocument, passage: Passage, order: int) -> dict[str, object]:
    header = f"{passage.label}: {passage.title}" if passage.task is not None else passage.title
    meta: dict[str, object] = {
        "source": doc.doc_id,
        "doc_title": doc.title,
        "file_type": doc.file_type,
        "issuer": doc.metadata.get("issuer", ""),
        "issued": doc.metadata.get("issued", ""),
        "url": doc.metadata.get("url", ""),
        "authority": "plan" if doc.is_plan else "document",
        "kind": passage.kind,
        "task": passage.task if passage.task is not None else NO_TASK,
        "title": passage.title,
        "label": passage.label,
        "section": passage.section,
        "header": header,
        "units": "; ".join(passage.units),
        "areas": "; ".join(passage.areas),
        "order": order,
    }
    # One flag per unit and area, so Chroma's metadata filters select them exactly. Stored as the
    # int 1 because llama-index's MetadataFilter does not accept booleans as values.
    for unit in passage.units:
        meta[f"unit_{slug(unit)}"] = 1
    for area in passage.areas:
        meta[f"area_{slug(area)}"] = 1
    return meta


def _node(doc: LoadedDocument, text: str, meta: dict[str, object], granularity: str) -> TextNode:
    meta = dict(meta, granularity=granularity)
    node = TextNode(
        id_=chunk_id(doc.doc_id, granularity, str(meta["label"]), text),
        text=text,
        metadata=meta,
        excluded_embed_metadata_keys=[k for k in meta if k not in _VISIBLE],
        excluded_llm_metadata_keys=[k for k in meta if k not in _VISIBLE],
        metadata_template="{value}",
        text_template="{metadata_str}\n{content}",
    )
    return node


def bounded_sentences(text: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """The passage's sentences, any over ``limit`` characters cut at spaces into smaller pieces."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", limit // 2, limit)
            cut = cut if cut > 0 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if sentence:
            pieces.append(sentence)
    return pieces


def document_nodes(doc: LoadedDocument, max_chunks: int | None = None) -> list[TextNode]:
    """All nodes of one loaded document, in reading order; raises :class:`TooManyChunks`."""
    nodes: list[TextNode] = []
    # A notice's title sets the scope of every article ("Lin-gang drone delivery measures"): its
    # articles belong to the places the title names even when the article text does not repeat them.
    scope = [] if doc.is_plan else areas_in(doc.title)
    for order, passage in enumerate(parse_document(doc.text, doc.title, is_plan=doc.is_plan)):
        if scope:
            passage.areas = list(dict.fromkeys([*passage.areas, *scope]))
        meta = _base_metadata(doc, passage, order)
        pieces = [passage.full_text]
        if len(passage.full_text) > PASSAGE_TOKENS * 4:  # cheap pre-check before tokenising
            pieces = _splitter.split_text(passage.full_text) or pieces
        for piece in pieces:
            nodes.append(_node(doc, piece, meta, "passage"))
        for sentence in bounded_sentences(passage.body):
            if len(sentence) >= 20:
                nodes.append(_node(doc, sentence, meta, "sentence"))
        if max_chunks is not None and len(nodes) > max_chunks:
            raise TooManyChunks(
                f"the document would become more than {max_chunks:,} chunks, the limit per document "
                "(ASSISTANT_MAX_DOCUMENT_CHUNKS); split it into smaller files"
            )
    return nodes


def embed_text(node: TextNode) -> str:
    return node.get_content(metadata_mode=MetadataMode.EMBED)
