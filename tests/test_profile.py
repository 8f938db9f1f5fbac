"""Which policies apply to me: ranking over the real index, grounded reasons, exports."""

from __future__ import annotations

import csv
import io

import pytest

from assistant.profile import (
    ANOTHER_DISTRICT,
    EnterpriseProfile,
    ProfileError,
    TaskMatch,
    activity_phrases,
    to_csv,
    to_markdown,
)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_place_names_are_taken_out_of_the_activity_queries():
    profile = EnterpriseProfile(description="We are an aircraft leasing company based in the Lin-gang Special Area.")
    assert activity_phrases(profile) == ["aircraft leasing company"]


def test_an_aircraft_lessor_in_lingang(assistant, plan_text):
    matches = assistant.applies_to(
        {"description": "We lease aircraft to airlines.", "location": "Lin-gang Special Area"}
    )
    first = matches[0]
    assert first["task"] == 13 and first["rank"] == 1
    assert set(first["matched"]) == {"activities", "location"}
    assert first["citation"] == "[Task 13]"
    assert "aircraft leasing" in first["reason"]
    catalogue = assistant.catalogue()
    for match in matches:
        assert flat(match["reason"]) in flat(plan_text)  # every reason is a sentence of the plan
        assert match["units"] == catalogue.task(match["task"]).units
        if match["matched"] == ["location"]:
            assert "Lin-gang Special Area" in catalogue.task(match["task"]).areas
    assert [m["rank"] for m in matches] == list(range(1, len(matches) + 1))


def test_activity_matches_rank_above_place_only_matches(assistant):
    matches = assistant.applies_to(
        {"description": "We sell goods to overseas buyers through cross-border e-commerce.", "location": "Pudong"}
    )
    kinds = ["activities" in m["matched"] for m in matches]
    assert kinds[0] and kinds == sorted(kinds, reverse=True)
    top = {m["task"] for m in matches if "activities" in m["matched"]}
    assert {5, 6, 7} <= top  # the three cross-border e-commerce tasks


def test_an_unrelated_business_gets_no_activity_match(assistant):
    assert assistant.applies_to("We bake bread and run two cafés.") == []


def test_size_and_district_alone_find_the_tasks_that_address_them(assistant):
    matches = assistant.applies_to({"location": ANOTHER_DISTRICT, "size": "Micro or small (SME)"})
    by_task = {m["task"]: m for m in matches}
    assert {6, 7, 19} <= set(by_task)  # district governments are among their responsible units
    for match in matches:
        if "size" in match["matched"] and "location" not in match["matched"]:
            assert any(w in match["reason"] for w in ("SME", "small and micro", "micro"))


def test_an_empty_profile_is_refused_clearly(assistant):
    with pytest.raises(ProfileError, match="what your enterprise does"):
        assistant.applies_to({"description": "  ", "location": ""})


def test_exports():
    match = TaskMatch(
        rank=1,
        task=13,
        title="Aviation",
        section="IV. Services",
        reason='Explore "aircraft leasing", consignments and sharing.',
        why="Matches your activities (aircraft leasing)",
        citation="[Task 13]",
        units=["Shanghai Customs", "Municipal Commission of Commerce"],
        score=0.61,
        matched=["activities"],
    )
    rows = list(csv.DictReader(io.StringIO(to_csv([match]))))
    assert rows[0]["task"] == "13" and rows[0]["reason"] == match.reason
    assert rows[0]["responsible_units"] == "Shanghai Customs; Municipal Commission of Commerce"
    markdown = to_markdown([match], EnterpriseProfile(description="We lease aircraft"))
    assert "**[Task 13] Aviation**" in markdown and "We lease aircraft" in markdown
    assert to_markdown([]).count("No task of the plan matches") == 1
