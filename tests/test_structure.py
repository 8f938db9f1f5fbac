"""The plan parser: introduction, six sections, 23 tasks, titles, unit lists and areas."""

from __future__ import annotations

import re

import pytest

from assistant.structure import parse_document, parse_generic, split_sentences, strip_furniture
from assistant.units import areas_in, split_units


@pytest.fixture(scope="module")
def passages(plan_text):
    return parse_document(plan_text, "plan", is_plan=True)


@pytest.fixture(scope="module")
def tasks(passages):
    return {p.task: p for p in passages if p.kind == "task"}


def test_finds_23_tasks_in_order_and_six_sections(passages, tasks):
    assert sorted(tasks) == list(range(1, 24))
    sections = list(dict.fromkeys(p.section for p in passages if p.kind == "task"))
    assert [s.split(".")[0] for s in sections] == ["I", "II", "III", "IV", "V", "VI"]
    assert sections[2] == "III. Moderately Advancing the Deployment of Digital Infrastructure"
    assert tasks[8].section.startswith("III.") and tasks[23].section.startswith("VI.")


def test_intro_and_closing_are_separate_passages(passages):
    kinds = [p.kind for p in passages]
    assert kinds[0] == "intro" and kinds[-1] == "closing"
    assert "$260 billion" in passages[0].body and "$130 billion" in passages[0].body
    assert "Leading Group for the International Trade Center Construction" in passages[-1].body
    # The byline and repeated title of the web capture are not the introduction.
    assert not passages[0].body.startswith("Shanghai Municipal Bureau of Justice")


def test_page_furniture_is_dropped(plan_text, passages):
    assert plan_text.rstrip().endswith("Related stories")
    assert all("Related stories" not in p.body for p in passages)
    assert not strip_furniture("Text.\n\nRelated stories\n").endswith("stories")


def test_task_titles_are_the_phrase_before_the_colon(tasks):
    assert tasks[13].title == "Develop service trade systems for the aviation industry"
    assert tasks[16].title == "Developing Shanghai Digital Economy Partnership Agreement (DEPA) cooperation zone"
    assert tasks[1].body.startswith("Leverage the advantages of Lin-gang Special Area")
    assert "Responsible units" not in tasks[1].body


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (
            10,
            [
                "Municipal Data Bureau",
                "Municipal Commission of Economy and Informatization",
                "Municipal Commission of Science and Technology",
            ],
        ),
        (
            14,
            [
                "Municipal Commission of Commerce",
                "Municipal Commission of Science and Technology",
                "Municipal Bureau of Ecology and Environment",
            ],
        ),
        (19, ["All district people's governments", "China Export & Credit Insurance Corporation Shanghai Branch"]),
        (
            20,
            [
                "Office of the Municipal Cyberspace Affairs Commission",
                "Municipal Data Bureau",
                "Municipal Commission of Economy and Informatization",
                "Pudong New Area People's Government",
                "Lin-gang Special Area Administrative Committee",
            ],
        ),
        (
            5,
            [
                "Municipal Commission of Commerce",
                "Municipal Commission of Transport",
                "Shanghai Customs",
                "CAAC East China Regional Administration",
                "Pudong New Area People's Government",
                "Lin-gang Special Area Administrative Committee",
                "Hongqiao International Central Business District Administrative Committee",
            ],
        ),
    ],
)
def test_unit_lists_match_the_text(tasks, number, expected):
    assert tasks[number].units == expected


def test_every_task_unit_list_counts_match_the_raw_text(plan_text, tasks):
    # Independent check: count comma-separated entries in each raw "(Responsible units: ...)"
    # (the capture uses non-breaking spaces in four tasks, which the parser must tolerate).
    raw = re.findall(r"^(\d+)\..*\(Responsible units:\s(.*)\)$", plan_text, flags=re.MULTILINE)
    assert len(raw) == 23
    for number, units in raw:
        assert len(tasks[int(number)].units) == len(units.split(",")), number
    assert len(tasks[11].units) == 11


def test_areas_named_in_tasks(tasks):
    assert "North Bund" in tasks[11].areas and "Lujiazui-World Expo area" in tasks[11].areas
    assert "Yangpu District" in tasks[19].areas  # via "Yangshupu Digital Trade Valley ... Yangpu District"
    assert "Lin-gang Special Area" in tasks[18].areas
    assert tasks[10].areas == []
    assert areas_in("a firm in Lingang and Pudong") == ["Lin-gang Special Area", "Pudong New Area"]


def test_split_units_handles_articles_and_asides():
    assert split_units("the A Bureau, B (aside), and the C Office") == ["A Bureau", "B", "C Office"]


def test_sentences_keep_abbreviations_and_dashes_together(tasks):
    sentences = split_sentences(tasks[13].body)
    assert len(sentences) == 3
    assert sentences[1].endswith("simulators, etc.")


def test_generic_documents_split_at_headings_and_articles():
    text = "# Notice\n\nIntro text here.\n\n## Scope\n\nApplies to firms.\n\nArticle 3 Firms shall report."
    passages = parse_generic(text, "Notice doc")
    assert [p.title for p in passages] == ["Notice", "Scope", "Article 3"]
    plain = parse_generic("Just some prose. Without structure.", "Plain")
    assert len(plain) == 1 and plain[0].kind == "text"
