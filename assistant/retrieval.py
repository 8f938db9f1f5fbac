"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, per passage.

BM25 is llama-index's ``BM25Retriever``; the dense side asks the Chroma collection the index
wrote (through llama-index's ``ChromaVectorStore``) for ids and distances with a metadata
``where`` filter, and both sides take their nodes from one cache per index generation (see
``_NodeCache``: rebuilding 80 nodes per query was a sixth of a warm answer). The fusion is ours,
not ``QueryFusionRetriever``, because the answer stage needs each side's raw evidence (the dense
cosine feeds the refusal gate) and hits must be grouped per task: a task's sentences should not
crowd out other tasks.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.chunking import NO_TASK
from assistant.index import IndexStore, Manifest
from assistant.normalise import normalise_query
from assistant.units import slug

logger = logging.getLogger(__name__)


# BM25 tokens: English words of two or more letters (bm25s's default, stemmed) and every Chinese
# character on its own. The default pattern made a whole run of Chinese text one token, so a
# Chinese document could only be found by its exact sentences; single characters are the usual
# BM25 baseline for Chinese without a segmenter. (llama-index does not persist the pattern, so
# it is set again on load.)
TOKEN_PATTERN = r"(?u)[\u3400-\u9fff]|(?:(?![\u3400-\u9fff])\w){2,}"


# Above this many passages a filtered dense query is left to Chroma (see HybridRetriever._filtered_dense).
MAX_IN_MEMORY_FILTERED = 4096


def _unit(values):
    """``values`` as a float32 vector of length one (a zero vector stays zero)."""
    import numpy as np

    vector = np.asarray(values, dtype=np.float32)
    return vector / (np.linalg.norm(vector) or 1.0)


class _NodeCache:
    """Each passage's TextNode, built once per index generation.

    llama-index's BM25 and Chroma retrievers rebuild every candidate node from its stored JSON on
    every query (80 pydantic models, several ms of a ~30 ms answer); the generation never changes,
    so the search keeps the nodes and asks both sides for ids and scores only.
    """

    def __init__(self) -> None:
        self._nodes: dict[str, TextNode] = {}

    def node(self, node_id: str, stored: dict | None = None, text: str | None = None) -> TextNode | None:
        """The cached node; ``stored``: its metadata as llama-index stores it, to build it from the
        first time (``text``: the document text, which Chroma keeps apart from that metadata)."""
        node = self._nodes.get(node_id)
        if node is None and stored is not None:
            from llama_index.core.vector_stores.utils import metadata_dict_to_node

            node = metadata_dict_to_node(stored)
            if text is not None:
                node.set_content(text)
            self._nodes[node_id] = node
        return node


@lru_cache(maxsize=1)  # one class for the process, whichever path (build or load) asks first
def _bm25_class():
    from llama_index.retrievers.bm25 import BM25Retriever

    class CachedBM25Retriever(BM25Retriever):
        """llama-index's BM25 retriever, with nodes from the generation's node cache (see _NodeCache)."""

        cache: _NodeCache | None = None

        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            if self.cache is None:
                return super()._retrieve(query_bundle)
            import bm25s
            import numpy as np

            tokens = bm25s.tokenize(
                query_bundle.query_str,
                stemmer=None if self.skip_stemming else self.stemmer,
                token_pattern=self.token_pattern,
                show_progress=False,
            )
            mask = np.array(self.corpus_weight_mask) if self.corpus_weight_mask else None
            found, scores = self.bm25.retrieve(tokens, k=self.similarity_top_k, show_progress=False, weight_mask=mask)
            hits = []
            for item, score in zip(found[0], scores[0]):
                stored = item if isinstance(item, dict) else self.corpus[int(item)]
                node_id = stored.get("node_id")
                node = self.cache.node(node_id, stored) if node_id else None
                if node is None:  # a row without its id: built as the library builds it, not cached
                    from llama_index.core.vector_stores.utils import metadata_dict_to_node

                    node = metadata_dict_to_node(stored)
                hits.append(NodeWithScore(node=node, score=float(score)))
            return hits

    return CachedBM25Retriever


def build_bm25(nodes: list[TextNode], top_k: int = 40):
    import Stemmer

    return _bm25_class().from_defaults(
        nodes=nodes,
        similarity_top_k=min(top_k, max(1, len(nodes))),
        stemmer=Stemmer.Stemmer("english"),
        language="english",
        token_pattern=TOKEN_PATTERN,
    )


@dataclass
class SearchFilters:
    """Metadata filters; several units (or areas) mean any of them."""

    task: int | None = None
    section: str | None = None
    units: list[str] = field(default_factory=list)  # canonical unit names
    areas: list[str] = field(default_factory=list)  # canonical area names
    source: str | None = None
    authority: str | None = None  # "plan": only the documents the operator marked as the plan

    def _exact(self) -> dict[str, object]:
        wanted: dict[str, object] = {}
        if self.authority:
            wanted["authority"] = self.authority
        if self.task is not None:
            wanted["task"] = self.task
        if self.section:
            wanted["section"] = self.section
        if self.source:
            wanted["source"] = self.source
        return wanted

    def _any_of(self) -> list[list[str]]:
        return [
            keys for keys in ([f"unit_{slug(u)}" for u in self.units], [f"area_{slug(a)}" for a in self.areas]) if keys
        ]

    def chroma_where(self) -> dict | None:
        """The same filters as a Chroma ``where`` clause."""
        parts: list[dict] = [{k: v} for k, v in self._exact().items()]
        for keys in self._any_of():
            flags = [{k: 1} for k in keys]
            parts.append(flags[0] if len(flags) == 1 else {"$or": flags})
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"$and": parts}

    def accepts(self, metadata: dict) -> bool:
        return all(metadata.get(k) == v for k, v in self._exact().items()) and all(
            any(metadata.get(k) in (1, True) for k in keys) for keys in self._any_of()
        )


@dataclass
class PassageHit:
    """One passage (a task, the introduction, a section of another document) and its evidence."""

    key: tuple[str, str]
    score: float  # fused reciprocal-rank score
    dense: float = 0.0  # best cosine similarity of any of its chunks to the query
    # The dense retriever's own score: 0 when it did not return the passage (fusion reads this,
    # as llama-index's relative-score fusion does; the gate reads ``dense``, the real cosine).
    dense_retrieved: float = 0.0
    lexical: float = 0.0  # best BM25 score of any of its chunks
    chunks: list[NodeWithScore] = field(default_factory=list)  # best first
    cosines: dict[str, float] = field(default_factory=dict)  # node id -> dense cosine

    @property
    def best(self) -> TextNode:
        return self.chunks[0].node

    @property
    def metadata(self) -> dict:
        return self.best.metadata

    @property
    def task(self) -> int | None:
        task = self.metadata.get("task", NO_TASK)
        return int(task) if task and task != NO_TASK else None


def _key(node: TextNode) -> tuple[str, str]:
    return (str(node.metadata.get("source", "")), str(node.metadata.get("label", "")))


class HybridRetriever:
    """Searches one index generation; ``mode`` is hybrid, dense or lexical."""

    def __init__(
        self,
        store: IndexStore,
        manifest: Manifest,
        embed_model,
        mode: str = "hybrid",
        candidate_k: int = 40,
        rrf_k: int = 60,
        fusion: str = "rrf",
        dense_weight: float = 0.6,
    ) -> None:
        self.mode = mode
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.embed_model = embed_model
        self.collection = store.collection(manifest)
        self.nodes = _NodeCache()
        self.bm25 = self._load_bm25(store, manifest)
        self.bm25.cache = self.nodes
        # Filtered dense queries over few passages run in memory (see _filtered_dense).
        self._filtered_ids: dict[tuple, list[str] | None] = {}
        self._vectors: dict[str, object] = {}  # node id -> its unit-length float32 vector
        # With other documents beside the plan, the plan keeps its own share of dense candidates:
        # a large repetitive document otherwise fills the whole candidate list (a 300-page PDF
        # of port notices pushed every plan chunk out of the top 40).
        self.has_other_documents = any(r.metadata.get("authority") != "plan" for r in manifest.sources.values())

    def _load_bm25(self, store: IndexStore, manifest: Manifest):
        path = store.bm25_dir(manifest.generation)
        if path.exists():
            try:
                retriever = _bm25_class().from_persist_dir(str(path), show_progress=False)
                retriever.similarity_top_k = self.candidate_k
                retriever.token_pattern = TOKEN_PATTERN
                return retriever
            except Exception as exc:  # a damaged copy is rebuilt from Chroma, the source of truth
                logger.warning("rebuilding BM25 for %s: %s", manifest.generation, exc)
        # Another replica wrote this generation into a shared Chroma server: rebuild locally.
        return build_bm25(store.nodes(manifest), self.candidate_k)

    def dense(
        self,
        query: str,
        filters: SearchFilters | None = None,
        k: int | None = None,
        query_embedding: list[float] | None = None,
    ) -> list[NodeWithScore]:
        if query_embedding is None:
            query_embedding = self.embed_model.get_query_embedding(query)
        where = filters.chroma_where() if filters else None
        if where is not None:
            exact = self._filtered_dense(filters, query_embedding, k or self.candidate_k)
            if exact is not None:
                return exact
        # Ids and distances only: the nodes come from the generation's cache (see _NodeCache).
        result = self.collection.query(
            query_embeddings=[query_embedding], n_results=k or self.candidate_k, where=where, include=["distances"]
        )
        ids, distances = result["ids"][0], result["distances"][0]
        missing = [i for i in ids if self.nodes.node(i) is None]
        if missing:  # first sight of these passages: read them once, as llama-index stores them
            rows = self.collection.get(ids=missing, include=["metadatas", "documents"])
            for node_id, metadata, text in zip(rows["ids"], rows["metadatas"], rows["documents"]):
                self.nodes.node(node_id, metadata, text)
        # The collection's space is cosine: distance = 1 - cosine similarity. A record deleted between
        # the two calls (a shared server) is left out.
        pairs = ((self.nodes.node(i), d) for i, d in zip(ids, distances))
        return [NodeWithScore(node=node, score=1.0 - d) for node, d in pairs if node is not None]

    def _filtered_dense(
        self, filters: SearchFilters, query_embedding: list[float], k: int
    ) -> list[NodeWithScore] | None:
        """A filtered dense query answered in memory, exactly, when few passages pass the filter.

        Chroma's filtered query reads every record's metadata before its vector search: 14 ms at
        the benchmark's 100x corpus against 2.5 ms unfiltered, though the plan's own passages (what
        unit, area and plan-only filters select) are about a hundred vectors. The passages a filter
        accepts are read once from the BM25 corpus (it holds every passage's metadata) and their
        vectors once from Chroma; None when the filter selects too many to keep (Chroma answers).
        """
        import numpy as np

        key = (tuple(sorted(filters._exact().items())), tuple(map(tuple, filters._any_of())))
        if key in self._filtered_ids:
            ids = self._filtered_ids[key]
        else:
            rows = self.bm25.corpus or []
            accepted = [r.get("node_id") for r in rows if filters.accepts(r)]
            usable = len(accepted) <= MAX_IN_MEMORY_FILTERED and all(accepted) and len(rows) > 0
            ids = accepted if usable else None
            if len(self._filtered_ids) > 256:  # every distinct filter is cached: keep the cache bounded
                self._filtered_ids = {}  # (replaced, not cleared: another thread may be reading it)
            self._filtered_ids[key] = ids
        if ids is None:
            return None
        missing = [i for i in ids if i not in self._vectors or self.nodes.node(i) is None]
        if missing:
            stored = self.collection.get(ids=missing, include=["embeddings", "metadatas", "documents"])
            for node_id, vector, metadata, text in zip(
                stored["ids"], stored["embeddings"], stored["metadatas"], stored["documents"]
            ):
                self._vectors[node_id] = _unit(vector)
                self.nodes.node(node_id, metadata, text)
        present = [i for i in ids if i in self._vectors]  # (a record deleted on a shared server is left out)
        if not present:
            return []
        query = _unit(query_embedding)
        cosines = np.stack([self._vectors[i] for i in present]) @ query
        order = np.argsort(-cosines)[:k]
        return [NodeWithScore(node=self.nodes.node(present[j]), score=float(cosines[j])) for j in order]

    def lexical(self, query: str, filters: SearchFilters | None = None, k: int | None = None) -> list[NodeWithScore]:
        if not re.search(r"\w\w", query):
            return []
        hits = self.bm25.retrieve(query)
        hits = [h for h in hits if (h.score or 0) > 0]
        if filters:
            hits = [h for h in hits if filters.accepts(h.node.metadata)]
        return hits[: k or self.candidate_k]

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        top_k: int = 5,
        query_embedding: list[float] | None = None,
        lexical_query: str | None = None,
    ) -> list[PassageHit]:
        """Passages ranked by fusing the two retrievers' passage rankings.

        ``lexical_query``: the words BM25 should match (the question's subject, without the words
        that only ask), when the caller knows them; the dense side always reads the whole question.
        """
        query = normalise_query(query)
        lexical_text = normalise_query(lexical_query) if lexical_query and lexical_query.strip() else query
        ranked: dict[tuple[str, str], PassageHit] = {}
        sides = []
        uses_dense = self.mode in ("hybrid", "dense")
        if uses_dense:
            if query_embedding is None:
                query_embedding = self.embed_model.get_query_embedding(query)
            sides.append(("dense", self._dense_candidates(query, filters, query_embedding)))
        if self.mode in ("hybrid", "lexical"):
            sides.append(("lexical", self.lexical(lexical_text, filters)))
        for side, hits in sides:
            rank_of: dict[tuple[str, str], int] = {}
            for hit in hits:
                key = _key(hit.node)
                entry = ranked.setdefault(key, PassageHit(key=key, score=0.0))
                if key not in rank_of:
                    rank_of[key] = len(rank_of) + 1
                    entry.score += 1.0 / (self.rrf_k + rank_of[key])
                if side == "dense":
                    entry.dense = max(entry.dense, hit.score or 0.0)
                    entry.dense_retrieved = entry.dense
                    entry.cosines[hit.node.node_id] = hit.score or 0.0
                else:
                    entry.lexical = max(entry.lexical, hit.score or 0.0)
                # Chunks keep the dense order first (cosine ranks sentences best), then lexical.
                if all(c.node.node_id != hit.node.node_id for c in entry.chunks):
                    entry.chunks.append(hit)
        if uses_dense and query_embedding is not None:
            self._fill_cosines(list(ranked.values()), query_embedding)
        if self.fusion == "relative" and len(sides) == 2:
            self._relative_scores(list(ranked.values()))
        results = sorted(ranked.values(), key=lambda h: (-h.score, -h.dense))
        return results[:top_k]

    def _dense_candidates(
        self, query: str, filters: SearchFilters | None, query_embedding: list[float]
    ) -> list[NodeWithScore]:
        """The dense top-k, plus the plan's own top half when other documents share the index."""
        hits = self.dense(query, filters, query_embedding=query_embedding)
        if not self.has_other_documents or (filters and filters.source):
            return hits
        plan_only = replace(filters, authority="plan") if filters else SearchFilters(authority="plan")
        seen = {h.node.node_id for h in hits}
        extra = [
            h
            for h in self.dense(query, plan_only, k=max(5, self.candidate_k // 2), query_embedding=query_embedding)
            if h.node.node_id not in seen
        ]
        return sorted(hits + extra, key=lambda h: -(h.score or 0.0))

    def _fill_cosines(self, entries: list[PassageHit], query_embedding: list[float]) -> None:
        """A passage found only by BM25 gets its real cosine, not 0.

        With a score of 0 the refusal gate dropped exactly the plan passages that a flood of
        other text had pushed out of the dense candidates.
        """
        missing = {c.node.node_id: e for e in entries if not e.cosines for c in e.chunks[:3]}
        if not missing:
            return
        import numpy as np

        # (vectors a filtered query already holds are not read again)
        unread = [i for i in missing if i not in self._vectors]
        rows = self.collection.get(ids=unread, include=["embeddings"]) if unread else {"ids": [], "embeddings": []}
        vectors = [(i, self._vectors[i]) for i in missing if i in self._vectors]
        vectors += list(zip(rows["ids"], rows["embeddings"]))
        query = _unit(query_embedding)
        for node_id, vector in vectors:
            vector = np.asarray(vector, dtype=np.float32)
            cosine = float(vector @ query / (np.linalg.norm(vector) or 1.0))
            entry = missing[node_id]
            entry.cosines[node_id] = cosine
            entry.dense = max(entry.dense, cosine)

    def _relative_scores(self, entries: list[PassageHit]) -> None:
        """Min-max normalise each side's best score per passage and mix them (llama-index's
        "relative score" fusion, applied per passage): unlike rank fusion it keeps how far ahead
        the leader is, so a clear dense winner is not outvoted by a passage mediocre on both sides."""

        if not entries:  # filters that no passage satisfies: nothing to score
            return

        def normalised(values: list[float]) -> list[float]:
            low, high = min(values), max(values)
            return [(v - low) / (high - low) if high > low else 1.0 for v in values]

        dense = normalised([e.dense_retrieved for e in entries])
        lexical = normalised([e.lexical for e in entries])
        for entry, d, lex in zip(entries, dense, lexical):
            entry.score = self.dense_weight * d + (1 - self.dense_weight) * lex
