"""The persistent index: Chroma (dense) plus BM25 (lexical), written crash-safely.

Every ingest that changes anything writes a new *generation*: a fresh Chroma collection and a
BM25 directory named after the content. Unchanged chunks are copied with their embeddings,
so only new text is embedded. The generation becomes current only when the manifest (kept in
Chroma itself, so a Chroma server shares it between replicas) is switched at the very end: a
process killed mid-ingest leaves the previous generation complete and current. One writer at a
time holds a file lock; the previous generation is kept for readers still using it.
"""

from __future__ import annotations

import errno
import itertools
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import chromadb
from filelock import FileLock, Timeout
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from tqdm import tqdm

from assistant.chunking import TooManyChunks, chunk_id, document_nodes, embed_text
from assistant.embedding import embedding_model
from assistant.embedding import model_id as active_model_id
from assistant.loaders import (
    LoadError,
    LoadLimits,
    check_file,
    discover_files,
    file_sha256,
    load_file,
    read_sidecar,
    shown_path,
)
from assistant.settings import Settings

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 5  # bump when chunking or metadata changes: forces a rebuild
_COPY_BATCH = 500
_WRITE_BATCH = 512
_BATCH_CHARS = 16_000  # text per embedding batch (see _batches)
# A superseded generation stays readable for ``Settings.retire_grace_s`` (default two minutes), so
# a reader that picked up the manifest just before a switch (readers re-check it every couple of
# seconds) never finds its collection gone, even when several ingests follow each other quickly.


class IndexNotReady(RuntimeError):
    """No complete index exists yet (run ``ingest``)."""


class IngestBusy(RuntimeError):
    """Another ingest held the lock for longer than ``ingest_lock_timeout_s``."""


class DiskFull(RuntimeError):
    """The disk filled up during an ingest; the previous index is still the current one."""


def _is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in text or "no space left" in text


@dataclass
class SourceRecord:
    doc_id: str
    path: str
    sha256: str
    title: str
    file_type: str
    chunk_ids: list[str]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Manifest:
    generation: str
    collection: str
    embed_model: str
    schema_version: int
    created: float
    sources: dict[str, SourceRecord]

    @property
    def chunk_count(self) -> int:
        return sum(len(s.chunk_ids) for s in self.sources.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        data["sources"] = {k: SourceRecord(**v) for k, v in data["sources"].items()}
        return cls(**data)


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    embedded: int = 0
    generation: str = ""
    rebuilt: bool = False
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (see docs/benchmarks.md)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def chroma_client(settings: Settings):
    """Embedded persistent Chroma by default; a Chroma server when ASSISTANT_CHROMA_HOST is set."""
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.server_mode:
        try:
            client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:
            raise RuntimeError(
                f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({exc}). "
                "Start one with `chroma run --path DIR --host 127.0.0.1 --port N`, or unset "
                "ASSISTANT_CHROMA_HOST to use the embedded index."
            ) from exc
        return client
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class IndexStore:
    """Reads and writes the index generations of one Chroma database."""

    def __init__(self, settings: Settings, client=None) -> None:
        self.settings = settings
        self.client = client or chroma_client(settings)
        self.meta_name = f"{settings.collection_prefix}_manifest"
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(str(settings.index_dir / "ingest.lock"))

    # --- manifest ------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        try:
            meta = self.client.get_collection(self.meta_name)
        except Exception:
            return None
        rows = meta.get(ids=["manifest"], include=["documents"])
        if not rows["ids"]:
            return None
        return Manifest.from_json(rows["documents"][0])

    def _retired(self) -> dict[str, float]:
        """Superseded generations and when they were superseded (kept for readers for a grace period)."""
        try:
            rows = self.client.get_collection(self.meta_name).get(ids=["retired"], include=["documents"])
            return {str(k): float(v) for k, v in json.loads(rows["documents"][0]).items()} if rows["ids"] else {}
        except Exception:
            return {}

    def _write_manifest(self, manifest: Manifest, retired: dict[str, float] | None = None) -> None:
        # A small collection whose documents are the manifest JSON (and the retired generations);
        # the upsert is a single transaction, so readers see either the old or the new
        # generation, never a mixture.
        meta = self.client.get_or_create_collection(self.meta_name, embedding_function=None)
        meta.upsert(
            ids=["manifest", "retired"],
            documents=[manifest.to_json(), json.dumps(retired or {})],
            embeddings=[[0.0], [0.0]],
            metadatas=[{"generation": manifest.generation}, {"generation": ""}],
        )

    def collection(self, manifest: Manifest):
        return self.client.get_collection(manifest.collection, embedding_function=None)

    def bm25_dir(self, generation: str) -> Path:
        return self.settings.index_dir / "bm25" / generation

    # --- reading nodes -------------------------------------------------------------------

    def nodes(self, manifest: Manifest, where: dict | None = None) -> list[TextNode]:
        """Every node of the current generation (optionally filtered), in document order."""
        col = self.collection(manifest)
        nodes: list[TextNode] = []
        # In pages: one get() of 10,000 chunks grew the process by ~400 MB that Chroma's native
        # side kept; pages of 500 by ~50 MB (measured, chromadb 1.5).
        for offset in itertools.count(0, _COPY_BATCH):
            rows = col.get(where=where, include=["documents", "metadatas"], limit=_COPY_BATCH, offset=offset)
            nodes += [metadata_dict_to_node(m, text=d) for d, m in zip(rows["documents"], rows["metadatas"])]
            if len(rows["ids"]) < _COPY_BATCH:
                break
        nodes.sort(key=_document_order)
        return nodes

    # --- writing -------------------------------------------------------------------------

    def ingest(self, paths: Iterable[Path] | None = None, rebuild: bool = False, progress: bool = True) -> IngestReport:
        """Bring the index in line with ``corpus/`` (and any extra ``paths``); idempotent."""
        started = time.perf_counter()
        if isinstance(paths, str | Path):  # one path given bare rather than in a list
            paths = [paths]
        extra = [Path(p) for p in paths or []]
        timeout = self.settings.ingest_lock_timeout_s
        try:
            self.lock.acquire(timeout=0)
        except Timeout:
            logger.warning("another ingest is running; waiting up to %.0f s for it to finish", timeout)
            try:
                self.lock.acquire(timeout=timeout)
            except Timeout:
                raise IngestBusy(
                    f"another ingest has been running for more than {timeout:.0f} s; nothing was changed. "
                    "Try again when it has finished (ASSISTANT_INGEST_LOCK_TIMEOUT_S sets the wait)"
                ) from None
        try:
            report = self._ingest_locked(extra, rebuild, progress)
        except Exception as exc:
            if _is_disk_full(exc):
                raise DiskFull(
                    "the disk is full: the documents could not be indexed and the previous index is still "
                    "in use. Free some disk space and ingest again"
                ) from exc
            raise
        finally:
            self.lock.release()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def _sources_wanted(self, extra: list[Path], old: Manifest | None, rebuild: bool) -> dict[str, Path]:
        corpus = Path(os.path.abspath(self.settings.corpus_dir))
        wanted: dict[str, Path] = {}

        def add(path: Path) -> None:
            # Absolute but not resolved: a symlink in the corpus is known by its own name, so
            # deleting the link removes the document (resolving named it by its target, which
            # outlived the link).
            path = Path(os.path.abspath(path))
            try:
                doc_id = str(path.relative_to(corpus))
            except ValueError:
                doc_id = str(path)
            wanted[doc_id] = path

        if corpus.exists():
            for path in discover_files(corpus):
                add(path)
        if old and not rebuild:  # documents ingested from elsewhere stay while their file exists
            for record in old.sources.values():
                if Path(record.path).exists() and Path(record.path).is_file():
                    add(Path(record.path))
        for path in extra:
            if path.is_dir():
                for found in discover_files(path):
                    add(found)
            else:
                add(path)
        return wanted

    def _ingest_locked(self, extra: list[Path], rebuild: bool, progress: bool) -> IngestReport:
        started = time.perf_counter()
        settings = self.settings
        report = IngestReport()
        old = self.manifest()
        model_id = active_model_id(settings)
        reuse = old is not None and not rebuild and old.embed_model == model_id and old.schema_version == SCHEMA_VERSION
        report.rebuilt = old is not None and not reuse
        old_sources = old.sources if (old and reuse) else {}

        records: dict[str, SourceRecord] = {}
        new_nodes: list[TextNode] = []
        reused_ids: list[str] = []
        seen_sha: dict[str, str] = {}
        limits = LoadLimits(max_chars=settings.max_document_chars, max_pages=settings.max_document_pages)
        wanted = self._sources_wanted(extra, old, rebuild)
        # Documents already indexed come first, so a later copy of one is the duplicate, not it.
        for doc_id, path in sorted(wanted.items(), key=lambda item: (item[0] not in old_sources, item[0])):
            previous = old_sources.get(doc_id)
            try:
                check_file(path)  # before hashing: a device or pipe would be read forever
                sha = file_sha256(path)
            except LoadError as exc:
                logger.error("skipping %s", exc)
                report.errors.append({"file": shown_path(path), "error": exc.reason})
                if previous and path.exists():  # unreadable now: keep the last good version
                    records[doc_id] = previous
                    reused_ids.extend(previous.chunk_ids)
                continue
            except OSError as exc:
                report.errors.append({"file": shown_path(path), "error": f"cannot read file ({exc.strerror})"})
                continue
            if sha in seen_sha:  # the same content under a second name would double every hit
                reason = f"duplicate: identical content is already indexed as {seen_sha[sha]!r}"
                logger.error("skipping %s: %s", shown_path(path), reason)
                report.errors.append({"file": shown_path(path), "error": reason})
                continue
            seen_sha[sha] = doc_id
            # Authority comes from the operator (setting or sidecar), never from the content.
            authority = "plan" if settings.is_plan_document(doc_id, path, read_sidecar(path)) else "document"
            if previous and previous.sha256 == sha and previous.metadata.get("authority") == authority:
                records[doc_id] = previous
                reused_ids.extend(previous.chunk_ids)
                report.unchanged.append(doc_id)
                continue
            try:
                doc = load_file(path, doc_id=doc_id, limits=limits)
                doc.is_plan = authority == "plan"
                doc.metadata["authority"] = authority
                nodes = _dedupe(document_nodes(doc, max_chunks=settings.max_document_chunks))
            except (LoadError, TooManyChunks) as exc:
                reason = exc.reason if isinstance(exc, LoadError) else str(exc)
                logger.error("skipping %s: %s", shown_path(path), reason)
                report.errors.append({"file": shown_path(path), "error": reason})
                if previous:  # keep the last good version rather than lose the document
                    records[doc_id] = previous
                    reused_ids.extend(previous.chunk_ids)
                continue
            new_nodes.extend(nodes)
            records[doc_id] = SourceRecord(
                doc_id, str(path), sha, doc.title, doc.file_type, [n.node_id for n in nodes], doc.metadata
            )
            (report.updated if previous else report.added).append(doc_id)
        report.removed = sorted(set(old_sources) - set(records)) if old else []

        generation = chunk_id(
            model_id,
            str(SCHEMA_VERSION),
            *sorted(f"{r.doc_id}:{r.sha256}:{r.metadata.get('authority', '')}" for r in records.values()),
        )[:16]
        report.generation = generation
        report.chunks = sum(len(r.chunk_ids) for r in records.values())
        if old is not None and old.generation == generation:
            return report  # nothing changed: the index is already exactly this
        if not records:
            raise IndexNotReady("no readable documents to index; add files to corpus/ or fix the errors above")

        report.timings["read_parse"] = time.perf_counter() - started
        collection_name = f"{settings.collection_prefix}_{generation}"
        self._drop_collection(collection_name)  # leftovers of an interrupted attempt
        collection = self.client.create_collection(
            collection_name,
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "embed_model": model_id, "schema": SCHEMA_VERSION},
        )
        manifest = Manifest(generation, collection_name, model_id, SCHEMA_VERSION, time.time(), records)
        try:
            copied: list[TextNode] = []
            if reused_ids and old is not None:
                copied = self._copy_chunks(self.collection(old), collection, reused_ids)
            self._embed_and_add(collection, new_nodes, progress)
            report.embedded = len(new_nodes)
            report.timings["embed_write"] = time.perf_counter() - started - report.timings["read_parse"]
            # BM25 from the nodes in hand (exactly what was written) rather than read back from
            # Chroma: at 10,000 chunks the read-back cost ~3 s and a second copy of every node.
            self._write_bm25(manifest, sorted(copied + new_nodes, key=_document_order), report.timings)
        except BaseException:
            # Nothing of an unfinished generation stays on disk (a retry after a full disk would
            # otherwise leave one more partial collection each time).
            self._drop_collection(collection_name)
            shutil.rmtree(self.bm25_dir(generation).with_name(generation + ".tmp"), ignore_errors=True)
            self._remove_orphan_segments()
            raise
        mark = time.perf_counter()
        retired = self._retired()
        if old is not None:
            retired[old.generation] = time.time()
        retired = {g: t for g, t in retired.items() if time.time() - t < settings.retire_grace_s and g != generation}
        self._write_manifest(manifest, retired)  # the commit point
        self._prune(keep={generation, old.generation if old else "", *retired})
        self._remove_orphan_segments()
        self._compact()
        report.timings["commit_prune"] = time.perf_counter() - mark
        logger.info(
            "index generation %s: %d documents, %d chunks (%d embedded)",
            generation,
            len(records),
            report.chunks,
            report.embedded,
        )
        return report

    def _copy_chunks(self, source, target, ids: list[str]) -> list[TextNode]:
        """Copy unchanged chunks with their vectors; returns them as nodes (without vectors)."""
        nodes: list[TextNode] = []
        for start in range(0, len(ids), _COPY_BATCH):
            batch = ids[start : start + _COPY_BATCH]
            rows = source.get(ids=batch, include=["embeddings", "documents", "metadatas"])
            target.add(
                ids=rows["ids"], embeddings=rows["embeddings"], documents=rows["documents"], metadatas=rows["metadatas"]
            )
            nodes += [metadata_dict_to_node(m, text=d) for d, m in zip(rows["documents"], rows["metadatas"])]
        return nodes

    def _embed_and_add(self, collection, nodes: list[TextNode], progress: bool) -> None:
        if not nodes:
            return
        from llama_index.vector_stores.chroma import ChromaVectorStore

        embedder = embedding_model(self.settings)
        store = ChromaVectorStore(chroma_collection=collection)
        batch = self.settings.embed_batch_size
        bar = tqdm(total=len(nodes), desc="Embedding chunks", unit="chunk", disable=not progress)
        # Windows of _WRITE_BATCH nodes in document order. Within a window, texts are embedded
        # shortest first in batches of similar length (a batch is padded to its longest text, and
        # passages mixed with one-line sentences multiplied the work); the window is then written
        # in document order (readers rely on Chroma returning a passage's sentences in that order).
        # Chroma's write (metadata, full-text index, HNSW, SQLite) runs on a second thread while
        # the next window is embedded; one large write costs half as much as 8 writes of 64.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chroma-write") as writer:
            pending: Future | None = None
            for first in range(0, len(nodes), _WRITE_BATCH):
                window = nodes[first : first + _WRITE_BATCH]
                by_length = sorted(window, key=lambda n: len(embed_text(n)))
                texts = [embed_text(n) for n in by_length]
                for start, end in _batches(texts, batch):
                    vectors = embedder.get_text_embedding_batch(texts[start:end])
                    for node, vector in zip(by_length[start:end], vectors):
                        node.embedding = vector
                    bar.update(end - start)
                if pending is not None:
                    pending.result()  # errors of the previous write surface here
                pending = writer.submit(store.add, window)
            if pending is not None:
                pending.result()
        bar.close()
        for node in nodes:  # written: the vectors (~120 MB at 10,000 chunks as Python floats) can go
            node.embedding = None

    def _write_bm25(
        self, manifest: Manifest, nodes: list[TextNode] | None = None, timings: dict[str, float] | None = None
    ) -> None:
        """The lexical side (BM25), written beside Chroma.

        ``nodes``: the generation's nodes in document order, if at hand; else read from Chroma.
        """
        from assistant.retrieval import build_bm25

        target = self.bm25_dir(manifest.generation)
        staging = target.with_name(target.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        started = time.perf_counter()
        nodes = nodes if nodes is not None else self.nodes(manifest)
        build_bm25(nodes).persist(str(staging))
        if timings is not None:
            timings.update(bm25=time.perf_counter() - started)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)  # atomic on one filesystem

    def _drop_collection(self, name: str) -> None:
        try:
            self.client.delete_collection(name)
        except Exception:
            pass

    def _prune(self, keep: set[str]) -> None:
        prefix = f"{self.settings.collection_prefix}_"
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name != self.meta_name and name[len(prefix) :] not in keep:
                self._drop_collection(name)
        bm25_root = self.settings.index_dir / "bm25"
        if bm25_root.exists():
            for child in bm25_root.iterdir():
                if child.name not in keep:
                    shutil.rmtree(child, ignore_errors=True)

    # --- disk hygiene (embedded Chroma only; a Chroma server manages its own files) ----------

    def _sqlite_path(self) -> Path | None:
        path = self.settings.index_dir / "chroma" / "chroma.sqlite3"
        return None if self.settings.server_mode or not path.exists() else path

    def _remove_orphan_segments(self) -> None:
        """Delete segment directories no collection refers to any more.

        Embedded Chroma (1.x) removes a deleted collection's rows but leaves its HNSW segment
        directory behind: one orphan per ingest, 93 MB after a day of tests. A directory is an
        orphan when its name (a segment id) is not in the ``segments`` table.
        """
        db = self._sqlite_path()
        if db is None:
            return
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
                live = {row[0] for row in conn.execute("SELECT id FROM segments")}
        except sqlite3.Error as exc:
            logger.warning("could not list Chroma segments (%s); orphan directories left in place", exc)
            return
        for child in db.parent.iterdir():
            if child.is_dir() and _looks_like_uuid(child.name) and child.name not in live:
                shutil.rmtree(child, ignore_errors=True)
                logger.info("removed orphan segment directory %s", child.name)

    def _compact(self) -> None:
        """VACUUM the SQLite file when deleted generations left more than ``vacuum_free_ratio`` of it free."""
        db = self._sqlite_path()
        if db is None:
            return
        try:
            with sqlite3.connect(str(db), timeout=5) as conn:
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                free = conn.execute("PRAGMA freelist_count").fetchone()[0]
                if pages and free / pages >= self.settings.vacuum_free_ratio:
                    conn.execute("VACUUM")
                    logger.info("compacted the index database: %d of %d pages were free", free, pages)
        except sqlite3.Error as exc:  # busy readers or a full disk: compaction can wait for the next ingest
            logger.warning("index database not compacted (%s)", exc)


def _looks_like_uuid(name: str) -> bool:
    return len(name) == 36 and name.count("-") == 4 and all(c in "0123456789abcdef-" for c in name)


def _document_order(node: TextNode) -> tuple:
    meta = node.metadata
    return (meta.get("source", ""), meta.get("order", 0), meta.get("granularity", "") != "passage")


def _batches(texts: list[str], size: int, budget_chars: int = _BATCH_CHARS) -> list[tuple[int, int]]:
    """(start, end) of embedding batches over length-sorted texts: at most ``size`` texts, and
    fewer for long texts, so that no batch holds much more than ``budget_chars`` of text.

    A batch's activations grow with its count times its longest text; 64 passages of ~250
    tokens took ~250 MB at once (measured), short sentences take little either way.
    """
    spans, start = [], 0
    while start < len(texts):
        end = start + 1
        while end < len(texts) and end - start < size and (end - start + 1) * len(texts[end]) <= budget_chars:
            end += 1
        spans.append((start, end))
        start = end
    return spans


def _dedupe(nodes: list[TextNode]) -> list[TextNode]:
    seen: set[str] = set()
    unique = []
    for node in nodes:
        if node.node_id not in seen:
            seen.add(node.node_id)
            unique.append(node)
    return unique
