"""The persistent index: idempotent ingest, updates and removals, bad files, model changes."""

from __future__ import annotations

from assistant.index import SCHEMA_VERSION, IndexStore
from assistant.settings import BUNDLED_EMBED_MODEL
from tests.conftest import PLAN_FILE, make_settings


def _collection_count(store: IndexStore) -> int:
    return store.collection(store.manifest()).count()


def test_ingest_builds_a_complete_index_with_source_metadata(built_settings):
    store = IndexStore(built_settings)
    manifest = store.manifest()
    assert manifest is not None and manifest.schema_version == SCHEMA_VERSION
    assert list(manifest.sources) == [PLAN_FILE]
    nodes = store.nodes(manifest)
    assert len(nodes) == manifest.chunk_count == _collection_count(store)
    tasks = {n.metadata["task"] for n in nodes if n.metadata["kind"] == "task"}
    assert tasks == set(range(1, 24))
    for node in nodes:  # the document's source metadata travels with every chunk
        assert node.metadata["issuer"] == "General Office of the Shanghai Municipal People's Government"
        assert node.metadata["issued"] == "2024-12-30" and node.metadata["url"]
        assert node.metadata["doc_title"].startswith("Implementation Plan of Shanghai Municipality")
    assert store.bm25_dir(manifest.generation).is_dir()


def test_ingesting_twice_changes_nothing(tmp_path):
    store = IndexStore(make_settings(tmp_path))
    first = store.ingest(progress=False)
    before = store.manifest()
    ids_before = sorted(store.collection(before).get(include=[])["ids"])
    second = store.ingest(progress=False)
    after = store.manifest()
    assert first.changed and not second.changed and second.embedded == 0
    assert after.generation == before.generation and after.created == before.created
    assert sorted(store.collection(after).get(include=[])["ids"]) == ids_before


def test_changed_and_removed_files_are_replaced_and_dropped(tmp_path):
    settings = make_settings(tmp_path)
    store = IndexStore(settings)
    store.ingest(progress=False)
    extra = settings.corpus_dir / "notice.md"
    extra.write_text("# Notice on drone exports\n\nArticle 1 Drone makers may apply for export credit.", "utf-8")
    added = store.ingest(progress=False)
    assert added.added == ["notice.md"] and added.unchanged == [PLAN_FILE]
    # Only the new document is embedded; the plan's chunks are copied with their embeddings.
    assert added.embedded == len(store.manifest().sources["notice.md"].chunk_ids)

    extra.write_text("# Notice on drone exports\n\nArticle 1 Drone makers may apply for export insurance.", "utf-8")
    updated = store.ingest(progress=False)
    manifest = store.manifest()
    texts = [n.text for n in store.nodes(manifest) if n.metadata["source"] == "notice.md"]
    assert updated.updated == ["notice.md"]
    assert any("export insurance" in t for t in texts) and not any("export credit" in t for t in texts)

    extra.unlink()
    removed = store.ingest(progress=False)
    manifest = store.manifest()
    assert removed.removed == ["notice.md"] and list(manifest.sources) == [PLAN_FILE]
    assert all(n.metadata["source"] == PLAN_FILE for n in store.nodes(manifest))
    assert _collection_count(store) == manifest.chunk_count


def test_corrupt_file_is_reported_and_the_rest_indexes(tmp_path):
    settings = make_settings(tmp_path)
    (settings.corpus_dir / "scan.pdf").write_bytes(b"%PDF-1.4 garbage without objects")
    report = IndexStore(settings).ingest(progress=False)
    assert [e["file"].endswith("scan.pdf") for e in report.errors] == [True]
    assert "pdf" in report.errors[0]["error"]
    assert report.added == [PLAN_FILE]
    assert list(IndexStore(settings).manifest().sources) == [PLAN_FILE]


def test_changed_embedding_model_rebuilds_instead_of_mixing(tmp_path):
    settings = make_settings(tmp_path)
    IndexStore(settings).ingest(progress=False)
    old = IndexStore(settings).manifest()
    # Another model (the bundled MiniLM through sentence-transformers): the index must be rebuilt.
    other = settings.model_copy(update={"embed_model": BUNDLED_EMBED_MODEL})
    store = IndexStore(other)
    report = store.ingest(progress=False)
    new = store.manifest()
    assert report.rebuilt and report.embedded == new.chunk_count
    assert new.embed_model == other.embed_model and new.generation != old.generation
    names = {c.name for c in store.client.list_collections()}
    assert new.collection in names


def test_auto_ingest_on_first_use(tmp_path):
    from assistant.api import Assistant

    settings = make_settings(tmp_path)
    assert IndexStore(settings).manifest() is None
    stats = Assistant(settings).stats()
    assert stats["documents"] == 1 and stats["chunks"] > 23
