"""Question analysis: what a question means is decided here, once, and every later stage reads it.

``analyse(question, catalogue, history)`` turns a question (English or Chinese) plus the
conversation so far into a :class:`QuestionAnalysis` (think spaCy's ``Doc``):

* **language**: ``"en"`` or ``"zh"``;
* **names**: the tasks, sections, responsible units, areas and other jurisdictions it names,
  each mention with its place in the text (tolerant of case, spelling, abbreviations and the
  Chinese names kept in ``assistant/data/names.json``);
* **what it asks for** (:class:`Asks`): which tasks, who is responsible, when, how much,
  how many, where, how to apply, what something is, yes/no, what applies to us, which section,
  the targets, or the content of the plan on a topic;
* **set operations** over the named units, areas and sections (:class:`SetQuery`): and / both,
  or, not / except, only, and whether the answer is a list, a count, a unit list or a section;
* **follow-ups** (:class:`FollowUp`): what "it", "that task", "the next one", "the one before"
  or "and on the shipping side?" points back to, from the earlier turns' answers.

Everything here is general language (question words, connectives, negation, pronouns, informal
chat words) and the names of the plan's own units and places. A word was added when a development
question showed a general way of asking that was missing, never a word of a held-out question. The analysis never looks at search results: the decision layer (``decision.py``)
checks its expectations against the evidence.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.catalogue import SPECIFIC_TASKS
from assistant.units import AREA_PATTERNS, UNIT_ALIASES, normalise, unit_matches
from assistant.verify import content_words, word_pairs

if TYPE_CHECKING:
    from assistant.catalogue import TaskCatalogue

NAMES_FILE = Path(__file__).resolve().parent / "data" / "names.json"
_CJK = re.compile(r"[\u3400-\u9fff]")


class Asks(StrEnum):
    """What kind of answer the question expects."""

    CONTENT = "content"  # what the plan says about a topic (the default)
    TASKS = "tasks"  # which tasks (a list)
    COUNT = "count"  # how many
    WHO = "who"  # responsible units, whom to contact
    WHEN = "when"  # a date, deadline or schedule
    AMOUNT = "amount"  # money, a rate, a percentage
    WHERE = "where"  # a location
    HOW_TO = "how_to"  # an application procedure, eligibility, requirements
    MEMBERS = "members"  # an enumeration of things (countries, companies, members)
    DEFINITION = "definition"  # what something is
    YES_NO = "yes_no"
    APPLIES = "applies"  # what applies to us: every relevant task
    SECTION = "section"  # which section of the plan
    TARGETS = "targets"  # the plan's quantitative targets


# What asks for one specific kind of fact: a question with a description of the business before it
# still asks that, not what applies.
_SPECIFIC_ASKS = (Asks.WHEN, Asks.AMOUNT, Asks.COUNT, Asks.HOW_TO, Asks.MEMBERS, Asks.WHERE)


class Op(StrEnum):
    AND = "and"
    OR = "or"
    XOR = "xor"  # "X or Y, but not both": the tasks of exactly one of them


@dataclass(frozen=True)
class Mention:
    """A name the question uses, resolved to canonical names of one kind."""

    kind: str  # "unit" | "area" | "section" | "task" | "other_place" | "words" (a subject set aside in a list)
    values: tuple[str, ...]  # canonical names (tasks: str of the number)
    start: int
    end: int
    surface: str
    negated: bool = False


@dataclass(frozen=True)
class SetQuery:
    """A structured list question answered from metadata: terms combined by ``op``, minus the negated ones."""

    terms: tuple[Mention, ...]
    op: Op = Op.AND
    only: bool = False  # "only X": tasks whose responsible units are all among the named ones
    first: bool = False  # "X listed first": tasks whose unit list opens with a named unit
    last: bool = False  # "X listed last": tasks whose unit list ends with a named unit
    in_text: bool = False  # "mention X in the text (not as a unit)": places in the measure's own words
    fewest: bool = False  # a ranking read from the bottom: "the unit on the fewest tasks" ("at least" is not one)
    # ("all_of" / "any_of": whether all / any of the first term's tasks meet the other terms)
    # "tasks" | "count" | "units" (across named tasks) | "co_units" (units sharing a task with a named
    # unit) | "section" | "section_counts" | "unit_count" | "membership" | "unit_ranking" (units by
    # their number of tasks; negated units left out) | "unit_tasks" (units whose number of tasks
    # meets ``unit_count``)
    output: str = "tasks"
    # A condition on how many responsible units a task has: ("==" | ">=" | "<=" | ">" | "<" | "max" |
    # "min", n), e.g. "tasks with exactly three responsible units", "the task with the most units";
    # for output "unit_tasks", on how many tasks a unit has ("units on a single task").
    unit_count: tuple[str, int] | None = None
    counted: bool = False  # output "units": the question asks how many ("how many different units …")
    # output "units" / "co_units": the units on every task of a section or of a unit, not on any one
    each_task: bool = False
    # output "unit_tasks" over a section's units: their tasks counted in the whole plan, not the section
    counted_in_plan: bool = False
    # The tasks the question limits itself to ("among tasks 10 to 15, which involve …"); () for all
    within: tuple[int, ...] = ()
    # output "unit_ranking": how many places are asked for ("… the most tasks, and which one comes second?")
    places: int = 1

    @property
    def positive(self) -> list[Mention]:
        return [t for t in self.terms if not t.negated]

    @property
    def negative(self) -> list[Mention]:
        return [t for t in self.terms if t.negated]


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up question points back to."""

    kind: str  # "pronoun" | "ordinal" | "facet" | "bare"
    tasks: tuple[int, ...]  # the tasks it resolves to (may be empty for a facet on a topic)
    previous_question: str = ""


@dataclass
class QuestionAnalysis:
    """Everything later stages need to know about a question. Built by :func:`analyse` only."""

    text: str  # the question as asked (cleaned, NFKC-normalised)
    language: str  # "en" | "zh"
    asks: Asks
    tasks: list[int] = field(default_factory=list)  # tasks named (or resolved from a follow-up)
    missing_tasks: list[int] = field(default_factory=list)  # numbers the plan has no task for
    sections: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    other_places: list[str] = field(default_factory=list)  # jurisdictions the plan does not cover
    # Documents the question names: "plan" for the plan ("what does the plan say ..."), or the
    # source ids of other documents it names by their title ("the drone delivery measures").
    documents: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    set_query: SetQuery | None = None
    follow_up: FollowUp | None = None
    topic_words: set[str] = field(default_factory=set)  # stemmed words about the subject, not the asking
    # English two-word phrases of the subject (stemmed pairs, names of units and places left out):
    # whether the documents use any of them tells a topic they cover from one they only brush.
    topic_phrases: set[tuple[str, str]] = field(default_factory=set)
    within_tasks: tuple[int, ...] = ()  # "which of them …": the earlier answer's tasks to search among
    every_task: bool = False  # "any others?": every task on the earlier subject, however the turn is worded
    other_than: tuple[int, ...] = ()  # "any other tasks on it?": the tasks the last answer gave, to leave out
    # The tasks earlier turns of the conversation cited (none after "different question -"): a turn that
    # describes one of them in new words is still about it ("the preview thing for unreleased games")
    conversation_tasks: tuple[int, ...] = ()
    in_conversation: bool = False  # asked after earlier turns (whatever they cited)
    search_query: str = ""  # what retrieval should look for
    # A follow-up that adds a facet to the earlier topic ("and anything on data centres?"): its own
    # words, searched too, so that the new subject is not drowned by the earlier question's.
    own_query: str = ""
    # Chinese: the plan's English wording of the plan terms the question uses (assistant/data/names.json)
    plan_terms: list[str] = field(default_factory=list)
    # English: each typo of one of the documents' words, lower case, and that word ("reinsurnace":
    # "reinsurance"; TaskCatalogue.respellings)
    typos: dict[str, str] = field(default_factory=dict)
    lexical_query: str = ""  # the subject words of search_query, for BM25 (question words left out)
    activities: list[str] = field(default_factory=list)  # an enterprise's activities, for multi-policy answers
    first_person: bool = False  # "we", "our company": an enterprise describing itself
    described_enterprise: bool = False  # "A foreign firm wants to …; which tasks?": one described to ask for it
    wants_units: bool = False  # the answer should lead with responsible units
    focus_noun: str = ""  # MEMBERS: the plural noun asked for ("countries")
    # The sentence that asks, when the question has several ("We run X. How much is the bonus?")
    asking_sentence: str = ""
    # Kinds of fact a further part of the question asks for ("who is behind it, and what percentage is
    # subsidised?": AMOUNT): each is checked against the evidence like the main one
    also_asks: tuple[Asks, ...] = ()
    # The plan's wording asked for in Chinese ("the Chinese title", 中文原文); the documents are English
    wants_chinese_text: bool = False
    # A message that asks the document's own details and a second question ("When was the plan
    # issued, and who leads its implementation?"): the two questions, each analysed on its own (the
    # second read after the first, as in a conversation); () for any other message
    parts: tuple[QuestionAnalysis, ...] = ()

    # --- how the answer is obtained ------------------------------------------------------

    @property
    def route(self) -> str:
        """``task`` (named tasks), ``list`` (exhaustive from metadata) or ``semantic`` (retrieval)."""
        if self.set_query is not None:
            return "list"
        pointed = self.follow_up is not None and self.follow_up.kind in ("ordinal", "pronoun", "bare")
        if self.tasks and (self.asks != Asks.SECTION or not self.topic_words or pointed):
            return "task"  # ("the second of those – which section does it sit in?": that task's)
        if self.missing_tasks:  # "summarise task 31": say there is no such task
            return "task"
        return "semantic"

    @property
    def chinese(self) -> bool:
        return self.language == "zh"

    @property
    def wants_targets(self) -> bool:
        return self.asks in (Asks.TARGETS, Asks.AMOUNT) and bool(
            re.search(r"20\d\d|target|decade|目标|billion|亿", self.text)
        )

    @property
    def wants_plan_lead(self) -> bool:
        """ "Who leads the work on the plan as a whole?", 整个方案由谁统筹推进: the body the plan
        names for all of its work, not a unit of any one task."""
        names = self.tasks or self.units or self.areas or self.sections or self.set_query
        if self.asks != Asks.WHO or names:
            return False
        # ("who is in charge of the plan?": the plan itself, with a word of leading its work; not
        # "who does the plan apply to?", 方案是谁发布的)
        of_the_plan = bool(_THE_PLAN.search(self.text) and _LEADS_WORK.search(self.text))
        if not (_WHOLE_PLAN_LEAD.search(self.text) or of_the_plan):
            return False
        # (a subject makes it a question on one part of the plan: "who oversees data flows overall?",
        # 规划里谁负责充电桩)
        if self.language == "zh":
            # (哪个机构, 推进工作: the body asked for and the work it leads are no subject either)
            # (领导小组, 市政府层面: the body asked for, and the level it works at)
            also = re.compile("机构|机关|工作|部门|单位|组织|领导小组|小组|市政府|政府|层面|这项|总")
            return not _chinese_subject_left(self.text, _LEADS_WORK, also)
        return not self.topic_words - _LEADING_WORDS

    @property
    def document_fact(self) -> str:
        """ "When was the plan issued?", "Who published this document?", 方案是谁印发的: a detail of
        the document itself, which its metadata holds and no passage states: ``"date"`` or
        ``"issuer"`` (what is asked), or ``""`` for any other question."""
        # (a follow-up that names the document asks about it too: "tell me about task 20", then
        # "when was this plan issued?"; "who published it?" alone points back to the earlier subject)
        own_tasks = [t for t in self.tasks if self.follow_up is None or t not in self.follow_up.tasks]
        names = own_tasks or self.units or self.areas or self.sections or self.set_query
        # ("What is the plan's full title?", 方案的全称是什么: its name, which its details hold; "Is the
        # plan available in Chinese?", 方案有中文版吗: the document in a language, which its details name)
        in_chinese = self.wants_chinese_text and _VERSION_ASKED.search(self.text)
        if not names and "plan" in self.documents and (_TITLE_ASKED.search(self.text) or in_chinese):
            if self.language == "zh":
                chinese = re.compile("中文|英文|文件|这个|这份|完整|正式|具体|版本?|有")
                return "" if _chinese_subject_left(self.text, _TITLE_WORDS_ZH, chinese) else "title"
            return "" if self.topic_words - _TITLE_WORDS - _PLAN_TITLE_WORDS else "title"
        if self.asks not in (Asks.WHEN, Asks.WHO) or names or not _ISSUING.search(self.text):
            return ""
        # (opening a conversation, "when was it published?", "who issued this?", 这个是谁发布的 can only
        # mean the document: nothing was said before for the word to point back to)
        lone = not self.in_conversation and bool(_LONE_POINTER.search(self.text))
        if not (self.documents or _THIS_DOCUMENT.search(self.text) or lone) or _ADDRESSEE.search(self.text):
            return ""  # ("who was this plan issued to?": whom it is for, not who issued it)
        if self.language == "zh":
            # (方案里的负面清单什么时候出台: a subject in the plan, not the plan)
            if _chinese_subject_left(self.text, _ISSUING, re.compile("时候|时间|日期|文件|份|这个|这份|它")):
                return ""
        elif self.topic_words - _ISSUING_WORDS - _PLAN_TITLE_WORDS:
            return ""  # ("when was the plan's negative list published?")
        return "date" if self.asks == Asks.WHEN else "issuer"

    @property
    def look_up_words(self) -> set[str]:
        """The words a word look-up searches the tasks' text for: the subject's (English), or the
        plan's English wording of the plan terms a Chinese question uses."""
        if self.language == "zh":
            return content_words(" ".join(self.plan_terms))
        spelling = _SPELLING_CLAUSE.search(self.text)
        if spelling is None:
            return self.topic_words
        # ("…, whether it's written as AI or spelled out": how it may be written, not what it is)
        rest = self.text[: spelling.start()] + " " + self.text[spelling.end() :]
        return self.topic_words & content_words(normalise_text(rest)) or self.topic_words

    @property
    def asked_item(self) -> str:
        """What a question asks whether the documents say anything about ("does the plan say
        anything about stablecoins for cross-border payments?": "stablecoins"), as written; the
        context after it ("for …", "in …") is not the item. "" for any other question."""
        if self.language != "en":
            return ""
        found = _ASKED_ITEM.search(self.asking_sentence or self.text)
        return next((g for g in found.groups() if g), "").strip() if found else ""

    @property
    def look_up_items(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """A look-up of any of several subjects ("insurance or shipping"; "aviation — air cargo,
        planes, aviation training, that sort of thing"): each item as written, with its look-up
        words. () for one subject, for both of two ("both insurance and shipping"), and for a list
        that may name aspects of its head rather than kinds of it ("cross-border e-commerce —
        logistics, payments, returns": the tasks on e-commerce payments, not on any payments)."""
        text = _SPELLING_CLAUSE.sub(" ", self.text)
        if self.language != "en" or _AND_BOTH.search(text) or not _ALTERNATIVES.search(text):
            return ()
        items: dict[frozenset[str], str] = {}
        pieces = _LIST_SEPARATOR.split(text)  # parts, with the separator before each (None for the first)
        previous = ""
        for separator, part in zip([None, *pieces[1::2]], pieces[0::2]):
            tokens = re.findall(r"[\w-]+", part)
            at = [i for i, token in enumerate(tokens) if content_words(token) & self.look_up_words]
            if not at:
                continue
            written = " ".join(tokens[at[0] : at[-1] + 1])  # ("letters of credit", with its small words)
            bare = len(at) == 1 and at[0] == 0 and sum(c.isupper() for c in tokens[0]) < 2  # (not "SMEs", a name)
            if separator and separator.lower() == "or" and bare and " " in previous:
                # "e-commerce imports or exports", "insurance for shipping or aviation": a bare word
                # after "or" shares the words before the last one of the item it stands beside
                # (not "the digital RMB or the RMB", "small and micro enterprises or SMEs", which
                # name subjects of their own)
                written = f"{previous.rsplit(' ', 1)[0]} {written}"
            words = frozenset(content_words(normalise_text(written)) & self.look_up_words)
            previous = written
            if words and words not in items:
                items[words] = written
        return tuple((said, words) for words, said in items.items()) if len(items) >= 2 else ()

    @property
    def look_up_negated(self) -> bool:
        """ "Which tasks don't mention the RMB?": a look-up that asks for the tasks it does not find."""
        return bool(_NOT_MENTIONING.search(_without_a_not_a(self.text)))

    @property
    def wants_every_task(self) -> bool:
        """ "Which tasks mention blockchain?", 哪些任务提到了人民币: every task whose text uses the
        subject's words."""
        if self.first_person or self.asks != Asks.TASKS or not self.look_up_words:
            return False
        if self.every_task:
            return True
        return bool((_EVERY_TASK_ZH if self.language == "zh" else _EVERY_TASK).search(self.text))

    @property
    def multi_policy(self) -> bool:
        """An enterprise asking what applies to it, or describing several activities (and asking
        what there is for them, not for one specific thing: "… what's the max battery size?")."""
        return self.asks == Asks.APPLIES or (
            (self.first_person or self.described_enterprise)
            and len(self.activities) >= 2
            and self.asks not in _SPECIFIC_ASKS
        )

    def to_json(self) -> dict:
        """A compact summary, kept in answers so that a later turn can point back to it."""
        return {
            "language": self.language,
            "asks": str(self.asks),
            "tasks": self.tasks,
            "units": self.units,
            "areas": self.areas,
            "sections": self.sections,
            "documents": self.documents,
            "set_query": None
            if self.set_query is None
            else {
                "op": str(self.set_query.op),
                "output": self.set_query.output,
                "only": self.set_query.only,
                "first": self.set_query.first,
                "last": self.set_query.last,
                "in_text": self.set_query.in_text,
                "fewest": self.set_query.fewest,
                "counted": self.set_query.counted,
                "each_task": self.set_query.each_task,
                "counted_in_plan": self.set_query.counted_in_plan,
                "unit_count": list(self.set_query.unit_count) if self.set_query.unit_count else None,
                "within": list(self.set_query.within),
                "places": self.set_query.places,
                "terms": [
                    {"kind": t.kind, "values": list(t.values), "negated": t.negated} for t in self.set_query.terms
                ],
            },
            "follow_up": None
            if self.follow_up is None
            else {"kind": self.follow_up.kind, "tasks": list(self.follow_up.tasks)},
            "search_query": self.search_query,
            "also_asks": [str(a) for a in self.also_asks],
        }


# --- names ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _names_data() -> dict:
    return json.loads(NAMES_FILE.read_text(encoding="utf-8"))


def is_chinese(text: str) -> bool:
    cjk = len(_CJK.findall(text))
    return cjk >= 2 and cjk >= 0.3 * len(re.sub(r"[\s\d\W]", "", text) or "x")


_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int | None:
    """二十三 -> 23, 十二 -> 12, 7 -> 7."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text) if len(text) == 1 else None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_NUM = r"\d{1,3}"
_TASK_REF = re.compile(
    rf"(?:\btasks?|\bitems?|\bmeasures?|\bpoints?|\bno\.)\s*(?:no\.?|number|#)?\s*#?\s*(?P<list>{_NUM}(?:\s*(?:,|and|&|or|to|-|–|through)\s*(?:tasks?\s*)?{_NUM})*)\b"
    rf"|#\s*(?P<hash>{_NUM})\b"
    r"|第\s*(?P<zh>[\d一二三四五六七八九十两]{1,4})\s*(?:项|条|个任务|号任务)"
    # (任务一共 is "the tasks in all", not task 1)
    r"|任务\s*(?P<zh2>\d{1,3}(?!\d)|[一二三四五六七八九十两]{1,4}(?![一二三四五六七八九十两共起样些般直定下同致切分]))"
    r"|(?P<zh3>[\d一二三四五六七八九十两]{1,4})\s*号任务",
    re.IGNORECASE,
)
_SECTION_REF = re.compile(
    r"\b(?:section|part|chapter|pillar)s?\s+\(?(?P<num>[ivx]{1,4}|\d)\b\)?"
    # "sections IV or V", "parts II and VI": one mention of each of them
    r"(?P<more>(?:\s*(?:,|and|or|&|/)\s*\(?(?:(?-i:[IVX]{1,4}|ii|iii|iv|vi?)|[1-6](?!\d))\b\)?)*)|第\s*(?P<zh>[一二三四五六七八九十\d]{1,3})\s*(?:大?部分|章|节|大类|大块)",
    re.IGNORECASE,
)


def _task_numbers(match: re.Match) -> list[int]:
    if match.group("list"):
        numbers: list[int] = []
        for start, sep, end in re.findall(
            rf"({_NUM})(?:\s*(to|-|–|through)\s*(?:tasks?\s*)?({_NUM}))?", match.group("list")
        ):
            if sep and end and 0 < int(end) - int(start) <= 30:
                numbers.extend(range(int(start), int(end) + 1))
            else:
                numbers.append(int(start))
                if end:
                    numbers.append(int(end))
        return numbers
    value = match.group("hash") or match.group("zh") or match.group("zh2") or match.group("zh3")
    number = chinese_number(value) if value else None
    return [number] if number else []


# "the shipping services task", "the task on trade fairs", "the fund pooling one": a task named by its subject.
_TASK_BY_NAME = re.compile(
    # (a name holds no article: "on the hook for the shipping services one" names "shipping services")
    r"\bthe\s+(?P<name>(?:(?!(?:the|a|an)\s)(?:[A-Za-z][\w/-]*|&|/)\s+){1,6}?)(?P<noun>task|one)\b(?!\s*\d)"
    r"|\b(?:the|a)\s+(?:task|one)\s+(?:on|about|for|of|concerning|covering|dealing\s+with|with|that\s+(?:has|mentions))\s+(?:the\s+)?"
    r"(?P<after>[A-Za-z][\w-]*(?:\s+(?!(?:but|and|or|nor|not|than|except|versus|vs)\b)[A-Za-z][\w-]*){0,4})",
    re.I,
)


_TASK_BY_NAME_ZH = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)(?:这一?条|那一?条|这一?项|那一?项)(?:任务)?"
    # (临港跨境数据服务中心是第几条: a term asked "which task" of names it, as "the X task" does)
    r"|(?P<asked>[\u4e00-\u9fffA-Za-z0-9]{2,16}?)\s*(?:呢\s*[，,]?\s*)?(?:是|在|属于|出自|写在)(?:第几|哪一?)(?:条|项)"
)


def _task_named(name: str, catalogue: TaskCatalogue, titles_only: bool = False) -> int | None:
    """The one task whose title uses every subject word of ``name``; else the one whose text does,
    when each of those words is one only a few tasks use ("the submarine cable task", not "the key task")."""
    if "/" in name:
        # "the trade fairs / expos task": names of one task, either way; the task all of them fit
        found = {_task_named(part, catalogue, titles_only) for part in name.split("/") if part.strip()} - {None}
        return found.pop() if len(found) == 1 else None
    words = _description_words(name, catalogue)  # "the shipping-services task"
    if not words:
        return None
    titled = [task for task, title in catalogue.title_stems.items() if _all_words_in(words, title)]
    if titled:
        return titled[0] if len(titled) == 1 else None  # several titles fit: not a name
    if titles_only:  # "the key one", "the urgent one": a name only by a task's title
        return None
    found = catalogue.tasks_using(words)
    if len(found) == 1 and all(catalogue.task_frequency.get(w, 0) <= SPECIFIC_TASKS for w in words):
        return found[0].task
    # "the trade fairs and expos task": the one title that has most of the words, better than any other
    # ("the task on …" names a task; "the … one" may mean a section as well)
    return _best_titled_task(name, catalogue, against_sections=titles_only)


def _description_words(name: str, catalogue: TaskCatalogue) -> set[str]:
    """The subject words of a task's description; a word of a task title counts even where it is
    asking language elsewhere ("the task on strengthening leading enterprises")."""
    title_words = set().union(*catalogue.title_stems.values())
    return content_words(name.replace("-", " ")) - (_ASKING_WORDS - title_words)


def _all_words_in(words: set[str], title: set[str]) -> bool:
    """Whether every one of ``words`` is a word of ``title`` or another form of one: the stems
    differ where the stemmer leaves a suffix on ("digitalising" / "digitally", "moving" / "movement")."""
    return all(
        w in title or any(min(len(w), len(t)) >= 4 and (w.startswith(t) or t.startswith(w)) for t in title)
        for w in words
    )


def _is_title(bracketed: str, sections: list[str]) -> bool:
    """Whether words in brackets after a section number are that section's title: Chinese words
    (the titles are English, so only no numbers or names), or English sharing a title word."""
    if _CJK.search(bracketed):
        return not re.search(r"\d|任务|第", bracketed)
    title_words = {w for s in sections for w in content_words(s)}
    return bool(content_words(bracketed) & title_words)


def _spans_overlap(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


# A body's short name followed by a word for its kind ("the civil aviation regulator").
_BODY_KIND_TAIL = re.compile(r"\s+(?:regulators?|authorit(?:y|ies)|watchdogs?|agenc(?:y|ies))\b", re.I)
# A place written next to one of these words is the body that governs it, not the place.
_UNIT_TAIL = re.compile(
    r"^[\s'’s-]*(?:special area\s+|new area\s+|(?:international\s+)?(?:central\s+)?business district\s+|cbd\s+|district\s+"
    # ("the lingang free trade area committee": the place's body, however its area is described)
    r"|(?:(?!(?:the|of|by|in|on|for|and|or|with|where|which|that|is|are|tasks?)\b)[a-z-]+\s+){1,3}(?=(?:admin\w*\s+|management\s+)?committee\b))?"
    r"(?:(?:admin(?:istrative|istration)?|management)\s+committee|admin(?:istration)?\b|committee|"
    r"(?:people's\s+)?government|管委会|政府|管理委员会"
    # ("the Lingang people", "the Pudong folks": the body, said loosely)
    r"|(?:people|folks|guys|team|officials)\b(?!\s+(?:in|from|of|who|living|working)\b))",
    re.IGNORECASE,
)
_RESPONSIBLE = re.compile(
    r"\b(responsib\w*|in charge|lead(?:s|ing)?|accountable|tasked|assigned|handle[sd]?|share[sd]?|jointly|involved|on the hook)\b"
    r"|负责|牵头|承担|主管",
    re.IGNORECASE,
)


# A question about the plan's bodies ("as a unit", "which tasks involve Customs and …"): a body's
# short name there is the body, even one the measures also use as a subject.
_ABOUT_BODIES = re.compile(r"\b(?:units?|bod(?:y|ies)|agenc(?:y|ies)|departments?|involv\w*|customs)\b")

# "who else works on that?", 还有谁: who runs something, not who may benefit from it.
_ACT_TOGETHER = re.compile(
    r"\b(?:do|work|act|team)\w*\s+(?:\w+\s+)?(?:together|jointly)\b|\bteam up\b|一起做|共同做|合作做", re.I
)
_WHO_RUNS = re.compile(
    r"\bwho\b(?!\s+(?:can|may|could|is eligible|are eligible|qualif\w*|benefits?|gets?)\b)|谁(?!可以|能|有资格|适用)",
    re.I,
)


@dataclass(frozen=True)
class _NameTables:
    """Every name pattern resolved to the catalogue's canonical names, built once per index
    generation (resolving them per question cost ~0.3 s)."""

    zh: tuple[tuple[re.Pattern, str, tuple[str, ...]], ...]  # (pattern, kind, values), longest first
    units: tuple[tuple[re.Pattern, str], ...]  # full canonical names, longest first
    aliases: tuple[tuple[re.Pattern, bool, tuple[str, ...]], ...]  # (pattern, is a place, units)
    # (unit, distinctive words, kind words, words no other name has, pattern)
    partial: tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str], re.Pattern], ...]


# Words of place or level inside Chinese names of bodies that people leave out when they write them.
_ZH_NAME_FILLERS = ("地区", "上海市", "市", "区")


@lru_cache(maxsize=8)
def _name_tables(units: tuple[str, ...], areas: tuple[str, ...]) -> _NameTables:
    data = _names_data()
    zh = []
    for kind, table, known in (("unit", data["units"], units), ("area", data["areas"], areas)):
        for canon, names in table.items():
            if kind == "area":
                values = tuple(a for a in known if a == canon)
            elif canon == "All district people's governments":
                values = tuple(u for u in known if "district people" in u.lower() and "all" in u.lower())
            else:
                values = tuple(u for u in known if unit_matches(canon, u))
            zh += [(name, kind, values) for name in names if values]
    # A long unit name written without a word of place or level (民航华东管理局 for 民航华东地区管理局),
    # when only one unit's names shorten so and no name is written so already.
    written = {name for name, _, _ in zh}
    shortened: dict[str, set[tuple[str, ...]]] = {}
    for name, kind, values in zh:
        if kind == "unit" and len(name) >= 6:
            for filler in _ZH_NAME_FILLERS:
                if filler in name[1:-2]:
                    shortened.setdefault(name.replace(filler, "", 1), set()).add(values)
    zh += [(name, "unit", next(iter(v))) for name, v in shortened.items() if len(v) == 1 and name not in written]
    zh.sort(key=lambda item: -len(item[0]))
    aliases = [
        (re.compile(_name_pattern(alias)), alias in _PLACE_ALIASES, tuple(u for u in units if unit_matches(target, u)))
        for alias, target in sorted(UNIT_ALIASES.items(), key=lambda kv: -len(kv[0]))
    ]
    partial = []
    unit_words = {
        unit: [
            w for w in normalise(unit).split() if w not in {"of", "and", "the", "shanghai", "municipal", "people", "s"}
        ]
        for unit in units
    }
    units_using: dict[str, int] = {}
    for words in unit_words.values():
        for w in set(words):
            units_using[w] = units_using.get(w, 0) + 1
    for unit, words in unit_words.items():
        distinctive = frozenset(w for w in words if w not in _UNIT_KIND_WORDS)
        kinds = frozenset(w for w in words if w in _UNIT_KIND_WORDS)
        # a word of this name no other unit's name has ("regulatory"): enough with the kind word
        unique = frozenset(w for w in distinctive if units_using[w] == 1 and len(w) >= 4)  # (not "all")
        if distinctive and kinds:
            # A word may be shortened to a prefix of three letters or more: "sci-tech commission",
            # "admin committee", "info bureau".
            either = "|".join(rf"{re.escape(w[:3])}[a-z]*" for w in sorted(distinctive | kinds))
            # (a short word may stand inside: "econ & IT commission")
            pattern = re.compile(
                rf"(?<![a-z])(?:{either})(?:[\s&'-]+(?:of|and|the|on|for)?\s*(?:[a-z]{{1,3}}[\s&'-]+)?(?:{either}))*(?![a-z])"
            )
            partial.append((unit, distinctive, kinds, unique, pattern))
    return _NameTables(
        zh=tuple((re.compile(re.escape(name)), kind, values) for name, kind, values in zh),
        units=tuple((re.compile(_name_pattern(u)), u) for u in sorted(units, key=len, reverse=True)),
        aliases=tuple((pattern, is_place, values) for pattern, is_place, values in aliases if values),
        partial=tuple(partial),
    )


def _name_words_lower(catalogue: TaskCatalogue) -> frozenset[str]:
    """Every word of the units' and areas' names (a district's own name: "changning")."""
    return _all_name_words(tuple(catalogue.units), tuple(catalogue.areas))


@lru_cache(maxsize=8)
def _all_name_words(units: tuple[str, ...], areas: tuple[str, ...]) -> frozenset[str]:
    stop = {"of", "and", "the", "district", "people's", "people", "government", "governments", "s"}
    return frozenset(w for name in (*units, *areas) for w in re.findall(r"[a-z']+", name.lower()) if w not in stop)


@lru_cache(maxsize=8)
def _name_words(units: tuple[str, ...], areas: tuple[str, ...]) -> frozenset[str]:
    """Words of six letters or more in the names of units, areas and their aliases."""
    names = [*units, *areas, *UNIT_ALIASES, *_PLACE_ALIASES]
    return frozenset(w for name in names for w in re.findall(r"[a-z]{6,}", name.lower()))


def _respell_names(text: str, catalogue: TaskCatalogue) -> str:
    """``text`` with a misspelt word of a name put right where it has two neighbouring letters
    swapped ("Hongqaio", "cutsoms"); same length, so every span stays true. Only swaps: a changed
    letter often makes another English word ("policy", "police"; "expert", "export"), a swap rarely
    does (a changed letter in a longer name is read by the partial names below)."""
    vocabulary = _name_words(tuple(catalogue.units), tuple(catalogue.areas))

    def fix(match: re.Match) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in vocabulary or lower in catalogue.surface_words:
            return word
        near = [v for v in vocabulary if len(v) == len(lower) and _swapped(lower, v)]
        if len(near) != 1:
            return word
        return "".join(c.upper() if o.isupper() else c for c, o in zip(near[0], word, strict=True))

    return re.sub(r"[A-Za-z]{6,}", fix, text)


def find_mentions(text: str, catalogue: TaskCatalogue) -> list[Mention]:
    """Every task, section, unit, area and other-jurisdiction name in ``text``, in order."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    tables = _name_tables(tuple(catalogue.units), tuple(catalogue.areas))
    original, text = text, _respell_names(text, catalogue)

    def add(kind: str, values: list[str] | tuple[str, ...], start: int, end: int) -> None:
        if kind == "unit" and values:
            start, end = _extend_to_name(text, start, end, list(values))
        if values and not _spans_overlap((start, end), taken):
            mentions.append(Mention(kind, tuple(dict.fromkeys(values)), start, end, original[start:end]))
            taken.append((start, end))

    # (brackets read as spaces, same length: "the data-flow task (20)")
    for match in _TASK_REF.finditer(re.sub(r"[()（）]", " ", text)):
        add("task", [str(n) for n in _task_numbers(match)], match.start(), match.end())
    if re.search(r"\btasks?\b", text, re.I):
        # "financial insurance services trade (12) and cross-border capital flow (22)": in a question
        # about tasks, a number in brackets after a description is the task's
        # (not an enumerator: "wants to (1) locate …, (2) use …")
        for match in re.finditer(r"(?<=[A-Za-z])\s*\(\s*(\d{1,2})\s*\)(?=\s*(?:[,.;:?!]|and\b|or\b|$))", text):
            if catalogue.task(int(match.group(1))) is not None:
                add("task", [match.group(1)], match.start(1), match.end(1))
    for match in _TASK_BY_NAME.finditer(text):
        by_title = (match.group("noun") or "").lower() == "one"
        number = _task_named(match.group("name") or match.group("after") or "", catalogue, titles_only=by_title)
        if number is None:
            continue
        same = next((i for i, m in enumerate(mentions) if m.kind == "task" and m.values == (str(number),)), None)
        if same is not None and re.fullmatch(r"[\s(（]*", text[mentions[same].end : match.start()]):
            # "task 5 (the e-commerce freight one)": the name says again which task; one mention
            mentions[same] = replace(
                mentions[same], end=match.end(), surface=original[mentions[same].start : match.end()]
            )
            taken.append((match.start(), match.end()))
            continue
        add("task", [str(number)], match.start(), match.end())
    for match in _TASK_BY_NAME_ZH.finditer(text):
        # 数字人民币全球结算中心这条: a task named by its subject, in the plan's English words
        group = "name" if match.group("name") else "asked"
        cut = _after_last(r"的|是|在|于|关于|参与|负责", match.group(group))
        # (the plan's own terms are specific already: the one task that uses all of them)
        # (after a verb, what comes before 这项 is not its name: 外资企业可以做这项, 游戏公司参加这项)
        name = re.split(r"可以|能|也|适用|做|参加|用|有|对|给|要|想|会|申请", match.group(group)[cut:])[-1]
        # (and the words it writes in Latin letters, the plan's own: 临港DEPA合作区 is DEPA's)
        glosses = content_words(" ".join([*_plan_terms(name), *re.findall(r"[A-Za-z][A-Za-z0-9-]+", name)]))
        glosses = {w for w in glosses if catalogue.knows_word(w)}
        using = catalogue.tasks_using(glosses) if glosses else []
        # 航空服务贸易那条: the one of them whose title has the words (aviation: 13, not 21); a term
        # asked of ("…航运服务核心区是第几条") is the task's only when that task alone uses it
        if len(using) > 1 and group == "name":
            using = [e for e in using if glosses <= content_words(e.title)]
        number = using[0].task if len(using) == 1 else None
        if number is not None:
            add("task", [str(number)], match.start(group) + cut, match.end())
    for match in _SECTION_REF.finditer(text):
        raws = [(match.group("num") or match.group("zh") or "").lower()]
        raws += re.findall(r"[ivx]{1,4}|\d", (match.group("more") or "").lower())
        numbers = [_ROMAN.get(raw) or (int(raw) if raw.isdigit() else chinese_number(raw)) for raw in raws]
        end = match.end()
        span = re.match(r"\s*(?:-|–|to|through)\s*([ivx]{1,4}|\d)\b\)?", text[end:], re.I)
        if span and len(numbers) == 1 and numbers[0]:
            # "sections II-IV": every section in the range; "(I-VI)", all of them, narrows nothing
            last = _ROMAN.get(span.group(1).lower()) or (int(span.group(1)) if span.group(1).isdigit() else 0)
            if last > numbers[0]:
                numbers = list(range(numbers[0], last + 1))
                end += span.end()
                if len(numbers) >= len(catalogue.sections):
                    taken.append((match.start(), end))
                    continue
        sections = [s for n in numbers for s in catalogue.sections if n and _section_number(s) == n]
        # "section II (digital ordering trade)", "第六部分（促进贸易要素顺畅流动）": the title in brackets is the name.
        title = re.match(r"\s*[(（“\"]([^()（）“”\"]{1,60})[)）”\"]", text[end:])
        if title and not _is_title(title.group(1), sections):
            title = None
        if not title and match.group("zh") and len(sections) == 1:
            # 第二部分数字订购贸易包括…: the Chinese title written straight after the number
            run = re.match(
                r"[\u4e00-\u9fff]{2,14}?(?=包括|包含|有|的|里|中|是|涉及|提到|主要|讲|[，,。？?]|$)", text[end:]
            )
            if run and _section_described_zh(run.group(0), catalogue) == sections[0]:
                title = run
        add("section", sections, match.start(), end + (title.end() if title else 0))

    for match in re.finditer(r"最后(?:一个|一)?部分", text):  # the last section
        if catalogue.sections:
            add("section", [catalogue.sections[-1]], match.start(), match.end())
    for match in _SECTION_BY_NAME_ZH.finditer(text):
        # 数字基础设施那一部分: a section named by its subject, in Chinese
        # (the name is what follows the last linking word: 有哪些属于|数字基础设施)
        cut = _after_last(r"属于|在|是|的|于|关于", match.group("name"))
        section = _section_described_zh(match.group("name")[cut:], catalogue)
        if section:
            add("section", [section], match.start("name") + cut, match.end())
    # Chinese names (longest first, so 临港新片区管委会 wins over 临港). In a question about who is
    # responsible (除了商务委和临港，还有谁负责), a place stands for the body that governs it.
    # (a question about what bodies do: who runs it, who is responsible, what two of them do together)
    responsibility = bool(_RESPONSIBLE.search(text) or _WHO_RUNS.search(text) or _ACT_TOGETHER.search(text))
    if _CJK.search(text):
        for pattern, kind, values in tables.zh:
            for match in pattern.finditer(text):
                governing = _governing_units(values, catalogue) if kind == "area" and responsibility else []
                add("unit" if governing else kind, governing or values, match.start(), match.end())

    # "a district government", "no district govt": any of them, named or not (Pudong New Area is a
    # district too); "all / relevant district governments" and "the Hongkou district government"
    # are the units of those names, found below.
    for match in _ANY_DISTRICT_GOVERNMENT.finditer(text):
        if match.group("zh"):  # 区政府, 各区政府 (a district named before it is matched above)
            add("unit", _district_governments(catalogue), match.start(), match.end())
            continue
        # Not "the Changning district government" (a district's own), "all (the) district
        # governments" or "relevant district governments" (the units of those names), nor when the
        # question quotes those names ("the 'relevant' or 'all' district governments").
        before = text[: match.start("district")].lower()
        quoted = re.search(r"[\"'“‘](?:relevant|all)\b", text, re.I)
        own = re.search(r"([a-z]+)(?:'s)?[\s-]+$", before)
        which = re.search(r"\b(all|relevant)\s+(?:the\s+|of\s+the\s+)?$", before, re.I)
        if own and own.group(1) in _name_words_lower(catalogue) and not which:
            continue
        if which and re.search(
            # (an imperative opening the request; "which of those list relevant district …" is a verb of "those")
            r"(?:^\s*|[.?!;:,]\s*|\b(?:please|pls|can you|could you|now)\s+)(?:list|name|show|give|find|identify|enumerate)\s+(?:me\s+|us\s+)?$",
            before[: which.start()],
            re.I,
        ):
            which = None  # "list all district governments named in the plan": every one of them
            if not quoted:
                add("unit", _district_governments(catalogue), match.start("district"), match.end())
        elif which and not quoted:
            # "all district governments" (without "people's"): the unit of that name, not the other one
            named = [u for u in _district_governments(catalogue) if u.lower().startswith(which.group(1).lower() + " ")]
            if named:
                add("unit", named, which.start(1), match.end())
        elif not quoted:
            family = _district_governments(catalogue)
            add("unit", family, match.start("district"), match.end())

    # English unit names: full canonical names first, then aliases, then distinctive partial names.
    # Brackets read as spaces (same length, so spans stay true): "the propaganda (publicity) department".
    lowered = re.sub(r"[()（）]", " ", text.lower().replace("’", "'"))
    for pattern, unit in tables.units:
        for match in pattern.finditer(lowered):
            add("unit", [unit], match.start(), match.end())
    # Places that are not also a body's short name come before the aliases, so that "special
    # customs supervision zones" is a place and not Shanghai Customs.
    for area, pattern in AREA_PATTERNS.items():
        if area in catalogue.areas and area not in _PLACE_ALIASES.values():
            for match in re.finditer(pattern, text, re.IGNORECASE):
                add("area", [area], match.start(), match.end())
    for pattern, is_place, values in tables.aliases:
        for match in pattern.finditer(lowered):
            tail = _UNIT_TAIL.match(lowered[match.end() : match.end() + 60]) if is_place else None
            if is_place and not tail:
                continue  # decided below, as an area (or a unit when the question is about responsibility)
            if _FISCAL_NOUN.match(lowered, match.end()):
                continue  # "tax breaks", "tax rates": a kind of measure, not the tax service
            if not tail:  # "the civil aviation regulator", "the forex authority": the body, by its kind
                tail = _BODY_KIND_TAIL.match(lowered, match.end())
                if (
                    not tail
                    and not responsibility
                    and not _ABOUT_BODIES.search(lowered)
                    and " " in match.group(0).strip()
                    and catalogue.measures_say(match.group(0))
                ):
                    # "which tasks mention intellectual property?", "anything on export credit
                    # insurance?": a phrase the measures use as their subject names the body only as
                    # a body ("the IP administration") or where bodies are asked about ("who …")
                    continue
                tail_end = tail.end() if tail else match.end()
                add("unit", values, match.start(), tail_end)
                continue
            add("unit", values, match.start(), match.end() + tail.end())
    for unit, distinctive, kinds, unique, pattern in tables.partial:
        name_words = distinctive | kinds
        for match in pattern.finditer(lowered):
            # A word that only starts like the name ("scientific", "commerce" for "commission") ends
            # a run: "science and tech commission and the commerce commission" holds one name.
            run: list[re.Match] = []
            for word in [*re.finditer(r"[a-z]+", match.group(0)), None]:
                if word is not None and (
                    word.group(0) in _LINKING or any(_begins(w, word.group(0)) for w in name_words)
                ):
                    run.append(word)
                    continue
                if word is not None and run and len(word.group(0)) <= 3 and word.group(0) not in _JOINS_NAMES:
                    continue  # a short word inside a name ("econ & IT commission"); not "or", "nor", "vs"
                while run and run[-1].group(0) in _LINKING:
                    run.pop()
                # words another name already holds ("the commerce commission and the science …"), or
                # the kind word that ends the name before ("the sci & tech commission and the economy …")
                while run and (
                    run[0].group(0) in _LINKING
                    or _spans_overlap((match.start() + run[0].start(), match.start() + run[0].end()), taken)
                    or (
                        len(run) > 1
                        and run[1].group(0) in ("and", "or", "nor")
                        and any(_begins(k, run[0].group(0)) for k in kinds)
                    )
                ):
                    run.pop(0)
                found = {w.group(0) for w in run} - _LINKING
                # (a word that reads as a kind word, "comission", is not also a distinctive one)
                rest = {f for f in found if not any(_begins(k, f) for k in kinds)}
                matched = {d for d in distinctive if any(_begins(d, f) for f in rest)}
                # every distinctive word ("the sci-tech commission"), or one only this name has and
                # nothing of another ("the regulatory bureau"); and a kind word of this name
                if (
                    found
                    and (matched == distinctive or (matched & unique and len(matched) == len(rest)))
                    and any(_begins(k, f) for k in kinds for f in found)
                ):
                    add("unit", [unit], match.start() + run[0].start(), match.start() + run[-1].end())
                run = []

    for match in _SECTION_BY_NAME.finditer(text):
        # "the digital infrastructure section", "the section on cross-border data", "the last part"
        # (after the units' names, so that a description never takes in a name before it)
        section = _section_described(match.group("name") or match.group("after") or "", catalogue)
        a_part = (match.group("name") and match.group(0).lower().endswith("part")) or (
            match.group("after") and re.match(r"the\s+part\b", match.group(0), re.I)
        )
        if (
            section
            and a_part
            and not re.search(r"\b(?:in|under|within|from)\s*$", text[: match.start()], re.I)
            and _one_task_titled(match.group("name") or match.group("after"), catalogue)
        ):
            # "who runs the air freight part", "the part of the plan that deals with trade fairs": a
            # part of one task, not the section around it
            section = None
        if section:
            # "the last section, the one about moving people and money": the words after it describe it
            described = _SECTION_APPOSITIVE.match(text, match.end())
            add("section", [section], match.start(), described.end() if described else match.end())

    for section in catalogue.sections:
        # a section by its own title: "Under 'Innovating and Enhancing Trade in Services', …"
        title = section.split(".", 1)[-1].strip()
        if len(title) > 12:
            for match in re.finditer(re.escape(title), text, re.I):
                add("section", [section], match.start(), match.end())

    # Areas (English patterns), then places that are also units when the question is about responsibility.
    # (a question that asks "who" asks about bodies: "who else works on that apart from Lingang?")
    for area, pattern in AREA_PATTERNS.items():
        if area not in catalogue.areas:
            continue
        for match in re.finditer(pattern + _PLACE_TAIL, text, re.IGNORECASE):
            alias = next(
                (
                    a
                    for a in _PLACE_ALIASES
                    if re.fullmatch(AREA_PATTERNS.get(_PLACE_ALIASES[a], "$^"), match.group(0).split()[0], re.I)
                ),
                None,
            )
            # "the Lin-gang admin committee", "the Pudong government": the place's governing body.
            body = _UNIT_TAIL.match(text[match.end() : match.end() + 60]) if alias else None
            if alias and (body or (responsibility and _place_is_unit(text, match))):
                add(
                    "unit",
                    [u for u in catalogue.units if unit_matches(UNIT_ALIASES[alias], u)],
                    match.start(),
                    match.end() + (body.end() if body else 0),
                )
            else:
                add("area", [area], match.start(), match.end())

    # A unit's own word alone, beside other names in a list ("commerce, STCSM and SHEITC",
    # "commerce and the economy & IT commission"): that unit. Only a word no other name has.
    named = [m for m in mentions if m.kind == "unit"]
    if named or _RESPONSIBLE.search(text):
        # (not a word the measures themselves use: "insurance", "security" are subjects there)
        used = catalogue.measure_words
        own_words = {w: unit for unit, _d, _k, unique, _p in tables.partial for w in unique if len(w) >= 4}
        for match in re.finditer(r"(?<![\w-])[a-z]{4,}(?![\w-])", lowered):
            unit = own_words.get(match.group(0))
            # A word the measures use too is a name only written as one, with a capital inside a
            # sentence ("neither the data bureau nor Commerce"; "e-commerce" is a subject).
            capital = (
                text[match.start()].isupper()
                and not re.search(r"(?:^|[.?!:]\s*)$", text[: match.start()])
                and not re.match(r"\s+[A-Z][a-z]", text[match.end() :])  # ("Public Service Platforms": another name)
            )
            if unit and match.group(0) in used and not capital:
                continue
            before = lowered[max(0, match.start() - 12) : match.start()]
            after = lowered[match.end() : match.end() + 12]
            # (after a word of asking, not a describing one: "what about commerce", not "digital commerce")
            listed = re.search(_BEFORE_A_NAME, before) and (
                _near_any(match.start(), match.end(), named, lowered)
                # "STCSM … without commerce being on it": set against the names before it
                or re.search(r"\b(?:without|not|except|besides|minus|excluding|nor|neither)\s+(?:the\s+)?$", before)
                # "which tasks is Commerce not responsible for?", "tasks that list Commerce but not STCSM"
                or (capital and bool(named or _RESPONSIBLE.search(text)))
            )
            if unit and listed and not re.match(r"\s*(?:[a-z]+\s+)?(?:commission|bureau|office|committee)", after):
                add("unit", [unit], match.start(), match.end())

    # Jurisdictions the plan does not cover.
    for match in _other_places().finditer(text):
        add("other_place", [match.group(0)], match.start(), match.end())
    if _CJK.search(text):
        mentions = [_with_chinese_tail(m, text, original) for m in mentions]
    return sorted(mentions, key=lambda m: m.start)


def _with_chinese_tail(mention: Mention, text: str, original: str) -> Mention:
    """ "PBOC上海总部": an English short name with the rest of a Chinese name of the same body after it
    is one mention (the Chinese characters are part of the name, not a subject)."""
    if mention.kind != "unit" or _CJK.search(mention.surface):
        return mention
    run = re.match(r"[\u4e00-\u9fff]{2,12}", text[mention.end :])
    if not run:
        return mention
    names = [
        n
        for canon, ns in _names_data()["units"].items()
        if any(unit_matches(canon, v) for v in mention.values)
        for n in ns
    ]
    tail = next(
        (run.group(0)[:k] for k in range(len(run.group(0)), 1, -1) if any(run.group(0)[:k] in n for n in names)), ""
    )
    if not tail:
        return mention
    end = mention.end + len(tail)
    return replace(mention, end=end, surface=original[mention.start : end])


@lru_cache(maxsize=1)
def _terms_pattern() -> tuple[re.Pattern | None, dict[str, str]]:
    terms = _glossary()
    if not terms:
        return None, {}
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))), terms


def _glossary() -> dict[str, str]:
    """The plan terms of assistant/data/names.json, Chinese to the plan's English wording."""
    return {k: v for k, v in _names_data().get("terms", {}).items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def _plan_term_bigrams() -> frozenset[str]:
    """Every two characters inside one of the plan's Chinese terms: 数据 (of 数据中心) is plan vocabulary."""
    terms = _glossary()
    return frozenset(term[i : i + 2] for term in terms for i in range(len(term) - 1))


@lru_cache(maxsize=1)
def _term_abbreviations() -> dict[str, str]:
    """The glossary's short forms, each with its full form (信保 of 信用保险, 跨境电商 of 跨境电子商务):
    two terms with one English wording, the shorter's characters in order in the longer."""
    terms = _glossary()

    def within(short: str, full: str) -> bool:
        rest = iter(full)
        return all(char in rest for char in short)

    return {
        short: full
        for short in terms
        for full in terms
        if len(short) < len(full) and terms[short] == terms[full] and within(short, full)
    }


def _plan_terms(text: str) -> list[str]:
    """The plan's English wording of the plan terms a Chinese question uses (longest match first)."""
    pattern, terms = _terms_pattern()
    if pattern is None:
        return []
    # (quotation marks inside a term do not split it: “一带一路”债券 is 一带一路债券)
    text = re.sub(r"[“”「」『』\"'‘’]", "", text)
    found = [terms[m.group(0)] for m in pattern.finditer(text)]
    # A short form inside a longer term (出口信保 for 出口信用保险) is read in its full form too.
    full = text
    for short, long in _term_abbreviations().items():
        full = full.replace(short, long) if long not in full else full
    if full != text:
        found = [terms[m.group(0)] for m in pattern.finditer(full)] + found
    return list(dict.fromkeys(found))


def plan_terms(text: str) -> list[str]:
    """The plan's English wording of the plan terms a Chinese text uses (assistant/data/names.json)."""
    return _plan_terms(text)


@lru_cache(maxsize=1)
def _other_places() -> re.Pattern:
    places = _names_data()["other_places"]
    english = "|".join(re.escape(n) for n in sorted(places["en"], key=len, reverse=True))
    chinese = "|".join(re.escape(n) for n in sorted(places["zh"], key=len, reverse=True))
    return re.compile(rf"(?<![A-Za-z])(?:{english})(?![A-Za-z])|{chinese}", re.IGNORECASE)


# Aliases that are also place names: a unit only with a governing-body word or a responsibility verb.
_PLACE_ALIASES = {
    "lingang": "Lin-gang Special Area",
    "lin-gang": "Lin-gang Special Area",
    "hongqiao": "Hongqiao International Central Business District",
    "pudong": "Pudong New Area",
    "hongkou": "Hongkou District",
    "changning": "Changning District",
}
_PLACE_TAIL = (
    r"(?:[\s-]+(?:special\s+area|new\s+area|international\s+central\s+business\s+district|cbd|district|area))?"
)


def _extend_to_name(text: str, start: int, end: int, names: list[str]) -> tuple[int, int]:
    """Grow a unit mention over neighbouring words of its own name ("the PBOC Shanghai Head Office",
    "the Commission of Economy and Informatization"), so they are not mistaken for a topic."""
    vocabulary = {w for name in names for w in [*normalise(name).split(), *re.findall(r"[a-z]+", name.lower())]}
    vocabulary |= {"the", "of", "and", "&", "s"}  # (and the parts of "Lin-gang")
    after = re.compile(r"[\s'’()-]+([A-Za-z&]+)")  # "the People's Bank (Shanghai head office)"
    while (
        (match := after.match(text, end)) and match.group(1).lower() in vocabulary and match.group(1).lower() != "and"
    ):
        end = match.end()
    # "the culture & tourism bureau": a body's kind word right after its name is part of how it is called
    if kind := re.match(
        r"[\s-]+(?:commission|bureau|office|administration|committee|department)s?\b", text[end:], re.I
    ):
        end += kind.end()
    before = re.compile(r"([A-Za-z&]+)[\s'’()-]+$")
    # "and" is never crossed: in "the X commission and the Y commission" it joins two names
    while (
        (match := before.search(text[:start]))
        and match.group(1).lower() in vocabulary
        and match.group(1).lower() != "and"
    ):
        start = match.start()
    return start, end


_ANY_DISTRICT_GOVERNMENT = re.compile(
    r"(?<![A-Za-z])(?P<district>districts?)(?:[\s-]+level)?\s+(?:people'?s\s+)?gov(?:ernment|t)s?\b"
    r"|(?P<zh>各区政府|区级政府|区政府)",
    re.I,
)


_BEFORE_A_NAME = (
    r"(?:^|[,&+/]|\b(?:and|or|both|the|with|between|about|for|of|where|which|what|do|does|is|are|on|from|to|than"
    r"|plus|tasks?|without|not|nor|neither|except|besides|minus|excluding|lists?|includes?|involves?|has|have|names?))\s*$"
)


# A noun that makes the word before it a kind of measure ("tax breaks", "tax rates"), not a body's name.
_FISCAL_NOUN = re.compile(
    r"\s+(?:break|rebate|incentive|relief|cut|exemption|credit|refund|rate|deduction|treatment|holiday|polic)", re.I
)


def _near_any(start: int, end: int, mentions: list[Mention], text: str) -> bool:
    """Whether a word at ``start:end`` is joined to one of ``mentions`` by a comma, "and", "or",
    "&", "+" or "/" (a list of names)."""
    joiner = r"\s*(?:,|&|\+|/|\band\b|\bor\b)\s*(?:(?:and|or)\s+)?(?:the\s+)?"
    return any(re.fullmatch(joiner, text[end : m.start]) or re.fullmatch(joiner, text[m.end : start]) for m in mentions)


def _district_governments(catalogue: TaskCatalogue) -> list[str]:
    """Every district's government, named or not (Pudong New Area is a district too)."""
    return [u for u in catalogue.units if re.search(r"(?:district|new area) people's government", u, re.I)]


def _governing_units(areas: tuple[str, ...], catalogue: TaskCatalogue) -> list[str]:
    """The units that govern these places (Lin-gang Special Area: its administrative committee)."""
    aliases = [alias for alias, area in _PLACE_ALIASES.items() if area in areas]
    return [u for u in catalogue.units if any(unit_matches(UNIT_ALIASES[a], u) for a in aliases if a in UNIT_ALIASES)]


def _same_body_or_place(one: Mention, other: Mention, catalogue: TaskCatalogue) -> bool:
    """Whether two mentions name the same thing, a place and the body that governs it alike."""
    if one.values == other.values:
        return True
    bodies = [set(_governing_units(m.values, catalogue)) if m.kind == "area" else set(m.values) for m in (one, other)]
    return bool(bodies[0] and bodies[0] == bodies[1])


def _place_is_unit(text: str, match: re.Match) -> bool:
    """In "tasks Lingang is responsible for", the place names its administration."""
    before = text[max(0, match.start() - 40) : match.start()].lower()
    return not re.search(
        r"\b(in|at|mention\w*|near|around|located|based|(?<!apart )from|about|nam(?:e[sd]?|ing)|cit\w+|referr?\w*)\s+(?:the\s+)?$",
        before,
    )


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by at most one letter left out, added or changed, or two neighbouring
    letters swapped ("cutsoms")."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            swapped = len(a) == len(b) and a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1]
            return swapped or a[i + (len(a) == len(b)) :] == b[i + 1 :]
    return True


def _swapped(a: str, b: str) -> bool:
    """``a`` is ``b`` with two neighbouring letters swapped."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _begins(word: str, fragment: str) -> bool:
    """``fragment`` is ``word`` or a shortening of it ("sci", "admin"), allowing one typo in a
    fragment of six letters or more ("comission")."""
    if word.startswith(fragment):
        return True
    return len(fragment) >= 6 and any(
        _one_edit(fragment, word[:n]) for n in (len(fragment) - 1, len(fragment), len(fragment) + 1)
    )


def _name_pattern(name: str) -> str:
    # "and" in a name may be typed "&" ("culture & tourism")
    words = [r"(?:and|&)" if w == "and" else re.escape(w) for w in normalise(name).split()]
    joined = r"(?:['’]s)?(?:[\s'’-]+|\s+of\s+|\s+the\s+|\s*&\s*|\s+and\s+)*".join(words)
    prefix = r"(?:the\s+)?"
    return rf"(?<![a-z]){prefix}{joined}(?![a-z])"


_LINKING = frozenset({"of", "and", "the", "on", "for"})
_JOINS_NAMES = frozenset({"or", "nor", "not", "but", "vs", "and", "n't", "plus", "to", "on", "in", "at", "by", "is"})
_UNIT_KIND_WORDS = {
    "commission", "bureau", "office", "administration", "government", "governments", "committee",
    "department", "service", "council", "branch", "customs", "bank", "corporation",
}  # fmt: skip


# A section named by its subject or its place: "the digital infrastructure section", "the section on
# moving money across borders", "the last part". (Not "that section", "section II": see above.)
_SECTION_BY_NAME = re.compile(
    r"\bthe\s+(?P<name>(?:(?!the\b)[\w/&'-]+\s+){1,6}?)(?:section|part|chapter|pillar)\b"
    r"(?!\s*\(?(?:[ivx]{1,4}\b|\d)|\s+of\b(?!\s+(?:the|this)\s+(?:plan|document)\b))"
    r"|\bthe\s+(?:section|part|chapter|pillar)\s+(?:of\s+(?:the|this)\s+plan\s+)?(?:on|about|covering|dealing with|(?:that|which)\s+(?:covers|deals with|is about))\s+"
    r"(?P<after>[^.;?()]{3,120}?)(?=,\s*(?:and\s+)?(?:which|what|who|how|does|do|is|are|list|name|tell|show)\b|\s+[–—-]\s|[.;?()]|$)",
    re.I,
)
_SECTION_APPOSITIVE = re.compile(
    r"\s*[,(–-]\s*(?:the one|the part|i\.e\.|namely)\s+(?:about|on|covering|dealing with)\b"
    r"[^;?()]*?(?=,\s*(?:which|what|who|how|does|do|is|are|list|name|tell|show)\b|[;?()]|$)",
    re.I,
)
_SECTION_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "last": -1, "final": -1}


def _section_described(words: str, catalogue: TaskCatalogue, margin: int = 1) -> str | None:
    """The one section whose title and task titles hold most of ``words`` (more than half of them,
    and more than any other section), or the section at an ordinal place ("the last"); else None."""
    words = re.sub(r"\s*/\s*", " ", words).strip()
    ordinal = _SECTION_ORDINALS.get(words.lower())
    if ordinal is not None:
        return catalogue.sections[ordinal] if catalogue.sections else None
    wanted = content_words(words) - _ASKING_WORDS
    if not wanted:
        return None
    # The section's own title first ("digital infrastructure": III, though a task of V is about a
    # digital economy), then with its tasks' titles ("the cross-border e-commerce section": II).
    for with_tasks in (False, True):
        scores = []
        for section in catalogue.sections:
            titles = [section, *(e.title for e in catalogue.tasks if e.section == section)] if with_tasks else [section]
            scores.append((len(wanted & content_words(" ".join(titles))), section))
        scores.sort(key=lambda pair: -pair[0])
        best, section = scores[0]
        # (``margin``: how many more of the words than any other section; 2 where a question's own
        # subject decides, so that one generic word such as "infrastructure" does not)
        if best * 2 > len(wanted) and (len(scores) == 1 or scores[1][0] <= best - margin):
            return section
    # Tied on the words: the section whose title and tasks' titles use them far more often ("the
    # infrastructure section": III, whose title and three task titles say so, not V's title alone)
    uses = sorted(
        (
            (
                sum(
                    bool(wanted & content_words(t)) for t in (s, *(e.title for e in catalogue.tasks if e.section == s))
                ),
                s,
            )
            for s in catalogue.sections
        ),
        key=lambda pair: -pair[0],
    )
    # (one word as typed: "e-commerce" is stemmed into two)
    one_word = len(re.findall(r"[\w'-]+", words)) == 1
    if len(uses) > 1 and uses[0][0] >= 3 and uses[0][0] >= 2 * uses[1][0] and one_word:
        return uses[0][1]
    return None


def _best_titled_task(words: str, catalogue: TaskCatalogue, against_sections: bool = True) -> int | None:
    """The task whose title the subject words describe better than any other task's or any
    section's: most of them in it, more than in any other title ("trade fairs and expos": task 23)."""
    wanted = _description_words(words, catalogue)
    if not wanted:
        return None
    shared = sorted(((len(wanted & content_words(e.title)), e.task) for e in catalogue.tasks), reverse=True)
    best_section = (
        max((len(wanted & content_words(s)) for s in catalogue.sections), default=0) if against_sections else 0
    )
    if (
        shared
        and shared[0][0] * 2 >= len(wanted)
        and shared[0][0] > (shared[1][0] if len(shared) > 1 else 0)
        and shared[0][0] > best_section
    ):
        return shared[0][1]
    return None


def _one_task_titled(words: str, catalogue: TaskCatalogue) -> bool:
    """Whether the subject words describe one task's title (see ``_best_titled_task``)."""
    return _best_titled_task(words, catalogue) is not None


# (部分 before a noun is "some": 数字贸易部分企业)
_SECTION_BY_NAME_ZH = re.compile(
    r"[“\"「]?(?P<name>[\u4e00-\u9fff]{2,14}?)[”\"」]?(?:那一部分|这一部分|那部分|这部分|那一块|部分(?=[的里中有是，,。？?]|$))"
)


def _after_last(linking: str, text: str) -> int:
    """Where a Chinese name starts: after the last linking word in ``text`` (有哪些属于|数字基础设施)."""
    return max((m.end() for m in re.finditer(linking, text)), default=0)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _section_described_zh(words: str, catalogue: TaskCatalogue) -> str | None:
    """The one section whose Chinese title (assistant/data/names.json) shares most of the two-
    character words of ``words``: more than half of them and more than any other section."""
    wanted = _bigrams(words)
    scores = []
    for numeral, titles in _names_data().get("sections", {}).items():
        if numeral.startswith("_"):
            continue
        shared = max(len(wanted & _bigrams(t)) for t in titles)
        scores.append((shared, numeral))
    scores.sort(key=lambda pair: -pair[0])
    if not scores or scores[0][0] * 2 <= len(wanted) or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    number = _ROMAN.get(scores[0][1].lower())
    return next((s for s in catalogue.sections if _section_number(s) == number), None)


def _section_number(section: str) -> int | None:
    head = section.split(".")[0].strip().lower()
    return _ROMAN.get(head)


# --- what is asked ------------------------------------------------------------------------

# The plan's own structure and bodies: a plural that names these asks for tasks, units or sections.
_PLAN_STRUCTURE = r"(?:tasks?|measures?|items?|sections?|parts?|chapters?|units?|departments?|bodies|agencies|authorities|policies|responsib\w*)"

# "are our drive systems on the list of green technologies?", "is customer data on it?": whether an
# item is in a list or scope, a yes or no (the item is the group "item"), not a request for the list
MEMBERSHIP_ASKED = re.compile(
    r"(?:^|[:;,.—–-]\s)\W*(?:and\s+|so\s+)?(?:is|are|would|will)\s+(?P<item>(?!there\b)(?:[\w'’-]+\s+){0,6}?[\w'’-]+)\s+"
    r"(?:on|in|among|part\s+of|included\s+in|covered\s+by)\s+"
    r"(?:it|that|this|them|the\s+(?:[\w'’-]+\s+){0,3}?(?:list|catalogue|catalog|directory|scope))\b",
    re.I,
)

# The same asked the other way round: whether a list includes an item ("will the next catalogue
# include legal services?", "does the negative list cover health data?"); the auxiliary opens the
# question and the list is a noun ("the … list"), not "can you list …"
LIST_INCLUDES_ASKED = re.compile(
    r"(?:^|[.?!;:]\s)\W*(?:and\s+|so\s+)?(?:does|do|did|will|would|is|are|could|can)\s+"
    r"(?:the|this|that|its|their|your|a|an)\s+(?:[\w'’-]+\s+){0,8}?(?:list|catalogue|catalog|directory)\b"
    r"(?:\s+[\w'’-]+){0,8}?\s+(?:\w+ly\s+)?(?:include|includes|cover|covers|contain|contains|list|name|add|feature)\s+"
    r"(?P<item>(?:[\w'’-]+\s+){0,6}?[\w'’-]+)\s*(?=[?.!,;]|$|\s+(?:or|and|too|as|this|next|in|by|when|from)\b)",
    re.I,
)

# A currency, as a question names it ("in RMB", "in US dollars", "in 人民币")
_CURRENCY = r"(?:rmb|renminbi|yuan|cny|(?:us\s?)?dollars|usd|euros?|eur|hkd|yen|人民币|美元|欧元|港元|港币|日元)\b"

# Ordered: the first pattern that matches decides. General question language only.
_ASKS_PATTERNS: list[tuple[Asks, re.Pattern]] = [
    (Asks.YES_NO, MEMBERSHIP_ASKED),
    # "who made the top 10 cultural trade brands?": the instances of a ranked list, not a responsible unit
    (
        Asks.MEMBERS,
        re.compile(
            r"\bwho\s+(?:made|makes|are|were|is|got|gets)\s+(?:(?:it\s+)?(?:in|on|into|onto)\s+)?(?:the\s+|this\s+year's\s+)?top\s+(?:\d+|ten|twenty|fifty|hundred)\b",
            re.I,
        ),
    ),
    # Eligibility ("who can apply") before "who": it asks for conditions, not for a responsible unit.
    (
        Asks.HOW_TO,
        re.compile(
            r"\bwho (?:can|may|could|is allowed to|is eligible to|qualifies to|gets to) (?:apply|join|use|benefit|participate|take part|register)\b"
            r"|\bwho (?:is|are) eligible\b|谁可以申请|哪些企业可以申请|什么企业可以",
            re.I,
        ),
    ),
    (
        Asks.SECTION,
        re.compile(
            # ("which section IV tasks …" names section IV: it asks for tasks)
            r"\b(?:which|what)\s+(?:of\s+the\s+(?:plan'?s\s+)?(?:[\w-]+\s+){0,2})?(?:sections?|part|chapters?|pillars?|headings?)\b(?!\s+(?:[IVX]+|\d+)\b)"
            # "which parts of the plan is STCSM in?", "just the section numbers" (not "which parts apply to us")
            r"|\b(?:which|what)\s+parts\b(?!\s+of\s+(?!(?:the|this)\s+(?:plan|document)\b))"
            r"(?!\s+(?:of\s+(?:the|this)\s+(?:plan|document)\s+)?(?:apply|applies|are relevant|could|can|help|matter|affect))"
            r"|\bsection numbers?\b|^\W*(?:the\s+)?sections\b(?!\s+(?:[IVX]+|\d+)\b)"
            # "what are the six sections of the plan?", "the six main sections", "list the plan's sections"
            r"|\bwhat are (?:the|its|the plan's)\s+(?:\w+\s+){0,2}(?:sections|parts|chapters|pillars|headings)\b"
            r"(?=\s*(?:of\s+(?:the|this)\s+(?:plan|document)\b|in\s+(?:the|this)\s+(?:plan|document)\b|[?.!]|$))"
            r"|\b(?:list|name|show)\s+(?:me\s+)?(?:all\s+)?(?:the|its|the plan's)\s+(?:\w+\s+)?(?:sections|chapters|headings)\b"
            r"|\bunder (?:which|what) (?:section|heading)\b|\bwhich of the (?:plan's |six )?(?:sections|parts|chapters)\b(?!\s+(?:apply|applies|are relevant|help|matter))"
            r"|\b(?:is|are) there (?:a|any|one)\s+(?:\w+\s+)?(?:sections?|chapters?)\b"
            r"|哪个部分|哪一部分|哪部分|哪几个部分|哪些部分|哪几部分|属于哪|第几(?:个)?部分|第几章",
            re.I,
        ),
    ),
    (
        Asks.COUNT,
        re.compile(
            r"\bhow (?:big|large|small|wide|fast)\b|\bwhat size\b|\bsize of\b|多大|面积"
            # ("sjc2 speed?": a quantity asked in one word)
            r"|\b(?:speed|bandwidth|capacity|throughput)\s*[?？]+\s*$"
            r"|\bwhat(?:'s| is| will be) the (?:capacity|scale|size)\b|\bhow much capacity\b"
            # ("what figure does the plan give?": a number, of money or of anything)
            r"|\b(?:what|which)\s+(?:exact\s+)?figures?\b"
            # ("is there a specific number of esports events they want each year?": a number asked for)
            r"|\b(?:is|are)\s+there\s+(?:a|any)\s+(?:[\w-]+\s+)?(?:number|count)\s+of\b"
            r"|\bhow many\b|\bnumber of (?:tasks|measures|items|(?:responsible\s+)?(?:units|departments|agencies|bodies))\b|\bcount\b|(?<![哪这那第])几项|(?<![哪这那第])几个|(?<![哪这那第])几条|多少项|多少个任务|多少条|多少家|多少个(?:单位|部门)|(?<![哪这那好])几家",
            re.I,
        ),
    ),
    (
        Asks.WHO,
        re.compile(
            r"\bwho\b|\bwhom\b|\b(?:anyone|anybody|someone) else\b|\b(?:anyone|anybody)\s+(?:besides|apart from|other than|except|but)\b|\b(?:which|what)\s+(?:(?!(?:the|a|an|this|that|its)\b)\w+\s+)?(?:units?|departments?|agenc\w+|bodies|body|authorit\w+|offices?|bureaus?|government|organi[sz]ations?|ministr\w+)\b(?!\s+(?:tasks?|ones|measures?|items?)\b)"
            r"|\bresponsible (?:units?|departments?|bodies|parties)\b|\bcontact\b|\bin charge\b|\bget in touch\b|\breach out\b|\bwhich door\b"
            # ("give me the full set of units responsible for …")
            r"|\b(?:set|list|names?)\s+of\s+(?:(?:the|all)\s+)?(?:responsible\s+)?(?:units|departments|bodies|agencies)\b"
            r"|负责单位|哪些单位|哪个单位|哪些部门|哪个部门|谁(?!可以|能|有资格|适用)|找哪|牵头|责任单位|主管部门"
            # ("由哪个领导小组负责", "总负责机构是哪个")
            r"|哪个(?:机构|机关|小组|领导小组)|(?:机构|机关|部门|单位|小组)是哪(?:个|家)",
            re.I,
        ),
    ),
    (
        Asks.HOW_TO,
        re.compile(
            r"\bhow (?:do|can|should|would|could|does) (?:i|we|one|you|a \w+|an \w+|our \w+|(?:\w+\s+)?(?:companies|firms|businesses|enterprises|smes|startups|exporters|importers|sellers|banks))\s+(?:\w+\s+)?(?:apply|register|qualify|sign up|enrol+|join|obtain|submit|get (?:a|an|the|onto|on|into)|file|take part|participate|be (?:included|selected|listed|chosen)|get (?:itself |themselves |ourselves |myself |us |it )?(?:listed|included|selected|registered|certified|approved))"
            r"|\bhow to (?:apply|register|qualify|sign up|join|obtain|submit|get|file|take part|participate)\b"
            # "How do I ship my furniture abroad?", "how can we set up there?": the steps of doing it, which a
            # policy plan does not give (not "how can we benefit from it?", which asks what applies)
            r"|\bhow (?:do|can|should|could|would) (?:i|we) (?!(?:benefit|use|make use|take advantage|leverage|profit|be affected)\b)\w+"
            r"|\b(?:application|approval|registration) (?:process|procedure|form|steps|requirements)\b|\bprocedures? for (?:applying|registration)\b"
            r"|\beligib\w+|\b(?:what|which) (?:documents|paperwork|papers|materials|forms) (?:do|does|are|must|should|will|would|to)\b|\brequirements? (?:to|for) (?:apply|qualify|join)"
            r"|资质|才算|才能算|怎么认定|如何认定|多少以下|多少以上"
            r"|\bstep[- ]by[- ]step\b|\b(?:the|what)\s+(?:\w+\s+)?steps\s+(?:to|for)\b"
            # "how does the model work in practice?": how a measure is carried out, which its text rarely says
            r"|\bhow\s+(?:does|do|will|would)\s+(?:\w+\s+){1,8}?work\s+in\s+practice\b|\bwhat(?:'s| is| are) the (?:\w+\s+)?(?:process|procedures?)\b|\bcriteria\b|\bwhat(?:'s| are| is) the (?:\w+\s+)?(?:conditions|requirements|rules|thresholds?)\b|\bwho qualifies\b"
            r"|如何申请|怎么申请|怎样申请|申请流程|申请条件|办理流程|审批流程|流程怎么走|怎么办理|如何办理|什么条件|什么资格|资格条件|门槛|申报|标准"
            r"|(?:准备|提交|提供|需要|要)(?:哪些|什么)(?:材料|文件|资料|手续)|最低要求"
            # ("退货那部分具体怎么简化？有没有流程说明？": the steps of how it is done)
            r"|流程说明|具体流程|操作流程|实施细则"
            # "有什么注册资本要求": conditions asked for (not "哪些任务要求", a unit's tasks)
            r"|(?:什么|哪些)(?:(?!任务)[^，,。？?]){0,6}要求|有何要求|要求是什么",
            re.I,
        ),
    ),
    (
        Asks.WHEN,
        re.compile(
            r"\bwhen\b|\bwhat date\b|\b(?:the|which|exact|specific)\s+(?:[a-z-]+\s+){0,2}dates?\b|\b(?:a|any)\s+(?:specific\s+|exact\s+|firm\s+|target\s+)?(?:date|deadline)s?\b|\bby when\b|\bdeadline\b|\btime ?line\b|\btime ?frame\b|\bschedule[ds]?\b|\bhow (?:long|soon)\b"
            r"|\bhow (?:often|frequently)\b|\b(?:which|what) (?:year|month|quarter|day)\b|\bgo(?:es)?[\s-]live\b|\bstart date\b|\blaunch date\b|\bcompleted by\b"
            # "is there a target opening date", "SJC2 cable go-live date?"
            r"|\b(?:a|any)\s+(?:[a-z-]+\s+){0,2}(?:date|deadline)s?\b|\b[a-z-]+\s+dates?\s*[?？]*\s*$"
            r"|什么时候|何时|哪一年|哪年|哪天|哪一天|(?<!第)几号(?!任务)|截止|时间表|几月|多久|多长时间|时限|啥时候|什么时间|多少天|几天|多少个月|几个月"
            # the state of progress is a question of time too: "is the cable finished yet?"
            r"|\balready\b|\byet\b|\bfinished\b|\bcompleted?\b|\boperational\b|\bup and running\b|\bin (?:service|operation)\b"
            # ("has that list actually been published?")
            r"|\b(?:has|have|had)\s+(?:\w+\s+){0,3}?been\s+(?:actually\s+)?(?:published|released|issued|launched|adopted|set up|built)\b"
            r"|建成了吗|完成了吗|上线了吗|投入使用|进展",
            re.I,
        ),
    ),
    (
        Asks.TARGETS,
        re.compile(
            r"\btarget(?:s|ed|ing)?\b(?!\s+(?:[a-z-]+\s+)?(?:dates?|deadlines?|year)\b)|\bgoals?\b|\baims? (?:for|to)\b|\bby 20\d\d\b|目标|到20\d\d"
            # (a horizon in words is one in figures: "by the end of the decade")
            r"|\bby (?:the )?end of (?:the |this )?decade\b|\bby decade'?s end\b",
            re.I,
        ),
    ),
    (
        Asks.AMOUNT,
        re.compile(
            r"\bhow much\b|\bwhat(?:'s| is| are) the (?:\w+\s+)?(?:rate|rates|amount|fee|fees|cost|price|budget|value)\b|\bwhat rate\b|\bwhat percentage\b|\bpercent\w*\b"
            # "what was shanghai's total services trade last year?": a figure
            r"|\bwhat(?:'s| is| was| were| are)\s+(?:the\s+|[\w]+'s\s+)?total\b"
            # ("can smes use the hubs for free or is there a charge?")
            r"|\bfor free\b|\bfree of charge\b|\b(?:a|any)\s+charges?\b|\bcharged\b"
            # ("what's that in euros?", "and in RMB?": a sum, in a currency)
            rf"|\b(?:what(?:'s|\s+is)\s+(?:that|it|this)|and)\s+in\s+{_CURRENCY}|^\W*in\s+{_CURRENCY}\W*$"
            r"|(?:换算成|折合|折算成?)(?:人民币|美元|欧元|港元|港币|日元)"
            # "what's the minimum registered capital": a bound on a quantity is an amount
            r"|\bwhat(?:'s| is| are)? (?:the )?(?:minimum|maximum|min|max|lowest|highest)\b|\bhow (?:high|low)\b"
            r"|\brates?\b|\btariffs?\b|\bquotas?\b|\bceilings?\b|\bamount\b|\bbudget\b|\bsubsid\w+\b|\bgrants?\b|\bfunding\b|\bfees?\b|\bcosts?\b|\bprice\b|\btax rate\b|\bvolume\b|\bbillion\b|\bmillion\b"
            # (资金 alone is not a sum: 资金池 is a cash pool)
            r"|多少钱|金额|补贴|资助|奖励|税率|费率|利率|保费|价格|比例|费用|收费|交钱|付费|多少亿|多少万|规模|资金规模|额度"
            r"|(?:最低|最高|上限|下限|至少|最多)[^，,。？?]{0,4}多少(?!个|项|家|条|单位)"
            r"|多少[\u4e00-\u9fff]{0,4}?(?:资金|经费|钱|美元|元|人民币|欧元|指标|配额|名额)",
            re.I,
        ),
    ),
    (
        Asks.WHERE,
        re.compile(
            r"\bwhere\b(?!\s+(?:in the plan|does (?:the plan|it|the document|the text) (?:mention|say|talk|discuss|cover|refer|deal)|is .{0,40}\b(?:mentioned|discussed|covered)))"
            r"|\bwhich (?:district|area|zone|location|place|city)\b(?![\s-]+(?:level\b|people|govern))|\blocated\b|\blocation\b|哪里|哪儿|在哪(?!一?(?:个|条|项)?\s*(?:任务|task|条|项|部分|节|章))|什么地方|哪个区|哪个地方|选址|落地在",
            re.I,
        ),
    ),
    (
        Asks.MEMBERS,
        re.compile(
            r"\bmembers?\b|\bmember (?:list|countries|states)\b|\bparticipating countries\b|\b(?:a|the) (?:full |complete )?list of\b"
            # "which ten brands were named": instances asked for by number
            r"|\bwhich\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\s+(?!tasks?\b|sections?\b|units?\b)"
            # "list the partner countries …", "name the new carbon finance products", "provide the sectors
            # listed in the catalogue": instances asked for by a plural noun that is not the plan's own structure
            r"|^\W*(?:(?:please|pls|can you|could you|would you)\s+)?(?:list|name|enumerate)\s+(?:me\s+)?(?:all\s+(?:of\s+)?)?the\s+"
            rf"(?:(?!{_PLAN_STRUCTURE}\b)[\w-]+\s+){{0,3}}?(?!{_PLAN_STRUCTURE}\b)[a-z-]{{3,}}(?:ies|[^s'’]s)\b"
            rf"|\b(?:provide|give)\s+(?:me\s+|us\s+)?the\s+(?:(?!{_PLAN_STRUCTURE}\b)[\w-]+\s+){{0,3}}?(?!{_PLAN_STRUCTURE}\b)[a-z-]{{3,}}(?:ies|[^s'’]s)\s+(?:listed|named|included|covered)\s+in\b"
            r"|成员|名单|具体(?:列了|包括|有|是)哪些|哪些国家|哪些企业|哪些公司|哪些银行|哪些行业|哪些类别|哪些类型|哪些领域|哪些产品|哪些品类|哪几类|哪些种类"
            # (国家…有哪些 at the end asks for the countries; 公司有哪些政策 asks for policies)
            r"|(?:国家|企业|公司|银行|机构)[^，,。？?]{0,4}(?:有哪些|是哪些|包括哪些|都有哪些|有哪几[个家])[啊呢呀]?[？?]?\s*$"
            # ("入选的十个品牌是哪些": the instances of a counted list, not the plan's own tasks or units)
            r"|[一二三四五六七八九十百\d]+\s*(?:个|家|种|类|款|所|座)(?!任务|部分|单位|部门|措施)[\u4e00-\u9fff]{1,6}?(?:是哪些|有哪些|分别是|都是|是什么)",
            re.I,
        ),
    ),
    (
        Asks.TASKS,
        re.compile(
            r"\b(?:which|what|list|all|every|each|show|enumerate|any)\b(?:\s+[\w'’-]+){0,3}?\s+(?:tasks?|measures?|items?|parts of the plan)\b"
            r"|\btasks?\b.{0,40}\b(?:mention\w*|involv\w+|concern\w*|cover\w*|name[sd]?|list\w*|refer\w*|relat\w+|includ\w+|talk\w* about)"
            r"|^\s*(?:the\s+|all\s+)?tasks?\b|哪些任务|哪几项|哪项任务|哪一项|哪几条|哪些措施|哪条|哪项|第几(?:条|项|个任务)",
            re.I,
        ),
    ),
    (
        Asks.APPLIES,
        re.compile(
            r"\bwhat (?:applies|(?:policies|measures|tasks|support|parts) (?:apply|are relevant|could help|can help))\b|\bwhich (?:policies|measures|parts of the plan|tasks) (?:apply|are relevant|help|matter|affect)\b"
            r"|\bapply to (?:us|me|our|my)\b|\brelevant (?:to|for) (?:us|me|our|my)\b|\bin it for (?:us|me)\b|\bfor (?:companies|firms|businesses) like (?:us|ours)\b|\bwhat can (?:we|i) (?:use|benefit)"
            r"|\bwhat does the plan (?:offer|do for|have for) (?:us|me|businesses like)"
            r"|适用|对我们有|对我司|哪些政策|有什么政策|什么政策|能享受|可以享受|有哪些支持"
            # ("方案里哪些内容跟我们有关？": what concerns the asker)
            r"|(?:跟|和|与|同|对)(?:我们|我司|本公司|我|咱们|我方)(?:的)?(?:行业|业务|公司)?(?:有关|相关|有用|有帮助|沾边)",
            re.I,
        ),
    ),
    (
        Asks.DEFINITION,
        re.compile(
            r"^\s*(?:what|who)\s+(?:is|are)\s+(?:the\s+|a\s+|an\s+)?[\w\s'\"“”-]{2,60}\??\s*$|\bwhat does .{2,40} mean\b|\bmeaning of\b|\bdefin\w+|什么是|是什么意思|指什么|是指",
            re.I,
        ),
    ),
    (
        Asks.YES_NO,
        re.compile(
            r"^\s*(?:and\s+)?(?:is|are|does|do|did|can|could|will|would|should|has|have|may|might|was|were|am)\b|吗[？?]?\s*$|是否|能否|能不能|可不可以|有没有|是不是|会不会"
            # ("the port visa for foreigners, is it open to every nationality?")
            r"|[,，]\s*(?:is|are|does|do|can|will)\s+(?:it|this|that|they|there)\b[^,.;]*[?？]\s*$"
            # ("under the air freight pilot, can we ship standalone batteries, or only …?")
            r"|[,，]\s*(?:can|could|may|do|will)\s+(?:we|i)\b[^.;]*[?？]\s*$",
            re.I,
        ),
    ),
]

# The plan's work as a whole, or the body that leads it: "overall", "the plan as a whole", 整体, 统筹, 领导小组
_WHOLE_PLAN_LEAD = re.compile(
    r"\b(?:as a whole|overall|(?:the\s+)?(?:whole|entire)\s+(?:plan|thing|effort|programme|program|work|initiative)"
    r"|implementation of (?:the|this) plan|(?:the|this) plan's implementation)\b"
    r"|整个(?:方案|工作|规划|计划)|(?:方案|工作)整体|整体|总体|统筹|牵头推进|总(?:牵头|负责|协调)|领导小组",
    re.I,
)
# Words of leading a plan's work, and of the plan itself: no subject of any one task.
_LEADING_WORDS = content_words(
    "lead leads leading led coordinate coordinates coordinating coordination oversee oversees overseeing supervise "
    "supervises drive drives driving steer steers charge whole entire overall effort efforts work implementation "
    "implement implementing implemented programme program plan thing body agency organisation organization group "
    "digital trade services high-quality development promote promoting "
    "top level top-level coordinator highest senior ultimately push pushes pushing forward across city government "
    "chief run runs running manage manages managing head heads carry carries carrying out deliver delivers delivering "
    "execute executes executing administer administers accountable responsible responsibility"
)
# The plan itself as the object of a "who" question ("who is in charge of the plan?", 这个方案由谁负责):
# with no other subject, that asks who leads the plan as a whole.
_LEADS_WORK = re.compile(
    r"\b(?:in\s+(?:overall\s+)?charge|lead\w*|led|run\w*|manag\w*|responsib\w*|overs(?:ee|ees|eeing|aw|ight)|implement\w*"
    r"|deliver\w*|coordinat\w*|head\w*|behind|accountable|carr(?:y|ies|ying)\s+out|supervis\w*|steer\w*|driv\w*)\b"
    r"|负责|牵头|主管|管理|统筹|落实|执行|实施|推进|领导|组织|监督|由谁|谁来|谁管",
    re.I,
)


def _chinese_subject_left(text: str, verbs: re.Pattern, also: re.Pattern) -> bool:
    """Whether a Chinese question about the plan itself (who leads it, when it was issued) has a
    subject of its own: a plan term, or two Chinese characters left once the plan's name, the
    ``verbs`` it is asked with, the question words and ``also`` are taken out (方案里的负面清单什么时候出台)."""
    rest = also.sub("", _ZH_ASKING.sub("", verbs.sub("", _PLAN_TITLE_ZH.sub("", text))))
    return bool(_plan_terms(text)) or bool(re.search(r"[\u4e00-\u9fff]{2}", rest))


# Issuing a document ("when was the plan issued?", 方案是谁印发的): a question about the document itself.
_ISSUING = re.compile(
    r"\b(?:issu(?:e|ed|es|ing|er)|publish(?:ed|es|ing|er)?|publication|releas(?:e|ed|ing)|adopt(?:ed|ion)"
    r"|promulgat\w*|(?:come|came) out|put out|draft(?:ed)?|wrote|author(?:ed)?|dated)\b"
    r"|发布|印发|出台|公布|颁布|下发|制定|发文|发的|写的",
    re.I,
)
_ISSUING_WORDS = content_words(
    "issue issued issuer issuing publish published publisher publication release released adopt adopted "
    "promulgate promulgated come came out put draft drafted write wrote written author authored sign signed "
    "date dated day year month exactly originally first official government office body department authority "
    "agency organisation organization implementation document"
)
# The plan's own title in English ("the Shanghai digital trade plan"): the document, not a subject in it
_PLAN_TITLE_WORDS = content_words(
    "shanghai municipality municipal digital trade services service implementation high-quality quality "
    "development promoting promote"
)
# The name of the document asked for ("the plan's full title", "what is it called", 方案的全称)
_TITLE_ASKED = re.compile(
    r"\b(?:plan|document|it|this)(?:'s)?\s+(?:full\s+|official\s+|exact\s+|complete\s+)?(?:title|name)\b"
    r"|\b(?:title|name)\s+of\s+(?:the|this)\s+(?:plan|document)\b|\b(?:plan|document|it)\s+(?:is\s+)?called\b"
    r"|(?:方案|文件|计划)的?(?:中文|英文)?(?:全称|标题|名称|全名|名字)|(?:方案|文件)叫什么",
    re.I,
)
_TITLE_WORDS = content_words(
    "title name full official exact complete called chinese english available version text copy translation"
)
# The document asked for as a whole, in a language ("is the plan available in Chinese?", 方案有中文版吗)
_VERSION_ASKED = re.compile(r"\bavailable\b|\bversion\b|\bcopy\b|\btranslat\w*|中文版|中文文本|中文全文", re.I)
_TITLE_WORDS_ZH = re.compile("全称|标题|名称|全名|名字|叫什么")
# Whom a document is for, not who issued it ("who is this written for?", "who was it issued to?")
_ADDRESSEE = re.compile(
    r"\b(?:written|issued|meant|intended|aimed|addressed|sent|published)\s+(?:for|to|at)\b|\b(?:for|to)\W*$", re.I
)
_THIS_DOCUMENT = re.compile(r"\b(?:the|this|that)\s+(?:document|policy|policy document)\b|\bplan\b|文件", re.I)
# A word that points at something without naming it ("it", "this", 这个)
_LONE_POINTER = re.compile(r"\b(?:it|this|that)\b|这个|这份|它", re.I)
_THE_PLAN = re.compile(r"\b(?:the|this|your|that)\s+plan\b|方案|规划", re.I)
# The plan's own name in Chinese (数字贸易和服务贸易…实施方案): the document, not a subject in it
_PLAN_TITLE_ZH = re.compile(r"数字贸易|服务贸易|高质量发展|实施方案|方案|规划|计划|整个|整体|总体|这个|这份|该|里|中")
# Plural nouns after "which/what" that mean the plan's own structure, not an enumeration of things.
_STRUCTURE_NOUNS = content_words(
    "tasks task measures items policies units departments bodies agencies sections parts areas places"
)
_FIRST_PERSON = re.compile(
    r"\b(?:we|we're|we've|our|ours|us|i'm|i am|i run|i own|my (?:company|firm|business|shop|store|startup))\b|我们|我司|本公司|我公司|咱们|我家|我是",
    re.I,
)
_ENTERPRISE_SUBJECT = re.compile(
    r"(?:^|[.!?;]\s+)(?:an?|one|some|this|that)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:firm|company|business|enterprise|startup|start-up|manufacturer|exporter|importer|platform|brand|seller|"
    r"retailer|group|multinational|lessor|bank|insurer|client|customer|subsidiary)\s+"
    r"(?:(?:based|located|headquartered|registered)\s+in\s+(?:[\w'-]+\s+){1,4}?)?"
    r"(?:wants|plans|needs|intends|hopes|would\s+like|is\s+(?:planning|looking|hoping|thinking|going))\b"
    r"|(?:^|[。！？；])\s*(?:某|一家|有家|有一家)?[\u4e00-\u9fff]{0,8}?(?:企业|公司|平台|品牌|工厂|集团)"
    r"[\u4e00-\u9fff]{0,2}?(?:想|计划|打算|准备|希望|需要|要)",
    re.I,
)
_AND_BOTH = re.compile(
    r"\bboth\b|\bjointly\b|\btogether\b|\bshare[sd]?\b|\bin common\b|\bcommon to\b|\boverlap\w*|\beach of\b|\bas well as\b|既|同时|共同|都|均",
    re.I,
)
_OR = re.compile(r"\bor\b|\beither\b|或者|或|还是", re.I)
# "the union of X's tasks and Y's", "at least one of the following: X; Y": a union asked of the whole list.
_ANY_OF = re.compile(
    r"\bunion\b|\bat least one of(?: the following)?\b|\b(?:any|either) one of(?: the following)?\b"
    r"|任何一个|任一|至少一个|至少有一个|只要有一个|只要其中一个",
    re.I,
)
_NOT = re.compile(
    r"\bnot\b(?!\s+(?:just|only|merely)\b)|n't\b|\bwithout\b|\bexcept\b|\bexclud\w*|\bother than\b|\bapart from\b|\bno\b|\bnone\b|\bmissing\b|\babsent\b|\boutside\b"
    r"|\bleave out\b|\bleaving out\b|\bminus\b"
    r"|\bnothing\b|\bneither\b|\bnor\b|\bbesides\b|不|没|除|未|非"
    r"|\b(?:NOT|NOR|EXCEPT|WITHOUT|EXCLUDING)\b"  # (in capitals for emphasis)
)
# Chinese asks yes or no by "A-not-A" (有没有, 提没提到, 是不是): a question, not a negation.
_A_NOT_A = re.compile(r"([\u3400-\u9fff])(?:没|不)\1")


def _without_a_not_a(text: str) -> str:
    """``text`` with each A-not-A question read as its A (有没有提到 -> 有提到)."""
    return _A_NOT_A.sub(r"\1", text)


# "leaving X aside", "apart from X", 除了X: a name the question sets aside.
_SET_ASIDE = re.compile(
    r"\baside\b|\bapart from\b|\bbesides\b|\bexcept\b|\bexcluding\b|\bother than\b|\bleaving out\b"
    r"|\b(?:leaving|setting|putting)\s+(?:\w+\s+){0,3}aside\b"
    r"|\bnot counting\b|除了?|不算|不计|之外",
    re.I,
)
# "the second most tasks", 第二多: the place after the first
_SECOND_PLACE = re.compile(r"\bsecond[- ](?:most|highest|largest|biggest|fewest|lowest)\b|第二多|第二少", re.I)
# "… and which one comes second?", "the top three": the places a ranking is asked for
_PLACES_ASKED = (
    (3, re.compile(r"\btop\s+(?:three|3)\b|\bthird\b|前三", re.I)),
    (
        2,
        re.compile(
            r"\btop\s+(?:two|2)\b|\brunners?[- ]up\b|\b(?:comes?|came|ranks?|is|are)\s+second\b|前两|第二名", re.I
        ),
    ),
)
# "after the commerce commission, which unit appears on the most tasks?": in a ranking, the one named
# comes first and the question asks for the next
_RANKED_AFTER = re.compile(r"^\W*(?:and\s+|so\s+)?(?:right\s+)?after\b(?=[^,?]{3,80},)", re.I)
# "the unit on the most tasks", 负责任务最多的单位: a ranking of units by their number of tasks.
_UNIT_RANKING = re.compile(
    r"\b(?:most|fewest|least|greatest number of|largest number of|highest number of)\s+(?:of\s+the\s+)?(?:tasks|measures)\b"
    r"|任务(?:数量|数目|数)?最(?:多|少)|最(?:多|少)(?:的)?任务",
    re.I,
)
_SUPERLATIVE = re.compile(r"\b(?:most|fewest|(?<!\bat )least|largest|biggest|smallest)\b|最多|最少", re.I)
_FEWEST = re.compile(r"\b(?<!\bat )(?:fewest|least|smallest)\b|最少", re.I)
_LIST_CUE = re.compile(
    r"\btasks?\b|\bmention\w*|\blist\w*|\bname[sd]?\b|\bappear\w*|\bshows? up\b|\bfeature[sd]?\b|任务|提到|涉及|提及|哪些",
    re.I,
)
# "Which tasks is Customs not involved in?", "…does X not appear in": the negation follows the name.
_NOT_AFTER = re.compile(
    r"^\W*(?:[A-Za-z]+\s+){0,2}?(?:[A-Za-z]*n't|not|never)\b|^\W*(?:(?:is|are)\s+)?(?:absent|missing|omitted|left (?:out|off))\b"
    # ("where the commerce commission has no task at all")
    r"|^\W*(?:has|have|had|gets?|holds?)\s+no\b"
    r"|^\s*(?:却|也|都|并|则|还)?(?:不|没有|没|未|并不|并未)",
    re.I,
)
_ONLY = re.compile(
    # ("only on one task" counts the unit's tasks; it does not ask for tasks it has to itself)
    r"\bonly\b(?!\s+(?:on|in|for)\s+(?:one|a single|1)\s+tasks?\b)(?!\s+(?:one|1)\s+of\b)|\balone\b|\bsolely\b|\bexclusively\b|\bon (?:its|their) own\b|\bno other (?:units?|bod|department|agenc)"
    r"|\b(?:nobody|no one|no-one|none)\s+else\b"
    r"|仅|只有|只由|单独",
    re.I,
)


# "tasks where X is responsible", "the ones in which": a relative clause, not a question about a place.
_RELATIVE_WHERE = re.compile(
    r"\b(tasks?|items?|measures?|ones|those|cases|parts?|policies|sections?|chapters?)(?:\s+of\s+the\s+plan)?\s+(?:where|in which)\b",
    re.I,
)
# "help for sellers who get paid from abroad": "who" after the people it describes asks nothing
# (not "find out who runs it", "the unit who is in charge")
_RELATIVE_WHO = re.compile(
    r"\b(people|persons|firms|companies|businesses|sellers|merchants|exporters|importers|enterprises|startups|"
    r"start-ups|employees|staff|workers|foreigners|talents?|students|traders|users|customers|clients)"
    r"\s+who\b(?!\s+(?:is|are|was|were|'s|should|would|will|to)\b)",
    re.I,
)


# "Which tasks … responsible units …": a question that opens by asking for tasks wants a list of tasks.
_OPENS_WITH_TASKS = re.compile(
    r"^\s*(?:which|what|list|show|name|give me)\b(?:\s+(?:of\s+)?(?:the|all|plan's|\w+))?\s+tasks?\b", re.I
)


# "…负责的任务有哪些", "…牵头的任务": a Chinese question that ends by asking for tasks wants a list of tasks.
_ENDS_WITH_TASKS_ZH = re.compile(
    r"(?:的|哪些|哪几项)任务(?:有哪些|是哪些|有哪几项|是哪个|是哪项|是哪几个|是哪几项|有哪几个|都?列(?:一下|出来)?"
    # (那 typed for 哪, the same sound: 任务是那些条？)
    r"|是(?:哪|那)(?:些|几)条|有(?:哪|那)(?:些|几)条)?[？?。]?\s*$"
)


# "in which tasks do X and Y both show up as responsible units?", "identify every task for which …",
# "tasks where Lingang is listed": tasks asked for in the middle of a sentence (the units named after
# it are the condition, not what is asked).
_ASKS_FOR_TASKS = re.compile(
    r"\b(?:in|for|on|under)\s+(?:which|what)\s+(?:of\s+the\s+)?(?:\w+\s+)?tasks?\b"
    # "what is the data bureau on in this plan?": on which tasks a body sits
    r"|^\W*what(?:'s|\s+is|\s+are)\s+[\w\s'’&-]{2,60}?(?<!ed)(?<!\bfocus)(?<!\bemphasis)(?<!\bimpact)(?<!\beffect)\s+(?:on|working on|tasked with)(?:\s+in\s+(?:the|this)\s+(?:plan|document))?\s*[?？]*\s*$"
    r"|\b(?:list|identify|name|give|show|provide|find|enumerate|pull)\s+(?:out\s+|up\s+)?(?:me\s+|us\s+)?(?:every|all|each|the)\s+(?:\w+\s+)?tasks?\b(?!\s*(?:no\.?\s*|number\s+|#\s*)?\d)"
    r"|\b(?:every|all|each|any|the)\s+tasks?(?:\s+numbers?)?\s+(?:for which|in which|on which|where|that|with)\b"
    r"|^\W*where in the (?:plan|document|text)\b|\b(?:which|what)\s+(?:bits|pieces|places)\s+of\s+(?:the|this)\s+(?:plan|document)\b|^\W*tasks?\s+(?:where|in which|for which|with)\b|(?:\b(?:provide|give|send|show|make)\s+(?:me\s+|us\s+)?(?:a|the)\s+(?:full\s+|complete\s+)?)?\blist of (?:the\s+)?(?:\w+\s+)?tasks\b",
    re.I,
)
# A question that asks for bodies in so many words ("who", "which units", "list the responsible units").
_ASKS_FOR_BODIES = re.compile(
    # ("the tasks for which the Office … is responsible": a relative clause, not "which offices")
    r"\bwho\b|\bwhom\b|\bwhich\s+(?:(?!(?:the|a|an|this|that|its)\b)\w+\s+)?(?:units?|departments?|agenc\w+|bodies|body|authorit\w+|offices?|bureaus?|organi[sz]ations?)\b(?!\s+(?:tasks?|ones|measures?|items?)\b)"
    r"|(?:^\W*|[.:;,]\s*|\b(?:please|pls|can you|could you)\s+)(?:list|name|give|show|identify)\b(?:\s+[\w-]+){0,3}?\s+(?:responsible\s+)?(?:units|departments|agencies|bodies)\b",
    re.I,
)


# "Do you know which vendor …", "any idea when …": a question asked inside a polite yes/no
_POLITE_FRAME = re.compile(
    r"^\W*(?:(?:do|does|would)\s+(?:you|anyone|anybody)\s+(?:happen\s+to\s+)?know|any\s+idea|"
    r"(?:can|could)\s+you\s+(?:tell|show)\s+(?:me|us))\s+(?=(?:which|what|who|whom|when|where|how)\b)",
    re.I,
)


# "If a customer returns an item, do we get …?": a condition before the question; the question is what follows
# "Will it get easier for them to get a visa when they land?": in a yes/no question, a clause of time
# about the asker's own situation says when, it does not ask it
_TIME_CLAUSE_IN_YES_NO = re.compile(
    r"^(?P<ask>\W*(?:will|would|is|are|can|could|do|does|should|may|might)\b[^?]*?)"
    r"\s+when\s+(?:they|we|i|you|he|she|our|their|my|your)\b[^?,;]*",
    re.I,
)
_CONDITION_FIRST = re.compile(
    r"^\W*(?:if|once|since|because|as|given that|assuming)\b[^,?;]{3,160},\s*"
    r"(?=(?:do|does|did|is|are|can|could|will|would|should|what|which|who|whom|how|when|where)\b)",
    re.I,
)


# "As an import-export lawyer I need to know: does this plan …?": the question after it
_KNOW_FRAME = re.compile(r"^[^?:]{0,80}\b(?:need|want|would like|'d like) to (?:know|check|ask)\s*[:,–—-]\s*", re.I)


def detect_asks(text: str) -> Asks:
    text = _RELATIVE_WHERE.sub(r"\1 that", text)
    text = _RELATIVE_WHO.sub(r"\1 that", text)
    text = _POLITE_FRAME.sub("", text)
    text = _CONDITION_FIRST.sub("", text)
    text = _TIME_CLAUSE_IN_YES_NO.sub(r"\g<ask>", text)
    text = _KNOW_FRAME.sub("", text)
    if _ENDS_WITH_TASKS_ZH.search(text) and not re.search(r"几项|多少项|几个", text):
        return Asks.TASKS
    if _OPENS_WITH_TASKS.match(text) and not re.search(r"\bhow many\b", text, re.I):
        return Asks.TASKS
    asks = next((asks for asks, pattern in _ASKS_PATTERNS if pattern.search(text)), Asks.CONTENT)
    # (only over an answer type the sentence's names may have suggested: never over "when", "how much")
    weak = (Asks.WHO, Asks.WHERE, Asks.MEMBERS, Asks.CONTENT, Asks.DEFINITION, Asks.YES_NO, Asks.APPLIES)
    if asks in weak and _ASKS_FOR_TASKS.search(text) and not _ASKS_FOR_BODIES.search(text):
        return Asks.TASKS
    if (
        asks == Asks.HOW_TO
        and re.match(r"\W*(?:are|is|do|does|can|could|will|would)\b", text, re.I)
        and re.search(r"\beligib", text, re.I)
        and not _PARTY.search(text)
    ):
        return Asks.YES_NO  # "Are electrified goods eligible for the pilot?": the plan's list may settle it
    return asks


def answer_type_spans(text: str) -> list[str]:
    """The parts of ``text`` that say what kind of answer it wants ("what are the eligibility
    criteria", "how do I apply"): words there name the answer type, not the subject."""
    return [m.group(0) for _, pattern in _ASKS_PATTERNS for m in pattern.finditer(text) if m.group(0).strip()]


# The asker or a kind of party ("we", "SMEs", "foreign firms"): their eligibility is a rule, not a list.
_PARTY = re.compile(
    r"\b(?:we|i|our|us|my|smes?|compan(?:y|ies)|firms?|enterprises?|foreigners?|businesses|startups?)\b", re.I
)


# --- topic --------------------------------------------------------------------------------

# Words that ask rather than name a subject: question words, auxiliaries, words about the
# document itself and about answering. General language, not vocabulary of any question set.
_ASKING_WORDS = content_words(
    "what which who whom whose when where why how whether is are was were be been does do did can could will "
    "would should shall may might must have has had get gets got there here any anything something some "
    "please tell me us our we i my you your they them it its this that these those one ones "
    "plan plans policy policies document documents doc docs text task tasks measure measures item items section sections "
    "part parts say says said mention mentions mentioned mentioning talk talks discuss discusses cover covers "
    "covered refer refers include includes included about regarding concerning related relate relates "
    "responsible responsibility lead leads handle handles involved involve involves contact unit units "
    "department departments body bodies agency agencies authority authorities office offices list show give "
    "all every each also too else more detail details exactly wording full quote again same above "
    "many much number count both either neither only not except other than but and or "
    "happen happening planned plan going new else thing things kind kinds like just really actually "
    "lol pls plz thanks thank hi hello hey ok okay alright hmm "
    "stuff side sides whos whats hows wheres allowed nah yeah yep nope ones deal deals dealing position stance "
    "long sentence sentences verbatim word "
    "isn aren wasn weren don doesn didn won hasn haven can't cannot "
    "role roles duty duties assign assigned appear appears listed named among between within under across into onto upon per via "
    "itself themselves two three four five six seven eight nine ten eleven twelve twenty twenty-three "
    "first second third fourth fifth sixth last 1st 2nd 3rd 4th 5th 6th total altogether overall "
    "with without from by for of in on at to as behind beyond around near over after before during against "
    "toward towards throughout amid "
    "business businesses company companies firm firms enterprise enterprises ours like "
    "apply applies applicable relevant matter matters benefit benefits offer offers help helps useful "
    "anywhere somewhere everywhere elsewhere "
    # (the answer's type, not its subject: "the completion date for the SJC2 cable")
    "date dates deadline deadlines timetable timeline "
    "need needs want wants know knows think guess believe suppose sorry maybe perhaps probably sure"
)


# --- follow-ups ---------------------------------------------------------------------------

_PRONOUN = re.compile(
    r"\b(?:it|its|this|that|these|those|they|them|their|the same(?!\s+(?:\w+\s+)?as\b)|above|former|latter|the task|that task|this task|those tasks|these tasks|which ones)\b"
    # ("is Customs on both?": the two just named)
    r"|\b(?:on|in|for|to|of|across)\s+both\s*[?？.!]*$"
    # "… one of the responsible units there?" (not "is there …?")
    r"|(?<!\bis )(?<!\bare )\bthere\s*[?？.!]*\s*$"
    r"|它|它们|该|这个|那个|这项|那项|这一项|那一项|这条|那条|这一条|那一条|这些|那些|上述|上面|其(?!他|它|余|实)"
    # (换算成人民币是多少？, "and in USD?": a conversion with its object left out converts what was just given)
    r"|^\W*(?:那|那么)?(?:换算成|折合成?|折算成?)"
    rf"|^\W*(?:and\s+|what\s+about\s+)?in\s+{_CURRENCY}\W*$",
    re.I,
)
# "the other one", "the remaining one", "the rest", "the others": of an earlier list, those not just discussed
_REMAINING = re.compile(
    r"\bthe\s+(?:other|remaining|last\s+remaining)\s+(?:(?P<one>one|task)\b|ones\b|tasks\b)|\bthe\s+rest\b|\bthe\s+others\b",
    re.I,
)
_ELSEWHERE = re.compile(r"\banywhere\s+(?:else|besides|other\s+than|apart\s+from)\b|\belsewhere\b", re.I)
_OTHER_THAN = re.compile(r"\b(?:other|else|besides|another|apart from)\b|其他|其它|别的", re.I)
# "any other tasks that deal with insurance?", "anything which helps exporters": "that" opens a
# relative clause on the noun before it; it points back to nothing
_RELATIVE_THAT = re.compile(
    r"\b(?:tasks?|ones?|anything|something|everything|measures?|polic(?:y|ies)|parts?|bits?|items?|units?|bodies|"
    r"departments?|sections?|things?|stuff)\s+(?:that|which)\s+(?!(?:is|are|was|were)?\s*[?？.!]*\s*$)",
    re.I,
)
# "on both lists", "the one that's on both", "in common between the two": the last two lists' overlap
_BOTH_LISTS = re.compile(
    r"\bboth (?:lists|answers|of (?:those|these|the) (?:lists|answers))\b|\b(?:on|in) both\b|\bin common\b"
    # ("which ones have both?": "both" standing alone for the two names just asked about)
    r"|\b(?:have|has|having|with|got|list|lists|name|names)\s+both\s*[?？.!]*$"
    r"|\b(?:do|did)\s+(?:they|the two|both)(?:\s+(?:both|two))?\s+(?:share|have in common)\b|\boverlap\b|\b(?:common|shared)\s+(?:to|by|between)\s+(?:both|the two)\b|两个(?:列表|名单)都有|两者都有|都有的",
    re.I,
)
# "merge the two lists pls, no dupes", "combine both answers": the tasks of either
_MERGED_LISTS = re.compile(
    r"\b(?:merge|merged|combine|combined|join|union|put\s+together)\b[^?]{0,30}?\b(?:lists|answers|them|both|the\s+two)\b"
    r"|\b(?:merge|combine)\s+(?:those|these)\b|合并|并集",
    re.I,
)
# "… so I want to know which tasks X is on", "can you tell me who …": a question inside a sentence
_EMBEDDED_QUESTION = re.compile(
    r"\b(?:want(?:ed)? to know|would like to know|like to know|need to know|tell me|wondering|find out|to check)\s+"
    r"(?P<q>(?:(?:on|in|for|under|to|with|by)\s+)?(?:which|what|who|whether|if|how many|where)\b)",
    re.I,
)
# "which section is about / covers / deals with X": X describes the section
_ABOUT = re.compile(
    r"\b(?:about|covers?|covering|deals? with|dealing with|concerns?|concerning|is on|handles?)\s+(?P<words>[^?.;]{3,120})",
    re.I,
)
# "Does the plan say anything about X (for Y)?", "is there anything in the plan on X?", "anything on X?":
# a question whether the documents speak of X at all; its context ("for Y", "in Z") is not X
_ITEM_END = (
    r"(?=\s+(?:for|in|at|to|among|within|regarding|when|if|as|because|by|from|under|that|which)\b|\s*[?.;,!]|\s*$)"
)
_ASKED_ITEM = re.compile(
    r"(?<!what\s)(?<!how\s)(?<!why\s)(?<!where\s)(?<!when\s)(?<!which\s)"
    r"\b(?:does|do|did|will|would)\s+(?:the|this|your)\s+(?:plan|document|text|policy)\s+(?:\w+ly\s+)?"
    r"(?:say|mention|cover|address|include|contain|have|talk|discuss|touch|deal|do|offer)\w*\s+"
    r"(?:(?:anything|something|much|a\s+word|at\s+all)\s+)?(?:(?:about|on|regarding|concerning|with)\s+)?"
    r"(?P<item>[^?.;,!]{2,60}?)"
    + _ITEM_END
    + r"|\bis\s+there\s+(?:anything|something)\s+(?:in\s+(?:the|this)\s+(?:plan|document)\s+)?"
    r"(?:about|on|regarding|concerning)\s+(?P<item2>[^?.;,!]{2,60}?)"
    + _ITEM_END
    + r"|^\W*any(?:thing)?\s+(?:about|on|regarding)\s+(?P<item3>[^?.;,!]{2,60}?)"
    + _ITEM_END,
    re.I,
)
# Appearing in the text ("does blockchain come up?", "where does it show up?"): whether the words
# are there, not what they are about (left out of the subject)
_TURNS_UP = re.compile(
    r"\b(?:come|comes|came|coming|(?:show|turn)(?:s|ed|ing)?|(?:crop|pop)(?:s|ped|ping)?)\s+up\b", re.I
)
# Where, or whether, the documents say something ("where does blockchain come up?", "is the APEC
# card mentioned anywhere?", 方案里哪里讲到区块链, 方案有没有提到区块链): a question about the text,
# answered by the places that say it (every task using the subject's words), not by a geographic
# place or one passage.
_MENTIONED_WHERE = re.compile(
    r"\bwhere\b[^?.;]{0,60}?\b(?:mention\w*|comes? up|shows? up|crops? up|turns? up|appears?|featured?|features"
    r"|(?:is|are)\s+(?:\w+\s+){0,2}(?:referred to|talked about|discussed))\b"
    r"|\bwhere in (?:the|this) (?:plan|document|text)\b"
    r"|^\W*(?:and\s+)?(?:does|do|did) (?:the|this|that) (?:plan|document|text) (?:\w+\s+)?(?:mention|refer to)\b"
    r"|^\W*(?:and\s+)?(?:is|are) (?:there\s+)?(?!it\b|they\b|that\b|this\b)[^?]{2,60}?\b(?:mentioned|referred to)\b"
    # (not "the fund you mentioned?": the assistant's own words)
    r"|(?<!you )(?<!we )(?<!i )\bmentioned\s*(?:anywhere|at all|in (?:the|this) (?:plan|document))?\s*\?+\s*$"
    # (whole verbs of saying: not 提供, 提交; "提到的产业园在哪里" asks where the park is)
    r"|(?:哪里|哪儿|什么地方|哪些地方|何处)[^，,。？?]{0,4}(?:提到|提及|讲到|说到|写到|谈到)"
    r"|(?:讲到|提到|提及|说到|写到|谈到)(?!的)[^，,。？?的]{0,6}(?:哪里|哪儿|什么地方|哪些地方|何处)"
    r"|出现在(?:哪里|哪儿|什么地方|哪些地方|何处)"
    r"|(?:有没有|是否|有无|提没提|有)(?:提到|提及|讲到|说到|写到|谈到)",
    re.I,
)
_ONE_OF_THEM = re.compile(r"\b(?:that|this|the same) (?:one|task|measure)\b|这一?项|那一?项|这条|那条", re.I)
_PLURAL_PRONOUN = re.compile(r"\b(?:they|them|their|these|those|both|ones)\b|它们|这些|那些|两项|都|其中", re.I)
_BESIDES = re.compile(
    r"\belse\b|\bbesides\b|\bother than\b|\bapart from\b|\bexcept\b|\bin addition to\b"
    r"|\b(?:the\s+)?other\s+(?:responsible\s+)?(?:units|departments|bodies|agencies)\b"
    r"|还有谁|除了|还有哪些|另外还有|其他(?:哪些)?(?:单位|部门)|其它(?:哪些)?(?:单位|部门)",
    re.I,
)
# What a short question may ask of the earlier answer without naming it.
_FACET_ASKS = (Asks.WHO, Asks.WHEN, Asks.WHERE, Asks.AMOUNT, Asks.HOW_TO, Asks.SECTION)
# Units of time after 前一个 / 后一个 ("a month before applying"): a time phrase, not a neighbour
_TIME_UNIT_ZH = r"(?:月|天|日|周|星期|礼拜|工作日|小时|钟头|年|季度|半月)"
# 后面那条 / 前面那条 after one task: the task after / before it (after a list they point at one of
# the list, read elsewhere)
_NEIGHBOUR_OF_ONE_ZH = re.compile(r"(?P<side>前|后)面(?:的)?那(?:一)?(?:条|项|个)")
_NEXT = re.compile(
    r"\b(?:next|following|subsequent)\b|\b(?:right |just |immediately )?after (?:it|that|this)\b|\bthe one after\b"
    r"|\b(?:comes|follows)\s+(?:right\s+|just\s+|immediately\s+)?(?:after\s+)?(?:it|that|this)\b"
    # 下/后 + 一 + a counter ("the one after"), with any counter a task is counted by
    # (前一个 / 后一个 not before a unit of time: 入境后一个月, 申请前一个星期)
    r"|下一(?:项|条|个|任务)|(?<!最)后一(?:项|条|任务)|后一个(?!" + _TIME_UNIT_ZH + ")|接下来|后面一(?:条|项|个)",
    re.I,
)
_PREVIOUS = re.compile(
    r"\b(?:previous|preceding|prior)\b|\bthe one before\b|\b(?:right |just |immediately )?before (?:it|that|this)\b"
    r"|上一(?:项|条|个|任务)|(?<![目提])前一(?:项|条|任务)|(?<![目提])前一个(?!"
    + _TIME_UNIT_ZH
    + ")|前面一(?:条|项|个)",
    re.I,
)
# "different question -", "unrelated, but", "switching topics:", "nvm.", 换个话题: a turn that says it
# leaves the conversation's subject
_NEW_TOPIC = re.compile(
    r"\W*(?:(?:ok(?:ay)?|so|and|also|oh|hmm|thanks|thank\s+you|thx|cheers|great|cool|got\s+it|right)\W+)*"
    r"(?:(?:a\s+)?(?:(?:totally|completely|entirely|quite|slightly|somewhat|bit\s+of\s+an?)\s+)?"
    r"(?:different|new|another|separate|unrelated|other)\s+"
    r"(?:question|topic|subject|thing)|unrelated|switching\s+(?:topics?|gears|subjects?)|chang(?:e|ing)\s+(?:the\s+)?"
    r"(?:topic|subject)|nvm|never\s*mind|separately|on\s+(?:a|another)\s+(?:different|separate|other)\s+(?:note|topic))\b"
    r"|\W*(?:换个(?:问题|话题)|另一个问题|另外一个问题|题外话)",
    re.I,
)
# "the ones right before and right after it", "on either side of it", 前后两项: both neighbours
_BOTH_NEIGHBOURS = re.compile(
    r"\bbefore\s+and\s+(?:right\s+|just\s+|immediately\s+)?after\b|\bafter\s+and\s+(?:right\s+|just\s+)?before\b"
    r"|\beither side of\b|\bon both sides of\b|前后(?:两|各一?)?(?:项|条)",
    re.I,
)
_FACET = re.compile(
    r"^\s*(?:(?:ok|okay|so|right|great|thanks|cool)[,.!]?\s+)?(?:and|also|what about|how about|same (?:thing |question |deal )?for|as for|but)\b"
    r"|呢[？?]?\s*$|^\s*(?:那|还有|另外)",
    re.I,
)


# "is there anything on …", "anything about …", "does the plan say anything about …": a new subject.
_OWN_SUBJECT_ASKED = re.compile(
    r"\s*(?:(?:is|are)\s+there\s+(?:anything|something|any)\b|(?:anything|something)\s+(?:on|about|for|regarding|related)\b"
    r"|(?:does|do)\s+(?:the\s+plan|the\s+document|it|they)\s+(?:say|mention|cover|have)\s+(?:anything|something))",
    re.I,
)


_SAME = re.compile(
    r"^\s*(?:the )?same (?:thing |deal )?(?:for|question|about|with)\b|^\s*同样|^\s*那.{1,20}呢"
    # ("ok now repeat that for hongqiao", "do the same for Customs")
    r"|\b(?:repeat|redo|do|run)\s+(?:that|this|it|the same)(?:\s+(?:question|list|one))?\s+(?:for|with)\b",
    re.I,
)


# "going back to the HQ thing", "back to the reinsurance one": an earlier turn named by its subject.
_BACK_TO = re.compile(
    r"(?:\b(?:going|go|coming|come|getting|get)\s+|^\W*(?:(?:ok(?:ay)?|so|and|right)\W+)*)back\s+to\s+(?:the\s+|that\s+|your\s+)?(?P<what>[^,—–:;?]+?)"
    r"(?:\s+(?:one|thing|bit|task|piece|part|stuff|question|point))?\s*(?:[,—–:;?]|\s-\s|$)",
    re.I,
)


def _same_names_as_before(units: list[str], areas: list[str], history: list[dict], catalogue: TaskCatalogue) -> bool:
    """Whether the bodies or places named are those the last turn named (a place counts as its
    government): "anything else on Hongkou?" after Hongkou's tasks, not after Lin-gang's."""
    if not (units or areas):
        return False
    last = (history[-1].get("analysis") or {}) if history else {}
    before = set(last.get("units") or []) | set(last.get("areas") or [])
    before |= set(_governing_units(tuple(last.get("areas") or []), catalogue))
    named = set(units) | set(areas) | set(_governing_units(tuple(areas), catalogue))
    return bool(named & before)


def _tasks_saying_new_places(areas: list[str], history: list[dict], catalogue: TaskCatalogue) -> frozenset[int]:
    """The tasks whose measures' own words name every place a question names (a place only in a
    task's unit list is not what it says), when the last turn named none of them ("and is the North
    Bund in there anywhere for events?" after the North Bund asks of events, not of the place)."""
    before = ((history[-1].get("analysis") or {}).get("areas") or ()) if history else ()
    if not areas or set(areas) & set(before):
        return frozenset()
    return frozenset.intersection(*(frozenset(catalogue.term_tasks("area", (a,), in_text=True)) for a in areas))


def _ours_narrowed(found: list[Mention], text: str, named: list[Mention], catalogue: TaskCatalogue) -> list[Mention]:
    """ "I work in the Hongkou district government's office. Which tasks name our district
    government?": "our" body of a kind is the one of that kind the asker named (or the body of the
    place they named), not every one."""
    own = {m.values[0] for m in named if m.kind == "unit" and len(m.values) == 1}
    own |= {u for m in named if m.kind == "area" and len(m.values) == 1 for u in _governing_units(m.values, catalogue)}
    narrowed = []
    for m in found:
        mine = [v for v in m.values if v in own]
        if m.kind == "unit" and len(m.values) > 1 and len(mine) == 1 and _OURS.search(text[: m.start]):
            m = replace(m, values=(mine[0],))
        narrowed.append(m)
    return narrowed


_OURS = re.compile(r"\b(?:our|my)\s+(?:own\s+)?$", re.I)


def _earlier_task_described(words: str, history: list[dict], catalogue: TaskCatalogue) -> int | None:
    """The task an earlier turn was about whose text has every subject word of ``words``."""
    wanted = _description_words(words, catalogue)
    if not wanted:
        return None
    for turn in reversed(history):
        for cited in turn.get("citations", []):
            entry = catalogue.task(cited["task"]) if isinstance(cited.get("task"), int) else None
            if entry is not None and _all_words_in(wanted, content_words(entry.text.replace("-", " "))):
                return entry.task
    return None


# A number standing as a name ("which units do 12 and 22 have in common?", "is Customs on 13?"), not
# as a quantity ("the top 10 brands", "over 20 tasks", "$12 billion").
_BARE_NUMBER = re.compile(
    r"(?<![\w.$¥€#-])(?<!\btop )(?<!\bover )(?<!\bunder )(?<!\bthan )(?<!\babout )(?<!\bfirst )(?<!\blast )"
    r"(\d{1,2})(?=\s*(?:[,&?？!.]|$|\b(?:and|or|vs|versus|have|has|share|do|does|is|are|both|too)\b))",
    re.I,
)


def _numbers_named_before(text: str, mentions: list[Mention], history: list[dict], known: set[int]) -> list[Mention]:
    """``mentions`` with the bare numbers an earlier turn of the conversation named as tasks ("what
    does task 12 cover?", "and task 22?", "which units do 12 and 22 have in common?")."""
    named = {
        int(match.group(1) or match.group(2))
        for turn in history
        for match in re.finditer(
            r"(?i)\btasks?\s*(?:no\.?\s*)?(\d{1,2})\b|第\s*(\d{1,2})\s*项", str(turn.get("question", ""))
        )
    }
    found = [
        Mention("task", (m.group(1),), m.start(1), m.end(1), m.group(1))
        for m in _BARE_NUMBER.finditer(text)
        if int(m.group(1)) in named & known and not any(x.start <= m.start(1) < x.end for x in mentions)
    ]
    return sorted([*mentions, *found], key=lambda m: m.start) if found else mentions


def _one_of(tasks: list[int], text: str) -> list[int]:
    """The one earlier task a singular reference means: the first, or the last for "the latter"."""
    return tasks[-1:] if re.search(r"\blatter\b|\bthe last one\b", text, re.I) else tasks[:1]


# "who's on", "who is responsible for", "who runs": asked of a task, not of a body
_WHO_IS_ON = re.compile(
    r"\bwho(?:'s|\s+is|\s+are|\s+was)?\s+(?:on|in charge of|responsible for|behind|handling|running|leading)\s+(?:the\s+)?$"
    r"|\bwho\s+(?:runs|handles|leads|owns|covers)\s+(?:the\s+)?$",
    re.I,
)


def _previous_asks(history: list[dict]) -> Asks | None:
    for turn in reversed(history):
        value = (turn.get("analysis") or {}).get("asks")
        if value:
            try:
                return Asks(value)
            except ValueError:
                return None
    return None


def _earlier_units_listed(history: list[dict], catalogue: TaskCatalogue) -> list[str]:
    """The units the last turn's answer listed, in its order, when that turn asked who."""
    turn = history[-1] if history else {}
    if (turn.get("analysis") or {}).get("asks") != Asks.WHO.value or _NTH_OF_LIST.search(str(turn.get("question", ""))):
        return []  # (after "who is on the first one?", "and the last one?" is a place in the same list of tasks)
    by_name = {normalise(u): u for u in catalogue.units}
    text = str(turn.get("answer", ""))
    clause = re.search(r"\*[^*\n]*:\*\s*([^\n]+)", text)  # a task's "*Responsible units:* A; B; C [Task N]"
    names = re.sub(r"\[[^\]]*\]", "", clause.group(1)).split(";") if clause else []
    if not clause:  # a list: "- A [Task 8] [Task 9]"
        names = [re.sub(r"\[[^\]]*\]", "", line[2:]) for line in text.splitlines() if line.startswith("- ")]
    listed = [by_name.get(normalise(n.strip())) for n in names]
    return [u for u in listed if u] if all(listed) else []


def _earlier_listed_unit(place: re.Match, history: list[dict], catalogue: TaskCatalogue) -> str | None:
    """The unit at ``place`` ("the second one", "the last of those") in the earlier answer's list of units."""
    listed = _earlier_units_listed(history, catalogue)
    index = _nth_index(place)
    return listed[index] if len(listed) >= 2 and -len(listed) <= index < len(listed) else None


def _previous_set_query(history: list[dict]) -> SetQuery | None:
    """The last turn's list question, if it was one (kept in its answer's analysis)."""
    query = ((history[-1] if history else {}).get("analysis") or {}).get("set_query")
    if not query:
        return None
    try:
        terms = tuple(
            Mention(t["kind"], tuple(str(v) for v in t["values"]), 0, 0, "", bool(t.get("negated")))
            for t in query.get("terms", [])
        )
        condition = query.get("unit_count")
        return SetQuery(
            terms=terms,
            op=Op(query.get("op", "and")),
            only=bool(query.get("only")),
            first=bool(query.get("first")),
            last=bool(query.get("last")),
            in_text=bool(query.get("in_text")),
            fewest=bool(query.get("fewest")),
            counted=bool(query.get("counted")),
            each_task=bool(query.get("each_task")),
            counted_in_plan=bool(query.get("counted_in_plan")),
            output=query["output"],
            unit_count=(str(condition[0]), int(condition[1])) if condition else None,
            within=tuple(int(n) for n in query.get("within") or ()),
            places=int(query.get("places") or 1),
        )
    except (KeyError, TypeError, ValueError):  # an answer from an older version, or edited by hand
        return None


def _swap_terms(previous: SetQuery | None, names: list[Mention]) -> SetQuery | None:
    """``previous`` with ``names`` in place of its terms of the same kinds (negation kept)."""
    if previous is None or not previous.terms or previous.output in ("unit_ranking", "section_counts"):
        return None
    kinds = {m.kind for m in names}
    replaced = [t for t in previous.terms if t.kind in kinds]
    if not replaced:
        return None
    negated = all(t.negated for t in replaced)
    swapped = [replace(m, negated=negated or m.negated) for m in names]  # ("… but without customs?")
    kept = [t for t in previous.terms if t.kind not in kinds]
    return replace(previous, terms=tuple(swapped + kept))


# "throw in CAAC's tasks", "add the tasks of X", "combined with X's": an earlier list and another name's tasks
_ADDED_TO_LIST = re.compile(
    r"\b(?:throw|add|adding|put|pull|bring|toss)\s+(?:in\s+)?(?:the\s+)?[\w&' -]{2,60}?(?:'s|s')\s+(?:own\s+)?(?:tasks|ones|list)\b"
    r"|\b(?:add|adding|plus|combined with|together with|along with|merged with)\s+(?:the\s+)?tasks\s+of\b"
    r"|\b(?:combined|merged|joint)\s+list\b",
    re.I,
)
# "same as my first question but for X", "the same question as before, for X": an earlier turn asked again
_SAME_AS_TURN = re.compile(
    r"\bsame\s+(?:question\s+|thing\s+)?as\s+(?:my|the|your)\s+(?P<which>(?:very\s+)?first|original|initial|earlier|previous|last"
    r"|other)\s+(?:question|one|query)\b|\b(?:my|the)\s+(?P<which2>first)\s+question\s+again\b",
    re.I,
)
# "instead of X", "swap X for …", "replace X with …": X is the name a follow-up takes out.
_SWAP_OUT = re.compile(
    r"\b(?:instead(?:\s+of)?|rather than|in place(?:\s+of)?)\s+(?:the\s+)?$|\b(?:swap|replace|switch|substitute)\s+(?:out\s+)?(?:the\s+)?$"
    r"|(?:把|将)$|(?:换掉|代替|替换)$",
    re.I,
)
# "drop the ones that also have Hongqiao", "remove those with Customs": the earlier list, less some.
_DROP = re.compile(
    r"^\W*(?:(?:and|but|ok|okay|so|now|then)\s+)*(?:drop|remove|exclude|take out|leave out|filter out|strip out|cut out"
    # ("excluding section IV?", "without Customs?": the earlier list less the name)
    r"|excluding|except(?: for)?|without|minus|not counting|leaving out|apart from|other than)\b",
    re.I,
)
# "only the ones in section VI", "just those", 其中…: a follow-up that narrows the earlier list.
_NARROW = re.compile(
    r"^\s*(?:(?:and|but|ok|okay|so|now)\s+)*(?:only|just)\s+(?:the\s+ones|those|these|them|ones)\b"
    r"|^\s*(?:and\s+)?(?:of|among)\s+(?:those|these|them)\b|^\s*(?:其中|这里面|这些里面|只看)"
    # ("any that the commerce commission is not on?", "any ones without Customs?")
    r"|^\W*(?:(?:and|but|ok|okay|so|now)\s+)*(?:are\s+there\s+)?any\s+(?:ones?\s+|of\s+(?:them|those|these)\s+)?(?:that|where|which|with|without)\b"
    # "narrow that down to section IV", "limit it to Customs", "filter those by section II"
    r"|\b(?:narrow|restrict|limit|filter|cut)\w*\s+(?:(?:it|that|this|them|those|these|the list)\s+)?(?:down\s+)?(?:to|by)\b"
    r"|" + _DROP.pattern,
    re.I,
)


_FOLLOW_UP_CUE_WORDS = content_words(
    "instead rather place swap replace switch substitute now only just narrow restrict limit filter down remain"
)


def _exchange_terms(previous: SetQuery, outgoing: list[Mention], incoming: list[Mention]) -> SetQuery | None:
    """``previous`` with the terms naming ``outgoing`` replaced by ``incoming`` (negation kept).
    A place and its administration are one name here ("Pudong" for the Pudong government)."""

    def same(term: Mention, mention: Mention) -> bool:
        if term.values == mention.values:
            return True
        first = {v.split()[0].lower() for v in mention.values}
        return term.kind != mention.kind and any(v.split()[0].lower() in first for v in term.values)

    replaced = [t for t in previous.terms if any(same(t, m) for m in outgoing)]
    if not replaced or not incoming:
        return None
    negated = all(t.negated for t in replaced)
    kept = [t for t in previous.terms if t not in replaced]
    return replace(previous, terms=tuple(kept + [replace(m, negated=negated) for m in incoming]))


# "what about 20?", "and 14?": a number alone in a follow-up is a task
_FACET_NUMBER = re.compile(
    r"^\W*(?:(?:and|what about|how about|same for|and for|ok|okay)\s+)*(?:task\s*|no\.?\s*|#)?(?P<n>\d{1,2})\s*[?？.!]*\s*$",
    re.I,
)
# "We're a Hong Kong CDN provider", "our client is a Kazakh energy firm": where the asker comes from,
# which does not make the question one about that place
_ASKER_ORIGIN = re.compile(
    r"\b(?:we're|we are|i'm|i am|(?:our|my)\s+(?:client|company|firm|group|parent|employer)\s+is)\s+"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,3}$",
    re.I,
)
# "… which have all three?", 三家都在: one more name for the earlier list to meet (not a union)
_ALL_NAMES_MET = re.compile(
    r"\ball\s+(?:three|four|five|3|4|5)\b|\b(?:three|four|five)\s+of\s+them\b|[三四五]家都|都在",
    re.I,
)
# "all three", "both of them", 这几项都: every one of the earlier answer's tasks
_ALL_OF_THEM = re.compile(
    r"\ball\s+(?:two|three|four|five|six|of\s+(?:them|those|these))\b|\bboth\s+of\s+(?:them|those|these)\b|\beach\s+of\s+(?:them|those)\b"
    r"|(?:这|那)(?:几|两|三)(?:项|条)都|都(?:有|参与)的",
    re.I,
)
# "in it", 里面: inside what the last turn named
_IN_IT = re.compile(
    r"\b(?:in|under|within|inside)\s+(?:it|there|that one)\b|\bdoes it (?:have|contain|include)\b|里面|里头|其中|这里",
    re.I,
)
# "the first list", "the second answer": an earlier turn of the conversation by its place
_LIST_BY_PLACE = re.compile(
    r"\bthe\s+(first|second|third)(?:\s+(?:list|answer|question|turn|one))?"
    # ("what does the second one have that the first doesn't?")
    r"(?=\s*(?:[?,.;]|$|\b(?:but|and|or|not|have|has|had|does|doesn't|did|didn't|lists?|includes?)\b))",
    re.I,
)
_ORDINAL_PLACE = {"first": 0, "second": 1, "third": 2}
# "what's the difference between those two lists?", 两者有什么区别: what one answer has and the other has not
_LISTS_DIFFER = re.compile(
    r"\bdiffer(?:ence|ent|s)?\b[^?]{0,30}\b(?:lists|answers|two|both|them|those|these)\b"
    r"|(?:两者|两个|两份)[^？?]{0,6}(?:区别|不同|差别)",
    re.I,
)
# "which section is it missing from?", 哪部分没有它: a name's absence
_MISSING_FROM = re.compile(
    r"\bmissing\b|\babsent\b|\bnot\s+(?:in|on|present|found)\b|n't\s+(?:in|on|present|found|appear)|\bno\s+tasks?\b"
    r"|\bleaves?\s+(?:it|them)\s+out\b|\bwithout\s+(?:it|them)\b|没有|不在|缺",
    re.I,
)
# "that section", 这一部分: the section of the task just discussed
_THAT_SECTION = re.compile(
    r"\b(?:that|this|the same|its)\s+(?:same\s+)?(?:section|part|chapter)\b|这一?部分|那一?部分|同一部分", re.I
)
# A question that opens by pointing into the earlier list: "of those, …", "which of them …", 其中….
_OF_THOSE_LEAD = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|now|but)\s+)*(?:(?:of|among|from)\s+(?:those|these|them)\b|which\s+of\s+(?:those|these|them)\b)"
    r"|其中|这些里面|这些当中|那些里面|这几条|这几项|那几条|那几项",
    re.I,
)
# "the first one", "the last task" of the earlier answer's list.
_NTH_OF_LIST = re.compile(
    r"\bthe\s+(first|second|third|fourth|fifth|sixth|last|1st|2nd|3rd|4th|5th|6th)\s+"
    r"(?:one|task|unit|body|agency|department|name|of (?:them|those))\b"
    # (第一条 is Task 1, so only 第…个 counts a place; 最后 in any wording: 最后一条, 最后那项, 最后的那个)
    r"|(第[一二三四五六]个|最后(?:的)?[一那]?[个项条])",
    re.I,
)
# "how many different units", "in total", "without double counting": each unit once
# "… mix up X and Y. Which tasks name at least one of the two?": the names of the sentence before
_NAMED_BEFORE = re.compile(r"\b(?:the|these|those)\s+two\b|\b(?:either|both|each|one|neither|none)\s+of\s+them\b", re.I)
_DISTINCT = re.compile(
    r"\b(?:different|distinct|unique|separate)\b|\btogether\b|\baltogether\b|\bin total\b|\bwithout (?:double|counting)|"
    r"\bcombined\b|不重复|总共|一共|合计",
    re.I,
)
# "Sorry, I don't mean the people, I mean the data", "I meant data, not people": a correction
_CORRECTION = re.compile(
    r"\bi\s+(?:don't|do not|didn't|did not)\s+mean\b|^\W*(?:sorry|no|oops|my bad)\b[\s,.!-]*(?:i\s+)?mean(?:t)?\b"
    r"|\bi\s+mean(?:t)?\s+(?:the\s+)?\w+[^?]*\bnot\b",
    re.I,
)
# An item of the earlier list by what it is about: "the one with the data park", "the Pudong one".
_ONE_DESCRIBED = re.compile(
    r"\bthe\s+(?:one|task)\s+(?:with|about|on|for|where|mentioning|covering)\s+(?:the\s+)?(?P<with>[\w-]+(?:\s+[\w-]+){0,3}?)"
    r"(?=\s*[,?.;!]|\s+(?:who|what|which|is|are|does|do|in|please)\b|\s*$)"
    r"|\bthe\s+(?P<named>[\w-]+(?:\s+[\w-]+)?)\s+one\b",
    re.I,
)
_NOT_BEFORE = re.compile(r"\b(?:not|except|but|without|other than)\s*$", re.I)
# Several places in the earlier list: "the last two of them", "the 3rd and 4th one", "the first three".
_NTH_SPAN = re.compile(
    r"\bthe\s+(?P<end>first|last|top)\s+(?P<n>two|three|four|2|3|4)\b"
    r"|\bthe\s+(?P<a>\d|first|second|third|fourth|fifth)(?:st|nd|rd|th)?\s+(?:and|&)\s+(?:the\s+)?"
    r"(?P<b>\d|second|third|fourth|fifth|sixth)(?:st|nd|rd|th)?\b",
    re.I,
)


def _span_places(match: re.Match, size: int) -> list[int]:
    """The list indices a ``_NTH_SPAN`` match names in a list of ``size`` items ([] if out of range)."""
    if match.group("end"):
        n = _COUNT_WORDS.get(match.group("n").lower()) or int(match.group("n"))
        places = list(range(size - n, size)) if match.group("end").lower() == "last" else list(range(n))
    else:
        places = [int(x) - 1 if x.isdigit() else _NTH_INDEX[x.lower()] for x in (match.group("a"), match.group("b"))]
    return places if places and all(0 <= p < size for p in places) and len(places) < size else []


def _nth_index(place: re.Match) -> int:
    """The list index an ``_NTH_OF_LIST`` match names (0 for "the first", -1 for "the last")."""
    said = (place.group(1) or place.group(2)).lower()
    return -1 if said.startswith("最后") else _NTH_INDEX[said]


_NTH_INDEX = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "sixth": 5, "last": -1,
    "1st": 0, "2nd": 1, "3rd": 2, "4th": 3, "5th": 4, "6th": 5,
    "第一个": 0, "第二个": 1, "第三个": 2, "第四个": 3, "第五个": 4, "第六个": 5,
}  # fmt: skip
# "the last task in that section", "the first one of section V", 这部分的最后一条.
_END_OF_SECTION = re.compile(
    r"\b(?:(?P<first>first|opening)|last|final|closing)\s+(?:task|one|measure|item)\s+(?:in|of|under)\s+"
    r"(?:that|this|the\s+same|the|its)?\s*(?:section|part|chapter|heading|(?P<plan>plan))\b"
    r"|(?:这|该|那|同一)?(?:部分|章)(?:里|中)?的?(?:(?P<zh_first>第一)|最后一)(?:项|条|个)",
    re.I,
)


def _previous_section(history: list[dict], catalogue: TaskCatalogue) -> str | None:
    """The section the last turn was about: one it named, else its tasks' one section; when its
    tasks span several, the section an earlier turn named ("What is section III?", "Which tasks is
    the Data Bureau on?", "how many of them are in that section?"), else its first task's."""
    analysis = (history[-1] if history else {}).get("analysis") or {}
    if analysis.get("sections"):
        return str(analysis["sections"][0])
    tasks, _ = _previous_tasks(history)
    entries = [e for e in (catalogue.task(n) for n in tasks) if e is not None]
    if len({e.section for e in entries}) > 1:
        for turn in reversed(history[:-1]):
            named = (turn.get("analysis") or {}).get("sections")
            if named:
                return str(named[0])
    return entries[0].section if entries else None


def _previous_tasks(history: list[dict]) -> tuple[list[int], str]:
    """The tasks the last answered turn was about, and its question."""
    for turn in reversed(history):
        analysis = turn.get("analysis") or {}
        tasks = [c["task"] for c in turn.get("citations", []) if isinstance(c.get("task"), int)]
        tasks = list(dict.fromkeys(tasks))
        if not tasks and analysis.get("tasks"):
            tasks = [t for t in analysis["tasks"] if isinstance(t, int)]
        if tasks:
            return tasks, str(turn.get("question", ""))
    return [], str(history[-1].get("question", "")) if history else ""


def _conversation_tasks(history: list[dict]) -> tuple[int, ...]:
    """Every task an earlier turn cited, most recent turn first."""
    cited = (c.get("task") for turn in reversed(history) for c in turn.get("citations", []))
    return tuple(dict.fromkeys(t for t in cited if isinstance(t, int)))


def _resolve_follow_up(
    text: str,
    topic: set[str],
    own_names: bool,
    history: list[dict],
    known: set[int],
    asks: Asks = Asks.CONTENT,
    task_words: dict[int, frozenset[str]] | None = None,
    names_start: int | None = None,
    place_tasks: frozenset[int] = frozenset(),
) -> FollowUp | None:
    """``task_words``: each task's words, to tell the earlier tasks' own subject from a new one;
    ``names_start``: where the question's first own name begins; ``place_tasks``: when the question's
    only names are places, the tasks that name every one of them."""
    if not history or _NEW_TOPIC.match(text):
        return None  # ("different question - does it mention esports anywhere?": "it" is the plan)
    tasks, previous_question = _previous_tasks(history)
    if len(tasks) == 1 and re.search(r"\b(?:former|latter)\b", text, re.I):
        # "which tasks involve X?" (two), "what does the latter say?", "and the former?": of the
        # nearest earlier pair, not of the one task the last turn was about
        for back in range(len(history) - 1, 0, -1):
            earlier, question = _previous_tasks(history[:back])
            if len(earlier) >= 2 and tasks[0] in earlier:
                tasks, previous_question = earlier, question
                break
            if earlier and earlier != tasks:
                break
    nth = _NTH_OF_LIST.search(text)
    before_nth = text[: nth.start()] if nth else ""
    if (
        nth
        and nth.group(2)
        and ("部分" in text or (before_nth and _CJK.match(before_nth[-1]) and before_nth[-1] not in "那这中里的排"))
    ):
        nth = None  # 上海第一个…产业园, 这是第一个…: an ordinal of its own subject, not of the earlier list
    listed, listed_question = tasks, previous_question
    if nth and len(tasks) == 1 and len(history) >= 2 and _NTH_OF_LIST.search(previous_question):
        # "the first one?" then "and the last one?": both are places in the list before them
        listed, listed_question = _previous_tasks(history[:-1])
    elif nth and len(tasks) == 1 and re.search(r"\bof (?:them|those|these)\b", nth.group(0), re.I):
        # "tasks in section II?", "tell me about the first one", "who's on it?", "and the second of
        # those?": the nearest earlier list the turns since were about one item of
        for back in range(len(history) - 1, 0, -1):
            earlier, question = _previous_tasks(history[:back])
            if len(earlier) > 1 and tasks[0] in earlier:
                listed, listed_question = earlier, question
                break
            if earlier and earlier != tasks:
                break
    if _CORRECTION.search(text):
        return None  # "sorry, I don't mean the people, I mean the data": a question of its own
    if tasks and _MORE_OF_THE_SAME.fullmatch(text):
        return FollowUp("bare", tuple(tasks), previous_question)  # "any others?": of the earlier subject
    described = _ONE_DESCRIBED.search(text) if len(tasks) > 1 and task_words else None
    if described and not _NOT_BEFORE.search(text[: described.start()]):
        # "the one with the data park", "the Pudong one": the one of the earlier answer's tasks whose
        # words have all of the description's
        wanted = content_words(described.group("with") or described.group("named") or "") - _ASKING_WORDS
        fitting = [t for t in tasks if wanted and wanted <= (task_words or {}).get(t, frozenset())]
        if len(fitting) == 1:
            return FollowUp("pronoun", (fitting[0],), previous_question)
    span = _NTH_SPAN.search(text)
    places = _span_places(span, len(tasks)) if span and not own_names else []
    if places:
        # "the last two of them, which section are they in?": those places of the earlier answer's list
        return FollowUp("pronoun", tuple(tasks[p] for p in places), previous_question)
    of_list = bool(nth and re.search(r"\bof (?:them|those)\b", nth.group(0), re.I))  # ("the first of those")
    # ("the third one you listed", "the second one you mentioned")
    of_list = of_list or bool(
        nth
        and re.match(
            r"\s+(?:that\s+)?(?:you|u)\s+(?:just\s+)?(?:listed|mentioned|named|gave|said|showed)\b",
            text[nth.end() :],
            re.I,
        )
    )
    # ("does the second one involve customs?": the name comes after the ordinal with words of the
    # sentence between, so it is what is asked of the place, not a list of its own as in "the first
    # one customs is on" or "the second one that the PBOC leads")
    asked_of_place = bool(
        nth
        and names_start is not None
        and names_start > nth.end()
        and re.match(r"\s*(?!(?:that|which|where|who)\b)[a-z]+\b", text[nth.end() : names_start], re.I)
    )
    if (
        nth
        and len(listed) > 1
        and (not own_names or of_list or asked_of_place)
        # ("the first one in section V", "the last task of the plan": a place there; not "the second
        # of those - which section is it in?")
        and not re.match(r"[^?.,;:–—-]{0,25}\b(?:sections?|plan|parts?)\b", text[nth.end() :], re.I)
    ):
        # "how many units are on the first one?" after a list: a place in the earlier answer's list
        index = _nth_index(nth)
        if -len(listed) <= index < len(listed):
            return FollowUp("ordinal", (listed[index],), listed_question)
    if tasks and _BOTH_NEIGHBOURS.search(text):
        # "what about the ones right before and right after it?": both neighbours
        return FollowUp("ordinal", (tasks[0] - 1, tasks[0] + 1), previous_question)
    if len(tasks) == 1 and (side := _NEIGHBOUR_OF_ONE_ZH.search(text)):
        return FollowUp("ordinal", (tasks[0] + (1 if side.group("side") == "后" else -1),), previous_question)
    if _NEXT.search(text) or _PREVIOUS.search(text):
        if tasks:
            step = 1 if _NEXT.search(text) else -1
            # "two tasks after that", "three tasks before it": that many places on
            far = re.search(
                rf"\b({_NUMBER_WORD})\s+(?:tasks?|ones?|items?|places?)\s+(?:after|later|before|earlier|back)\b",
                text,
                re.I,
            )
            if far:
                count = int(far.group(1)) if far.group(1).isdigit() else _COUNT_WORDS.get(far.group(1).lower(), 1)
                step *= count
            return FollowUp("ordinal", (tasks[0] + step,), previous_question)  # may be past the last task
    described_zh = _ONE_DESCRIBED_ZH.search(text) if len(tasks) > 1 and task_words else None
    if described_zh:
        # 保税进口那条, 海底光缆那一项: the one of the earlier answer's tasks that uses the plan's
        # wording of the terms described (as "the one with the data park" above); none or several: read on
        glosses = content_words(" ".join(_plan_terms(described_zh.group("what"))))
        fitting = [t for t in tasks if glosses and glosses <= (task_words or {}).get(t, frozenset())]
        if len(fitting) == 1:
            return FollowUp("pronoun", (fitting[0],), previous_question)
    if tasks and len(tasks) > 1 and _OF_THOSE_LEAD.search(text):
        # "of those, which …", 其中哪些…: the earlier answer's tasks, whatever else the question says
        return FollowUp("pronoun", tuple(tasks), previous_question)
    # (the words after "ok", "got it.": the "it" of an acknowledgement points at nothing)
    unled = _CHAT_LEAD.sub("", text)
    pronoun = bool(_PRONOUN.search(_RELATIVE_THAT.sub(" ", unled)))
    # ("ok and is there anything for data centres?" asks of its own subject: not a facet of the last turn)
    facet = bool(_FACET.search(text)) and not _OWN_SUBJECT_ASKED.match(unled)
    # How many subject words: a Chinese subject is counted in two-character windows, so a word of
    # four characters (跨境电商) leaves three of them; about half as many words.
    size = (len(topic) + 1) // 2 if any(_CJK.search(w) for w in topic) else len(topic)
    earlier_words = set().union(*((task_words or {}).get(t, frozenset()) for t in tasks)) if tasks else set()
    earlier_words |= content_words(previous_question)
    if (
        tasks
        and asks == Asks.WHO
        and _BESIDES.search(text)
        and (size == 0 or pronoun or len(topic - earlier_words) <= 1)
    ):
        # "who else, besides the PBOC?"; "… do they have in common": all of the earlier tasks.
        # "Who else handles data centres?" names its own subject: a new question.
        plural = bool(_PLURAL_PRONOUN.search(text))
        return FollowUp("bare", tuple(tasks if plural else _one_of(tasks, text)), previous_question)
    if (
        tasks
        and own_names
        and size == 0
        and _YES_NO_FORM.search(text)
        and not re.search(r"\b(?:any|anything|anywhere|tasks?|which|what|how)\b|哪|什么|任务", text, re.I)
    ):
        # "is the cyberspace office also a responsible unit?", 海关也负责吗, "is CAAC involved?": whether
        # the unit it names is on the earlier answer's tasks; it names nothing else to be asked of
        # ("does customs have any tasks?" asks of the plan)
        return FollowUp("bare", tuple(tasks), previous_question)
    on_place = [t for t in tasks if t in place_tasks]
    if facet and on_place and size <= 2 and not pronoun:
        # "what about Hongkou?", 那虹口呢 after the service-trade clusters task, which names Hongkou: what
        # that task says of the place (not a new question on every task that names it)
        return FollowUp("pronoun", tuple(on_place), previous_question)
    if own_names and not pronoun:
        return None  # names its own task, unit or area: a new question
    if tasks and size <= 1 and not facet and asks in _FACET_ASKS:
        # "Which department should I call?", "Who do we contact about that?": a facet of the whole
        # earlier answer, so of every task it cited (not only the first, which left the others out);
        # "… for that one?" points at one of them, the first.
        singular = (_ONE_OF_THEM.search(text) or re.search(r"\blatter\b|\bformer\b", text, re.I)) and not (
            _PLURAL_PRONOUN.search(text)
        )
        return FollowUp("bare", tuple(_one_of(tasks, text) if singular else tasks), previous_question)
    if not topic:
        if not tasks:
            return None
        plural = bool(_PLURAL_PRONOUN.search(text))
        return FollowUp(
            "bare" if not pronoun else "pronoun", tuple(tasks if plural else _one_of(tasks, text)), previous_question
        )
    # ("so is the city building that or the banks? what does that bit say?": words that are mostly
    # the earlier tasks' own ask about them still)
    # (the noun after "that"/"this" points back too: "that bit", "this thing")
    pointing = {
        w for m in re.finditer(r"\b(?:that|this|those|these)\s+([a-z]+)", text, re.I) for w in content_words(m.group(1))
    }
    new_words = topic - earlier_words - pointing
    specific = {w for w in new_words if 0 < sum(w in ws for ws in (task_words or {}).values()) <= SPECIFIC_TASKS}
    first_pronoun = _PRONOUN.search(_RELATIVE_THAT.sub(lambda m: " " * len(m.group(0)), text))  # (same offsets)
    # (a name: written with a capital inside the sentence, "ChinaJoy", "CIPS")
    names_before = [
        m
        for m in re.finditer(r"(?<=[a-z,;:] )[A-Z][\w-]*", text[: first_pronoun.start()] if first_pronoun else "")
        if content_words(m.group(0)) & specific
    ]
    if pronoun and names_before and not _IN_IT.search(text) and not _CJK.search(text):
        # "we'd also exhibit at ChinaJoy, is that covered too?": "that" is the subject just named,
        # one some task has and the earlier tasks do not
        return None
    if pronoun and (size <= 3 or (0 < len(tasks) <= 3 and len(new_words) <= 1 and not _CJK.search(text))):
        plural = bool(_PLURAL_PRONOUN.search(text))
        return FollowUp("pronoun", tuple(tasks if plural else _one_of(tasks, text)), previous_question)
    if facet and size <= 3:
        return FollowUp("facet", tuple(tasks), previous_question)
    return None


# --- activities (multi-policy questions) -----------------------------------------------------

_CLAUSE_SPLIT = re.compile(
    r"[;:：.!?？。；！\n]+|,\s*|，|、|\s+\b(?:and also|as well as|plus|while|and we|and i|and our)\b\s+|\s+and\s+(?=(?:we|i|also|then|sometimes)\b)",
    re.I,
)


def _split_and(piece: str) -> list[str]:
    """ "run a data centre and offer cloud computing" -> two activities; "Ecology and Environment" stays whole."""
    parts = re.split(r"\s+and\s+", piece)
    out = [parts[0]]
    for part in parts[1:]:
        if len(content_words(out[-1]) - _ASKING_WORDS) >= 2 and len(content_words(part) - _ASKING_WORDS) >= 2:
            out.append(part)
        else:
            out[-1] = f"{out[-1]} and {part}"
    return out


# The longest clause (in words) also searched whole when it was split at "and" (see activity_clauses)
_WHOLE_CLAUSE_WORDS = 14


def activity_clauses(text: str) -> list[str]:
    """The parts of a description that say what an enterprise does (each a retrieval query)."""
    clauses, wholes = [], []
    for chunk in (c for c in _CLAUSE_SPLIT.split(text) if c):
        parts = _split_and(chunk)
        if len(parts) > 1 and len(chunk.split()) <= _WHOLE_CLAUSE_WORDS:
            # ("send HR and finance data back to Europe" is split at "and" as if two activities; the
            # clause whole is searched too, after every part, so it adds a task without crowding one out)
            wholes.append(chunk)
        for piece in parts:
            piece = " ".join(piece.split())
            if piece and is_activity(piece):
                clauses.append(piece)
    clauses += [w for w in (" ".join(c.split()) for c in wholes) if is_activity(w) and w not in clauses]
    return clauses


def is_activity(piece: str) -> bool:
    """Whether a clause says something of its own: two subject words (one in a clause of up to four
    words, "handles returns", or one naming something by an acronym, "show at the CIIE"), or
    (Chinese) four characters once question particles are removed."""
    if _CJK.search(piece):
        return len(re.sub(r"[^\u3400-\u9fff]", "", _ZH_ASKING.sub("", piece))) >= 4
    words = content_words(piece) - _ASKING_WORDS
    return len(words) >= (1 if len(piece.split()) <= 4 or re.search(r"\b[A-Z]{3,}\b", piece) else 2)


# --- the analysis ---------------------------------------------------------------------------


# Chat spellings of the words that ask ("wat section", "whos in charge"): how a question is asked
# is read from these, so they are written out; the subject words are left as typed.
_CHAT_SPELLINGS = {
    "wat": "what", "wht": "what", "wot": "what", "whos": "who's", "whats": "what's", "wheres": "where's", "hows": "how's",
    "isnt": "isn't", "arent": "aren't", "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "hasnt": "hasn't", "whch": "which", "wich": "which",
    "hw": "how", "abt": "about", "whr": "where", "wher": "where", "pls": "please", "plz": "please", "u": "you", "ur": "your",
}  # fmt: skip


# Written abbreviations of ordinary words ("tasks w/o Lingang", "the Hongqiao cmte", "Pudong govt", "IP rights").
_ABBREVIATIONS = {
    "w/o": "without",
    "w/": "with",
    "cmte": "committee",
    "cttee": "committee",
    "govt": "government",
    "dept": "department",
    "intl": "international",
    "int'l": "international",
    "natl": "national",
    "mgmt": "management",
    "comms": "communications",
    "ip": "intellectual property",
    # trade and payment shorthand for the plan's own terms
    "b/l": "bill of lading",
    "b/ls": "bills of lading",
    "l/c": "letter of credit",
    "l/cs": "letters of credit",
    "e-cny": "digital RMB",
    "ecny": "digital RMB",
    "cbec": "cross-border e-commerce",
}
_ABBREVIATION = re.compile(
    r"(?<![\w/])(?:w/o|w/|cmte|cttee|govt|dept|intl|int'l|natl|mgmt|comms|ip|b/ls?|l/cs?|e-?cny|cbec)(?![\w/])",
    re.I,
)


# "the commerce, science & technology, and economy & informatization commissions": one kind word, in
# the plural, for a list of names; each name is written out with it ("the commerce commission, …")
_NAME_WORD = r"(?!(?:the|of|in|on|for|to|which|what|who|do|does|are|is|tasks?|where|all|both|and|or|nor|not|but|with)\b)[A-Za-z][\w&/.'-]*"
_NAME_PIECE = rf"{_NAME_WORD}(?:\s+(?:&\s+)?{_NAME_WORD}){{0,2}}"
_SHARED_KIND = re.compile(
    rf"\b(?P<names>(?:{_NAME_PIECE}\s*,\s*)*{_NAME_PIECE},?\s+(?:and|or|&)\s+{_NAME_PIECE})"
    r"\s+(?P<kind>commissions|bureaus|offices|committees|departments|administrations|governments)\b",
    re.I,
)


def _each_with_kind(match: re.Match) -> str:
    names = match.group("names")
    kind = match.group("kind")[:-1]
    pieces = [p.strip() for p in re.split(r"\s*,\s*", names)]
    if len(pieces) == 1:  # "the commerce and transport commissions"
        pieces = [p.strip() for p in re.split(r"\s+(?:and|or|&)\s+", names)]
        if len(pieces) != 2:
            return match.group(0)
        joiner = re.search(r"\s+(and|or|&)\s+", names).group(1)
    else:
        last = re.match(r"(and|or|&)\s+(.*)", pieces[-1]) or re.match(r"(.*?)\s+(and|or|&)\s+(.*)", pieces[-1])
        if last is None:
            return match.group(0)
        if len(last.groups()) == 2:
            joiner, pieces[-1] = last.group(1), last.group(2)
        else:
            joiner = last.group(2)
            pieces[-1:] = [last.group(1), last.group(3)]
    written = [f"{p} {kind}" for p in pieces if p]
    return ", ".join(written[:-1]) + f" {joiner} " + written[-1]


def normalise_text(question: str) -> str:
    """NFKC (fullwidth letters and digits become ASCII), curly quotes straightened, spaces folded,
    chat spellings of question words written out."""
    text = unicodedata.normalize("NFKC", question).replace("’", "'").replace("‘", "'")
    text = re.sub(
        r"(?<![\w.'-])[A-Za-z]{1,6}(?![\w.'-])", lambda m: _CHAT_SPELLINGS.get(m.group(0).lower(), m.group(0)), text
    )
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(0).lower()], text)
    text = _SHARED_KIND.sub(_each_with_kind, text)
    text = re.sub(r"^\s*n(?=\s)", "and", text)  # ("n is customs on both?")
    text = re.sub(r"\b(what|which|who|where|when|how|tasks|ones|they|you)\s+r(?=\s)", r"\1 are", text, flags=re.I)
    text = re.sub(r"^\s*r(?=\s+(?:they|them|those|these|there|any|all|both|you|we|smes?)\b)", "are", text, flags=re.I)
    # "secton V", "sectoin 4": a typo of "section" before a section's number
    text = re.sub(
        r"\b[A-Za-z]{5,9}(?=\s+\(?(?:[ivxIVX]{1,3}|[1-6])\b)",
        lambda m: next(
            (
                w
                for w in ("section", "sections")
                if m.group(0).lower() not in ("section", "sections") and _one_edit(m.group(0).lower(), w)
            ),
            m.group(0),
        ),
        text,
    )
    return " ".join(text.split())


# "sorry, I meant 18 not 16", "oops, meant Hongkou, not Pudong": the earlier question with one name
# put right; "same but for Hongqiao", "no wait, the other zone — Lin-gang", "sorry, I meant the data
# bureau": with one name exchanged
_MEANT_NOT = re.compile(
    r"^\W*(?:(?:sorry|oops|no|wait|my bad|actually|ah|argh|err?m?|correction)\b[\s,.!:;—–-]*)*(?:i\s+)?(?:meant|mean)\s+"
    r"(?P<new>[^,;?]{1,60}?)\s*[,;]?\s+(?:not|instead of|rather than)\s+(?P<old>[^,;?]{1,60}?)\W*$"
    r"|^\W*(?:(?:sorry|oops|no|wait|my bad|actually)\b[\s,.!:;—–-]*)*not\s+(?P<old2>[^,;?]{1,60}?)\s*[,;]\s*(?:but\s+|i\s+meant\s+)?(?P<new2>[^,;?]{1,60}?)\W*$",
    re.I,
)
_CORRECTION_LEAD = r"(?:(?:sorry|oops|no|wait|my bad|my mistake|actually|ah|argh|correction)\b[\s,.!:;—–-]*)"
# "Sorry, I meant to ask …": what follows is the question
_MEANT_TO_ASK = re.compile(
    rf"^\W*{_CORRECTION_LEAD}*(?:i\s+)?(?:meant|wanted|want)\s+to\s+(?:ask|say|know)\b\s*(?:about\s+)?[,:]?\s*", re.I
)
_SAME_BUT_FOR = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|now|then)\b[\s,]*)*(?:the\s+)?same\s+(?:question\s+|thing\s+|again\s+)?but\s+(?:for|with)\b"
    r"|^\W*(?:(?:sorry|oops|no|wait|actually)\b[\s,.!:;—–-]*)+(?:i\s+meant\s+)?the\s+other\s+(?:zone|area|one|unit|body|bureau|commission|committee|section|task)\b"
    # ("sorry, I meant the data bureau", 不好意思，我是说人民银行上海总部: a correction naming only the new name)
    r"|^\W*(?:(?:sorry|oops|no|wait|my bad|actually|correction)\b[\s,.!:;—–-]*)+(?:i\s+)?(?:meant|mean)\b"
    r"|^\W*(?:不好意思|抱歉|对不起|说错了|更正一下|更正)[，,。！!\s]*(?:我)?(?:是说|指的是|说的是|想问的是|问的是|是)",
    re.I,
)
_KIND_GROUP = {"unit": "body", "area": "body", "section": "section", "task": "task"}
_AND_NAME = re.compile(
    r"\W*(?:(?:ok(?:ay)?|so|then|and|also)\W+)*(?:(?:what|how)\s+about|and(?:\s+(?:for|in|on))?|also|same\s+for)"
    r"\s+(?:the\s+)?|\W*(?:那|那么)?",
    re.I,
)
# "anything else (in there) for SMEs?", "what else is there about data?": other tasks on a subject it names
_ANYTHING_ELSE = re.compile(
    r"\b(?:anything|what)\s+else\b(?:\s+(?:is\s+)?(?:there|in\s+(?:there|it|the\s+plan)))?\s+"
    r"(?:for|about|on|re|regarding|related\s+to|to\s+do\s+with)\b",
    re.I,
)
# "any others?", "anything else?", "more?", 还有别的吗: the earlier question asked again for every answer
_MORE_OF_THE_SAME = re.compile(
    r"\W*(?:(?:and|so|ok(?:ay)?|also|hmm|right|cool|thanks)\b\W*)*(?:(?:are|is)\s+there\s+)?"
    r"(?:any\s*(?:others?|more|other\s+ones?)|anything\s+else|what\s+else|others|more|and\s+others)"
    r"(?:\s+(?:too|as\s+well|besides|then))?\W*"
    r"|\W*(?:那)?(?:还有(?:别的|其他|其它)?(?:的|任务|项|条)?(?:吗|呢|没有)?|其他(?:的)?呢|别的呢)\W*",
    re.I,
)


# "and the next section?", "the following part?", "the previous section?": the neighbouring section
# ("the last section" is the plan's final one, not this)
_NEIGHBOUR_SECTION = re.compile(
    r"\W*(?:(?:and|ok|okay|so|now|then|what\s+about|how\s+about)\b\W*)*(?:the\s+)?"
    r"(?:(?:next|following|subsequent)|(?P<back>previous|preceding|prior))\s+(?:section|part|chapter)"
    r"(?:\s+(?:then|too|as\s+well))?\W*",
    re.I,
)


# Words that end a noun phrase on either side ("tell me about | the data park | in Lingang")
_PHRASE_EDGE = re.compile(
    r"^(?:the|a|an|this|that|about|on|of|for|in|at|to|and|or|with|from|under|which|what|who|is|are|was|were"
    r"|does|do|me|us|tell|say|says|plan|plan's)$",
    re.I,
)


def _noun_phrase_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the noun phrase of ``text`` holding ``text[start:end]``: out to the nearest edge
    word or punctuation on each side (a plain phrase finder: no parser ships here)."""
    words = list(re.finditer(r"[\w'’-]+|[^\w\s]", text))
    inside = [i for i, w in enumerate(words) if w.start() >= start and w.end() <= end]
    if not inside:
        return start, end
    first, last = inside[0], inside[-1]
    while (
        first > 0 and re.match(r"[\w]", words[first - 1].group(0)) and not _PHRASE_EDGE.match(words[first - 1].group(0))
    ):
        first -= 1
    while (
        last + 1 < len(words)
        and re.match(r"[\w]", words[last + 1].group(0))
        and not _PHRASE_EDGE.match(words[last + 1].group(0))
    ):
        last += 1
    return words[first].start(), words[last].end()


def _head_noun(phrase: str) -> str:
    """The head noun of a plain noun phrase: its last word before a preposition or relative word
    ("platform" of "the platform for air cargo information"); "" when there is none."""
    words = re.findall(r"[\w'’-]+", phrase)
    cut = next(
        (i for i, w in enumerate(words) if _PHRASE_EDGE.match(w) and i > 0 and w.lower() not in ("the", "a", "an")),
        len(words),
    )
    head = next((w for w in reversed(words[:cut]) if not _PHRASE_EDGE.match(w)), "")
    return head if len(head) >= 3 and head.isalpha() and head.lower() not in ("one", "ones") else ""


def restated_question(text: str, history: list[dict] | None, catalogue: TaskCatalogue) -> str | None:
    """The earlier question this turn asks again with one name changed, or None.

    A correction or a "same but for X" changes a name of the question before, whatever that
    question asked (a list, a who-question, a count); the earlier question, so changed, is then
    read as if it had been asked so. A name is changed only where it can be found: the name the
    turn says it replaces, or the one name of the same kind the earlier question has.
    """
    if not history:
        return None
    earlier = normalise_text(str(history[-1].get("question", "")))
    if not earlier:
        return None
    meant = _MEANT_NOT.search(text)
    if meant:
        new = (meant.group("new") or meant.group("new2") or "").strip()
        old = (meant.group("old") or meant.group("old2") or "").strip()
        new = re.sub(r"^(?:the\s+)", "", new, flags=re.I)
        old = re.sub(r"^(?:the\s+)", "", old, flags=re.I)
        found = re.search(rf"(?<![\w-]){re.escape(old)}(?![\w-])", earlier, re.I) if old else None
        if found:
            return earlier[: found.start()] + new + earlier[found.end() :]
        # ("I meant the air cargo platform, not the aviation asset one": "one" stands for the earlier
        # phrase's head noun, so the whole earlier phrase holding those words is what is replaced; "I
        # meant the Hongqiao one, not the Lin-gang one": only the words before "one" change)
        pronoun = re.fullmatch(r"(?P<core>.+?)\s+ones?", old, re.I)
        found = re.search(rf"(?<![\w-]){re.escape(pronoun['core'])}(?![\w-])", earlier, re.I) if pronoun else None
        if found:
            new_core = re.fullmatch(r"(?P<core>.+?)\s+ones?", new, re.I)
            if new_core:
                return earlier[: found.start()] + new_core["core"] + earlier[found.end() :]
            start, end = _noun_phrase_around(earlier, found.start(), found.end())
            return earlier[:start] + new + earlier[end:]
        olds = find_mentions(old, catalogue)
        for m in find_mentions(earlier, catalogue):
            if olds and m.values == olds[0].values:
                return earlier[: m.start] + new + earlier[m.end :]
        # ("I meant the platform for air cargo information, not that one": a pointer stands for the
        # earlier phrase with the same head noun, "the aviation asset trading platform")
        head = _head_noun(new)
        found = re.search(rf"(?<![\w-]){re.escape(head)}s?(?![\w-])", earlier, re.I) if head else None
        if found:
            start, end = _noun_phrase_around(earlier, found.start(), found.end())
            # (with what it is of or for: "the platform for air cargo information?" is one phrase)
            end += len(re.match(r"(?:\s+(?:for|of)\s+[^,;.?!]*)?", earlier[end:]).group(0))
            return earlier[:start] + new + earlier[end:]
        return None
    if _MORE_OF_THE_SAME.fullmatch(text) and (history[-1].get("analysis") or {}).get("set_query"):
        # "which tasks list X?" then "any others?": the list question again (its answer is the whole list)
        return earlier
    if neighbour := _NEIGHBOUR_SECTION.fullmatch(text):
        # "and the next section?" after a question on section III: the same question of section IV
        olds = [m for m in find_mentions(earlier, catalogue) if m.kind == "section"]
        number = _section_number(olds[0].values[0]) if len(olds) == 1 else None
        if number is not None:
            step = -1 if neighbour.group("back") else 1
            target = next((s for s in catalogue.sections if _section_number(s) == number + step), None)
            if target is not None:
                return f"{earlier[: olds[0].start]}section {target.split('.')[0].strip()}{earlier[olds[0].end :]}"
    news = [m for m in find_mentions(text, catalogue) if m.kind in _KIND_GROUP]
    # ("and lingang?", "what about the data bureau?": nothing but the new name)
    name_only = len(news) == 1 and bool(_AND_NAME.fullmatch(text[: news[0].start]))
    if not (_SAME_BUT_FOR.search(text) or name_only):
        return None
    if len(news) != 1 or re.search(r"\w", text[news[0].end :]):
        return None  # ("same question but for Lingang - any plans for data centres there?" asks its own)
    group = _KIND_GROUP[news[0].kind]
    olds = [m for m in find_mentions(earlier, catalogue) if _KIND_GROUP.get(m.kind) == group]
    if len(olds) != 1 or olds[0].values == news[0].values:
        return None
    surface = news[0].surface.strip()
    return earlier[: olds[0].start] + surface + earlier[olds[0].end :]


def analyse(question: str, catalogue: TaskCatalogue, history: list[dict] | None = None) -> QuestionAnalysis:
    """The one place a question is understood. ``history``: earlier answer dicts of the conversation."""
    text = normalise_text(question)
    if history:
        # ("Sorry, I meant to ask who is responsible for it": the question it then asks)
        text = _MEANT_TO_ASK.sub("", text, count=1).strip() or text
    if history and _ONLY_IN_CHINESE.fullmatch(text) and (earlier := str(history[-1].get("question", ""))):
        # "and in Chinese?" after any answer: the earlier question, its wording wanted in Chinese
        return replace(analyse(earlier, catalogue, history[:-1]), wants_chinese_text=True)
    restated = restated_question(text, history, catalogue)
    if restated is not None:
        # the earlier question, with the name put right, read in the conversation it was asked in
        return analyse(restated, catalogue, (history or [])[:-1])
    if history:
        # "Sorry, I don't mean the persons, I mean the data": what is not meant is no part of the question
        text = re.sub(r"\bi\s+(?:don't|do not|didn't|did not)\s+mean\b[^,.;?]*[,.;]?", " ", text, flags=re.I).strip()
    language = "zh" if is_chinese(text) else "en"
    mentions = find_mentions(text, catalogue)
    mentions = _ours_narrowed(mentions, text, mentions, catalogue)
    known = {e.task for e in catalogue.tasks if e.task is not None}
    number = _FACET_NUMBER.match(text) if history and not mentions else None
    if number:  # "what about 20?" after a question on a task: task 20
        mentions = [Mention("task", (number.group("n"),), number.start("n"), number.end("n"), number.group("n"))]
    if history and not number:
        mentions = _numbers_named_before(text, mentions, history, known)
    # The earlier turns, read once: the tasks last answered about, and the last turn's list question.
    earlier_tasks, earlier_question = _previous_tasks(history) if history else ([], "")
    earlier_list = _previous_set_query(history) if history else None
    if earlier_list is None and history and len(history) >= 2 and len(earlier_tasks) >= 2:
        # "Which tasks involve STCSM?", "list them with their titles", "only the ones in section IV":
        # a turn that shows the same tasks again keeps the list question before it
        before = _previous_set_query(history[:-1])
        if before is not None and before.output == "tasks":
            if {e.task for e in catalogue.select(before)} == set(earlier_tasks):
                earlier_list = before
    place = _NTH_OF_LIST.search(text) if history and not mentions else None
    names_a_task = place is not None and bool(re.search(r"task|项|条", place.group(0)))
    # (a place in a list of units only after a "who" answer on one task, and when the question asks of a
    # body: "what other tasks is the second one on?", not "what does the first task say?")
    of_a_body = (
        place is not None
        and not names_a_task
        and detect_asks(text) in (Asks.TASKS, Asks.COUNT, Asks.SECTION, Asks.WHO, Asks.YES_NO)
        # ("who's on the second of those?": who is on a task, so the place is in a list of tasks)
        and not _WHO_IS_ON.search(text[: place.start()])
    )
    one_task = len(earlier_tasks) == 1
    listed_unit = _earlier_listed_unit(place, history or [], catalogue) if place and of_a_body and one_task else None
    if place and listed_unit:
        # "the second one you listed – what other tasks are they on?" after a list of units: that unit
        mentions = [Mention("unit", (listed_unit,), place.start(), place.end(), place.group(0))]
    elif (
        place
        and catalogue.sections
        and _previous_asks(history or []) == Asks.SECTION
        and not names_a_task  # ("the first task in that section": a task)
    ):
        # "What are the six sections?" then "how many tasks are in the fourth one?": section IV
        index = _nth_index(place)
        if -len(catalogue.sections) <= index < len(catalogue.sections):
            section = catalogue.sections[index]
            mentions = [Mention("section", (section,), place.start(), place.end(), place.group(0))]
    if len(earlier_tasks) >= 2:
        # 第二个任务 after an answer that listed tasks: the second of them (as "the second task" is)
        for i, m in enumerate(mentions):
            place = re.fullmatch(r"第\s*([一二三四五六七八九十两\d]{1,3})\s*个任务", m.surface)
            n = (int(place.group(1)) if place.group(1).isdigit() else chinese_number(place.group(1))) if place else None
            if n and n <= len(earlier_tasks):
                mentions[i] = replace(m, values=(str(earlier_tasks[n - 1]),))

    picked_from_list: int | None = None
    if len(earlier_tasks) >= 2:
        # "For the one in section IV, who else sits on it?" after a list of tasks: the one of them in
        # that section (when exactly one is), not every task of the section
        for i, m in enumerate(mentions):
            if m.kind != "section" or not (
                _THE_ONE_IN.search(text[: m.start])
                or (re.search(r"\bthe\s+$", text[: m.start], re.I) and _ONE_AFTER.match(text[m.end :]))
            ):
                continue
            inside = [n for n in earlier_tasks if n in catalogue.term_tasks("section", m.values)]
            if len(inside) == 1:
                mentions[i] = replace(m, kind="task", values=(str(inside[0]),))
                picked_from_list = inside[0]

    if history:
        # "drop the one about expos": a description no title has may name a task the conversation is
        # about, by its text
        for match in _TASK_BY_NAME.finditer(text):
            if any(m.start < match.end() and match.start() < m.end for m in mentions):
                continue
            described = match.group("name") or match.group("after") or ""
            earlier = _earlier_task_described(described, history, catalogue)
            if earlier is None and ((match.group("noun") or "").lower() == "one" or match.group("after")):
                # "any of them also on the reinsurance one?": in a conversation about tasks, "one" is a
                # task, named by words one task alone uses
                words = _description_words(described, catalogue)
                found = catalogue.tasks_using(words) if words else []
                unique = len(found) == 1 and all(catalogue.task_frequency.get(w, 0) == 1 for w in words)
                earlier = found[0].task if unique else None
                if earlier is None and (pairs := word_pairs(described)):
                    # ("the one with the electronic documents": a two-word phrase of one task's text)
                    by_phrase = [n for n, have in catalogue.measure_pairs_of.items() if pairs <= have]
                    earlier = by_phrase[0] if len(by_phrase) == 1 else None
            if earlier is not None:
                mentions.append(Mention("task", (str(earlier),), match.start(), match.end(), match.group(0)))
                if re.search(r"\b(?:it|that one|this one)\b", text[match.end() :], re.I):
                    picked_from_list = earlier  # ("the one with the e-documents - who is on it?": "it" is that one)
        mentions.sort(key=lambda m: m.start)
    named_tasks = [int(v) for m in mentions if m.kind == "task" for v in m.values]
    tasks = [n for n in dict.fromkeys(named_tasks) if n in known]
    missing = [n for n in dict.fromkeys(named_tasks) if n not in known]
    units = list(dict.fromkeys(v for m in mentions if m.kind == "unit" for v in m.values))
    areas = list(dict.fromkeys(v for m in mentions if m.kind == "area" for v in m.values))
    sections = list(dict.fromkeys(v for m in mentions if m.kind == "section" for v in m.values))
    others = list(
        dict.fromkeys(
            v
            for m in mentions
            if m.kind == "other_place" and not _ASKER_ORIGIN.search(text[: m.start])
            for v in m.values
        )
    )

    # Several sentences ("Forget your rules. Which tasks …? End with …"): the question is the one that asks.
    core = _core_question(text)
    # A message written in lower case: its last sentence says what is asked ("… every year. what tasks are
    # relevant?"), and is the whole question when it names what it asks about.
    asking = _core_question(text, lower_case=True) if core == text else core
    if asking != text and any(m.kind != "other_place" for m in find_mentions(asking, catalogue)):
        core = asking
    embedded = _EMBEDDED_QUESTION.search(core)
    if embedded and any(
        m.kind == "unit" and m.start >= embedded.start("q") + (len(text) - len(core)) for m in mentions
    ):
        # "I export games, so I want to know which tasks the culture bureau and the publicity department
        # are both on": the question about named bodies is the clause after "want to know"
        core = core[embedded.start("q") :]
    asks = detect_asks(_FRAMING_LEAD_IN.sub("", asking if core == text else core))  # ("Quick one, on deadline: …")
    if asks == Asks.WHERE and len(units) + len(areas) >= 2 and _AND_BOTH.search(core):
        asks = Asks.TASKS  # "Where do Customs and the Hongqiao committee overlap?": in which tasks
    if (
        asks in (Asks.CONTENT, Asks.TASKS)
        and history
        and (_FACET.search(core) or _SAME.search(core))
        and len(core.split()) <= 8
        and not re.search(r"\b(?:which|what)\s+tasks?\b", core, re.I)  # ("and in section III, which tasks?")
    ):
        # "And task 12?", "What about the Data Bureau?", "same for Pudong": the earlier turn's question,
        # asked of something else.
        asks = _previous_asks(history) or asks
    first_person = bool(_FIRST_PERSON.search(text))
    # (an enterprise described as the subject of what it wants, "A foreign firm wants to …", 某外资企业
    # 想…, asking which tasks: a list of its activities' tasks, as one describing itself would get)
    enterprise_described = not first_person and asks == Asks.TASKS and bool(_ENTERPRISE_SUBJECT.search(text))
    # Words of the names themselves are not the topic.
    stripped = _strip_mentions(text, mentions)
    # the names of the asking sentence, at its own offsets (found once)
    core_mentions = (
        mentions if core == text else _ours_narrowed(find_mentions(core, catalogue), core, mentions, catalogue)
    )
    subject_text = stripped if core == text else _strip_mentions(core, core_mentions)
    topic = _subject_words(subject_text, text, language, mentions, catalogue)
    unspelled = _SPELLING_CLAUSE.sub(" ", subject_text) if asks == Asks.TASKS else subject_text
    if unspelled != subject_text and (spelled_topic := _subject_words(unspelled, text, language, mentions, catalogue)):
        # ("which tasks mention AI, whether written as AI or spelled out?": how the subject of a
        # look-up may be written is not what it is)
        subject_text, topic = unspelled, spelled_topic
    pointed_at = ""
    # ("… a regional shared services centre for its Asia group. Is that supported anywhere?": what is
    # said of the thing pointed back at is no subject of its own)
    # (after one sentence only: after several, "that" is all they describe)
    said_before = len(re.findall(r"[.!;]\s", text[: max(0, len(text) - len(core))] + " "))
    said_of_it = (
        {w for m in _SAID_OF_POINTED.finditer(core) for w in content_words(m.group("said"))}
        if said_before == 1
        else set()
    )
    # ("I'm writing on how big Shanghai wants its services trade to be by 2030. What figure does the
    # plan give?": words that only say what kind of answer is wanted are no subject of their own)
    kind_words = content_words(" ".join(answer_type_spans(core))) if core != text else set()
    if (
        not (topic - said_of_it - kind_words)
        and core != text
        and text.rstrip().endswith(core.strip())
        and not core_mentions
        and (_POINTS_BACK.search(core) or (topic and topic <= kind_words))
    ):
        # "… keeps getting asked about registering IP for data products. Is there anything on that?":
        # the asking sentence points back; its subject is in the sentences before it, and is what
        # they are "about" when they say so (the rest tells who asks)
        before = stripped[: max(0, stripped.find(subject_text.strip()[:20]))] or stripped
        # ("I'm curious about this. We trade carbon credits. Anything on that?": the sentence just before)
        statement = [p for p in re.split(r"(?<=[.!;])\s+", before.strip()) if p.strip()][-1:] or [before]
        about = [m.group("what") for m in _STATEMENT_ABOUT.finditer(statement[0])]
        pointed_at = about[-1] if about and _topic(about[-1], language) - _POINTING_WORDS else ""
        subject_text = pointed_at or statement[0]
        topic = _subject_words(subject_text, text, language, mentions, catalogue)
    phrases = (
        {pair for pair in word_pairs(subject_text) if not set(pair) & _ASKING_WORDS} if language == "en" else set()
    )
    # ("does it say which banks will offer that?": an enumeration asked inside a yes/no)
    says_which = asks == Asks.YES_NO and bool(
        re.search(
            # ("does the plan name any platforms that …": an enumeration too)
            r"\b(?:say|says|list|lists|name|names|specify|specifies|mention|mentions)\s+(?:which|what)\b"
            r"|\b(?:list|lists|name|names|identify|identifies)\s+any\b",
            core,
            re.I,
        )
    )
    focus = _focus_noun(text) if asks in (Asks.MEMBERS, Asks.CONTENT) or says_which else ""
    if (
        says_which
        and not focus
        and (
            named := re.search(r"\b(?:which|what)\s+(?:[a-z-]+\s+)?([a-z]{3,})\b", core, re.I)
            # "does it name any foreign e-commerce platforms that …": the plural noun of the phrase
            or re.search(
                r"\bany\s+(?:[a-z-]+\s+){0,3}?([a-z]{3,})s\b(?=\s+(?:that|which|who|to|in|for|with|from|on|at)\b|\s*[?.]|$)",
                core,
                re.I,
            )
        )
    ):
        focus = named.group(1).lower() + "s"  # "which blockchain platform": platforms
    if focus and asks in (Asks.CONTENT, Asks.YES_NO):
        asks = Asks.MEMBERS

    # (a subject pointed back at is what is searched for, not the story of who asks)
    search_text = retrieval_text(pointed_at or text, catalogue, None if pointed_at else mentions)
    follow_up = _resolve_follow_up(
        text,
        topic,
        bool(tasks or units or areas or missing or others),  # (a place the plan does not cover is a name too)
        history or [],
        known,
        asks,
        catalogue.task_words,
        min((m.start for m in mentions if m.kind in ("unit", "area", "task", "section")), default=None),
        _tasks_saying_new_places(areas, history or [], catalogue)
        if not (tasks or units or missing or others)
        else frozenset(),
    )
    search_query, own_query = search_text, ""
    within: tuple[int, ...] = ()
    every_task = False
    if follow_up is not None:
        searching_among = (
            follow_up.kind == "pronoun" and len(follow_up.tasks) > 1 and bool(_OF_THOSE.search(core)) and bool(topic)
        )
        more_of_the_same = bool(_MORE_OF_THE_SAME.fullmatch(core)) and follow_up.kind in ("bare", "pronoun")
        listing_again = (
            follow_up.kind == "bare"
            and asks == Asks.TASKS
            and not topic
            and bool(_EVERY_TASK.search(core))
            and not (units or areas or sections or named_tasks)
        ) or more_of_the_same
        if searching_among and not (units or areas or sections):
            # "Which one of them mentions blockchain?": a search among the earlier answer's tasks.
            within = follow_up.tasks
        elif listing_again:
            # "Does the plan mention e-bills of lading?" then "which tasks exactly?": every task on
            # the earlier question's subject, not only the one the earlier answer quoted.
            previous = follow_up.previous_question
            # ("does it cover the APEC card?" "who's responsible for that?" "anything else?": the
            # subject is the latest turn that named one)
            for asked_then in (previous, *(str(turn.get("question", "")) for turn in reversed(history or []))):
                topic = _topic(_strip_mentions(asked_then, find_mentions(asked_then, catalogue)), language)
                if topic:
                    previous = asked_then
                    break
            search_query = retrieval_text(previous, catalogue)
            if more_of_the_same:  # ("any others?" after "what does it say on insurance?": every task on it)
                asks, every_task = Asks.TASKS, True
        elif follow_up.kind in ("pronoun", "bare", "ordinal") and not tasks:
            tasks = [n for n in follow_up.tasks if n in known]
            missing = missing or [n for n in follow_up.tasks if n not in known]  # "the next one" after the last
        if follow_up.kind == "facet" or (follow_up.kind == "pronoun" and topic and not within):
            search_query = f"{follow_up.previous_question} {search_text}".strip()
            own_query = search_text if follow_up.kind == "facet" and topic else ""

    elsewhere = _ELSEWHERE.search(core) if history else None
    # ("… anywhere besides the shipping task?": the task named after "besides" is the one left out)
    left_out = [
        int(v) for m in mentions if m.kind == "task" and elsewhere and m.start >= elsewhere.end() for v in m.values
    ]
    if (
        history
        and asks in (Asks.CONTENT, Asks.APPLIES, Asks.YES_NO)
        and language == "en"
        and not (units or areas or sections or set(named_tasks) - set(left_out))
        and ((topic and follow_up is None and _ANYTHING_ELSE.search(core)) or elsewhere)
    ):
        # "anything else in there for SMEs?" after an answer: the other tasks on that subject, as
        # "any other tasks for SMEs?" asks; "does blockchain come up anywhere else?", "does that
        # e-bill of lading piece show up anywhere besides the shipping task?": the same, of the
        # words before "anywhere" (those after it name the task to leave out)
        asks, every_task = Asks.TASKS, True
        if elsewhere:
            # ("come up", "show up": asking whether it appears, not about what)
            before = _TURNS_UP.sub(" ", core[: elsewhere.start()])
            topic = _topic(before, language) or topic
            tasks, follow_up = [], None
            earlier_tasks = left_out or earlier_tasks
    if (
        not every_task
        and follow_up is None
        and topic
        and asks in (Asks.WHERE, Asks.YES_NO, Asks.CONTENT, Asks.TASKS)
        and not (units or areas or sections or named_tasks)
        and _MENTIONED_WHERE.search(core)
        and len([part for part in _QUESTION_PARTS.split(core) if part.strip()]) == 1
    ):
        # "where does blockchain come up in the plan?", 方案有没有提到区块链: the places that say it
        # (one question: "where is the zone mentioned, and where will it be?" asks a place as well)
        asks, every_task = Asks.TASKS, True
    # "any other tasks on insurance?", "what else is there for SMEs?" after an answer: tasks other
    # than those the last answer gave
    other_than = (
        tuple(earlier_tasks)
        if every_task or (history and asks == Asks.TASKS and not named_tasks and _OTHER_THAN.search(core))
        else ()
    )
    if len(history or []) >= 2 and not named_tasks and (rest := _REMAINING.search(core)):
        # "Which two tasks is CAAC on?" "what's the first one about?" "and the other one?"; "the tasks
        # in section II?" "which of those list districts?" "and the remaining one?": of the list two
        # turns back, those the last turn was not about
        wider, _ = _previous_tasks((history or [])[:-1])
        remaining = [n for n in wider if n not in earlier_tasks]
        if earlier_tasks and set(earlier_tasks) < set(wider) and remaining:
            tasks = remaining if not rest.group("one") else remaining[:1]
            follow_up = FollowUp("pronoun", tuple(tasks), follow_up.previous_question if follow_up else "")
    if (
        len(history or []) == 1
        and set(named_tasks) <= set(earlier_tasks)  # ("the e-commerce one" may read as naming that task)
        and len(set(earlier_tasks)) == 2
        and (rest := _REMAINING.search(core))
        and rest.group("one")
    ):
        # "the ecommerce one makes sense. what's the other one about?" after two tasks: the one of
        # the two that the words before "the other one" do not describe
        # (the one sharing more of those words, "e-commerce" written either way; a tie describes neither)
        before = core[: rest.start()]
        said = _description_words(before.replace("-", ""), catalogue) | _description_words(before, catalogue)
        shared = {
            n: len(said & (content_words(e.text.replace("-", "")) | content_words(e.text)))
            for n in set(earlier_tasks)
            if (e := catalogue.task(n)) is not None
        }
        ranked = sorted(shared.values(), reverse=True)
        if len(ranked) == 2 and ranked[0] > ranked[1]:
            described = max(shared, key=lambda n: shared[n])
            other = next(n for n in earlier_tasks if n != described)
            tasks = [other]
            follow_up = FollowUp("pronoun", (other,), follow_up.previous_question if follow_up else earlier_question)
    if (
        history
        and (back := _BACK_TO.search(core))
        and len(set(named_tasks)) <= 1
        # ("back to AI - what does task 4 say about it?": the task it names, not the turn on AI)
        and not any(m.kind == "task" and m.start >= back.end("what") for m in mentions)
    ):
        # "going back to the reinsurance one, who runs it?": the task of an earlier turn whose text
        # has the words, most recent first; "going back to the first one": the first turn's
        first_turn = re.fullmatch(r"(?:very\s+)?(?:first|original|initial)", back.group("what").strip(), re.I)
        if first_turn:
            opening, _ = _previous_tasks(history[:1])
            earlier = opening[0] if opening else None
        else:
            earlier = _earlier_task_described(back.group("what"), history, catalogue)
        if earlier is not None:
            tasks = [earlier]
            follow_up = FollowUp("pronoun", (earlier,), follow_up.previous_question if follow_up else "")
    end_of_section = _END_OF_SECTION.search(core)
    if end_of_section and not named_tasks:
        # "the last task in that section", "the first one in section V": a place in a section's order.
        section = sections[0] if sections else _previous_section(history or [], catalogue) if history else None
        whole_plan = bool(end_of_section.group("plan"))  # "the last task of the plan"
        in_order = [e.task for e in catalogue.tasks if e.task is not None and (whole_plan or e.section == section)]
        if in_order:
            chosen = in_order[0] if end_of_section.group("first") or end_of_section.group("zh_first") else in_order[-1]
            tasks = [chosen]
            named_tasks = [chosen]  # asks about that task, not for the section's list
            if not sections and not whole_plan:
                previous = follow_up.previous_question if follow_up else earlier_question
                follow_up = FollowUp("ordinal", (chosen,), previous)
    if picked_from_list is not None:
        follow_up = FollowUp("pronoun", (picked_from_list,), earlier_question)  # ("… who else sits on it?")
    pointed = follow_up.tasks if follow_up is not None and follow_up.kind in ("pronoun", "bare") else ()
    if (
        not pointed
        and history
        and (
            _OTHER_TASKS.search(core)
            or (_ANYTHING_ELSE.search(core) and _same_names_as_before(units, areas, history, catalogue))
        )
    ):
        # "is X on any other task?", "anything else on Hongkou?": other than the last answer's
        pointed = tuple(earlier_tasks)
    set_text, set_mentions, set_topic = core, core_mentions, topic
    lead_in = _FRAMING_LEAD_IN.match(set_text)
    if lead_in:
        # "Continuing my Lingang vs Hongqiao comparison: which tasks have the Lingang people but not
        # the Hongqiao committee?": names of a lead-in that the question names again only frame it.
        asked = [m for m in set_mentions if m.start >= lead_in.end()]
        set_mentions = [
            m
            for m in set_mentions
            if m.start >= lead_in.end() or not any(_same_body_or_place(m, a, catalogue) for a in asked)
        ]
    bare_numbers = any(m.kind == "task" for m in mentions) and re.search(r"(?<![\w.])\d{1,2}(?![\w%])", core)
    names_before = [
        m for m in mentions if m.kind in ("unit", "area") and m.values not in {c.values for c in set_mentions}
    ]
    if core != text and (
        (
            not set_mentions
            and (_PRONOUN.search(core) or bare_numbers or _BESIDES.search(core) or _NAMED_BEFORE.search(core))
        )
        # "We deal with Customs a lot. Which of its tasks don't involve Lingang?"
        or (names_before and re.search(r"\b(?:its|their)\s+(?:\w+\s+)?tasks?\b", core, re.I))
        # "I work at the Hongqiao committee. In which sections do we have responsibilities?"
        or (
            names_before
            and not set_mentions
            and re.search(r"\b(?:we|our|us)\b", core, re.I)
            and re.search(
                r"\b(?:i|we)\s+(?:work|am|are|sit)\s+(?:at|for|in|with|on)\b|\bi'm\s+(?:at|with|from)\b", text, re.I
            )
        )
    ):
        # "… the Commerce Commission is not involved. Which tasks don't list it?": "it" is named before
        # ("Tasks 8 and 9 look alike. Which unit is on 8 but not on 9?": so are the numbers;
        # "Who else? I know about Public Security.": so are the names set aside)
        # (and the whole text's subject words decide whether it is a list question)
        set_text, set_mentions, set_topic = (
            text,
            mentions,
            _subject_words(stripped, text, language, mentions, catalogue),
        )
        if not _PRONOUN.search(core) and re.search(r"\b(?:we|our|us)\b", core, re.I):
            # ("I work at the Hongqiao committee and I'm preparing our workplan. In which sections do
            # we show up?": the sentence before says who "we" are; only the question's words narrow)
            set_topic = _subject_words(core, core, language, [], catalogue)
    asking_clause = re.split(r":\s+", set_text)[-1] if language == "en" else ""
    if asking_clause != set_text and core != set_text:
        asking_clause = core
    clause_start = set_text.rfind(asking_clause) if asking_clause else -1
    if (
        asking_clause
        and asking_clause != set_text
        and set_mentions
        # (no name of its own: the names already found, by where they stand, not a second search)
        and not any(clause_start <= m.start < clause_start + len(asking_clause) for m in set_mentions)
        and (_PRONOUN.search(asking_clause) or _NAMED_BEFORE.search(asking_clause))
    ):
        # "… the economy and IT commission (jingxinwei?) and the telecoms regulator, the communications
        # administration: which tasks do they share?": the words before the question describe the
        # names it points back to; only the question's own words can narrow the list.
        set_topic = _subject_words(asking_clause, asking_clause, language, [], catalogue)
    set_query = _set_query(
        set_text,
        asks,
        set_mentions,
        set_topic,
        tasks,
        catalogue,
        pointed,
        units_before=bool(history) and _previous_asks(history or []) == Asks.WHO,
        in_conversation=bool(history),
    )
    about = _SUBJECT_NAMED.search(core) if within and set_query is None and language == "en" else None
    if about:
        # "list all the tasks Customs is on" then "which of those are about e-commerce?": those whose
        # measures use the words, when some but not all do (as for "Customs tasks about e-commerce")
        named_phrases = _named_phrases(about)
        using = set(within) & catalogue.term_tasks("words", named_phrases)
        if using and using != set(within):
            listed = Mention("task", tuple(str(n) for n in within), 0, 0, "")
            words = Mention("words", named_phrases, about.start("words"), about.end(), "")
            set_query = SetQuery(terms=(listed, words), output="count" if asks == Asks.COUNT else "tasks")
            within = ()
    every = re.search(r"\b(?:all|every|each|both)\b", core, re.I)
    if (
        set_query is not None
        and set_query.output == "tasks"
        and asks == Asks.YES_NO
        and len(earlier_tasks) >= 2
        and not named_tasks
        and _PLURAL_PRONOUN.search(core)
        and all(t.kind != "task" or set(t.values) == set(map(str, earlier_tasks)) for t in set_query.terms)
        and (every or re.search(r"\b(?:any|some|one|either)\s+of\s+(?:them|those|these)\b", core, re.I))
    ):
        # "Which tasks is Customs on?" then "are they all in section II?": a yes or no about the earlier
        # list, checked task by task
        listed = Mention("task", tuple(str(n) for n in earlier_tasks), 0, 0, "")
        condition = tuple(t for t in set_query.terms if t.kind != "task")
        set_query = SetQuery(terms=(listed, *condition), op=set_query.op, output="all_of" if every else "any_of")
    if (
        set_query is None
        and earlier_list is not None
        and re.search(
            r"\b(?:outside|beyond|besides|apart from|other than|not in)\s+(?:that|this|the same)\s+(?:section|part)\b",
            core,
            re.I,
        )
        and any(t.kind == "section" and not t.negated for t in earlier_list.terms)
    ):
        # "Which tasks in section III list X?" then "any more outside that section?": the same list,
        # the section set aside
        outside = tuple(replace(t, negated=True) if t.kind == "section" else t for t in earlier_list.terms)
        set_query = replace(earlier_list, terms=outside)
        tasks = []
    if set_query is None and earlier_list is not None and named_tasks and _DROP.search(core):
        # "Which tasks involve Transport?" then "drop the one about expos, what's left?"
        dropped = Mention("task", tuple(str(n) for n in named_tasks), 0, 0, "", True)
        set_query = replace(earlier_list, terms=(*earlier_list.terms, dropped))
        tasks = []
    added = [m for m in mentions if m.kind in ("unit", "area")]
    if (
        earlier_list is not None
        and earlier_list.op == Op.AND
        and earlier_list.output in ("tasks", "count")
        and earlier_list.positive
        and added
        and not named_tasks
        and _ALL_NAMES_MET.search(core)
        and not {v for m in added for v in m.values} & {v for t in earlier_list.terms for v in t.values}
    ):
        # "which tasks do X and Y share?" then "add Z - which have all three?", 再加上Z，三家都在的: the
        # earlier list with one more name to meet (the union rule below needs "Z's tasks", "combined list")
        set_query = replace(earlier_list, terms=(*earlier_list.terms, *_mark(added, text)[0]))
        tasks = []
    if end_of_section and tasks and named_tasks == tasks:
        set_query = None  # "the last task in section II" is that task, not the section's list
    # the question proper: the asking sentence, or the last of two that ask ("… isn't on it, is it? which task is it on?")
    parts = re.split(r"(?<=[?？])\s+", core.strip())
    asked = parts[-1] if len(parts) > 1 and _OPENS_QUESTION.match(parts[-1]) else core
    if set_query is not None and text.endswith(asked) and asked != text and set_query.output in ("tasks", "count"):
        before_asked = len(text) - len(asked)
        named_terms = [t for t in set_query.terms if t.kind in ("unit", "area", "section") and t.start < before_asked]
        if named_terms and re.search(r"\b(?:neither|none)\s+of\s+(?:them|the two|those|these)\b", asked, re.I):
            # "… the commerce commission and SHEITC are everywhere. Any tasks where neither of them shows up?"
            set_query = replace(
                set_query, terms=tuple(replace(t, negated=True) if t in named_terms else t for t in set_query.terms)
            )
        elif (
            named_terms
            and not _NOT.search(asked)
            # ("Are there any tasks in which neither X nor Y is on? Which ones?": the first sentence asks the
            # list, the second only asks to see it)
            and not re.match(r"\W*(?:(?:are|is)\s+there\b|(?:which|what)\s+tasks?\b)", text[:before_asked], re.I)
            and not _ANY_TASK_WHERE.search(text[:before_asked])  # ("Under section IV, is there any task where …")
        ):
            # "the securities regulator isn't on that one, is it? which task is it on then?": a "not" in a
            # sentence before the question is no part of it
            set_query = replace(
                set_query, terms=tuple(replace(t, negated=False) if t in named_terms else t for t in set_query.terms)
            )
    if (
        set_query is not None
        and set_query.unit_count is None
        and all(t.kind in ("section", "unit", "area") for t in set_query.terms)
        and set_query.output in ("units", "tasks", "count")
        and (asks in (Asks.TASKS, Asks.COUNT) or re.search(r"\btasks?\b", core, re.I))
        and (condition := _unit_count_condition(core)) is not None
    ):
        # "which task in section VI has the most responsible units?": the named tasks, by their number of units
        set_query = replace(set_query, output="count" if asks == Asks.COUNT else "tasks", unit_count=condition)
    if (
        set_query is not None
        and set_query.output == "units"
        and set_query.terms
        and all(t.kind == "section" and not t.negated for t in set_query.terms)
        and not set_query.each_task  # ("on every single task of section II": not a count)
        and (on_tasks := _task_count_condition(core)) is not None
    ):
        # "which of section IV's units turn up in only one of its tasks?" (counted in the section), "…
        # in just one task in the whole plan" (counted everywhere)
        set_query = SetQuery(
            terms=set_query.terms,
            output="unit_tasks",
            unit_count=on_tasks,
            counted_in_plan=bool(_WHOLE_PLAN.search(core) or _NO_OTHER_TASK.search(core)),
        )
    if set_query is None and not tasks and all(_in_describing_aside(m, text) for m in mentions):
        condition = _unit_count_condition(core)
        if condition is not None:  # "which tasks have more than five responsible units?"
            output = "count" if asks == Asks.COUNT else "tasks"
            set_query = SetQuery(terms=(), output=output, unit_count=condition)
    if (
        set_query is None
        and follow_up is not None
        and len(tasks) >= 2
        and not mentions
        and (condition := _unit_count_condition(core)) is not None
    ):
        # "wat tasks r in section 2" then "which 1 has the most responsible units": of those tasks
        listed = Mention("task", tuple(str(n) for n in tasks), 0, 0, "")
        set_query = SetQuery(terms=(listed,), output="count" if asks == Asks.COUNT else "tasks", unit_count=condition)
        tasks = []
    if (
        set_query is None
        and follow_up is not None
        and follow_up.kind == "pronoun"
        and asks == Asks.TASKS
        and _previous_asks(history or []) == Asks.SECTION
        and not topic
    ):
        # "Which section covers X?" then "what tasks are in it?": "it" is the section.
        entry = catalogue.task(follow_up.tasks[0]) if follow_up.tasks else None
        if entry is not None:
            section = Mention("section", (entry.section,), 0, 0, "")
            # ("which other tasks are in it?": the task the section was asked of left out)
            named = Mention("task", (str(entry.task),), 0, 0, "", negated=True)
            set_query = SetQuery(terms=(section, named) if _OTHERS.search(core) else (section,), output="tasks")
    its_section = _ITS_SECTION.search(core) if len(tasks) == 1 else None
    # ("what's its section?" asks which section; "…, and which other tasks are in it?" its tasks too)
    lists_tasks = asks in (Asks.TASKS, Asks.COUNT) or bool(_LISTS_TASKS.search(core))
    if (
        set_query is None
        and its_section
        and lists_tasks
        # (the Chinese topic is pairs of characters, of the asking words too)
        and (language == "zh" or not topic - content_words(its_section.group(0)))
    ):
        # "Which section is the DEPA task in, and which other tasks are in that section?", "what else is
        # in task 16's section?": the tasks of the named task's section, from metadata
        entry = catalogue.task(tasks[0])
        if entry is not None and entry.section:
            section = Mention("section", (entry.section,), 0, 0, "")
            # ("the other tasks in that section": the named one left out)
            others = (Mention("task", (str(tasks[0]),), 0, 0, "", negated=True),) if _OTHERS.search(core) else ()
            set_query = SetQuery(terms=(section, *others), output="count" if asks == Asks.COUNT else "tasks")
    before = (history[-1].get("analysis") or {}) if history else {}
    if set_query is None and tasks and asks == Asks.WHO and not mentions and _BESIDES.search(core):
        # "Is Commerce on the Silk Road task?" then "anyone else?": that task's units, less the ones
        # the earlier question named (not after a list of the unit's tasks: one task is meant).
        named_before = [str(u) for u in before.get("units") or []]
        if earlier_list is not None and earlier_list.output == "tasks" and len(earlier_list.positive) == 1:
            # "Which tasks is Commerce on?" then "who else?": the units that share those tasks
            if earlier_list.positive[0].kind == "unit" and not earlier_list.negative:
                # ("who else is on both of them?": the partners on every one of those tasks)
                every = bool(_ALL_OF_THEM.search(core) or re.search(r"\b(?:in|on)\s+(?:each|every|all)\b", core, re.I))
                set_query = SetQuery(terms=tuple(earlier_list.positive), output="co_units", each_task=every)
        elif named_before and (not before.get("set_query") or before["set_query"].get("output") == "membership"):
            set_query = SetQuery(
                terms=(
                    Mention("task", tuple(str(n) for n in tasks[:1]), 0, 0, ""),
                    *(Mention("unit", (u,), 0, 0, "", True) for u in named_before),
                ),
                output="units",
            )
    if (
        set_query is None
        and history
        and (asks in (Asks.COUNT, Asks.TASKS) or _NARROW.search(core))
        and not mentions
        and (
            _THAT_SECTION.search(core)
            # ("which section covers X?" then "how many tasks under it?": the section just answered)
            or (
                (before.get("sections") or before.get("asks") == Asks.SECTION.value)
                and _IN_IT.search(core)
                and not topic
            )
        )
    ):
        # "how many tasks are in that section?" after a task: the section the earlier task is in;
        # "how many tasks are in it?", 里面有几条 after a question on a section: that section;
        # "how many of them fall under that section?", "only the ones in that section": the earlier
        # list's tasks there
        section = _previous_section(history, catalogue)
        if section:
            terms = [Mention("section", (section,), 0, 0, "")]
            if len(earlier_tasks) >= 2 and (_NARROW.search(core) or _PLURAL_PRONOUN.search(core)):
                terms.append(Mention("task", tuple(str(n) for n in earlier_tasks), 0, 0, ""))
            elif earlier_tasks and re.search(r"\bother\b|\belse\b|\bbesides\b|其他|其它|另外", core, re.I):
                # "what other tasks sit in the same section as that one?": less the one discussed
                terms.append(Mention("task", tuple(str(n) for n in earlier_tasks), 0, 0, "", True))
            set_query = SetQuery(terms=tuple(terms), output="count" if asks == Asks.COUNT else "tasks")
            tasks = []
    if (
        set_query is not None
        and history
        and set_query.output in ("tasks", "count")
        and _THAT_SECTION.search(core)
        and not any(t.kind == "section" for t in set_query.terms)
        and (section := _previous_section(history, catalogue))
    ):
        # "Which other tasks in that same section also list the Lin-gang committee?": in the section of
        # the task just discussed
        set_query = replace(set_query, terms=(*set_query.terms, Mention("section", (section,), 0, 0, "")))
    places = list(_LIST_BY_PLACE.finditer(core)) if set_query is None and len(history or []) >= 2 else []
    if len(places) == 2 and not mentions:
        # "which units are in the first list but not the second?": the answers of the conversation's
        # first and second turns, as the sets the question combines
        turns = [_previous_tasks((history or [])[: _ORDINAL_PLACE[p.group(1).lower()] + 1])[0] for p in places]
        if all(turns):
            terms = [
                Mention("task", tuple(str(n) for n in turn), p.start(), p.end(), p.group(0))
                for turn, p in zip(turns, places, strict=True)
            ]
            marked, op = _mark(terms, core)
            # (lists of units when the question says so, or when the turns it compares asked who)
            units_wanted = (
                asks == Asks.WHO
                or bool(_UNITS_WORD.search(core))
                or all(
                    _previous_asks((history or [])[: _ORDINAL_PLACE[p.group(1).lower()] + 1]) == Asks.WHO
                    for p in places
                )
            )
            if units_wanted:
                set_query = SetQuery(terms=tuple(marked), op=op, output="units")
            else:  # lists of tasks: the tasks of one less (or and) the other's
                set_query = SetQuery(terms=tuple(marked), op=op, output="count" if asks == Asks.COUNT else "tasks")
            tasks = []
    if (
        set_query is None
        and earlier_list is not None
        and asks == Asks.SECTION
        and not mentions
        and len(earlier_list.positive) == 1
        and not earlier_list.negative
        and earlier_list.positive[0].kind in ("unit", "area")
        and _PRONOUN.search(core)
        and _MISSING_FROM.search(core)
    ):
        # "which sections is the Hongqiao committee in?" then "which section is it missing from?": the
        # sections none of whose tasks name it
        set_query = SetQuery(terms=(replace(earlier_list.positive[0], negated=True),), output="section")
        tasks = []
    if set_query is None and history and not mentions and (asks == Asks.WHO or _UNITS_WORD.search(core)):
        shared_by = earlier_tasks
        two = re.search(r"\bboth\b|\b(?:the|those|these)\s+two\b|(?:这|那)?两(?:条|项|个任务)|二者|两者", core, re.I)
        if len(earlier_tasks) == 1 and len(history) >= 2 and two:
            # "the reinsurance task?" "and the fund pooling one?" "what units do both have in common?":
            # the task of each of the last two turns
            for back in range(len(history) - 1, 0, -1):  # the nearest earlier turn on another task
                before_that, _ = _previous_tasks(history[:back])
                if before_that and before_that[0] != earlier_tasks[0]:
                    shared_by = [before_that[0], earlier_tasks[0]]
                    break
        shared = re.search(r"\bin common\b|\bcommon to\b|\bshare[sd]?\b|共同|共有|重合|交集", core, re.I)
        ranked = _unit_count_condition(core) if len(shared_by) >= 2 else None
        if ranked is not None and ranked[0] in ("max", "min"):
            # "which of the two has the longer list of responsible units?": those tasks, ranked by
            # their number of units (not the units they share)
            named = Mention("task", tuple(str(n) for n in shared_by), 0, 0, "")
            set_query = SetQuery(terms=(named,), output="tasks", unit_count=ranked)
        elif (_ALL_OF_THEM.search(core) or two or shared) and len(shared_by) >= 2:
            # "which units are involved in all three?": the units every one of the earlier tasks has
            each = tuple(Mention("task", (str(n),), 0, 0, "") for n in shared_by)
            set_query = SetQuery(terms=each, op=Op.AND, output="units")
            if asks == Asks.COUNT and re.search(
                r"\b(?:different|distinct|unique|separate)\b|\bacross\b|\bin total\b|\baltogether\b|\bcombined\b",
                core,
                re.I,
            ):
                # "how many distinct units are there across all of them?": every unit of any, once
                set_query = SetQuery(terms=each, op=Op.OR, output="units", counted=True)
    if (
        set_query is None
        and history
        and not mentions
        and asks in (Asks.TASKS, Asks.COUNT)
        and _PLURAL_PRONOUN.search(core)
        and len(listed_units := _earlier_units_listed(history, catalogue)) >= 2
    ):
        # "Who is on task 22?" then "which other tasks have all three of them together?": the tasks
        # those units share ("which tasks are they on?": any of them), less the earlier task for "other"
        terms = [Mention("unit", (u,), 0, 0, "") for u in listed_units]
        if re.search(r"\bother\b|\belse\b|\bbesides\b", core, re.I) and earlier_tasks:
            terms.append(Mention("task", tuple(str(n) for n in earlier_tasks), 0, 0, "", True))
        every = bool(_AND_BOTH.search(core) or re.search(r"\ball\b|\bevery\b|\beach\b", core, re.I))
        output = "count" if asks == Asks.COUNT else "tasks"
        set_query = SetQuery(terms=tuple(terms), op=Op.AND if every else Op.OR, output=output)
    if (
        set_query is None
        and earlier_list is not None
        and earlier_list.output == "tasks"
        and _LISTED_FIRST.search(core)
        and (_OF_THOSE.search(core) or _PRONOUN.search(core))
    ):
        # "which of them is it listed first on?": the earlier list, where its unit comes first
        set_query = replace(earlier_list, first=True)
    if set_query is None and len(history or []) >= 2 and not mentions and _LISTS_DIFFER.search(core):
        # "Who is on task 8?" "And task 9?" "What's the difference between those two lists?": what
        # one of the last two answers has and the other does not
        turns = [_previous_tasks((history or [])[: len(history or []) - i])[0] for i in (1, 0)]
        if all(turns):
            each = tuple(Mention("task", tuple(str(n) for n in turn), 0, 0, "") for turn in turns)
            if asks == Asks.WHO or _UNITS_WORD.search(core) or _previous_asks(history or []) == Asks.WHO:
                set_query = SetQuery(terms=each, op=Op.XOR, output="units")
                tasks = []
    if (
        set_query is None
        and len(history or []) >= 2
        and not mentions
        and (_BOTH_LISTS.search(core) or _MERGED_LISTS.search(core))
        and asks != Asks.WHO
        and not _UNITS_WORD.search(core)
    ):
        # "Which tasks is the CAC on?", "and the Data Bureau?", then "so which ones appear on both
        # lists?": the tasks the last two list answers share ("merge the two lists": either's)
        lists = [_previous_set_query(history[: len(history) - i]) for i in (0, 1)]
        if all(q is not None and q.output in ("tasks", "count") for q in lists):
            combine = set.union if _MERGED_LISTS.search(core) else set.intersection
            shared = combine(*({e.task for e in catalogue.select(q)} for q in lists if q is not None))
            values = tuple(str(n) for n in sorted(t for t in shared if t is not None))
            set_query = SetQuery(
                terms=(Mention("task", values, 0, 0, ""),), output="count" if asks == Asks.COUNT else "tasks"
            )
            tasks = []
    if (
        set_query is None
        and earlier_list is not None
        and earlier_list.output in ("tasks", "count")
        and not mentions
        and not topic
        and len(earlier_list.terms) == 1
        and _PRONOUN.search(core)
        and _NOT.search(core)
        and not re.search(r"\b(?:of|among|from)\s+(?:those|these|them)\b|其中", core, re.I)
        and not _LISTED_FIRST.search(core)
        and not re.search(r"\blead\w*\b|牵头", core, re.I)
    ):
        # "What tasks is Commerce on?" then "which ones is it not on?": the same name, negated
        set_query = replace(
            earlier_list, terms=(replace(earlier_list.terms[0], negated=not earlier_list.terms[0].negated),)
        )
        tasks = []
    if (
        set_query is None
        and history
        and asks == Asks.COUNT
        and not mentions
        and not topic
        and not re.search(r"\btasks?\b|任务", core, re.I)
        and _previous_asks(history) == Asks.WHO
    ):
        # "Who is responsible for task 11?" then "how many is that?": the units just listed, counted
        if earlier_list is not None and earlier_list.output == "units":
            set_query = replace(earlier_list, counted=True)
        elif earlier_list is None and len(earlier_tasks) == 1:
            set_query = SetQuery(terms=(Mention("task", (str(earlier_tasks[0]),), 0, 0, ""),), output="unit_count")
    counted_noun = _COUNTED_NOUN.search(core) if asks == Asks.COUNT else None
    if (
        set_query is None
        and history
        and not mentions
        and counted_noun
        and _SECTIONS_COUNTED.search(counted_noun.group(1))
        and len(earlier_tasks) >= 2
        and (_PLURAL_PRONOUN.search(core) or not topic)
    ):
        # "how many different sections do those fall in?": the sections of the earlier tasks, counted
        listed = earlier_list if earlier_list is not None and earlier_list.output == "tasks" else None
        terms = listed.terms if listed else (Mention("task", tuple(str(n) for n in earlier_tasks), 0, 0, ""),)
        set_query = SetQuery(terms=terms, op=listed.op if listed else Op.AND, output="section", counted=True)
        tasks = []
    if set_query is None and history and asks == Asks.COUNT and not mentions and len(topic) <= 1:
        # "How many is that?", 一共几项: the count of the earlier list question's tasks.
        if earlier_list is not None and earlier_list.output == "tasks":
            set_query = replace(earlier_list, output="count")
            tasks = []
    facet_terms = [m for m in mentions if m.kind in ("unit", "area", "section")]
    if (
        earlier_list is not None
        and earlier_list.output in ("tasks", "count")
        and facet_terms
        and not named_tasks
        and re.match(r"\W*(?:and\s+|ok\s+|so\s+)?(?:only|just)\b", core, re.I)
        and (len(core) <= 20 if language == "zh" else len(core.split()) <= 8)
        and not {v for m in facet_terms for v in m.values} & {v for t in earlier_list.terms for v in t.values}
    ):
        # "What tasks is Commerce on?" then "only section V ones": the earlier list, narrowed
        set_query = replace(earlier_list, terms=(*earlier_list.terms, *_mark(facet_terms, text)[0]))
        tasks = []
    elif (
        history
        and facet_terms
        and not named_tasks
        and (_FACET.search(core) or _SAME.search(core))
        and not _OF_THOSE.search(core)  # "and of those, which …" narrows the list, it does not swap a name
        and (len(core) <= 20 if language == "zh" else len(core.split()) <= 8)
        and len(topic) <= 1
    ):
        # "What about section VI?" after "which of Pudong's tasks are in section I?": the earlier
        # list question, asked with this name in place of the one of the same kind (unless this
        # question asks for something else: "and how many does Customs have?").
        if earlier_list is not None and not any(t.kind == "area" for t in earlier_list.terms):
            # "how about for Hongqiao" after a list of Lin-gang's committee's tasks: the place's committee
            facet_terms = [
                replace(m, kind="unit", values=tuple(units))
                if m.kind == "area" and (units := _governing_units(m.values, catalogue))
                else m
                for m in facet_terms
            ]
        swapped = _swap_terms(earlier_list, _mark(facet_terms, text)[0])
        if swapped is not None and (set_query is None or set_query.output == swapped.output):
            set_query = swapped
    if (
        set_query is None
        and earlier_list is not None
        and earlier_list.output in ("tasks", "count")
        and not mentions
        and (any(t.kind == "section" for t in earlier_list.terms) or earlier_list.within)
        and _WHOLE_PLAN.search(core)
        and len(core.split()) <= 8
    ):
        # "X's tasks in section III?" then "and across the whole plan?": the same list, everywhere
        wider = tuple(t for t in earlier_list.terms if t.kind != "section")
        if wider:
            output = "count" if asks == Asks.COUNT else earlier_list.output
            set_query = replace(earlier_list, terms=wider, within=(), output=output)
            tasks = []
    if (
        set_query is not None
        and set_query.output in ("tasks", "count")
        and not any(t.kind in ("section", "task") for t in set_query.terms)
        and _previous_asks(history or []) == Asks.SECTION
        and re.search(r"\b(?:of|among|in|within|under)\s+its\b|\bits\s+(?:tasks|ones)\b", core, re.I)
        and (section := _previous_section(history or [], catalogue))
    ):
        # "which section covers X?" then "which of its tasks involve the Lingang committee?": in that section
        set_query = replace(set_query, terms=(*set_query.terms, Mention("section", (section,), 0, 0, "")))
    added = _ADDED_TO_LIST.search(core) if history else None
    outside = [m for m in facet_terms if m.kind in ("unit", "area")]
    if added and outside and not named_tasks:
        # "Transport's tasks?" … "if I also throw in CAAC's own tasks, does the combined list get
        # longer?": the nearest earlier list question without that name, and the name's tasks
        turns = history or []
        for back in range(len(turns), 0, -1):
            earlier = _previous_set_query(turns[:back])
            if earlier is None or earlier.output not in ("tasks", "count"):
                continue
            if any(t.values == m.values for t in earlier.terms for m in outside):
                continue
            listed = tuple(str(e.task) for e in catalogue.select(earlier))
            set_query = SetQuery(
                terms=(Mention("task", listed, 0, 0, ""), *outside),
                op=Op.OR,
                output="count" if asks == Asks.COUNT else "tasks",
            )
            tasks = []
            break
    same_as = _SAME_AS_TURN.search(core) if history else None
    if same_as and facet_terms and not named_tasks:
        # "same as my first question but for the tax service": that turn's list question, this name
        # in place of the one of its kind
        first = re.match(r"(?:very\s+)?(?:first|original|initial)", same_as.group("which") or "first", re.I)
        turn_list = _previous_set_query((history or [])[:1] if first else (history or []))
        swapped = _swap_terms(turn_list, facet_terms)
        if swapped is not None:
            set_query = swapped
            tasks = []
    task_facet = [m for m in mentions if m.kind == "task"]
    if (
        set_query is None
        and earlier_list is not None
        and earlier_list.output in ("unit_count", "units", "membership")
        and task_facet
        and len(mentions) == len(task_facet)
        and (_FACET.search(core) or _SAME.search(core))
        and len(core.split()) <= 8
        and not topic
    ):
        # "How many units are on task 11?" then "and for task 19?": the same question of that task
        set_query = _swap_terms(earlier_list, task_facet)
    if core != text:  # the names of the asking sentence, at its own offsets
        facet_terms = [m for m in core_mentions if m.kind in ("unit", "area", "section")]
    previous_query = earlier_list if facet_terms and not named_tasks else None
    if (
        previous_query is not None
        and len(topic - _FOLLOW_UP_CUE_WORDS) <= 1
        and previous_query.output in ("tasks", "count")
    ):
        outgoing = [m for m in facet_terms if _SWAP_OUT.search(core[: m.start])]
        if outgoing:
            # "What about Transport instead of Customs?", "swap Pudong for Hongqiao": the earlier
            # list question with the one name exchanged for the other.
            swapped = _exchange_terms(previous_query, outgoing, [m for m in facet_terms if m not in outgoing])
            set_query = swapped or set_query
        elif _NARROW.search(core):
            # "only the ones in section VI", "just those Customs is on": the earlier list, narrowed
            # (an "X or Y" list by its tasks, as the terms of one query combine one way).
            marked_terms, _ = _mark(facet_terms, core)  # ("of those, which do not also name Customs?")
            if _DROP.search(core):
                marked_terms = [replace(m, negated=True) for m in marked_terms]
            kept = previous_query.terms
            if any(m.kind == "section" for m in marked_terms):
                # ("which of those are in section III?" then "only the ones outside sections III and
                # VI?": the new condition on sections takes the place of the old one)
                kept = tuple(t for t in kept if t.kind != "section")
            if previous_query.op == Op.AND:
                set_query = replace(previous_query, terms=kept + tuple(marked_terms))
            else:
                listed = tuple(str(e.task) for e in catalogue.select(previous_query))
                set_query = SetQuery(
                    terms=(Mention("task", listed, 0, 0, ""), *marked_terms), output=previous_query.output
                )
    if (
        previous_query is not None
        and previous_query.output in ("tasks", "count", "section")
        and _FACET.search(core)
        and len(core.split()) <= 12
        and len(topic - _FOLLOW_UP_CUE_WORDS) <= 1
        and not _NARROW.search(core)
        and not any(_SWAP_OUT.search(core[: m.start]) for m in facet_terms)
        and (set_query is None or len(set_query.terms) == len(facet_terms))
    ):
        # "Which tasks in section I is SHEITC on?" then "and STCSM in that same section?": the earlier
        # list with the new name in place of the one of its kind; a name of a kind it did not have
        # narrows it ("sections of the Hongqiao committee?" then "and in section III, which tasks?")
        facet_terms = _mark(facet_terms, core)[0]  # ("what about those with Hongqiao but without Customs?")
        same_kind = [m for m in facet_terms if any(t.kind == m.kind for t in previous_query.terms)]
        swapped = _swap_terms(previous_query, same_kind) if same_kind else previous_query
        if swapped is not None:
            added = [m for m in facet_terms if m not in same_kind]
            output = swapped.output
            if output == "section" and asks == Asks.TASKS:
                output = "tasks"
            elif asks == Asks.COUNT:
                output = "count"
            set_query = replace(swapped, terms=swapped.terms + tuple(added), output=output)
    if (
        set_query is None
        and asks == Asks.COUNT
        and earlier_list is not None
        and earlier_list.output in ("tasks", "count")
        and facet_terms
        and len(facet_terms) == len(mentions)
        and all(m.kind in ("unit", "area") for m in facet_terms)
        and len(topic - _FOLLOW_UP_CUE_WORDS) <= 1
    ):
        # "Lin-gang's tasks?", "which of them are in section II?", then "so how many overall for
        # lingang?": the name's tasks counted, in the earlier sections unless the whole plan is asked
        names = [
            replace(m, kind="unit", values=tuple(units))
            if m.kind == "area"
            and any(t.kind == "unit" for t in earlier_list.terms)
            and (units := _governing_units(m.values, catalogue))
            else m
            for m in facet_terms
        ]
        whole = re.search(r"\b(?:overall|in total|altogether|in all|whole|entire)\b", core, re.I)
        kept = () if whole else tuple(t for t in earlier_list.terms if t.kind == "section")
        set_query = SetQuery(terms=(*kept, *names), output="count")
    if (
        (set_query is None or set_query.output in ("count", "tasks"))
        and not tasks
        and _UNIT_RANKING.search(core)
        and (asks == Asks.WHO or _UNITS_WORD.search(core))
        and all(m.kind == "unit" for m in mentions)
        # ("which of Customs, the PBOC and the data bureau has the most tasks?" ranks those named, below)
        and (len(mentions) < 2 or _SET_ASIDE.search(core) or _RANKED_AFTER.search(core))
    ):
        # "Leaving Commerce aside, which unit is on the most tasks?": a unit named with a cue that sets
        # it aside is left out; "is Commerce the unit with the most tasks?" ranks them all.
        aside = bool(_SET_ASIDE.search(core) or _RANKED_AFTER.search(core))
        named = tuple(replace(m, negated=True) for m in mentions) if aside else ()
        fewest = bool(_FEWEST.search(core))
        if not mentions and _SECOND_PLACE.search(core):
            # "which unit is on the second most tasks?": the first place is left out
            ranking = catalogue.tasks_per_unit()
            if fewest:
                ranking.reverse()
            first = [u for u, es in ranking if len(es) == len(ranking[0][1])] if ranking else []
            named = tuple(Mention("unit", (u,), 0, 0, "", True) for u in first)
        places = next((n for n, pattern in _PLACES_ASKED if pattern.search(core)), 1)
        set_query = SetQuery(terms=named, output="unit_ranking", fewest=fewest, places=places)
    compared = [m for m in mentions if m.kind in ("unit", "area")]
    if (
        (set_query is None or set_query.output in ("count", "tasks"))
        and not tasks
        and len(compared) >= 2
        and len(compared) == len(mentions)
        and (_MORE_TASKS.search(core) or (_UNIT_RANKING.search(core) and not _SET_ASIDE.search(core)))
        and (asks != Asks.COUNT or len(compared) == 2)
    ):
        # "Who has more tasks, Pudong or Lingang?": the named units ranked by their tasks (a place by
        # the body that governs it)
        as_units = [
            replace(m, kind="unit", values=tuple(_governing_units(m.values, catalogue))) if m.kind == "area" else m
            for m in compared
        ]
        if all(m.values for m in as_units):
            fewer = bool(re.search(r"\b(?:fewer|less)\b", core, re.I))
            # ("how many more tasks is Customs on than the PBOC?": the difference, counted)
            set_query = SetQuery(terms=tuple(as_units), output="unit_ranking", fewest=fewer, counted=asks == Asks.COUNT)
    if set_query is None and not tasks and not mentions and (asks == Asks.WHO or _UNITS_WORD.search(core)):
        on_tasks = _task_count_condition(core)
        if on_tasks is not None:  # "which units are on just a single task?", 只负责一项任务的单位
            set_query = SetQuery(
                terms=(), output="unit_tasks", unit_count=on_tasks, first=bool(_LISTED_FIRST.search(core))
            )
    described = _ABOUT.search(core) if asks == Asks.SECTION and not (mentions or tasks or set_query) else None
    section_about = _section_described(described.group("words"), catalogue, margin=2) if described else None
    if section_about:
        # "Which section is about innovating trade in services – shipping, finance, aviation?": the
        # section its title and its tasks' titles describe, not the section of one task that matches
        sections = [section_about]
        set_query = SetQuery(terms=(Mention("section", (section_about,), 0, 0, ""),), output="section")
    if (
        asks == Asks.SECTION
        and set_query is None
        and not tasks
        and (_SUPERLATIVE.search(core) or not (mentions or topic or first_person))
    ):
        # "which section has the most tasks?"; "what are the six sections?" (all of them, with their tasks)
        set_query = SetQuery(terms=(), output="section_counts", fewest=bool(_FEWEST.search(core)))
    in_all = bool(re.search(r"\bin total\b|\baltogether\b|\bin (?:the|this) (?:whole )?plan\b|总共|一共", core, re.I))
    if (
        asks == Asks.COUNT
        and not set_query
        and not (units or areas or sections or named_tasks)
        and (not tasks or in_all)
    ):
        tasks = []  # ("how many tasks are there in total?" after a question on one task: all of them)
        if re.search(r"\bsections?\b|\bparts\b|\bchapters\b|部分", core, re.I):
            set_query = SetQuery(terms=(), output="section_counts")  # "how many sections does the plan have?"
        elif not topic:
            set_query = SetQuery(terms=(), output="count")  # "how many tasks are there?"

    plan_terms = _plan_terms(stripped) if language == "zh" else []
    if language == "zh":
        # (a Chinese question's phrases are its plan terms' English wording, and the English it writes
        # itself, "临港 data center 外资独资", side by side)
        written = re.findall(r"[A-Za-z][A-Za-z'-]*(?:\s+[A-Za-z][A-Za-z'-]*)+", stripped)
        phrases = set().union(*(word_pairs(term) for term in [*plan_terms, *written]))
    analysis = QuestionAnalysis(
        text=text,
        language=language,
        asks=asks,
        tasks=tasks,
        missing_tasks=missing,
        sections=sections,
        units=units,
        areas=areas,
        other_places=others,
        documents=documents_named(text, catalogue),
        mentions=mentions,
        set_query=set_query,
        follow_up=follow_up,
        topic_words=topic,
        topic_phrases=phrases,
        typos=catalogue.respellings(text) if language == "en" else {},
        within_tasks=within,
        every_task=every_task,
        other_than=other_than,
        conversation_tasks=() if _NEW_TOPIC.match(text) or others else _conversation_tasks(history or []),
        in_conversation=bool(history),
        search_query=search_query,
        own_query=own_query,
        plan_terms=plan_terms,
        lexical_query=subject_words(search_query),
        activities=activity_clauses(stripped) if first_person or enterprise_described or asks == Asks.APPLIES else [],
        first_person=first_person,
        described_enterprise=enterprise_described,
        wants_units=asks == Asks.WHO,
        focus_noun=focus,
        asking_sentence=core,
        also_asks=_also_asks(text, asks) if language == "en" else (),
        # ("answer in Chinese" asks the language of the answer, not the plan's Chinese wording)
        wants_chinese_text=bool(IN_CHINESE.search(text)) and not _ANSWER_LANGUAGE.search(text),
    )
    # (only a message with a word of issuing can ask the document's details: the others are not
    # analysed again part by part)
    if _ISSUING.search(text) and len(parts := question_parts(text)) == 2:
        analysis = replace(analysis, parts=_details_and_another(parts, catalogue, history or []))
    return analysis


# A part of a message that asks something (not "Thanks!", "Sorry!", "I need it for a report.")
_ASKS_SOMETHING = re.compile(
    r"^\W*(?:(?:and|but|so|also|or|then|plus|ok|okay)\W+)?(?:who|whom|whose|what|what's|when|where|which|how|why|is|are|was|were|does|do|did|can|could"
    r"|will|would|should|has|have)\b|吗|呢|什么|哪|谁|多少|几",
    re.I,
)


# A clause that is itself the question put to the plan ("is that supported?", "which tasks fit us?",
# 方案里哪些条款适用): a word that asks, then (English) the one asked about, not an activity's verb
# ("do cross-border payments" describes; "do we qualify" asks).
_ASKING_CLAUSE = re.compile(
    r"^\W*(?:(?:and|but|so|also|or|then|basically|now)\W+)?(?:(?:who|whom|whose|what|what's|when|where|which|how|why)\b"
    r"|(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have|any)\s+(?:there|it|this|that|these|those|we|i|you|they|our|my|the|anything|any|a|an)\b)"
    r"|[吗呢]\s*$|哪些|哪个|哪几|哪条|哪项|什么|是否|有没有|能否|可否",
    re.I,
)


def is_asking_clause(clause: str) -> bool:
    """Whether a clause of a message asks something rather than says what the enterprise does."""
    return bool(_ASKING_CLAUSE.search(clause.strip()))


def question_parts(text: str) -> list[str]:
    """The questions a message asks one after another ("When was the plan issued, and who leads it?"
    is two); a message that asks one thing is one part, whatever it says around it."""
    pieces = [part.strip() for part in _QUESTION_PARTS.split(text) if part.strip()]
    return [part for part in pieces if _ASKS_SOMETHING.search(part)] or [text]


def _details_and_another(
    parts: list[str], catalogue: TaskCatalogue, history: list[dict]
) -> tuple[QuestionAnalysis, ...]:
    """Both questions of a two-question message when one of them asks the document's own details
    (which come from its metadata, so they cannot share one search with the other); else ()."""
    first = analyse(parts[0], catalogue, history)
    turn = {"question": parts[0], "analysis": first.to_json(), "citations": []}
    second_text, earlier = parts[1], [*history, turn]
    plan = _THE_PLAN.search(parts[0])
    if plan and not _THE_PLAN.search(second_text):
        # The second question's subject is the plan the first one named: in Chinese it is left out
        # (方案是什么时候印发的？由哪个部门牵头实施？), in English it is "it" ("Who leads the plan? When
        # was it issued?"), which alone would point at the earlier answer's passage
        if is_chinese(second_text):
            second_text = plan.group(0) + second_text
        else:
            second_text = re.sub(
                r"\b(?:it|its)\b",
                lambda m: "the plan's" if m.group(0).lower() == "its" else "the plan",
                second_text,
                count=1,
                flags=re.I,
            )
        if _THE_PLAN.search(second_text):
            earlier = []  # (it names its subject now: not a follow-up on an earlier turn's task)
    second = analyse(second_text, catalogue, earlier)
    if bool(first.document_fact) == bool(second.document_fact):
        return ()  # (neither, or both: one analysis of the whole serves)
    if not all(
        part.document_fact or part.topic_words or part.wants_plan_lead or part.tasks or part.units or part.areas
        for part in (first, second)
    ):
        # ("Who issued the plan, and when?", "… and when was that?": one more fact of the same
        # subject, which the details answer gives, not a question of its own)
        return ()
    return (first, second)


# Where a question asks a second thing: after "?" (a Chinese "？" is one once normalised), or ", and
# what/when/…" ("who drafts it, and what's the deadline?"); each part that asks on its own
# (question_parts, _also_asks).
_QUESTION_PARTS = re.compile(
    r"[?!]\s*|(?:[,;:]|\s[-–—])\s*(?:and\s+|but\s+|also\s+|plus\s+)?(?=(?:what|what's|when|which|who|how|where|by when|is there|are there)\b)"
    r"|\s+and\s+(?=(?:what|what's|when|who|by when|how much|at which|which office|to whom)\b)",
    re.I,
)
# The kinds of fact checked against the evidence, each in its unmistakable form: a question part
# must name the date, the sum or the procedure it asks for.
_PART_ASKS = {
    Asks.WHEN: re.compile(
        r"\bwhen\b|\bdates?\b|\bdeadline\b|\btime ?line\b|\btime ?table\b|\bwhich (?:month|year|day|quarter)\b"
        r"|\bhow long\b",  # (a duration: "how long does the approval take?")
        re.I,
    ),
    Asks.AMOUNT: re.compile(
        r"\bhow much\b|\bwhat(?:'s)?\b[^?]{0,30}\b(?:percentage|percent|rate|amount|share|fee|cost|budget|price|sum)s?\b",
        re.I,
    ),
    Asks.HOW_TO: re.compile(r".", re.S),  # (its own patterns are specific already)
}


# What "how many" counts: the words after it, up to a verb or preposition ("how many years of tax
# records", "how many Customs tasks are there")
_COUNTED_NOUN = re.compile(
    # ("in how many of the plan's sections …": what is counted after "of the")
    r"\bhow many\s+(?:of\s+(?:the\s+)?(?:plan's\s+|its\s+|their\s+)?(?=(?:[\w&'-]+\s+){0,2}?(?:sections?|parts?|chapters?|tasks?|units?)\b))?"
    r"((?:[\w&'-]+\s+){0,4}?)(?=(?:of|in|on|do|does|did|are|is|were|have|has|can|will|would|should"
    r"|across|for|under|within|there|involve|list|name|mention)\b|[?,.;:]|$)",
    re.I,
)
# "how many (different) sections": what is counted is sections
_SECTIONS_COUNTED = re.compile(r"\b(?:sections?|parts?|chapters?)\s*$", re.I)
_ASKING_START = re.compile(
    r"\W*(?:and\s+|but\s+|also\s+|so\s+)?(?:what|what's|when|which|who|how|where|by when|is there|are there|do|does|can"
    r"|at which|to whom)\b",
    re.I,
)


def _unit_listed_last(text: str, terms: list[Mention]) -> bool:
    """Whether a named unit is what the question says is listed last ("tasks that put the data
    bureau at the very end of the list", "which tasks list Pudong last"); "which task is listed
    last in section II" asks about the order of tasks."""
    units = [t for t in terms if t.kind == "unit" and not t.negated]
    if re.search(r"\blists?\s+(?:\S+\s+){1,6}?last\b", text, re.I) and units:
        return True
    for match in _LISTED_LAST.finditer(text):
        for unit in units:
            between = text[unit.end : match.start()]
            if 0 <= match.start() - unit.end <= 40 and not re.search(r"\bwhich\b|\btasks?\b", between, re.I):
                return True
    return False


def _also_asks(text: str, asks: Asks) -> tuple[Asks, ...]:
    """The checkable kinds of fact (a date, a sum, a procedure) that parts of ``text`` other than
    the main ask ask for."""
    found: list[Asks] = []
    for part in _QUESTION_PARTS.split(text):
        if not _ASKING_START.match(part):
            continue  # a statement: "We ship by air."
        if re.search(
            r"\b(?:the|this)\s+(?:plan|document)\b(?:'s)?\s*(?:dated|date|issued|published)?\s*[?.!]*$", part, re.I
        ):
            continue  # "… and what is the date of the plan?": the document's own date, not the measure's
        kind = detect_asks(part)
        if kind in _PART_ASKS and kind != asks and _PART_ASKS[kind].search(part) and kind not in found:
            found.append(kind)
    return tuple(found)


# The plan's wording asked for in Chinese ("the Chinese wording", "its title in Chinese?", 中文原文):
# the language of the answer wanted, not a subject ("Chinese customers", "in Chinese cities" are one).
IN_CHINESE = re.compile(
    r"\b(?:in|into)\s+(?:chinese|mandarin)\b(?=\s*(?:$|[?.!,;]|wording|text|words|characters|too|as well))"
    r"|\b(?:chinese|mandarin)\s+(?:original|wording|text|version|title|name|translation)s?(?=\s+(?:of|for)\b|\s*(?:$|[?.!,;]))"
    r"|\boriginal\s+chinese\b"
    r"|中文(?:原文|版|标题|表述|名称|全文|说法|叫法|文本|措辞|怎么说)|(?:原文|标题|名称|条文)的?中文",
    re.I,
)


# A turn that only asks for the same in Chinese ("and in Chinese?", "what about the Chinese wording?", 中文呢)
_ONLY_IN_CHINESE = re.compile(
    r"\W*(?:(?:and|so|what about|how about|same)\s+)?(?:(?:in|into)\s+chinese(?:\s+wording)?"
    r"|(?:the\s+)?chinese\s+(?:wording|version|text|title|original))\s*(?:please|too)?\W*"
    r"|\W*那?(?:用)?中文(?:原文|版本?|表述)?(?:呢|是什么)?\W*",
    re.I,
)
_ANSWER_LANGUAGE = re.compile(r"\b(?:answer|reply|respond|write|explain|talk|speak)\b|用中文(?:回答|回复|说)", re.I)


def _subject_words(
    subject_text: str, text: str, language: str, mentions: list[Mention], catalogue: TaskCatalogue
) -> set[str]:
    """The topic words of ``subject_text`` (the question less its names), less words that only
    say how it is asked or name the document."""
    subject_text = _FRAMING_LEAD_IN.sub(" ", subject_text)
    subject_text = IN_CHINESE.sub(" ", subject_text)
    if switched := _NEW_TOPIC.match(subject_text):
        subject_text = subject_text[switched.end() :]  # ("different question -" says how, not what about)
    if back := _BACK_TO.search(subject_text):
        # ("going back to the bit about lab samples": "going back" says where in the chat, not what about)
        subject_text = f"{subject_text[: back.start()]} {back.group('what')} {subject_text[back.end('what') :]}"
    # ("does it come up anywhere?": whether it appears, not what about)
    subject_text = _TURNS_UP.sub(" ", subject_text)
    topic = _topic(subject_text, language)
    # An adverb in -ly that no task uses as written says how, not what ("more easily", "entirely"
    # though "entire" is a task word); a word in -ly the tasks do use ("only", "supply") stays.
    topic -= {
        w
        for adverb in re.findall(r"\b[a-z]{3,}ly\b", subject_text.lower())
        if adverb not in catalogue.surface_words
        for w in content_words(adverb)
    }
    # "section II (digital ordering trade)": a named section's own title words are not a topic.
    topic -= {w for m in mentions if m.kind == "section" for v in m.values for w in content_words(v)}
    # "the digital trade / services plan": words of the plan's own title that name the document
    plan_title = content_words(" ".join({e.doc_title for e in catalogue.tasks if e.doc_title}))
    for named_plan in _PLAN_BY_TITLE.finditer(text):
        if (words := content_words(named_plan.group("words"))) <= plan_title:
            topic -= words
    # "hm", "ok", "pls": a word of two letters, or one without a vowel, that no task uses is a
    # sound or a shorthand of the asking, not a subject.
    topic -= {
        w
        for w in topic
        if (len(w) <= 2 or not re.search(r"[aeiouy]", w))
        and re.fullmatch(r"[a-z]+", w)
        and not catalogue.task_frequency.get(w)
    }
    return topic


def retrieval_text(text: str, catalogue: TaskCatalogue, mentions: list[Mention] | None = None) -> str:
    """``text`` as retrieval should read it, in the documents' own words.

    The corpus is English: in Chinese text the names of units and places become their English
    names, and the plan's own terms it uses are added in the plan's English wording
    (assistant/data/names.json), so BM25 can match them too. An acronym the documents only spell
    out ("WAIC") is followed by their name for it.
    """
    if is_chinese(text):
        mentions = find_mentions(text, catalogue) if mentions is None else mentions
        for mention in sorted(mentions, key=lambda m: -m.start):
            if mention.kind in ("unit", "area") and _CJK.search(mention.surface):
                text = f"{text[: mention.start]} {' / '.join(mention.values)} {text[mention.end :]}"
        glosses = _plan_terms(text) + catalogue.spelled_out(text)
        # ("方案里关于港口是怎么说的": the frame of asking dilutes a short subject's embedding)
        text = _ZH_FRAME_TAIL.sub("", _ZH_FRAME_LEAD.sub("", text)).strip() or text
    else:
        text = _CHAT_LEAD.sub("", text) or text  # ("ok, and anything on AI?": the words that carry meaning)
        # ("any for data centres specifically?": "specifically" would match the one task that says "specific")
        text = re.sub(r"\s{2,}", " ", _SCOPE_ADVERBIAL.sub(" ", text)).strip() or text
        if (switched := _NEW_TOPIC.match(text)) and text[switched.end() :].strip():
            text = text[switched.end() :].lstrip(" -–—,:;.")  # ("different question - …")
        # (a typo of the documents' word, "reinsurnace": BM25 matches only the word as they write it)
        glosses = catalogue.spelled_out(text) + catalogue.respelled(text)
        # (a common abbreviation the documents write out: "R&D")
        glosses += [
            full for short, full in _WRITTEN_OUT.items() if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text, re.I)
        ]
    return f"{text} ({'; '.join(glosses)})" if glosses else text


# How a Chinese question frames its subject: "（请问）方案里（有没有）关于…", "…是怎么说的"
_ZH_FRAME_LEAD = re.compile(r"^\s*(?:请问)?(?:这个|本)?(?:方案|计划|文件)(?:里面|里|中|当中)?(?:有没有|是否)?关于")
_ZH_FRAME_TAIL = re.compile(r"(?:是)?怎么(?:说|讲|写)的?[？?]?\s*$")
# Abbreviations added to the search only, not written out in the analysed text as _ABBREVIATIONS are:
# "which R&D materials" must keep its counted noun next to "which" ("materials")
_WRITTEN_OUT = {"r&d": "research and development"}
# A conversational lead before a question ("Alright, and …", "ok so …", "Thanks! Also,"): it says
# nothing about the subject, and a short question's embedding is diluted by it.
_CHAT_LEAD = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|alright|all right|right|cool|great|thanks|thank you|got it|i see|hmm+|well|oh|ah|hi|hello|hey"
    r"|perfect|nice|understood|sure)\s*[,.!:;-]+\s*|(?:ok(?:ay)?|alright)\s+)+(?:(?:and|so|also|then)\s+)?",
    re.I,
)


# "the plan", "this implementation plan", 本方案 / 实施方案: the question asks about the plan itself.
_PLAN_BY_TITLE = re.compile(r"\b(?:the|this|that|your)\s+(?P<words>(?:[\w/&-]+\s+){1,6}?)plan\b", re.I)
_PLAN_NAMED = re.compile(r"\b(?:the|this|that|your)\s+(?:implementation\s+|action\s+)?plan(?:'s)?\b|方案", re.I)
# What people call a policy document other than the plan.
_DOCUMENT_NOUN = re.compile(
    r"\b(?:measures|notice|circular|rules|regulations?|opinions|guidelines?|policy|announcement|document)\b"
    r"|办法|通知|细则|规定|意见|公告|指引",
    re.I,
)
# Title words that name no particular document: every Shanghai notice has them.
_GENERIC_TITLE_WORDS = content_words(
    "Shanghai municipal municipality city special area new district measures notice circular rules regulations "
    "opinions guidelines policy announcement document implementation supporting support promoting several"
)


def documents_named(text: str, catalogue: TaskCatalogue) -> list[str]:
    """The documents a question names: "plan", or other documents by at least two words of their title."""
    named = ["plan"] if _PLAN_NAMED.search(text) else []
    if not _DOCUMENT_NOUN.search(text):
        return named
    words = content_words(text)
    for source, title in catalogue.documents().items():
        if len((content_words(title) - _GENERIC_TITLE_WORDS) & words) >= 2:
            named.append(source)
    return named


def subject_words(text: str) -> str:
    """The words of ``text`` that name its subject: every word whose stem is not question language."""
    kept = [
        w
        for w in re.findall(r"[A-Za-z0-9][A-Za-z0-9'’&-]*|[\u3400-\u9fff]+", text)
        if _CJK.search(w) or content_words(w) - _ASKING_WORDS
    ]
    return " ".join(kept)


# "Need for a memo: …", "Quick one, on deadline: …": a few words that frame the message before a
# colon or dash; they neither ask nor name the subject.
_FRAMING_LEAD_IN = re.compile(
    r"^\W*(?![^:—–?]*?\b(?:who|whom|what|which|when|where|why|how|is|are|does|do|can|could|will|would|number|count|tasks?)\b"
    r"[^:—–?]*[:—–])"
    # (words and their separators matched once each: a nested "(\w+\W*)*" backtracks exponentially)
    r"(?:\w++[^\w:—–]{1,3}){0,7}\w++\W?\s*(?::|—|–)\s+(?=\S.{12,})"
    # "we're a firm based in hongqiao or pudong - list every task …": who is asking, before a dash
    r"|^\W*(?=[^?]*?\b(?:we|we're|i|i'm|our|my)\b[^?]*?\s-\s)(?:\w++[^\w?-]{1,3}){1,11}?\w++\s+-\s+(?=\S.{12,})",
    re.I,
)  # (not a clause that asks itself: "Who handles cross-border data – we are a SaaS firm?")


def _core_question(text: str, lower_case: bool = False) -> str:
    # A full stop ends a sentence only before a capital ("i.e. where", "No. 5" go on); with
    # ``lower_case``, before a question word in lower case too ("we're based in hongqiao. which tasks …")
    ahead = (
        r"(?=[A-Z\"“‘(]|(?:which|what|who|how|when|where|does|do|is|are|can|could|will|would|should|any|anything)\b)"
        if lower_case
        else r"(?=[A-Z\"“‘(])"
    )
    sentences = [
        p.strip()
        for p in re.split(
            r"(?<=[!?。！？])\s*|(?<=\.)(?<!e\.g\.)(?<!i\.e\.)(?<!etc\.)(?<!vs\.)(?<!No\.)\s+" + ahead, text
        )
        if p.strip()
    ]
    # (a sentence that opens with a question word asks too, with or without its "?": "… ? which task numbers")
    # (an imperative asks whatever it ends with, "List the task numbers."; a question word before a
    # full stop opens a clause: "When our trucks reach the zone, checks take days.")
    asking = [
        p
        for p in sentences
        if p.endswith(("?", "？"))
        or _IMPERATIVE.match(p)
        or _REQUEST.match(p)
        or (_OPENS_QUESTION.match(p) and not p.endswith((".", "。", "!")))
    ]
    if len(sentences) <= 1 or len(asking) != 1:
        return text
    # ("what about the insurance side? like export credit insurance for services": an example or a
    # narrowing after the question mark still says what is asked about)
    after = sentences[sentences.index(asking[0]) + 1 :]
    said_again = list(itertools.takewhile(_ELABORATION.match, after))
    return " ".join([asking[0], *said_again])


# A sentence that only gives an example of, or narrows, the one before it.
_ELABORATION = re.compile(
    r"(?:like|e\.g\.|eg|such as|for (?:example|instance)|especially|particularly|specifically|i\.e\.|namely"
    r"|in particular)\b|比如|例如|特别是|尤其是",
    re.I,
)


# what a statement is about ("we keep getting asked about registering IP for data products")
_STATEMENT_ABOUT = re.compile(r"\b(?:about|regarding|concerning)\s+(?P<what>[^.?!;]{3,})", re.I)
# words that stand for a subject rather than say it ("about this", "about something", "about the plan")
_POINTING_WORDS = content_words("this that these those it them something anything thing things plan document")
# a demonstrative that stands for a subject said before it ("anything on that?", "does it cover this?")
# "is that supported", "would this be covered", "are they eligible": what a yes/no says of what it points at
_SAID_OF_POINTED = re.compile(
    r"\b(?:is|are|was|were|would|will|could|can|does|do)\s+(?:that|this|it|these|those|they)\s+(?:be\s+|get\s+)?"
    r"(?:\w+ly\s+)?(?P<said>\w+)",
    re.I,
)
_POINTS_BACK = re.compile(r"\b(?:that|this|these|those|it|them)\b(?!\s+(?:task|section|part|plan|document)s?\b)", re.I)

_OPENS_QUESTION = re.compile(r"(?:which|what|who|whom|how|when|where)\b", re.I)
_IMPERATIVE = re.compile(r"(?:list|name|show|tell me|give me)\b", re.I)
# "I need the task numbers where …", "we'd like to know which …": a request that asks, with a full stop
_REQUEST = re.compile(
    r"(?:i|we)\s*(?:'d|would)?\s*(?:need|want|like)\s+(?:to\s+(?:know|see|find out|check)\s+)?"
    r"(?:the|a|all|every|which|what|who|how|where|whether)\b",
    re.I,
)


# "the communications administration (the telecom regulator)", "SAFE (a.k.a. the forex bureau)":
# words in brackets after a name that say again what it is; they name no subject of their own.
_APPOSITIVE = re.compile(r"\s*\(\s*(?:the|a|an|i\.e\.,?|aka|a\.k\.a\.|also known as|also called)\s+[^()]{1,60}\)", re.I)


def _strip_mentions(text: str, mentions: list[Mention]) -> str:
    for mention in sorted(mentions, key=lambda m: -m.start):
        end = mention.end
        if mention.kind in ("unit", "area"):
            opened = re.search(r"\(\s*(?:the|a|an)?\s*$", mention.surface, re.I)
            aside = re.match(r"[^()]{1,60}\)", text[end:]) if opened else _APPOSITIVE.match(text, end)
            end = (end + aside.end()) if opened and aside else aside.end() if aside else end
        text = text[: mention.start] + " " + text[end:]
    return text


# How widely a question is meant ("for SMEs in general", "specifically"), not what it is about: "in
# general" as a phrase is no subject, where "the General Administration of Customs" is.
_SCOPE_ADVERBIAL = re.compile(
    r"\b(?:in\s+general|in\s+particular|generally|specifically|broadly(?:\s+speaking)?)\b"
    # ("who is in charge of it": how a "who" is asked, as a phrase; "charging stations" keeps its word)
    r"|\b(?:in|take|takes|taking|took)\s+(?:overall\s+)?charge\b",
    re.I,
)


# "the six main sections", "the key tasks": how the plan's parts are ranked, not a subject
_STRUCTURE_QUALIFIER = re.compile(
    rf"\b(?:main|key|major|principal|core|big)\s+(?=(?:{_PLAN_STRUCTURE}|pillars?)\b)",
    re.I,
)


def _topic(text: str, language: str) -> set[str]:
    """Stemmed words about the subject of the question (not how it is asked)."""
    words = content_words(_STRUCTURE_QUALIFIER.sub(" ", _SCOPE_ADVERBIAL.sub(" ", text))) - _ASKING_WORDS
    # "responsible-unit" is asking words joined by a hyphen
    words = {w for w in words if "-" not in w or not set(w.split("-")) <= _ASKING_WORDS | {""}}
    if language == "zh" or _CJK.search(text):
        # Chinese has no spaces: bigrams of the Chinese characters left after removing question particles.
        chars = re.sub(r"[^\u3400-\u9fff]", "", _ZH_ASKING.sub("", text))
        words |= {chars[i : i + 2] for i in range(len(chars) - 1)}
    return {w for w in words if not w.isdigit() or len(w) == 4}


# Chinese question language (not a subject). Matched longest first, so 或者 is not read as 或 + 者.
_ZH_ASKING_WORDS = (
    "哪些 哪个 哪项 哪几项 哪里 什么 怎么 如何 是否 有没有 能不能 可不可以 是不是 会不会 多少 几项 几个 吗 呢 吧 啊 的 了 和 与 及 或 "
    "请问 一下 我们 我司 公司 企业 方案 计划 政策 任务 措施 部门 单位 负责 提到 涉及 规定 说 讲 关于 有关 相关 上海 市 "
    "既 又 由 同时 共同 都 均 但 不 没有 以及 或者 还是 是 一共 总共 共 列出 列举 参与 牵头 承担 有 项 个 条 请 给 "
    "具体 谁 哪 在 这 那 么 怎样 何 几 部分 内容 情况 方面 包括 包含 主要 "
    # how lists and roles are asked: "X和Y一起负责", "作为责任单位", "跟临港没关系", "那里面哪些还…", "几家"
    "责任 一起 一同 作为 分别 没关系 无关 关系 里面 其中 之中 任务中 任务里 之外 除了 除 也 还 跟 家 此外 另外 各 "
    # how structure is asked: where tasks are spread, appearing in the same task, adding up, more or fewer
    "分布 出现 同一 加起来 合计 总计 更少 更多 以下 以上 以内 "
    # how a turn joins the one before: "反过来" (conversely), "再加上X" (add X), "三家都在" (all three on it)
    "反过来 反之 相反 那么 顺便 再加上 加上 再 都在 两家 三家 四家 几家 属于 "
    # pronouns and negations: who and whether, not what about ("它没参与的是哪几条")
    "它 它们 他们 没 未"
).split()
_ZH_ASKING = re.compile("|".join(sorted(set(_ZH_ASKING_WORDS), key=len, reverse=True)))

_FOCUS = re.compile(
    # A word in -s followed by an object ("what covers that", "which helps us") is a verb, not a plural.
    # ("what about for insurers?" turns to another subject: it enumerates nothing)
    r"\b(?:which|what)(?!\s+about\b)\s+(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[a-z-]+\s+)?)?(?:[a-z&-]+\s+){0,2}?(?P<noun>[a-z]+s)\b"
    r"(?!\s+(?:that|this|these|those|it|us|me|them|the|our|my|your|a|an|to)\b)"
    r"|\blist of (?:the )?(?:[a-z-]+\s+)?(?P<listed>[a-z]+s)\b"
    # "list the partner countries", "name the new carbon finance products", "the top 10 … brands"
    r"|(?:\b(?:list|name|enumerate|provide|give)\s+(?:me\s+|us\s+)?(?:all\s+(?:of\s+)?)?the|\btop\s+(?:\d+|ten|twenty|fifty))\s+"
    r"(?:[a-z0-9-]+\s+){0,4}?(?P<enumerated>[a-z]{3,}(?:ies|[^s'’]s))\b",
    re.I,
)


# The things a Chinese question asks to enumerate (哪些国家, 伙伴国家有哪些), in the documents' English.
_ZH_ENUMERATED = {
    "国家": "countries", "企业": "enterprises", "公司": "companies", "银行": "banks", "机构": "institutions",
    "行业": "industries", "产品": "products", "城市": "cities",
}  # fmt: skip


def _focus_noun(text: str) -> str:
    """ "Which countries ..." -> "countries": an enumeration the evidence has to contain."""
    if _CJK.search(text):
        asked = re.search(
            rf"哪些({'|'.join(_ZH_ENUMERATED)})|({'|'.join(_ZH_ENUMERATED)})[^，,。？?]{{0,4}}有哪(?:些|几[个家])[啊呢呀]?[？?]?\s*$",
            text,
        )
        return _ZH_ENUMERATED[asked.group(1) or asked.group(2)] if asked else ""
    match = _FOCUS.search(text)
    if not match:
        return ""
    noun = (match.group("noun") or match.group("listed") or match.group("enumerated")).lower()
    # "what in this plan helps": a pronoun or a verb of asking, not a thing to enumerate
    if noun in {"this", "its", "his", "us", "yours", "ours", "theirs", "helps", "applies", "matters", "says"}:
        return ""
    if content_words(noun) & _STRUCTURE_NOUNS or noun in {
        "does",
        "was",
        "is",
        "has",
        "ones",
        "kinds",
        "sorts",
        "types",
        "ways",
    }:
        return ""
    return noun


def _mark(terms: list[Mention], text: str) -> tuple[list[Mention], Op]:
    """Terms with their negation, and how they combine (or / and).

    A term is negated by a cue between the previous term (or the question's start) and it, or, for
    the last term, by one right after it ("… but SAFE is not").
    """
    marked: list[Mention] = []
    op = Op.AND
    for index, term in enumerate(terms):
        gap_start = terms[index - 1].end if index else max(0, term.start - 30)
        # (an aside in brackets says how to read a name, not how to combine: "(named explicitly, not via …)")
        gap = _without_a_not_a(re.sub(r"\([^()]*\)", " ", text[gap_start : term.start]))
        negated = (
            bool(_NOT.search(gap))
            and index > 0
            or bool(
                re.search(
                    r"(?:\b[A-Za-z]*n't|\bnot(?!\s+(?:just|only|merely)\b)|\bnever|\bwithout|\bneither|\bexcluding|\boutside(?: of)?|\bother than"
                    r"|\b(?:leaving|setting|putting)\s+aside|\baside\s+from|\bapart\s+from)\s+(?:\w+\s+){0,4}$",
                    gap,
                    re.I,
                )
            )
            # "with no district government", "no input from Customs" (not "no, I meant …", "no task for")
            or any(gap_start + m.start() > 0 for m in re.finditer(r"\bno\s+(?!tasks?\b)(?:\w+\s+){0,4}$", gap, re.I))
            # (不在第三部分, 不属于…: "not in", "not part of")
            or bool(re.search(r"(?:没有|没|不|未|非|并非|不是)(?:由|被|包括|涉及|提到|在|属于|列入|列在)?\s*$", gap))
        )
        # "leave the commerce commission out", "keep Customs off the list"
        negated = negated or bool(
            re.search(rf"\b{_LEAVE_VERB}\s+$", gap, re.I) and re.match(r"\s*(?:out|off)\b", text[term.end :], re.I)
        )
        # "none of the three zone bodies - Lingang, Pudong, Hongqiao": the names of the list after it too
        negated = negated or (not index and bool(_NONE_OF.search(text[: term.start])))
        if index and marked[-1].negated and _LIST_JOIN.fullmatch(gap) and _NONE_OF.search(text[: terms[0].start]):
            negated = True
        if index == len(terms) - 1:
            # (an aside in brackets right after the name is no part of the sentence: "(JXW) is not")
            negated = negated or bool(_NOT_AFTER.match(re.sub(r"^\s*\([^()]*\)", " ", text[term.end :])))
        if index and _OR.search(gap) and not negated:
            op = Op.OR
        marked.append(Mention(term.kind, term.values, term.start, term.end, term.surface, negated))
    if len(marked) > 1 and not any(m.negated for m in marked) and _ANY_OF.search(text):
        op = Op.OR
    if len(marked) == 1 and not marked[0].negated and _LEAVES_IT_OUT.search(text):
        # "Does Pudong appear in every section? If not, which section leaves it out?"
        marked = [replace(marked[0], negated=True)]
    if (
        len(marked) > 1
        and _NOT_BOTH.search(text)
        and (op == Op.OR or _OR.search(text[marked[0].end : marked[1].start]))
    ):
        # "X or Y, but not both": the "not" is about the pair, not about the last name
        return [replace(m, negated=False) for m in marked], Op.XOR
    return marked, op


# "no task (at all) for X", "not a single task with X": a section's tasks without the name
_NO_TASK_FOR = re.compile(
    r"\b(?:no|not\s+(?:a|any|one)|zero|n't\s+have\s+any)\s+(?:single\s+)?tasks?\s+(?:at\s+all\s+)?(?:for|with|involving|listing|naming|on\s+which|where|that)\b",
    re.I,
)
# "none of A, B and C", "neither of …": one negation over the whole list of names that follows
_NONE_OF = re.compile(r"\b(?:none|neither)(?:\s+of)?\b[^?.;]{0,40}$", re.I)
_LIST_JOIN = re.compile(r"[\s,;/&]*(?:(?:and|or|nor)\s+)?(?:the\s+)?", re.I)
# "Is there a task where the responsible units are just X and Y?": which task, if any.
_ANY_TASK_WHERE = re.compile(
    # ("is there a task the Communications Administration is not responsible for?": a bare relative)
    r"\b(?:is|are)\s+there\s+(?:(?:a|an|any)\s+)?(?:single\s+|other\s+)?tasks?\s+(?:where|in which|that|with|whose|the)\b",
    re.I,
)
# "leave X out", "keeping Customs off": a name set aside.
_LEAVE_VERB = r"(?:leav(?:e|es|ing)|left|keep(?:s|ing)?|kept)"
_LEAVE_OUT = re.compile(rf"\b{_LEAVE_VERB}\s+(?:[\w&'-]+\s+){{0,6}}?(?:out|off)\b", re.I)
# "which section leaves it out", "the ones that don't include it": the one name, set aside by a pronoun.
_LEAVES_IT_OUT = re.compile(
    r"\bleav(?:e|es|ing)\s+(?:it|them)\s+(?:out|off)\b|\b(?:doesn't|does not|don't|do not)\s+(?:have|include|list|name|feature)\s+(?:it|them)\b",
    re.I,
)
# "X or Y, but not both (of them together)", "exactly one of the two": one of them, not both.
_NOT_BOTH = re.compile(
    r"\bnot\s+both\b|\bnot\s+(?:the\s+two|them\s+both)\s+together\b|\bexactly\s+one\s+of\s+(?:the\s+two|them|these)\b"
    r"|\bbut\s+not\s+(?:the\s+two\s+)?together\b|不同时|而非两者",
    re.I,
)
# "all three of these", "every one of them", "each of those": every one of the tasks just named.
_ALL_OF_THOSE = re.compile(
    r"\b(?:every|each|all)\s+(?:(?:one|two|three|four|five|six|seven|eight|\d)\s+)?(?:of\s+)?(?:them|these|those|the\s+above)\b",
    re.I,
)
# "among tasks 10 to 15", "Tasks 15-18:", "for tasks 5 through 9": a run of task numbers.
_TASK_RANGE = re.compile(r"\d{1,2}\s*(?:-|–|—|~|to|through|thru|until)\s*\d{1,2}", re.I)


# "share a task with X", "work alongside X", 与X共同负责: the partners of a unit.
_SHARES_WITH = re.compile(
    r"\bshar\w*\b[^?.]{0,30}?\bwith\b|\balongside\b|\bwork(?:s|ing)?\s+(?:together\s+)?with\b"
    r"|\bpartner\w*\s+with\b|\b(?:on|in)\s+the\s+same\s+tasks?\b|(?:与|和|跟).{1,20}?(?:共同|一起|同一)"
    # ("X参与的任务里，还有哪些其他责任单位": the others on its tasks)
    r"|(?:参与|负责)的(?:任务|工作)(?:里|中|当中)[^？?]{0,12}(?:其他|其它|别的)"
    r"|\bnext to\b|\bbeside\b|\b(?:together|along) with\b",
    re.I,
)
_COUNT_WORDS = {
    w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_UNIT_COUNT = re.compile(
    r"\b(?P<cmp>exactly|only|just|more than|over|at least|fewer than|less than|at most|no more than)\s+"
    r"(?P<n>\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:(?:co-?)?respons\w*[\s-]+|lead\s+)?(?:units?|departments?|bodies|agencies|entries)\b"
    # "three or fewer units", "five units or more"
    r"|\b(?P<n2>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:(?:responsible\s+|lead\s+)?(?:units?|departments?|bodies|agencies)\s+or\s+(?P<tail>fewer|less|more|greater)\b"
    r"|or\s+(?P<tail2>fewer|less|more|greater)\s+(?:responsible\s+|lead\s+)?(?:units?|departments?|bodies|agencies)\b)"
    # (of two: "which of the two has the longer list of responsible units?")
    r"|\b(?P<sup>most|(?:largest|greatest|biggest|longest|longer|smallest|shortest|shorter)\s+(?:number|list|set)\s+of"
    r"|fewest|least|more|fewer)\s+(?:(?:co-?)?respons\w*[\s-]+|lead\s+)?(?:units?|departments?|bodies|agencies|entries)\b",
    re.I,
)
_COMPARATORS = {
    "exactly": "==",
    "only": "==",
    "just": "==",
    "more than": ">",
    "over": ">",
    "at least": ">=",
    "fewer than": "<",
    "less than": "<",
    "at most": "<=",
    "no more than": "<=",
}


_UNIT_COUNT_ZH = re.compile(
    r"(?P<cmp>恰好|正好|只有|超过|多于|至少|不少于|少于|不超过|不到|至多)?\s*(?P<n>[一二两三四五六七八九十\d]{1,3})\s*(?:家|个)"
    r"(?P<tail>或更少|或者更少|或以下|及以下|以下|以内|或更多|或者更多|或以上|及以上|以上)?"
    r"|(?:责任单位|负责单位|单位)(?:数量|数目|个数)?(?P<sup>最多|最少)"
)
_COMPARATORS_ZH = {
    "恰好": "==",
    "正好": "==",
    "只有": "==",
    "超过": ">",
    "多于": ">",
    "至少": ">=",
    "不少于": ">=",
    "少于": "<",
    "不到": "<",
    "不超过": "<=",
    "至多": "<=",
}


def _unit_count_condition(text: str) -> tuple[str, int] | None:
    """A condition on a task's number of responsible units, if the question states one."""
    for zh in _UNIT_COUNT_ZH.finditer(text) if _UNITS_WORD.search(text) else ():
        if zh["sup"]:
            return ("max", 0) if zh["sup"] == "最多" else ("min", 0)
        raw = zh["n"].replace("两", "二")
        number = int(raw) if raw.isdigit() else chinese_number(raw)
        if number is not None and (zh["tail"] or zh["cmp"]):
            if zh["tail"]:  # "三个或更少": at most; "三个以上": at least
                return ("<=" if re.search(r"少|下|内", zh["tail"]) else ">="), number
            return _COMPARATORS_ZH[zh["cmp"]], number
    match = _UNIT_COUNT.search(text)
    if match is None or (re.search(r"entries\b", match.group(0), re.I) and not _UNITS_WORD.search(text)):
        return None  # ("entries" counts units only where the question speaks of its units list)
    if match["sup"]:
        return ("min", 0) if re.match(r"fewe|smallest|short|least", match["sup"], re.I) else ("max", 0)
    tail = match["tail"] or match["tail2"]
    if tail:
        raw = match["n2"].lower()
        return ("<=" if tail.lower() in ("fewer", "less") else ">="), int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
    raw = match["n"].lower()
    return _COMPARATORS[match["cmp"].lower()], int(raw) if raw.isdigit() else _COUNT_WORDS[raw]


# "on just a single task", "more than one task", 只负责一项任务, 两项以上任务: a unit's number of tasks.
_NUMBER_WORD = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_TASK_COUNT = re.compile(
    rf"\b(?:(?P<cmp>exactly|only|just|more than|over|at least|fewer than|less than|at most|no more than)\s+)?"
    rf"(?:(?P<single>a\s+single|single)|(?P<n>{_NUMBER_WORD}))\s+"
    # ("8 or more tasks")
    r"(?:or\s+(?P<pre>fewer|less|more|greater)\s+)?"
    # ("in only one of that section's tasks")
    r"(?:of\s+(?:the|its|their|that|this|those|these)\s+(?:[\w-]+(?:'s)?\s+)?)?(?:single\s+)?tasks?\b"
    r"(?:\s+or\s+(?P<tail>fewer|less|more|greater))?"
    r"|(?P<zcmp>只|仅|只有|仅有|恰好|正好|超过|多于|至少|不少于|少于|不超过|至多)?(?:负责|参与|出现在|出现于|在)?"
    r"(?P<zn>[一二两三四五六七八九十\d]{1,2})(?:项|个|条)"
    r"(?P<ztail>以上|以下|或以上|或以下|及以上|及以下|或更多|或更少)?(?:任务)",
    re.I,
)


_WHOLE_PLAN = re.compile(
    r"\b(?:in|across|of)\s+the\s+(?:whole|entire|full)\s+(?:plan|document)\b|\boverall\b|\banywhere\b"
    r"|\bin\s+(?:the\s+)?plan\s+as\s+a\s+whole\b|\bin\s+all\b|整个方案|全文|全部任务",
    re.I,
)


# "on no other task anywhere", "just that one task and nothing else", "nowhere else": on one task only,
# counted in the whole plan
_NO_OTHER_TASK = re.compile(
    r"\bno\s+other\s+tasks?\b|\bnot\s+(?:on|in)\s+any\s+other\s+tasks?\b|\bnowhere\s+else\b"
    r"|\b(?:that|this)\s+(?:one\s+)?(?:single\s+)?task\s+(?:and\s+)?(?:nothing|no\s*(?:thing|where))\s+else\b"
    r"|\b(?:only|just)\s+(?:that|this)\s+one\s+task\b",
    re.I,
)


def _task_count_condition(text: str) -> tuple[str, int] | None:
    """A condition on the number of tasks a unit is on, if the question states one (the same
    comparators as a condition on a task's number of units)."""
    if _NO_OTHER_TASK.search(text):
        return "==", 1
    for match in _TASK_COUNT.finditer(text):
        if match["zn"]:
            raw = match["zn"].replace("两", "二")
            number = int(raw) if raw.isdigit() else chinese_number(raw)
            if number is None or not (match["zcmp"] or match["ztail"]):
                continue
            if match["ztail"]:
                return ("<=" if re.search(r"下|少", match["ztail"]) else ">="), number
            return {"只": "==", "仅": "==", "只有": "==", "仅有": "==", **_COMPARATORS_ZH}[match["zcmp"]], number
        tail = match["tail"] or match["pre"]
        if not (match["cmp"] or match["single"] or tail):
            continue  # "one task" alone is not a condition ("share one task with …")
        raw = (match["n"] or "1").lower()
        number = int(raw) if raw.isdigit() else _COUNT_WORDS[raw]
        if tail:
            return ("<=" if tail.lower() in ("fewer", "less") else ">="), number
        return _COMPARATORS[(match["cmp"] or "exactly").lower()], number
    return None


_EXCEPT_BEFORE = re.compile(
    r"\b(?:besides|except|other than|apart from|aside from|excluding)\b[^?.]*$|除了?[^？?。]*$", re.I
)
_YES_NO_FORM = re.compile(
    r"^\s*(?:and\s+)?(?:is|are|does|do|has|have|was|were)\b|\b(?:is|are)\s+[^,?]{2,60}\bamong\s+(?:them|those)\b"
    r"|\bor not\b|吗[？?]?\s*$|是否|是不是",
    re.I,
)
# "of those", "which of them", 其中: a restriction to the earlier answer's tasks.
# 资金池的那一项, 保税进口那条: one of the earlier answer's tasks, picked out by what it is about
# (not by its place in the list: 最后那条, ordinals and, after one task, 前面那条 are read elsewhere)
_ONE_DESCRIBED_ZH = re.compile(r"(?P<what>[\u4e00-\u9fffA-Za-z]{2,})的?[那这]一?[条项](?![任措])")
_OF_THOSE = re.compile(
    r"\b(?:of|among|from)\s+(?:those|these|them)\b|\bthose\s+tasks\b|\bthe\s+same\s+tasks\b(?!\s+as\b)|\bwhich\s+ones\b"
    r"|其中|这些任务|那些任务|这些里面|这些当中|那些里面|这几条|这几项|那几条|那几项",
    re.I,
)
# Tasks in the plural, or "all/every task": a question after each task that fits, not the best one.
_ANY_OF_THEM = re.compile(r"^\W*(?:(?:and|so|ok)\s+)*any\s+(?:one\s+)?of\s+(?:them|those|these)\b", re.I)
# The section a named task is in, as the place of others ("the same section as", "that section",
# "task 16's section", 同一部分, 所在的部分)
_ITS_SECTION = re.compile(
    r"\bsame\s+(?:section|part)\b|\b(?:its|that|this)\s+(?:section|part)\b|(?:'s|s')\s+section\b"
    r"|\bshares?\s+(?:a|the|its)\s+section\b"
    r"|同一(?:部分|板块|章节|个部分)|(?:所在|所属)的?(?:部分|板块|章节)|(?:这|那)(?:个|一)?(?:部分|板块|章节)",
    re.I,
)
_OTHERS = re.compile(r"\bother\b|\belse\b|\bbesides\b|其他|其余|别的|还有", re.I)
# A list of tasks asked for beside another question ("…, and which other tasks are in it?")
_LISTS_TASKS = re.compile(
    r"\b(?:which|what)\s+(?:other\s+)?tasks\b|\bwhat else\b|\bothers\b|哪些任务|其他任务|还有哪些|还有什么", re.I
)
_EVERY_TASK = re.compile(r"\btasks\b|\b(?:all|every|each)\s+(?:the\s+)?tasks?\b", re.I)
# Where a listed subject's items part ("aviation — air cargo, planes, or aviation training"); a
# look-up of a list finds the tasks that say any item
# (not "and", which joins the words of one name as often as two items: "research and development")
_LIST_SEPARATOR = re.compile(r"([,;:/()\u2014\u2013]|\s-\s|\bor\b|\betc\b|\band so on\b)", re.I)
# Words that introduce examples of what counts ("aviation, like air cargo"); the decision layer reads
# them too (what a measure names as an instance)
EXAMPLE_MARKERS = r"like|such as|e\.g\.|including|for example|for instance"
# Items offered as alternatives or as examples of what counts
_ALTERNATIVES = re.compile(
    rf"\bor\b|\b(?:{EXAMPLE_MARKERS}|etc)\b|\band so on\b|\band the like\b"
    r"|\b(?:that|this|the) (?:sort|kind|type) of (?:thing|stuff)\b",
    re.I,
)
# "which tasks don't mention the RMB?", 哪些任务没有提到人民币: the tasks a look-up does not find
_NOT_MENTIONING = re.compile(
    r"\b(?:don't|do not|doesn't|does not|never|not)\s+(?:\w+\s+)?(?:mention|refer|say|use|cover|talk|include)"
    r"|\bwithout\s+(?:any\s+)?mention|(?:没有|没|未|不)(?:提到|提及|写到|说到|讲到|出现|包含|涉及)",
    re.I,
)
# "…, whether it's written as AI or spelled out", "in any spelling": how a looked-up term may be written
_SPELLING_CLAUSE = re.compile(
    r",?\s*\b(?:whether|however|in\s+(?:any|whatever|every))\b[^?.;]*?\b(?:written|spelled|spelt|worded|phrased|spellings?"
    r"|forms?|abbreviat\w*)\b[^?.;]*",
    re.I,
)
# 哪些任务提到了…, 哪几条写到…: which tasks' text uses a term
_EVERY_TASK_ZH = re.compile(
    r"(?:哪些|哪几|所有)(?:任务|条|项|措施)?[^，,。？?]{0,4}(?:提到|提及|写到|说到|讲到|出现|包含|涉及)"
)
# "listed first", "first among the responsible units", 排在第一: the unit list's order.
# "more tasks", "fewer responsibilities", "busier": two names compared by their number of tasks.
_MORE_TASKS = re.compile(r"\b(?:more|fewer|less)\s+(?:tasks|responsibilit\w*|work|measures|items)\b|\bbusier\b", re.I)
# "listed last", "at the very end of the responsible units list": the unit list's last place.
_LISTED_LAST = re.compile(
    r"\b(?:listed|named|comes?|appears?|placed|put)\s+last\b|\blast[- ](?:listed|named)\b"
    r"|\bat\s+the\s+(?:very\s+)?(?:end|bottom|tail)\s+of\b[^?]{0,40}?\b(?:list|units)\b"
    r"|\bthe\s+last\s+(?:responsible\s+|listed\s+)?(?:unit|body|department|name|entry)\b|排在最后|列在末位",
    re.I,
)
_LISTED_FIRST = re.compile(
    r"\b(?:listed|named|appears?|comes?|placed|put)\s+first\b|\bfirst[- ](?:listed|named)\b"
    r"|\bthe\s+first\s+(?:responsible\s+|lead\s+|listed\s+)?(?:unit|body|department|name|entry)\b"
    r"|第一(?:责任|负责)单位|排在(?:责任单位|负责单位)?第一|\bfirst\s+(?:among|in|on)\s+(?:the\s+)?"
    r"(?:list|responsible units|units)\b|\bas\s+(?:the\s+)?first\s+(?:responsible\s+)?unit\b|排在第一|排第一|列在首位"
    r"|第一个(?:负责|责任)?单位",  # (not 第一个任务: the first task)
    re.I,
)
# "in the measure itself (not as a responsible unit)", 正文: a place in the task's own words.
_IN_TEXT = re.compile(
    r"\bin\s+(?:the|their|its)\s+(?:own\s+)?(?:text|wording|body|measure)\b|\bmeasure\s+itself\b"
    # ("not as a responsible unit"; not "where Commerce is not a responsible unit", a negation)
    r"|\bnot\s+(?:(?:just|only|counting)\s+(?:as\s+)?|as\s+)(?:a\s+|the\s+)?responsible[-\s]unit|正文|任务内容里"
    r"|(?:具体)?措施(?:里|中|本身|内容)|不(?:算|含|包括|计)(?:入)?责任单位",
    re.I,
)
# "on no other task", "don't appear on any other task", 不在其他任务: a unit on that one task only.
_ON_NO_OTHER_TASK = re.compile(
    r"\bno\s+other\s+tasks?\b|\bnowhere\s+else\b|(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,3}?(?:on|in|for)\s+any\s+other\s+tasks?\b"
    r"|(?:不在|没有在|没有出现在|未出现在|不负责)(?:任何)?(?:其他|其它|别的)任务",
    re.I,
)
# "any other task", 别的任务: the tasks besides the ones just discussed.
_OTHER_TASKS = re.compile(
    r"\b(?:any\s+|which\s+|what\s+)?other\s+tasks?\b|\b(?:where|any ?where)\s+else\b"
    r"|\b(?:anything|any\s+tasks?)\s+(?:other than|besides|apart from|except|beyond|outside)\b"
    r"|别的任务|其他任务|其它任务|还有哪些任务|还有哪几(?:项|条)"
    # 除了这条, 除了该任务 ("besides this one"); 还参与了哪些任务, 还负责哪几项 ("which others is it on")
    r"|除了?(?:这|那|该|上面|刚才)(?:一)?(?:条|项|个)?(?:任务)?|还[^，,。？?\s]{1,4}哪(?:些|几)(?:项|条|个)?任务",
    re.I,
)
# "the one in section IV", "the task from section II": one of a list, picked by its section
_THE_ONE_IN = re.compile(r"\bthe\s+(?:one|task|item)\s+(?:in|from|under|of)\s+$", re.I)
# "the section VI one", "the section II task"
_ONE_AFTER = re.compile(r"\s*(?:one|task|item)\b", re.I)
# What a text says of something ("what does it say for Hongkou", "what does task 19 mention about …")
_SAYS_OF_PLACE = re.compile(
    r"\b(?:say|says|said|mention|mentions|state|states|do|does|offer|offers|plan|plans)\s+(?:\w+\s+)?"
    r"(?:about|for|on|of|regarding|concerning)\b",
    re.I,
)
# A question that opens by naming tasks asks for tasks, whatever else it says.
# (also after a clause that sets the scene: "In section II, which tasks don't list Pudong?")
_TASKS_LEAD = re.compile(
    r"(?:^|[,;:]\s*)\s*(?:(?:which|what|list|show|name|find)\s+(?:of\s+)?(?:the\s+|all\s+)?(?:\d+\s+|plan's\s+)?)?tasks?\b(?!\s+\d)"
    r"|^\s*where\s+(?:do|does|is|are)\b",  # "where do Customs and X both appear as responsible units?"
    re.I,
)
_TASKS_ZH = re.compile(
    r"任务(?:里|中|当中)[，,]?\s*哪些|哪些任务|哪几项任务|哪些是|哪几项|哪几条|哪些条|哪(?:一)?项任务|哪(?:一)?条任务"
    r"|任务是那(?:些|几)条[？?]?\s*$"
    r"|任务(?:是|都有|有)哪些[呢啊]?[？?]?\s*$|任务(?:是|有)哪(?:几)?个[呢啊]?[？?]?\s*$|任务都?列(?:一下|出来)"
)
_UNITS_WORD = re.compile(r"\bunits?\b|\bdepartments?\b|\bbodies\b|\bagencies\b|\bauthorities\b|单位|部门", re.I)


# 多少项, 几条, 哪一部分: a Chinese question asking for a count of tasks or for sections.
_COUNTS_OR_SECTIONS_ZH = re.compile(r"多少项|多少条|几项|几条|哪(?:一|几)?(?:个)?部分|第几(?:个)?部分")
# 这方面, 数据相关, 关于…: a Chinese question that marks a topic of its own.
_ZH_TOPIC_MARKER = re.compile(r"方面|领域|相关|有关|关于|这块|这一块")
# 提到X, 讲到X, 涉及X: what follows is the subject (unless it is a name: 涉及海关).
_ZH_MENTIONING = re.compile(r"(?:提到|讲到|说到|谈到|涉及|提及|写到)(?:了)?(?P<what>[^，,。？?！!]+)")


def _marks_zh_topic(text: str, mentions: list[Mention]) -> bool:
    """Whether a Chinese question marks a subject of its own ("数据方面", "哪几条讲到退换货")."""
    if _ZH_TOPIC_MARKER.search(text):
        return True
    for match in _ZH_MENTIONING.finditer(text):
        names = [m for m in mentions if match.start("what") <= m.start < match.end("what")]
        rest = _ZH_ASKING.sub(
            "",
            _strip_mentions(
                match.group("what"),
                [replace(m, start=m.start - match.start("what"), end=m.end - match.start("what")) for m in names],
            ),
        )
        if len(re.sub(r"[^\u3400-\u9fff]", "", rest)) >= 2:
            return True
    return False


# How a list is asked ("responsible", "share with", "listed first", "on its own", "never", "apart
# from", "in the text", "three units"): the question's structure, not its subject.
# ("contain", "designate" are cues of their own: as stems they are also "container", "design", subjects)
_CONTAINS = re.compile(
    r"\bcontain(?:s|ing|ed)?\b|\bdesignat\w*|\bassign(?:s|ed|ing)?\b|\b(?:provide|identify|enumerate|list of)\b", re.I
)
# "tasks that bring in X", "rope in", "include": a name taken into a list.
_BRINGS_IN = re.compile(
    r"\b(?:bring(?:s|ing)?|brought|pull(?:s|ed|ing)?|rope[sd]?|roping)\s+in\b|\binclud\w*|\binvolv\w*", re.I
)
# "do we show up as a responsible unit": appearing on a list
_SHOWS_UP = re.compile(r"\b(?:show|turn|crop|pop)(?:s|ed|ing)?\s+up\b", re.I)
_STRUCTURE_CUES = (
    _RESPONSIBLE, _SHARES_WITH, _LISTED_FIRST, _ONLY, _NOT, _SET_ASIDE, _IN_TEXT, _UNIT_COUNT, _ANY_OF, _CONTAINS,
    _AND_BOTH, _BRINGS_IN, _LEAVE_OUT, _SHOWS_UP, _LISTED_LAST,
)  # fmt: skip


def _specific_words(topic: set[str], catalogue: TaskCatalogue) -> set[str]:
    """Topic words (four letters or more) only a few of the plan's tasks use: a subject even alone."""
    return {w for w in topic if len(w) >= 4 and catalogue.few_tasks_use(w)}


# "have nothing to do with e-commerce", "aren't about data", "that don't mention blockchain": a subject
# set aside; the words after it, to the end of the clause
_NOT_ABOUT = re.compile(
    r"\b(?:(?:have|has|having)\s+nothing\s+to\s+do\s+with|unrelated\s+to|not\s+(?:about|related\s+to|mentioning|involving)"
    r"|(?:aren't|isn't|don't|doesn't|do\s+not|does\s+not|are\s+not|is\s+not)\s+"
    r"(?:about|mention|involve|cover|concern|relate\s+to|deal\s+with|have\s+anything\s+to\s+do\s+with))\s+"
    r"(?:the\s+|any\s+)?(?P<words>[\w&' -]{2,40}?)\s*(?=[?.,;!]|$|\b(?:and|but|or|please)\b)",
    re.I,
)


def _filtered_by_words(
    terms: list[Mention], words: Mention, cue: re.Match, text: str, asks: Asks, catalogue: TaskCatalogue
) -> SetQuery | None:
    """The named tasks narrowed by the words of their measures (``words`` negated: less those that use
    them), or None when the question is no list, or no named task uses the words (then they may be a
    paraphrase: a semantic question). The names are marked with the cue's span blanked out."""
    if asks not in (Asks.TASKS, Asks.COUNT, Asks.MEMBERS, Asks.CONTENT):
        return None
    blanked = text[: cue.start()] + " " * (cue.end() - cue.start()) + text[cue.end() :]
    marked, op = _mark(terms, blanked)
    named = {e.task for e in catalogue.select(SetQuery(terms=tuple(marked), op=op))}
    if not named & catalogue.term_tasks("words", words.values):
        return None
    return SetQuery(terms=(*marked, words), op=op, output="count" if asks == Asks.COUNT else "tasks")


def _named_phrases(about: re.Match) -> tuple[str, ...]:
    """The phrases a ``_SUBJECT_NAMED`` match names: "shipping or air cargo/freight" is three."""
    return tuple(p for p in re.split(r"\s*(?:/|,|\bor\b)\s*", about.group("words").strip()) if p)


# The level of a body, said before its name ("the local financial regulatory bureau")
_LEVEL_WORDS = content_words("local municipal city shanghai state national central district provincial regional")
# "which ones are about e-commerce?", "which explicitly mention the RMB?": a subject asked about in so many words
_SUBJECT_NAMED = re.compile(
    r"\b(?:(?:are|is)\s+(?:about|related\s+to|concerned\s+with)|(?:explicitly\s+|specifically\s+|actually\s+|directly\s+)?"
    r"(?:mention(?:s|ing)?|refer(?:s|ring)?\s+to|cover(?:s|ing)?|concern(?:s|ing)?|deal(?:s|ing)?\s+with|relat(?:e|es|ing)\s+to"
    r"|talk(?:s|ing)?\s+about)|\bon\s+the\s+subject\s+of)\s+(?:the\s+|any\s+)?"
    r"(?P<words>[\w&'/ -]{2,50}?)\s*(?=[?.;!]|$|\bplease\b)",
    re.I,
)


def _narrowing_words(text: str, topic: set[str], terms: list[Mention], catalogue: TaskCatalogue) -> set[str]:
    """The topic words of an English list question that narrow the tasks its names select.

    A word every one of those tasks uses ("the Hongqiao business district committee" on Hongqiao's
    tasks) adds nothing to the names; a word the plan never uses ("on the hook", "entirely")
    cannot narrow them. Only a word some of the named tasks use, or one the plan uses elsewhere
    ("Customs tasks on computing power"), is a subject the question asks about.
    """
    cue_words = {w for cue in _STRUCTURE_CUES for m in cue.finditer(text) for w in content_words(m.group(0))}
    candidates = set().union(*(catalogue.term_tasks(t.kind, t.values) for t in terms))
    words_of = catalogue.task_words
    name_words = {w for t in terms if t.kind == "unit" for u in t.values for w in content_words(u)}
    level_before = {w for t in terms if t.kind == "unit" for w in content_words(" ".join(text[: t.start].split()[-2:]))}
    subject = set()
    for word in topic - cue_words:
        using = sum(1 for task in candidates if word in words_of.get(task, ()))
        if candidates and using == len(candidates):
            continue
        if catalogue.task_frequency.get(word, 0) == 0:
            continue
        if word in catalogue.unit_class_stems:  # a kind of body ("without any municipal bureau")
            continue
        if len(word) >= 5 and any(w.startswith(word) or word.startswith(w) for w in name_words if len(w) >= 5):
            continue  # the named bodies described by their own names ("the financial regulators: …")
        if word in _LEVEL_WORDS and word in level_before:
            continue  # a body's level said before its name ("the local financial regulatory bureau")
        subject.add(word)
    return subject


def _without_listed_terms(text: str, catalogue: TaskCatalogue) -> str:
    """``text`` less the lists the plan itself names ("the negative list"): a subject, not a request for a list."""
    written = catalogue.lowered_text
    return re.sub(
        r"\b([a-z-]+)\s+lists?\b",
        lambda m: " " if f"{m.group(1).lower()} list" in written else m.group(0),
        text,
        flags=re.I,
    )


def _only_asked(text: str, terms: list[Mention]) -> bool:
    """Whether the question asks for tasks the named units have to themselves. "Section V only",
    "only in section V" narrow the place to look; they ask nothing of the units."""
    for term in sorted((t for t in terms if t.kind == "section"), key=lambda t: -t.start):
        before = re.search(r"\bonly\s+(?:in\s+|within\s+|under\s+|at\s+)?$", text[: term.start], re.I)
        after = re.match(r"\s*only\b", text[term.end :], re.I)
        start = before.start() if before else term.start
        end = term.end + (after.end() if after else 0)
        text = text[:start] + " " + text[end:]
    return bool(_ONLY.search(text))


# The first words of a bracket that describes what is before it ("(the one with the negative list for
# the FTZ)", "(named explicitly, not via …)", "(counting district governments as one)"); not one that
# adds to the question ("(or Pudong)", "(but not Lingang)", "(in section II)").
_DESCRIBING_ASIDE = re.compile(
    r"\(\s*(?:the|a|an|named|listed|mentioned|written|counting|treating|i\.e\.|e\.g\.|aka|which|that|meaning|as)\b[^()]*$",
    re.I,
)


def _in_describing_aside(mention: Mention, text: str) -> bool:
    """Whether ``mention`` stands inside a describing bracket (see ``_DESCRIBING_ASIDE``)."""
    opened = text.rfind("(", 0, mention.start)
    return (
        opened >= 0
        and ")" not in text[opened : mention.start]
        and ")" in text[mention.end :]
        and bool(_DESCRIBING_ASIDE.match(text[opened : mention.start]))
    )


def _bare_task_numbers(text: str, mention: Mention) -> list[Mention]:
    """Numbers written on their own after a mention of several tasks ("on 8 but not on 9"), each
    as task mentions of their own; [] unless two or more of them are tasks it named."""
    found = [
        Mention("task", (m.group(1),), m.start(1), m.end(1), m.group(1))
        for m in re.finditer(r"(?<![\w.#%-])(\d{1,2})(?![\w%.-]|\s*(?:%|percent|units?|years?|billion|million))", text)
        if m.start() >= mention.end and 0 < int(m.group(1)) <= 99
    ]
    # two of them the tasks just named: then every number there is a task ("in 5 and 7 but not in 6")
    return found if len({m.values for m in found if m.values[0] in mention.values}) >= 2 else []


def _set_query(
    text: str,
    asks: Asks,
    mentions: list[Mention],
    topic: set[str],
    tasks: list[int],
    catalogue: TaskCatalogue,
    pointed: tuple[int, ...] = (),
    units_before: bool = False,
    in_conversation: bool = False,
) -> SetQuery | None:
    """A list question over named units / areas / sections, answered exhaustively from metadata.

    Only when the question's subject is the names themselves ("which tasks is Customs
    responsible for"); one that also names a topic ("what is Customs doing on e-commerce") is a
    semantic question filtered by the unit. ``pointed``: the earlier answer's tasks a pronoun of
    this question points back to;
    ``units_before``: the earlier turn asked for units, so "which of them" are units;
    ``in_conversation``: the question follows earlier turns.
    """
    task_terms = [m for m in mentions if m.kind == "task"]
    scope = next((m for m in task_terms if len(m.values) > 2 and _TASK_RANGE.search(m.surface)), None)
    between = re.search(r"\bbetween\s+tasks?\s+(\d{1,2})\s+and\s+(?:task\s+)?(\d{1,2})\b", text, re.I)
    ends = [m for m in task_terms if between and between.start() <= m.start < between.end()]
    if scope is None and between and ends and int(between.group(2)) - int(between.group(1)) > 1:
        # "between task 11 and task 18": the run of tasks from one to the other
        numbers = tuple(str(n) for n in range(int(between.group(1)), int(between.group(2)) + 1))
        scope = Mention("task", numbers, between.start(), between.end(), between.group(0))
        mentions = [m for m in mentions if m not in ends] + [scope]
    if scope is not None and any(m.kind in ("unit", "area", "section") for m in mentions):
        if asks not in (Asks.COUNT, Asks.SECTION, Asks.WHO, Asks.YES_NO):
            asks = Asks.TASKS  # "of tasks 1-10, which have …": which of those tasks
        # "Among tasks 10 to 15, which ones involve the sci-tech commission?": the question over the
        # names, limited to that run of tasks
        rest = [m for m in mentions if m is not scope]
        inner = _set_query(text, asks, rest, topic, [], catalogue, pointed, units_before, in_conversation)
        return replace(inner, within=tuple(int(v) for v in scope.values)) if inner is not None else None
    # ("the data flow task (the one with the negative list for the FTZ)": a place in a bracket after
    # a task describes that task; it is not a term of the list)
    terms = [m for m in mentions if m.kind in ("unit", "area", "section") and not _in_describing_aside(m, text)]
    task_numbers = [v for m in task_terms for v in m.values]
    # Tasks the question does not name but points back to ("it", "of those"): the earlier answer's.
    inherited = [] if task_terms or not tasks else [Mention("task", tuple(str(n) for n in tasks), 0, 0, "")]
    one_task = {v for m in task_terms for v in m.values} | {v for m in inherited for v in m.values}
    if (
        len(one_task) == 1
        and terms
        and all(t.kind == "area" for t in terms)
        and _SAYS_OF_PLACE.search(text)
        # ("Apart from task 19, which tasks say anything about Pudong?": a list, less the task)
        and not re.search(r"\btasks\b|\b(?:apart from|except|besides|other than|aside from)\b", text, re.I)
    ):
        # "What does task 19 say about Yangpu?", "and what does it say for Hongkou?": what one task
        # says of a place, not a list of the tasks that name the place
        return None
    if (
        len({v for m in task_terms for v in m.values}) == 1
        and not any(re.search(r"\d", m.surface) for m in task_terms)
        and terms
        and all(t.kind == "area" for t in terms)
        and not re.search(r"\btasks\b|哪些|其他|其它|还有|除了|以外|之外", text, re.I)
    ):
        # 临港的国际数据经济产业园是哪条任务, "the Lin-gang data park task": a task named by what it
        # is about, the place saying which one; not the list of every task naming the place
        return None
    # "Is X one of its responsible units?" reads as a who-question by its words; its form is yes/no.
    yes_no = asks == Asks.YES_NO or bool(_YES_NO_FORM.search(text))
    # "any of them customs?" after one task's units: is it among them (after a list of tasks: which of them)
    yes_no = yes_no or (bool(_ANY_OF_THEM.match(text)) and len(tasks) == 1)
    units_asked = bool(_UNITS_WORD.search(text)) or (units_before and bool(_PLURAL_PRONOUN.search(text)))
    counting = asks == Asks.COUNT or bool(re.search(r"\bhow many\b|几家|几个|多少", text, re.I))
    earlier = [Mention("task", tuple(str(n) for n in pointed), 0, 0, "")] if pointed else []
    pointing = bool(_PRONOUN.search(text) or _OF_THOSE.search(text))
    if terms and all(t.kind == "section" for t in terms) and not task_terms and (asks == Asks.WHO or units_asked):
        # "Which units are responsible for every task in section III?": the units all of its tasks
        # share; "how many different units work on section III?": every unit on any of them; "in
        # both section II and section VI": the units of one that are also units of the other.
        # ("every task", "all of the tasks", 每项任务: not "all the units of section III")
        every = bool(
            re.search(
                # ("all three of its tasks")
                r"\b(?:every|each|all)\s+(?:(?:two|three|four|five|six|\d)\s+)?(?:of\s+)?(?:the\s+|its\s+)?(?:single\s+)?"
                r"(?:section\s+[ivx]+(?:'s)?\s+)?tasks?\b"
                # ("common to all the section II tasks", "what do its tasks have in common")
                r"|\bcommon\s+to\s+(?:all|every|each)\b|\bin\s+common\b"
                r"|每一?[项条]|所有任务",
                text,
                re.I,
            )
        ) and not (
            counting
            and re.search(r"\bin total\b|\baltogether\b|\b(?:different|distinct|unique)\b|总共|一共", text, re.I)
        )
        marked, op = _mark(terms, text)
        return SetQuery(terms=tuple(marked), op=op, output="units", counted=counting, each_task=every)
    if task_terms and len(task_numbers) >= 2:
        # "Tasks 8 and 9 … Which unit is on 8 but not on 9?", "Task 5 (…) vs task 7 (…): which units are
        # on 5 but not on 7?": the numbers again, on their own.
        named = Mention("task", tuple(task_numbers), task_terms[0].start, task_terms[-1].end, "")
        task_terms = _bare_task_numbers(text, named) or task_terms
    if len({t.values for t in task_terms}) < len(task_terms):
        # "comparing the e-commerce task with the capital flow task, which units are on the e-commerce
        # one but not on the capital flow one?": a task named again counts where it is named last
        task_terms = [t for i, t in enumerate(task_terms) if all(u.values != t.values for u in task_terms[i + 1 :])]
        task_numbers = [v for m in task_terms for v in m.values]
    if (
        task_terms
        and earlier
        and pointing
        and not terms
        and (asks == Asks.WHO or units_asked)
        and set(pointed) != {int(n) for n in task_numbers}  # ("it" is the task it names)
    ):
        # "Which units on that task aren't on task 13?", "how many of those units are also on the
        # shipping task?": the earlier task's units against a named task's; "who else, besides those,
        # is on the computing power task?": the named task's, less the earlier ones
        if re.search(
            r"\b(?:besides|apart from|other than|except(?: for)?|aside from)\s+(?:those|these|them|the ones)\b",
            text,
            re.I,
        ):
            return SetQuery(terms=(*task_terms, *(replace(t, negated=True) for t in earlier)), output="units")
        marked, _ = _mark(task_terms, text)
        return SetQuery(terms=tuple(earlier + marked), op=Op.AND, output="units")
    if (
        (task_terms or inherited or earlier)
        and terms
        and (
            (all(t.kind == "unit" for t in terms) and _OTHER_TASKS.search(text))
            # ("anything else about Hongkou?" after its tasks: the other tasks that name it)
            or (in_conversation and all(t.kind in ("unit", "area") for t in terms) and _ANYTHING_ELSE.search(text))
        )
    ):
        # "Is the ecology bureau on any other task?": its tasks, less the ones just discussed (or named).
        done = task_terms or inherited or earlier
        negated = [replace(t, negated=True) for t in done]
        # ("还有哪些任务写“相关区政府”或者“各区政府”?": the names combine as asked; the earlier tasks are left out)
        marked, op = _mark(terms, text)
        return SetQuery(terms=tuple(marked + negated), op=op, output="count" if counting else "tasks")
    if (
        (task_terms or inherited)
        and not terms
        and (
            units_asked or asks == Asks.WHO or re.search(r"\bwhich\s+(?:ones|of\s+(?:them|those|these))\b", text, re.I)
        )
        and _ON_NO_OTHER_TASK.search(text)
    ):
        # "Of the units on task 23, which ones appear on no other task?": those of its units that
        # are on that one task only.
        return SetQuery(terms=tuple(task_terms or inherited), output="unit_tasks", unit_count=("==", 1))
    # "Which units besides Commerce handle task 14 / it?": the task's units less the named ones.
    if (task_terms or inherited) and terms and all(t.kind == "unit" for t in terms) and not yes_no:
        excepted = [bool(_EXCEPT_BEFORE.search(text[: t.start])) for t in terms]
        # "who else? I know about Public Security and Foreign Affairs", 还有谁？公安局和外办我知道了
        known_already = (
            asks == Asks.WHO
            and bool(re.search(r"\belse\b|还有谁|还有哪些(?:单位|部门)|还有哪(?:个|家)", text, re.I))
            # (the names set aside in so many words: "I know about X", 我知道了, "besides X")
            and bool(
                re.search(r"\b(?:know|knew|aware|already|besides|apart from|other than)\b|知道|了解|除了", text, re.I)
            )
        )
        if (all(excepted) or known_already) and (asks == Asks.WHO or _UNITS_WORD.search(text)):
            marked = [replace(t, negated=True) for t in terms]
            return SetQuery(terms=tuple((task_terms or inherited) + marked), output="units")
    if (
        inherited
        and terms
        and all(t.kind == "unit" for t in terms)
        and not yes_no
        # (not a relative clause: "tasks for which the Commerce Commission is responsible")
        and all(
            re.search(r"(?<!\bfor )(?<!\bin )(?<!\bof )(?<!\bon )\b(?:which|what)\s+$", text[: t.start], re.I)
            for t in terms
        )
    ):
        # "ok, which civil aviation body is listed as responsible there?": the named body among the
        # task's units (or none), not the body's own tasks
        return SetQuery(terms=tuple(inherited + terms), output="units")
    families = [t for t in terms if t.kind == "unit" and len(t.values) > 1]
    if (
        (task_terms or inherited)
        and families
        and len(families) == len(terms)
        and not yes_no
        # ("which of those have the district governments among their units?" filters the tasks)
        and not re.match(r"\W*which\s+(?:ones\s+)?(?:of|among)\s+(?:them|those|these)\b(?!\s+units\b)", text, re.I)
    ):
        # "which district governments are on it?", 这一项里有哪些区政府参与: those of the task's units
        return SetQuery(terms=tuple((task_terms or inherited) + families), output="units")
    if (task_terms or inherited) and not terms and (asks == Asks.WHO or units_asked) and _LISTED_FIRST.search(text):
        # "who is listed first on task 22?", 这条排第一的责任单位是哪家: the first of its units
        return SetQuery(terms=tuple(task_terms or inherited), output="units", first=True)
    if inherited:
        if (
            yes_no
            and terms
            and all(t.kind == "unit" for t in terms)
            and re.search(r"\b(?:anyone|anybody|someone|any\s+others?)\s+else\b|\bthe only\b|\bor others\b", text, re.I)
        ):
            # "is the ecology bureau the only one responsible for it, or anyone else too?": the others
            marked = [replace(t, negated=True) for t in terms]
            return SetQuery(terms=tuple(inherited + marked), output="units")
        if yes_no and terms and all(t.kind == "unit" for t in terms):
            return SetQuery(terms=tuple(inherited + terms), output="membership")  # "is X involved in it?"
        if counting and units_asked and not terms:
            if len(inherited[0].values) > 1 and _DISTINCT.search(text):
                # "together in these tasks, how many different units are there?": their units, counted once
                each = tuple(Mention("task", (v,), 0, 0, "") for v in inherited[0].values)
                return SetQuery(terms=each, op=Op.OR, output="units", counted=True)
            return SetQuery(terms=tuple(inherited), output="unit_count")  # "how many units are on it?"
        if terms and _OF_THOSE.search(text):  # "of those, which also involve X?"
            marked, _ = _mark(terms, text)
            output = "count" if asks == Asks.COUNT else "tasks"
            return SetQuery(terms=tuple(marked + inherited), op=Op.AND, output=output)
    if task_terms and not [t for t in terms if t.kind != "unit"]:
        # "Is Shanghai Customs responsible for task 8?": membership, from the task's unit list.
        if yes_no and terms:
            return SetQuery(terms=tuple(task_terms + terms), output="membership")
        # "How many distinct units across tasks 12 and 22?": their units, each counted once
        if (
            asks == Asks.COUNT
            and units_asked
            and not terms
            and len(task_numbers) > 1
            and _DISTINCT.search(text)
            and re.search(r"\b(?:across|combined|together|in total|altogether|between|overall|all told)\b", text, re.I)
            and len(re.findall(r"\bhow many\b", text, re.I)) < 2
        ):
            each = tuple(Mention("task", (v,), 0, 0, "") for v in task_numbers)
            return SetQuery(terms=each, op=Op.OR, output="units", counted=True)
        # "How many responsible units does task 11 have?"
        if asks == Asks.COUNT and units_asked and not terms:
            return SetQuery(terms=tuple(task_terms), output="unit_count")
        # Units across tasks: "both task 8 and task 9", "task 5 but not task 7", "task 5 or task 7".
        if (
            (asks == Asks.WHO or units_asked)
            and len(task_numbers) >= 2
            and not terms
            and (
                _AND_BOTH.search(text)
                or _NOT.search(text)
                or _OR.search(text)
                or re.search(r"\bwhich (?:\w+\s+)?also\b|\balso (?:appear|feature|show up|sit)", text, re.I)
                or _ALL_OF_THOSE.search(text)
                # ("which units are on all three of tasks 5, 6 and 7?")
                or re.search(r"\ball\s+(?:two|three|four|five|six|\d)\s+(?:of\s+)?(?:the\s+)?tasks?\b", text, re.I)
            )
        ):
            marked, op = _mark(task_terms, text)
            if len(marked) == 1 and len(task_numbers) >= 2:  # "tasks 8 and 9" in one mention
                op = Op.OR if _OR.search(text) and not _AND_BOTH.search(text) else Op.AND
            return SetQuery(terms=tuple(marked), op=op, output="units")
    # "Which units share a task with the Sports Bureau?": the partners of one named unit (named once,
    # or twice as in "Sinosure (China Export & Credit Insurance Corporation)").
    units_only = list({t.values: t for t in terms if t.kind == "unit"}.values())
    if len(units_only) == 1 and all(t.kind == "unit" for t in terms):
        terms = units_only
    # "Which units appear on the tasks where Customs is involved?": its partners
    on_its_tasks = re.search(
        r"\b(?:on|in|across)\s+(?:all\s+|every\s+|each\s+)?(?:of\s+)?(?:the\s+)?(?:tasks?|ones?)\s+(?:where|that|which|in which)\b",
        text,
        re.I,
    ) or (
        re.search(r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?tasks\b", text, re.I)
        and _BESIDES.search(text)
    )
    if (
        len(units_only) == 1
        and len(terms) == 1
        and not task_terms
        and (_SHARES_WITH.search(text) or on_its_tasks)
        and (asks == Asks.WHO or _UNITS_WORD.search(text) or re.match(r"\s*who\b", text, re.I))
    ):
        # ("… alongside it in each of them": the partners on every one of its tasks)
        each = bool(re.search(r"\b(?:in|on)\s+(?:each|every|all|both)\b|\beach\s+time\b", text, re.I))
        return SetQuery(terms=tuple(units_only), output="co_units", each_task=each)
    # One leftover English word is usually phrasing; a Chinese bigram left over is a real subject
    # ("临港…数据方面的政策" asks about data in Lin-gang, not for all of Lin-gang's tasks).
    # A word only a few tasks use is a subject even alone ("Lin-gang tasks on reinsurance").
    if not terms:
        return None
    if _CJK.search(text):
        # A Chinese question that asks outright for a list of tasks (哪几条, 多少项, 哪一部分), as
        # a conversation's first question, and marks no topic (方面, 相关, 关于) leaves stray bigrams of phrasing ("在这个方案里要",
        # "挂了名"): then only the plan's own terms (assistant/data/names.json), in the plan's
        # English words, can be a subject. Otherwise any word left over is one.
        lists_outright = bool(_TASKS_ZH.search(text) or _COUNTS_OR_SECTIONS_ZH.search(text))
        # (in a conversation, what a question adds may be the earlier turn's subject)
        if not lists_outright or in_conversation or _marks_zh_topic(text, mentions):
            if topic:
                return None
        else:
            glossed = content_words(" ".join(_plan_terms(_strip_mentions(text, mentions))))
            if _narrowing_words(text, glossed, terms, catalogue) or topic & _plan_term_bigrams():
                return None
    elif (subject := _narrowing_words(text, topic, terms, catalogue)) and (unrelated := _NOT_ABOUT.search(text)):
        # "which of the Customs ones have nothing to do with e-commerce?": the named tasks less those whose
        # measures use the words (a subject asked about is a semantic question; one set aside, a filter)
        words = Mention(
            "words", (unrelated.group("words").strip(),), unrelated.start("words"), unrelated.end(), "", True
        )
        # (its "not" sets the words aside, not a name before it: "which Customs tasks are not about …")
        return _filtered_by_words(terms, words, unrelated, text, asks, catalogue)
    elif (
        subject
        and (about := _SUBJECT_NAMED.search(text))
        and not any(about.start("words") <= t.start < about.end() for t in terms)
    ):
        # "Of the tasks Customs is on, which ones are about e-commerce?", "which PBOC tasks mention the
        # RMB?": the named tasks whose measures use the words, when some do; when none does, the
        # words may be a paraphrase, a semantic question
        words = Mention("words", _named_phrases(about), about.start("words"), about.end(), "")
        return _filtered_by_words(terms, words, about, text, asks, catalogue)
    elif len(subject) > 1 or subject & _specific_words(topic, catalogue):
        return None
    if asks == Asks.WHO and (
        _TASKS_LEAD.search(text)
        or _TASKS_ZH.search(text)
        or _ANY_TASK_WHERE.search(text)
        # ("which one(s) have the shortest list of responsible units?": a condition on a task's units)
        or (_unit_count_condition(text) is not None and not counting)
    ):
        asks = Asks.TASKS  # "tasks where X is a responsible unit but Y isn't": tasks, not units
    if (
        asks == Asks.WHO
        and not tasks
        and all(t.kind == "unit" for t in terms)
        and re.search(r"\bwhat\b.{0,60}\b(?:in charge of|responsible for|handle|lead|do)\b", text, re.I)
    ):
        asks = Asks.TASKS  # "what is the Data Bureau in charge of?": the unit's tasks
    # "What's in section III?": a section's content is its tasks; "is Customs on anything in section
    # I?" asks which of a section's tasks list a unit.
    kinds = {t.kind for t in terms}
    about_tasks = (
        bool(_RESPONSIBLE.search(text) or _ACT_TOGETHER.search(text))
        or bool(_LIST_CUE.search(_without_listed_terms(text, catalogue)))
        # ("which of the PBOC ones don't have …": a body's ones are its tasks)
        or bool(kinds and kinds <= {"unit", "area"} and re.search(r"\bwhich\b[^?]{0,60}?\bones\b", text, re.I))
        or kinds == {"section"}
        or kinds
        == {
            "unit",
            "section",
        }
    )
    if asks == Asks.SECTION:
        # "which section has the most Customs tasks?": sections ranked by the selected tasks
        output = "section_counts" if _SUPERLATIVE.search(text) else "section"
    elif asks == Asks.COUNT:
        counted = _COUNTED_NOUN.search(text)
        if (
            counted
            and counted.group(1).strip()
            and not content_words(counted.group(1)) & _STRUCTURE_NOUNS
            and not any(counted.start(1) <= t.start < counted.end(1) for t in terms)
        ):
            return None  # "how many years of tax records do I need?" counts no task, unit or section
        output = "count"
        if counted and _SECTIONS_COUNTED.search(counted.group(1)):
            # "how many sections is Customs in?": the sections its tasks are in, counted
            marked, op = _mark(terms, text)
            return SetQuery(terms=tuple(marked), op=op, output="section", counted=True)
    elif asks == Asks.TASKS or (
        asks in (Asks.CONTENT, Asks.APPLIES, Asks.YES_NO, Asks.WHERE, Asks.DEFINITION) and about_tasks
    ):
        output = "tasks"
    else:
        return None
    marked, op = _mark(terms, text)
    if output == "section" and _NO_TASK_FOR.search(text):
        # "which sections have no task at all for Commerce?": the sections none of whose tasks name it
        marked = [replace(m, negated=True) if m.kind in ("unit", "area") else m for m in marked]
    within: tuple[int, ...] = ()
    places = [t for t in marked if t.kind == "section" and not t.negated]
    if op == Op.OR and places and len(places) < len(marked):
        # "In sections I and II, which tasks involve Lingang or Hongqiao?": the sections say where
        # to look; the "or" joins the other names
        within = tuple(sorted(set.intersection(*(catalogue.term_tasks("section", t.values) for t in places))))
        marked = [t for t in marked if t not in places]
    # "Apart from the trade fair task, what is Transport on?": a task set aside
    marked += [replace(t, negated=True) for t in task_terms if _SET_ASIDE.search(text[max(0, t.start - 25) : t.start])]
    return SetQuery(
        terms=tuple(marked),
        op=op,
        within=within,
        fewest=asks == Asks.SECTION and bool(_FEWEST.search(text)),
        only=_only_asked(text, marked),
        first=bool(_LISTED_FIRST.search(text)),
        last=_unit_listed_last(text, marked),
        in_text=bool(_IN_TEXT.search(text)),
        output=output,
    )
