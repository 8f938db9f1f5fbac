"""Answers end to end over a real index: routing, citations, refusals and the JSON shapes of DESIGN.md."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.api import QuestionError
from assistant.settings import PROJECT_ROOT

ANSWER_KEYS = {"question", "answer", "citations", "refused", "generator", "latency_ms"}
CITATION_KEYS = {"task", "doc_id", "title", "quote", "verified"}
HIT_KEYS = {"task", "doc_id", "title", "section", "score", "text"}
TASK_KEYS = {"task", "title", "section", "units", "areas", "text"}


def check_answer_shape(answer: dict) -> None:
    assert ANSWER_KEYS <= set(answer)
    assert isinstance(answer["answer"], str) and isinstance(answer["refused"], bool)
    assert answer["generator"] == "extractive" or answer["generator"].startswith("llm:")
    assert isinstance(answer["latency_ms"], float)
    for citation in answer["citations"]:
        assert set(citation) == CITATION_KEYS
        assert citation["task"] is None or isinstance(citation["task"], int)
        assert isinstance(citation["verified"], bool) and citation["quote"]
    if answer["refused"]:
        assert answer["citations"] == []


def first_task(answer: dict) -> int | None:
    return answer["citations"][0]["task"] if answer["citations"] else None


@pytest.mark.parametrize(
    ("question", "task"),
    [
        ("Our company leases planes to airlines. Is there anything for us?", 13),
        ("We want to land a new undersea internet cable near Shanghai", 8),
        ("Can foreign investors own an internet data centre outright?", 1),
        ("Does the city help firms trade carbon credits?", 14),
        ("Where can overseas professionals get visas on arrival more easily?", 21),
        ("We organise esports tournaments and want to bring an international event", 2),
    ],
)
def test_paraphrased_questions_cite_the_right_task_first(assistant, question, task):
    answer = assistant.ask(question)
    check_answer_shape(answer)
    assert not answer["refused"]
    assert first_task(answer) == task
    assert f"[Task {task}]" in answer["answer"]
    assert all(c["verified"] for c in answer["citations"])


def test_quotes_are_exact_text_of_their_task(assistant):
    answer = assistant.ask("How will the city support aircraft leasing businesses?")
    tasks = {t["task"]: t["text"] for t in assistant.tasks()}
    for citation in answer["citations"]:
        assert " ".join(citation["quote"].split()) in " ".join(tasks[citation["task"]].split())


def test_task_number_goes_straight_to_that_task(assistant):
    answer = assistant.ask("What does task 12 say?")
    assert {c["task"] for c in answer["citations"]} == {12}
    assert "Panda Bonds" in answer["answer"] and "Responsible units" in answer["answer"]


def test_nonexistent_task_is_refused_plainly(assistant):
    answer = assistant.ask("Summarise task 31 for me")
    assert answer["refused"] and "no task 31" in answer["answer"]


def test_unit_question_lists_every_task_from_metadata(assistant):
    answer = assistant.ask("Which tasks is Shanghai Customs responsible for?")
    expected = sorted(t["task"] for t in assistant.tasks() if "Shanghai Customs" in t["units"])
    assert sorted({c["task"] for c in answer["citations"]}) == expected == [5, 6, 7, 13, 17, 21]
    for number in expected:
        assert f"[Task {number}]" in answer["answer"]


def test_area_question_lists_tasks_naming_the_area(assistant):
    answer = assistant.ask("Which tasks mention the North Bund?")
    assert sorted({c["task"] for c in answer["citations"]}) == [11, 23]


def test_targets_come_from_the_introduction(assistant):
    answer = assistant.ask("How big should services trade be in 2029?")
    assert answer["citations"] and answer["citations"][0]["task"] is None
    assert "$260 billion" in answer["answer"]
    assert answer["citations"][0]["title"] == "Introduction and 2029 targets"


def test_who_is_responsible_leads_with_units(assistant):
    answer = assistant.ask("Who is in charge of the reinsurance registration and trading center?")
    assert first_task(answer) == 12
    assert answer["answer"].index("Responsible units") < answer["answer"].index("Establish an international")


def test_follow_up_reuses_the_previous_tasks_without_an_llm(assistant):
    first = assistant.ask("Tell me about the aviation asset trading platform")
    follow = assistant.ask("Who is responsible for it?", history=[first])
    assert first_task(first) == 13 and first_task(follow) == 13
    assert "Shanghai Customs" in follow["answer"]


@pytest.mark.parametrize(
    "question",
    [
        "What is the minimum wage in Shanghai in 2025?",
        "How do I register a restaurant in Beijing?",
        "What are the visa rules for international students studying in Shenzhen?",
    ],
)
def test_questions_the_plan_does_not_address_are_refused(assistant, question):
    answer = assistant.ask(question)
    check_answer_shape(answer)
    assert answer["refused"] and answer["citations"] == []
    assert answer["answer"].startswith("The plan does not cover")


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 5000])
def test_empty_or_huge_questions_get_a_clear_error(assistant, question):
    with pytest.raises(QuestionError, match="empty|limit"):
        assistant.ask(question)


def test_search_hit_shape_and_filters(assistant):
    hits = assistant.search("bills of lading", k=5)
    assert hits and all(set(h) == HIT_KEYS for h in hits)
    assert {11, 16} <= {h["task"] for h in hits}
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    only_customs = assistant.search("e-commerce", k=10, unit="customs")
    assert only_customs and {h["task"] for h in only_customs} <= {5, 6, 7, 13, 17, 21}
    in_section = assistant.search("computing", k=10, section="III")
    assert in_section and {h["task"] for h in in_section} <= {8, 9, 10}


def test_task_catalogue_filters_are_exhaustive_and_tolerant(assistant):
    catalogue = assistant.tasks()
    assert len(catalogue) == 23 and all(set(t) == TASK_KEYS for t in catalogue)
    by_the = [t["task"] for t in assistant.tasks(unit="the data bureau")]
    assert by_the == [t["task"] for t in catalogue if "Municipal Data Bureau" in t["units"]]
    assert [t["task"] for t in assistant.tasks(unit="CUSTOMS")] == [5, 6, 7, 13, 17, 21]
    assert [t["task"] for t in assistant.tasks(area="lingang", unit="customs")] == [5, 7, 13, 17]
    assert assistant.tasks(unit="Ministry of Magic") == []


def test_stats_shape(assistant):
    stats = assistant.stats()
    assert {"documents", "chunks", "index_path", "embed_model"} <= set(stats)
    assert stats["documents"] == 1 and stats["chunks"] > 23


def _cli(settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(settings.index_dir.parent),
        "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
        "ASSISTANT_INDEX_DIR": str(settings.index_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=300,
    )


def test_cli_json_verbs(built_settings):
    ask = _cli(built_settings, "ask", "--json", "Which policies help companies pay across borders in RMB?")
    assert ask.returncode == 0, ask.stderr
    check_answer_shape(json.loads(ask.stdout))

    batch = _cli(built_settings, "ask", "--jsonl", stdin='{"q": "task 3"}\nWhat is DEPA about?\n\n{"q": ""}\n')
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert len(lines) == 3 and first_task(lines[0]) == 3 and first_task(lines[1]) == 16
    assert "empty" in lines[2]["error"] and batch.returncode == 1

    search = _cli(built_settings, "search", "--json", "-k", "3", "blockchain")
    hits = json.loads(search.stdout)
    assert len(hits) == 3 and hits[0]["task"] == 10

    tasks = _cli(built_settings, "tasks", "--unit", "Municipal Tax Service", "--json")
    assert [t["task"] for t in json.loads(tasks.stdout)] == [15]

    stats = _cli(built_settings, "stats", "--json")
    assert json.loads(stats.stdout)["documents"] == 1

    empty = _cli(built_settings, "ask", "   ")
    assert empty.returncode == 2 and "empty" in empty.stderr
