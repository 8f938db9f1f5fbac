"""Question routing: exact lookups where the question names its target, semantic search otherwise."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.catalogue import TaskCatalogue
from assistant.evidence import GENERIC as _GENERIC
from assistant.units import AREA_PATTERNS, UNIT_ALIASES, areas_in, normalise
from assistant.verify import content_words

_TASK = re.compile(
    r"(?:\btask|\bitem|\bmeasure|\bpoint|#)\s*(?:no\.?|number)?\s*#?\s*(\d{1,3})\b|第\s*(\d{1,3})\s*[项条]|任务\s*(\d{1,3})",
    re.IGNORECASE,
)
_RESPONSIBILITY = re.compile(
    r"\b(responsib\w*|in charge|accountable|duties|duty|role|roles|tasked|assigned"
    r"|lead(s|ing)?|involved|involve|handle[sd]?)\b",
    re.IGNORECASE,
)
_LIST_INTENT = re.compile(
    r"\b(which|what|list|all|every|each|how many|show|enumerate)\b.{0,40}"
    r"\b(tasks?|measures?|policies|policy|items?|actions?|initiatives?|parts?)\b"
    r"|\b(tasks?|measures?|policies|items?)\b.{0,30}\b(mention|involve|concern|cover|name|apply|relate)",
    re.IGNORECASE,
)
_WHO = re.compile(
    r"\bwho\b|\bwhom\b|\bwhich (units?|departments?|agenc\w+|bodies|body|authorit\w+|offices?|government)\b"
    r"|\bcontact\b|\bresponsible (units?|departments?|bodies)\b",
    re.IGNORECASE,
)
_TARGETS = re.compile(
    r"\b(2029|targets?|billion|percent(age)?|how much|figures?|quantitative|goals? for|by 20\d\d)\b|%|\$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Route:
    kind: str  # "task" | "unit" | "area" | "semantic"
    tasks: list[int] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    wants_units: bool = False  # "who is responsible for ...": lead with the responsible units
    wants_targets: bool = False  # figures and targets live in the introduction
    chinese: bool = False
    missing_tasks: list[int] = field(default_factory=list)


def is_chinese(text: str) -> bool:
    cjk = len(_CJK.findall(text))
    return cjk >= 2 and cjk >= 0.3 * len(re.sub(r"\s", "", text))


def route(question: str, catalogue: TaskCatalogue) -> Route:
    numbers = [int(next(g for g in m.groups() if g)) for m in _TASK.finditer(question)]
    if numbers:
        known = [n for n in dict.fromkeys(numbers) if catalogue.task(n)]
        missing = [n for n in dict.fromkeys(numbers) if not catalogue.task(n)]
        return Route(
            kind="task",
            tasks=known,
            missing_tasks=missing,
            wants_units=bool(_WHO.search(question) or _RESPONSIBILITY.search(question)),
        )

    chinese = is_chinese(question)
    units = catalogue.units_in(question)
    areas = [a for a in areas_in(question) if a in catalogue.areas]
    responsibility = bool(_RESPONSIBILITY.search(question))
    list_intent = bool(_LIST_INTENT.search(question))
    who = bool(_WHO.search(question))

    # A list answer fits a question about the unit or area as such; one that also names a topic
    # ("which task mentions the Lin-gang Cross-border Data Service Center") takes the semantic path.
    topic = _topic_words(question, units + areas)
    if units and not who and responsibility and len(topic) <= 1:
        return Route(kind="unit", units=units)
    if areas and list_intent and not who and len(topic) <= 1:
        return Route(kind="area", areas=areas)
    if units and not who and list_intent and len(topic) <= 1:
        return Route(kind="unit", units=units)
    return Route(
        kind="semantic",
        units=units,
        areas=areas,
        wants_units=who or responsibility,
        wants_targets=bool(_TARGETS.search(question)),
        chinese=chinese,
    )


# Words of list and responsibility questions themselves, which are not a topic.
_LIST_WORDS = content_words(
    "which what tasks task measures measure policies policy items item actions initiatives parts list all every "
    "each how many show enumerate mention mentions mentioned involve involves involved concern concerns cover "
    "covers name names apply applies relate relates responsible responsibility responsibilities charge "
    "accountable duties duty role roles tasked assigned lead leads leading handle handles handled plan does do "
    "is are the of for in on have has to carry out give given named"
)


def _topic_words(question: str, names: list[str]) -> set[str]:
    """Topical words of a question beyond the unit/area names it mentions and its list phrasing."""
    named = content_words(" ".join(names)) | {"lingang", "lin", "gang", "shanghai", "pudong", "hongqiao"}
    for name in names:
        pattern = AREA_PATTERNS.get(name)
        if pattern:
            named |= content_words(" ".join(re.findall(pattern, question, re.IGNORECASE)))
    named |= content_words(" ".join(UNIT_ALIASES.get(w, "") for w in normalise(question).split()))
    return content_words(question) - _LIST_WORDS - named - _GENERIC
