"""Related documents are first-class sources: their own articles, labels, metadata and answers.

A Lin-gang notice with numbered articles is added through the CLI (`ingest PATH`, a real
subprocess) and through the upload path the web app uses; questions only the notice answers
are answered from the right article, cited with a label of at most 60 characters, in answers and
in wording search, even though the question names a place the plan also names.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.api import Assistant
from assistant.index import IndexStore
from assistant.structure import LABEL_MAX_CHARS, parse_generic, short_title
from assistant.uploads import save_upload
from tests.conftest import make_settings
from tests.docfactory import DRONE_NOTICE as NOTICE

SUBSIDY_Q = "How much subsidy does a drone delivery operator get in Lin-gang?"


def test_articles_headings_and_numbered_items_get_short_unique_labels():
    text = (
        "# Port Notice\n\nPreamble.\n\n## Scope\n\nApplies to terminals.\n\nArticle 3 Berths are booked.\n\n"
        "第五条 船舶应提前报告。\n\n1. Fees: Fees are paid monthly.\n\n## Annex\n\n1. Forms: Form A is used."
    )
    passages = parse_generic(text, "Port Notice")
    labels = [p.label for p in passages]
    assert labels == [
        "Port Notice",
        "Port Notice, Scope",
        "Port Notice, Art. 3",
        "Port Notice, Art. 五",
        "Port Notice, Item 1",
        "Port Notice, Item 1 (2)",  # an empty heading ("Annex") makes no passage of its own
    ]
    assert [p.title for p in passages][2:5] == ["Article 3", "第五条", "Fees"]
    long = "Lin-gang Special Area Measures for Supporting Low-Altitude Drone Delivery"
    assert short_title(long) == "Lin-gang Low-Altitude Drone Delivery Measures"
    label = parse_generic("Article 123 Text.", long * 3)[0].label
    assert len(label) <= LABEL_MAX_CHARS and label.endswith("Art. 123")


@pytest.fixture(scope="module")
def notice_settings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("related")
    settings = make_settings(tmp)
    IndexStore(settings).ingest(progress=False)
    return settings


def _cli(settings, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir))
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True, timeout=300
    )


def _is_article(citation_or_hit: dict, number: int) -> bool:
    title = citation_or_hit["title"]
    return title.endswith(f"Art. {number}") and len(title) <= LABEL_MAX_CHARS and "Drone" in title


def test_a_notice_ingested_by_the_cli_is_answered_from_its_article(notice_settings, tmp_path):
    notice = tmp_path / "lingang-drone-measures.md"
    notice.write_text(NOTICE, encoding="utf-8")
    ingest = _cli(notice_settings, "ingest", str(notice))
    assert ingest.returncode == 0, ingest.stderr
    answer = json.loads(_cli(notice_settings, "ask", "--json", SUBSIDY_Q).stdout)
    first = answer["citations"][0]
    assert not answer["refused"] and first["task"] is None and _is_article(first, 3) and first["verified"]
    assert "500,000 yuan" in first["quote"]
    hits = json.loads(_cli(notice_settings, "search", "--json", "drone delivery route subsidy").stdout)
    assert _is_article(hits[0], 3)
    # The plan's own answers are untouched, and a question about the plan stays with the plan.
    api = Assistant(notice_settings, auto_ingest=False)
    plan = api.ask("What does the plan say about aircraft leasing in Lin-gang?")
    assert plan["citations"][0]["task"] == 13
    # The documents table reads title, issuer and date from the notice itself (it has no sidecar).
    row = next(d for d in api.documents() if d["doc_id"].endswith("lingang-drone-measures.md"))
    assert row["title"] == "Lin-gang Special Area Measures for Supporting Low-Altitude Drone Delivery"
    assert row["issuer"] == "Lin-gang Special Area Administrative Committee" and row["issued"] == "2025-03-01"
    notice.unlink()
    api.ingest()


def test_an_uploaded_notice_answers_when_questions_from_its_application_article(notice_settings, tmp_path):
    api = Assistant(notice_settings, auto_ingest=False)
    source = tmp_path / "drone.md"
    source.write_text(NOTICE, encoding="utf-8")
    saved = save_upload(source, notice_settings, original_name="drone.md", documents=api.documents())
    doc_id = api.add_documents([saved.path]).added[0]
    try:
        subsidy = api.ask(SUBSIDY_Q)
        assert _is_article(subsidy["citations"][0], 3)
        # The subsidy article has no date; the notice's application article does, and answers.
        when = api.ask("When do I apply for the drone route subsidy?")
        assert when["coverage"] == "full" and _is_article(when["citations"][0], 4)
        assert "March and May" in when["answer"]
    finally:
        api.remove_document(doc_id)


def test_a_chinese_notice_is_found_by_its_words_in_bm25(notice_settings, tmp_path):
    """BM25 reads Chinese text character by character, not one token per run of characters."""
    api = Assistant(notice_settings, auto_ingest=False)
    notice = tmp_path / "zh-notice.md"
    notice.write_text(
        "# 临港新片区低空无人机配送支持措施\n\n第一条 为发展低空经济，制定本措施。\n\n"
        "第三条 开通新的无人机配送航线的企业，每条航线给予一次性补贴。\n",
        encoding="utf-8",
    )
    doc_id = api.add_documents([notice]).added[0]
    try:
        retriever = api._ready().retriever
        hits = retriever.lexical("无人机配送航线补贴")  # words the article uses, not one of its sentences
        assert hits and hits[0].node.metadata["source"] == doc_id
        assert hits[0].node.metadata["label"].endswith("Art. 三")
    finally:
        notice.unlink()
        api.ingest()


def test_filtered_dense_search_in_memory_equals_chromas_filtered_query(notice_settings, tmp_path):
    """Filters over few passages are searched in memory (speed); the result must be exactly what
    Chroma's own filtered query returns: the same passages, in the same order, with the same cosines."""
    from assistant.retrieval import SearchFilters

    api = Assistant(notice_settings, auto_ingest=False)
    notice = tmp_path / "drone.md"
    notice.write_text(NOTICE, encoding="utf-8")
    doc_id = api.add_documents([notice]).added[0]
    try:
        retriever = api._ready().retriever
        query = retriever.embed_model.get_query_embedding("drone delivery routes and customs clearance in Lin-gang")
        filters = [
            SearchFilters(authority="plan"),
            SearchFilters(units=["Shanghai Customs"]),
            SearchFilters(units=["Shanghai Customs", "Municipal Data Bureau"], authority="plan"),
            SearchFilters(areas=["Lin-gang Special Area"]),
            SearchFilters(task=12),
            SearchFilters(source=doc_id),
        ]
        for wanted in filters:
            mine = retriever.dense("", wanted, k=10, query_embedding=query)
            theirs = retriever.collection.query(
                query_embeddings=[query], n_results=10, where=wanted.chroma_where(), include=["distances"]
            )
            assert mine, wanted
            # (a passage and its one sentence have the same text, so the same cosine: ties may come in either order)
            assert sorted((round(h.score, 4), h.node.node_id) for h in mine) == sorted(
                (round(1 - d, 4), i) for i, d in zip(theirs["ids"][0], theirs["distances"][0])
            ), wanted
            assert all(wanted.accepts(h.node.metadata) for h in mine)
        assert retriever.dense("", SearchFilters(task=99), query_embedding=query) == []
    finally:
        notice.unlink()
        api.ingest()
