"""Claim-level checks: what a sentence asserts, checked against the structure of its source.

The support test of :mod:`assistant.verify` asks whether a sentence is *about* what its source
says (shared words, embedding similarity). Wrong claims that reuse the source's words pass that
test: the wrong responsible unit for a task whose units it names, the two 2029 figures swapped,
"cosmetics are excluded" from a pilot that names cosmetics. Each check here looks at one kind
of assertion and fails it when the source does not back that assertion in particular:

* **Responsibility**: a sentence that says who is responsible, leads or oversees names units;
  each must be one of the source's responsible units (tolerant names: "the PBOC", "Customs";
  a subset is fine, another unit is not).
* **Figures**: a measured figure ($260 billion, 50 %, 2600亿) must occur in the source with the
  same unit and be bound to the same quantity: the words around it must not fit another figure
  of the source better than its own ($130 billion as "total trade in services" fits the
  $260 billion clause). Task numbers, article numbers and list indexes are not figures.
* **Polarity**: negation, exclusion, cancellation, prohibition and "only" must be in the source.
* **Named places and units**: every place or unit the sentence names must occur in the source.
* **Attributions**: "X is issued / operated / organised by Y" needs Y in a source sentence that
  speaks of X.
* **Absence**: "the plan does not mention X" is checked against every indexed passage.

Each check returns the reason it failed (a short phrase for ``verification.problems``) or None.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.units import AREA_PATTERNS, UNIT_ALIASES, normalise, unit_matches

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.json"

# --- figures ----------------------------------------------------------------------------------

# A number as written (not digits inside names such as SJC2 or 5G) and the unit after it.
_MEASURE = re.compile(
    r"(?<![A-Za-z0-9.,])(\d+(?:[.,]\d{3})*(?:\.\d+)?)(?![A-Za-z0-9])\s*"
    r"(%|percent\b|per cent\b|billion\b|million\b|trillion\b|万亿|亿|万)?",
    re.IGNORECASE,
)
# Numbers that index rather than measure: "Task 20", "Article 3", "No. 5", "第20项", a list's "20. ".
_INDEX_BEFORE = re.compile(
    r"(?:\btasks?|\barticles?|\bart\.|\bno\.|\bsections?|\bitems?|第)\s*"
    r"(?:\d+\s*(?:,|and|or|&|、|to|-|–)\s*)*$",  # "Tasks 5, 6 and 7": every number of the list
    re.IGNORECASE,
)
_INDEX_AFTER = re.compile(r"^\s*(?:项|条|个任务|号)")
_LINE_INDEX = re.compile(r"^\s*\d{1,3}[.)、]\s", re.MULTILINE)
_CURRENCY = re.compile(r"[$¥€£]|美元|usd|dollars?|rmb|yuan|元", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str  # "%", "billion", "million", "trillion" or "" for a plain number (a year, a count)
    start: int
    end: int

    @property
    def measured(self) -> bool:
        return bool(self.unit)


def figures(text: str) -> list[Figure]:
    """The figures a text states, in billions for 亿 amounts (2600亿 = 260 billion)."""
    found = []
    index_spans = {m.start() for m in _LINE_INDEX.finditer(text)}
    for match in _MEASURE.finditer(text):
        start = match.start(1)
        if start in index_spans or any(text[s:start].strip() == "" for s in index_spans if s <= start < s + 4):
            continue
        if _INDEX_BEFORE.search(text[max(0, start - 40) : start]) or _INDEX_AFTER.match(text[match.end(1) :]):
            continue
        value = float(match.group(1).replace(",", ""))
        unit = (match.group(2) or "").lower()
        if unit in ("percent", "per cent"):
            unit = "%"
        elif unit == "亿":
            value, unit = value / 10, "billion"
        elif unit == "万亿":
            unit = "trillion"
        elif unit == "万":
            value, unit = value / 100, "million"
        elif not unit and _CURRENCY.search(text[max(0, start - 2) : start]):
            unit = "money"
        found.append(Figure(round(value, 6), unit, start, match.end()))
    return found


def _same(claimed: Figure, stated: Figure) -> bool:
    if claimed.value != stated.value:
        return False
    # A plain number ("about 50 of ...") may be a figure the source states with its unit; a
    # claimed unit must be the source's ($50 billion is not the 50 % the source gives).
    return not claimed.unit or claimed.unit == stated.unit or stated.unit == "money"


def _context(text: str, found: list[Figure], index: int, words) -> set[str]:
    """Content words between the figure's neighbours: what the figure measures."""
    start = found[index - 1].end if index > 0 else 0
    end = found[index + 1].start if index + 1 < len(found) else len(text)
    return words(text[start : found[index].start] + " " + text[found[index].end : end])


def figure_problem(claim: str, source_text: str, words) -> str | None:
    """Every figure of the claim occurs in the source, with its unit, measuring the same thing.

    ``words``: the content-word function of the verifier (stemmed, stop words dropped).
    """
    claimed = figures(claim)
    if not claimed:
        return None
    stated = figures(source_text)
    for index, figure in enumerate(claimed):
        matches = [i for i, s in enumerate(stated) if _same(figure, s)]
        if not matches:
            return f"figure {_show(figure)} is not in the source"
        measured = [i for i, s in enumerate(stated) if s.measured]
        if not figure.measured or len(measured) < 2:
            continue  # years and counts are not bound; one figure has nothing to be confused with
        said = _context(claim, claimed, index, words) - _UNIT_WORDS
        if not said:
            continue
        own = max(len(said & _context(source_text, stated, i, words)) for i in matches)
        other = max(
            (len(said & _context(source_text, stated, i, words)) for i in measured if i not in matches), default=0
        )
        if other > own:
            return f"figure {_show(figure)} is given for another quantity in the source"
    return None


_UNIT_WORDS = {"billion", "million", "trillion", "percent", "us", "usd", "dollar", "approxim", "about", "around"}


def _show(figure: Figure) -> str:
    value = f"{figure.value:g}"
    return f"{value}%" if figure.unit == "%" else f"{value} {figure.unit}".strip()


# --- polarity ---------------------------------------------------------------------------------

# Each class of reversal, English and Chinese cues. A claim that uses one needs the source to.
_POLARITY = {
    "negation": r"\b(?:not|no|never|none|neither|nor|without|cannot)\b|n't\b|不是|不会|不能|没有|并未|尚未|未(?!来)",
    "exclusion": r"\bexclud\w*|\bexcept\w*|不包括|排除|除外",
    "cancellation": r"\bcancel\w*|\babolish\w*|\bscrap\w*|\bterminat\w*|\bdiscontinu\w*|\bno longer\b|"
    r"\bwithdraw\w*|\bsuspend\w*|取消|废除|不再|暂停|停止",
    "prohibition": r"\bprohibit\w*|\bban(?:s|ned)?\b|\bforbid\w*|\bnot (?:be )?(?:allowed|permitted)\b"
    r"|禁止|不允许|不得",
    "restriction": r"\bonly\b|\bsolely\b|\bexclusively\b|\bsole\b|仅|只有|只能|唯一",
}
_POLARITY_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _POLARITY.items()}
# "does not say / give / mention": a statement about the text, not a reversal of its content.
_ABOUT_TEXT = re.compile(
    r"\b(?:does|do|did)\s*(?:not|n't)\s+(?:say|give|mention|specify|state|set|provide|name|list|include|"
    r"detail|indicate|address|cover)\b|\bnot (?:given|specified|stated|mentioned)\b|未(?:提及|说明|规定|明确)",
    re.IGNORECASE,
)


# Phrases whose cue words reverse nothing: "not only ... but also", 不仅/不只 ("not only"), "No. 5".
_NOT_REVERSAL = re.compile(r"\bnot only\b|不仅|不只|\bno\.\s*\d", re.IGNORECASE)


def polarity_problem(claim: str, source_text: str) -> str | None:
    text = _NOT_REVERSAL.sub(" ", _ABOUT_TEXT.sub(" ", claim))
    for name, pattern in _POLARITY_RES.items():
        cue = pattern.search(text)
        if cue and not pattern.search(source_text):
            return f"{name} ('{cue.group(0).strip()}') that the source does not state"
    return None


# --- names: units and places -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _chinese_names() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Chinese unit names, place names and key terms -> the English names the plan uses."""
    data = json.loads(NAMES_FILE.read_text(encoding="utf-8"))

    def flat(section: dict) -> dict[str, str]:
        pairs = {}
        for english, chinese in section.items():
            if english.startswith("_"):
                continue
            for name in chinese if isinstance(chinese, list) else [english]:
                pairs[name] = english if isinstance(chinese, list) else chinese
        return dict(sorted(pairs.items(), key=lambda kv: -len(kv[0])))  # longest names first

    return flat(data.get("units", {})), flat(data.get("areas", {})), flat(data.get("terms", {}))


def _chinese_hits(text: str, names: dict[str, str]) -> list[str]:
    """English names of the Chinese names in ``text``, longest first, each span used once."""
    found = []
    for chinese, english in names.items():
        if chinese in text:
            found.append(english)
            text = text.replace(chinese, " ")
    return found


def units_named(text: str, known_units: list[str], aliases: bool = True) -> list[str]:
    """The known units a claim names, by full name, alias or Chinese name (all of them).

    ``aliases=False``: full names only, for sentences that are not about responsibility, where
    "foreign exchange" or "intellectual property" are topics rather than units."""
    norm = f" {normalise(text)} "
    found: list[str] = []
    for unit in sorted(known_units, key=lambda u: -len(u)):
        name = normalise(unit)
        if f" {name} " in norm:
            found.append(unit)
            norm = norm.replace(f" {name} ", " ; ")
    for alias, target in sorted(UNIT_ALIASES.items(), key=lambda kv: -len(kv[0])) if aliases else []:
        if alias in ("lingang", "lin-gang", "hongqiao", "pudong", "hongkou", "changning", "districts", "tax"):
            continue  # places and common words: read as places, not as their units
        pattern = rf"(?<![a-z]){re.escape(normalise(alias))}(?![a-z])"
        if re.search(pattern, norm):
            matches = [u for u in known_units if unit_matches(target, u)]
            if matches:
                found.extend(m for m in matches[:1] if m not in found)
                norm = re.sub(pattern, " ; ", norm)
    chinese_units, _, _ = _chinese_names()
    for english in _chinese_hits(text, chinese_units):
        match = next((u for u in known_units if normalise(u) == normalise(english)), None)
        if match and match not in found:
            found.append(match)
    return found


def areas_named(text: str) -> set[str]:
    found = {name for name, pattern in AREA_PATTERNS.items() if re.search(pattern, text, re.IGNORECASE)}
    _, chinese_areas, _ = _chinese_names()
    found.update(_chinese_hits(text, chinese_areas))
    return found


_RESPONSIBILITY = re.compile(
    r"\bresponsib\w*|\bin charge\b|\bled by\b|\blead(?:s|ing)?\b|\boversee\w*|\boverseen\b|\bhandled by\b|"
    r"\bfalls? (?:to|under)\b|\bunits?\b|\bcharged with\b|负责|牵头|主管|单位",
    re.IGNORECASE,
)


def responsibility_problem(claim: str, source_units: list[str], source_text: str, known_units: list[str]) -> str | None:
    """A claim about who is responsible names only the source's units (a subset is fine)."""
    if not _RESPONSIBILITY.search(claim):
        return None
    named = units_named(claim, known_units)
    if not named:
        return None
    if source_units:
        wrong = [u for u in named if not any(normalise(u) == normalise(s) for s in source_units)]
    else:  # a passage without a units list (the introduction, another document): its text names them
        wrong = [u for u in named if normalise(u) not in normalise(source_text)]
    if wrong:
        return f"{', '.join(wrong)} not among the responsible units of the source"
    return None


def responsibility_backed(claim: str, source_units: list[str], source_text: str, known_units: list[str], words) -> bool:
    """A responsibility claim whose every named unit is one of the source's, and whose other
    words are the source's or the units' own: the units list is the evidence ("among others",
    "in charge of it" need none), while "the aviation platform is run by Shanghai Customs" cited
    to Task 5, which Customs also serves, is not backed (its topic is not Task 5's)."""
    if not source_units or not _RESPONSIBILITY.search(claim):
        return False
    named = units_named(claim, known_units)
    wanted = {normalise(u) for u in source_units}
    if not named or not all(normalise(u) in wanted for u in named):
        return False
    if _CJK_RE.search(claim):
        return True  # the units are the claim's checkable content; the topic words are Chinese
    vocabulary = words(source_text) | words(" ".join(known_units)) | words(" ".join(UNIT_ALIASES)) | _ROLE_WORDS
    return all(w in vocabulary for w in words(claim) if not w.isdigit())


# Words of responsibility sentences that are neither the topic nor a unit's name (stemmed).
_ROLE_WORDS = {
    "task", "respons", "charg", "unit", "lead", "led", "among", "other", "includ", "one", "both", "oversee",
    "overseen", "handl", "fall", "main", "key", "plan", "list", "name", "involv", "togeth",
}  # fmt: skip
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


def names_problem(claim: str, source_text: str, source_units: list[str], known_units: list[str]) -> str | None:
    """Every place and unit the claim names occurs in the source (its units list included)."""
    missing = sorted(areas_named(claim) - areas_named(source_text))
    if missing:
        return f"{', '.join(missing)} not named in the source"
    # normalise() drops parentheses and what they hold: the units clause is in parentheses.
    have = f" {normalise(re.sub(r'[()]', ' ', source_text))} "
    units = {normalise(u) for u in source_units}
    absent = [
        u
        for u in units_named(claim, known_units, aliases=False)
        if normalise(u) not in units and f" {normalise(u)} " not in have
    ]
    if absent:
        return f"{', '.join(absent)} not named in the source"
    return None


# --- attributions -------------------------------------------------------------------------------

_ATTRIBUTION = re.compile(
    r"^(?P<x>.+?)\b(?:issued|operated|organi[sz]ed|run|hosted|provided|managed|administered|granted|approved|"
    r"funded|certified|licensed|awarded|established|set up|created|launched|built|developed|founded)"
    r"\s+by\s+(?P<y>.+?)\s*[.;,]?\s*$",
    re.IGNORECASE,
)


def attribution_problem(claim: str, sentences: list[str], known_units: list[str], words) -> str | None:
    """'X is issued by Y': some source sentence speaking of X must name Y."""
    match = _ATTRIBUTION.match(claim.strip())
    if not match:
        return None
    subject = words(match.group("x"))
    agent_units = units_named(match.group("y"), known_units)
    agent_words = words(match.group("y"))
    for sentence in sentences:
        if sentence.lower().startswith("responsible unit"):
            continue  # the units list says who is responsible, not who issues or runs what
        have = words(sentence)
        if subject and len(subject & have) < max(1, len(subject) // 2):
            continue
        if agent_units:
            if all(normalise(u) in normalise(re.sub(r"[()]", " ", sentence)) for u in agent_units):
                return None
        elif agent_words and agent_words <= have:
            return None
    return f"the source does not attach {match.group('y').strip()} to {match.group('x').strip()}"


# --- absence ----------------------------------------------------------------------------------

_ABSENT_TOPIC = re.compile(
    r"(?:does|do|did)\s*(?:not|n't)\s+(?:say anything about|mention|refer to|discuss|address|cover|include|"
    r"talk about|say)\s+(?P<a>.+?)\s*[.。]?$"
    r"|there is no (?:mention|reference|discussion) of\s+(?P<b>.+?)"
    r"(?:\s+in the (?:plan|sources?|documents?))?\s*[.。]?$"
    r"|^(?P<c>.+?)\s+(?:is|are) not (?:mentioned|covered|discussed|addressed)\b"
    r"|(?:没有|未)(?:提及|提到|涉及|说明)(?P<d>[^。，,]+)",
    re.IGNORECASE,
)
_TOPIC_NOISE = re.compile(
    r"^(?:anything about|any|the|a|an)\s+|\s+(?:at all|in the plan|in the sources?)$", re.IGNORECASE
)


def absence_topic(claim: str) -> str | None:
    """X of "the plan does not mention X" (None for other sentences and for bare non-answers)."""
    match = _ABSENT_TOPIC.search(claim.strip())
    if not match:
        return None
    topic = next(g for g in match.groups() if g)
    for _ in range(2):
        topic = _TOPIC_NOISE.sub("", topic.strip())
    if re.fullmatch(r"(?:this|that|it|this question|the question|this topic|that)\b.*", topic, re.IGNORECASE):
        return None
    return topic or None


def topic_terms(topic: str) -> str:
    """A topic as English words: Chinese terms, units and places replaced by the plan's names."""
    units, areas, terms = _chinese_names()
    hits = _chinese_hits(topic, {**terms, **units, **areas})
    return " ".join(hits) if hits else topic
