"""The Gradio app served for real on a loopback port and called through ``gradio_client``.

Nothing is mocked: the app runs over the session's index (real Chroma, real embeddings), and
the client talks HTTP to it like any integrating system would.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.servers import running_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_url(built_settings):
    from assistant.api import Assistant

    with running_app(Assistant(built_settings, auto_ingest=False), built_settings) as url:
        yield url


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_ask_endpoint_returns_the_answer_json_with_the_right_task(client):
    # A paraphrase: the plan says "aircraft leasing", the question "companies that lease planes".
    answer = client.predict("Is there support for companies that lease planes?", api_name="/ask")
    assert {"question", "answer", "citations", "refused", "generator", "latency_ms"} <= set(answer)
    assert answer["refused"] is False
    assert answer["generator"] == "extractive"
    assert "[Task 13]" in answer["answer"]
    assert {c["task"] for c in answer["citations"]} == {13}
    assert all(c["verified"] for c in answer["citations"])
    assert any("aircraft leasing" in c["quote"] for c in answer["citations"])


def test_ask_endpoint_lists_every_task_of_a_unit(client):
    answer = client.predict("Which measures list the customs authority as responsible?", api_name="/ask")
    cited = {c["task"] for c in answer["citations"]}
    assert cited == {5, 6, 7, 13, 17, 21}  # every task naming Shanghai Customs among its responsible units
    assert all(f"[Task {n}]" in answer["answer"] for n in cited)


def test_ask_endpoint_refuses_off_topic_questions(client):
    answer = client.predict("What is the best recipe for sourdough bread?", api_name="/ask")
    assert answer["refused"] is True
    assert answer["citations"] == []


def test_ask_endpoint_reports_a_bad_question_clearly(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", api_name="/ask")


def test_several_users_at_once_get_their_own_answers(client):
    """The queue runs several requests side by side; each caller gets the answer to its own question."""
    questions = {
        "Is anything planned for reinsurance?": 12,
        "Who handles the APEC business travel card?": 21,
        "Is there support for companies that lease planes?": 13,
        "What is planned for the submarine optical fiber cable landing station?": 8,
    }
    jobs = {q: client.submit(q, api_name="/ask") for q in questions}
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = dict(zip(jobs, pool.map(lambda job: job.result(timeout=120), jobs.values())))
    for question, task in questions.items():
        assert results[question]["question"] == question
        assert task in {c["task"] for c in results[question]["citations"]}, question


def test_search_and_applies_to_endpoints(client, plan_text):
    hits = client.predict("submarine cable landing station", 3, api_name="/search")
    assert hits and hits[0]["task"] == 8
    assert {"task", "doc_id", "title", "section", "score", "text"} <= set(hits[0])

    matches = client.predict(
        "We are an aircraft leasing company.", "Lin-gang Special Area", "", "", api_name="/applies_to"
    )
    assert matches[0]["task"] == 13
    assert "aircraft leasing" in matches[0]["reason"]
    assert matches[0]["reason"] in " ".join(plan_text.split())  # an exact sentence of the plan
    assert matches[0]["citation"] == "[Task 13]"
    assert "Lin-gang Special Area Administrative Committee" in matches[0]["units"]


def test_only_the_documented_endpoints_are_public(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/ask", "/search", "/applies_to"} <= names
    assert not names - {"/ask", "/search", "/applies_to"}, "UI events must stay private"


def test_login_setting_is_parsed_strictly():
    from assistant.ui import parse_auth

    assert parse_auth(None) is None and parse_auth("  ") is None
    assert parse_auth("staff:s3cret, lead:pa:ss") == [("staff", "s3cret"), ("lead", "pa:ss")]
    with pytest.raises(ValueError, match="ASSISTANT_UI_AUTH"):
        parse_auth("staff")


def test_the_document_details_chip_opens_the_details(assistant):
    # the chat's handler, called as the page calls it when a chip is clicked (the event's data is the
    # chip's turn and reference, as bridge.js sends them): the details view, not "no passage"
    from types import SimpleNamespace

    from assistant.ui import _Handlers
    from assistant.ui_render import esc

    handlers = _Handlers(assistant)
    answer = assistant.ask("When was this plan issued?")
    assert "[Document details]" in answer["answer"]
    view = handlers.open_citation([answer], SimpleNamespace(_data={"turn": 0, "ref": 0}))
    assert "Document details" in view and "No passage" not in view
    assert esc(answer["citations"][0]["quote"]) in view and "not from a passage of its text" in view


def test_each_citation_of_a_joined_answer_opens_its_own_source(assistant):
    # (review) the document's details and the closing paragraph in one answer: the details chip shows
    # only the details, and the sources panel names each citation by what it quotes
    from types import SimpleNamespace

    from assistant.ui import _Handlers

    handlers = _Handlers(assistant)
    answer = assistant.ask("When was the plan issued, and who leads its implementation?")
    labels = handlers.labels()
    view = handlers.open_citation([answer], SimpleNamespace(_data={"turn": 0, "ref": 0}))
    assert "Document details" in view and "Leading Group" not in view
    panel = handlers.sources(answer, 0, labels)
    assert ">Document details</span>" in panel and ">Closing paragraph</span>" in panel
