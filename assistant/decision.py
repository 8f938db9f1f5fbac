"""The decision layer: answer, answer partially ("the plan does not say …"), or refuse.

Small classes with one job each, all reading the :class:`~assistant.question.QuestionAnalysis`:

* :class:`EvidenceGate` refuses only when the documents are silent on the question's topic:
  the best passage's dense cosine, calibrated on the development splits (eval/calibrate.py), or
  a jurisdiction the plan does not cover. In the grey zone above the floor, a question whose
  subject is not in the documents' words (no two-word phrase of theirs, two or more words they
  never use) is not refused when BM25 found the passage: it is answered with a hedge that names
  those words (:meth:`EvidenceGate.unsure`). One word the plan does not use (a typo, "forex", a
  product name) changes nothing.
* :class:`AnswerTypeCheck` compares what the question expects (a date, an amount, a count,
  a place, a procedure, an enumeration, a yes/no about something) with the evidence chosen to
  answer it; when the evidence cannot contain it, the answer is partial and says so first.
* :func:`choose_evidence` picks the passages to answer from.
* :func:`tasks_looked_up` decides which tasks a word look-up lists ("which tasks mention AI?", within
  :func:`look_up_scope`), and
  :func:`facet_first` which task a facet follow-up leads with ("what about the insurance side?").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from assistant.catalogue import SPECIFIC_TASKS, TaskCatalogue
from assistant.normalise import normalise_query
from assistant.question import (
    EXAMPLE_MARKERS,
    LIST_INCLUDES_ASKED,
    MEMBERSHIP_ASKED,
    Asks,
    QuestionAnalysis,
    answer_type_spans,
    retrieval_text,
    subject_words,
)
from assistant.retrieval import PassageHit
from assistant.verify import content_words, word_pairs

logger = logging.getLogger(__name__)


@dataclass
class Decision:
    action: str  # "answer" | "partial" | "refuse"
    chosen: list[PassageHit] = field(default_factory=list)
    missing: str = ""  # the phrase key of what the plan does not give ("partial.when", ...)
    detail: dict = field(default_factory=dict)  # values for the phrase ({noun}, {words})
    reason: str = ""
    # Why a refusal: "floor" (the best cosine below the gate's floor), "grey", "other_place",
    # "no_evidence", "silent" (what is asked is words no document uses), "lexical", "off_subject"
    # (words found, not the subject's); "" otherwise.
    code: str = ""


# How much lower the gate's floor is for a passage that carries a place or unit the question names
# (dev: short questions such as "What is planned for Yangpu?" reach 0.80-0.81 on their task).
NAMED_SUBJECT_ALLOWANCE = 0.03


# Below the dense floor by at most this much, a passage that contains most of the question's
# subject words (IDF-weighted share >= TOPIC_COVERAGE) and no subject word unknown to the
# documents is evidence (dev: keeps "What does the plan say about reinsurance?"-style questions,
# whose wording dilutes the cosine, without answering any dev question the plan is silent on).
WORDING_ALLOWANCE = 0.03
TOPIC_COVERAGE = 0.6

# A passage that lacks what is asked (a sum, a date, a procedure) is quoted as "what the plan does
# say" only when it is about the question's subject. In the lower half of the grey zone, holding
# under this share of the subject's (IDF-weighted) words, it is not: the documents are silent
# (dev, 1,765 rows: of the partial answers this turns into refusals, 30 were on topics the plan is
# silent on, 8 near-misses and 2 answerable; see docs/eval.md "Session 18").
PARTIAL_TOPIC_COVERAGE = 0.2
# Under this share of the subject's (IDF-weighted) words, a passage in the lower half of the grey
# zone is no evidence whatever BM25 found, when the question does not put its subject in the
# documents' words (dev, 1,710 English rows: see docs/eval.md "Session 19").
OFF_SUBJECT_COVERAGE = 0.15


class EvidenceGate:
    """Is there evidence for the question's topic at all?

    ``min_dense``: below this best-passage cosine nothing counts as evidence. ``grey_dense``:
    between the two, a passage also needs BM25 evidence or the question's subject in the
    documents' words (and without the latter the answer is hedged, :meth:`unsure`). Both are
    calibrated on the development splits (see docs/eval.md); values live in Settings.
    """

    def __init__(
        self,
        min_dense: float,
        grey_dense: float,
        min_dense_zh: float | None = None,
        dense: bool = True,
    ) -> None:
        """``dense``: whether hits carry a dense cosine (false in lexical-only retrieval)."""
        self.min_dense = min_dense
        self.grey_dense = grey_dense
        self.min_dense_zh = min_dense if min_dense_zh is None else min_dense_zh
        self.dense = dense

    def refuses(
        self,
        analysis: QuestionAnalysis,
        hits: list[PassageHit],
        unknown: list[str] | None = None,
        topic_coverage: float = 0.0,
        documents_wording: bool = True,
        continuing: bool = False,
        names_subject: bool = False,
    ) -> tuple[str, str]:
        """Why to refuse, as (code, detail); ("", "") to go on. Codes: see :attr:`Decision.code`.

        ``topic_coverage``: the IDF-weighted share of the question's subject words that the best
        passage itself contains; ``documents_wording``: whether the question puts its subject in the
        documents' words (AnswerTypeCheck.uses_documents_wording); ``continuing``: see :func:`continues`;
        ``names_subject``: the question names the passage's subject by a coined name of the documents
        (AnswerTypeCheck.names_its_subject)."""
        if analysis.other_places and not analysis.tasks:
            return "other_place", "a jurisdiction the plan does not cover"
        if not hits:
            return "no_evidence", "no passage retrieved"
        top = hits[0]
        if not self.dense:  # lexical-only retrieval: the question's subject words must be in the passage
            if top.lexical <= 0 or unknown or topic_coverage < TOPIC_COVERAGE:
                return "lexical", f"lexical only: coverage {topic_coverage:.2f}, unknown {unknown}"
            return "", ""
        floor = self.min_dense_zh if analysis.language == "zh" else self.min_dense
        grey = self.grey_dense
        named = [*analysis.areas, *analysis.units]
        about_named = any(name in str(top.metadata.get(f, "")) for name in named for f in ("areas", "units"))
        if (about_named and not unknown) or continuing:
            # The question names a place or body of the plan, the passage is about it and the rest
            # of the question uses the documents' words: they are not silent on the subject,
            # whatever the cosine of the wording ("What is planned for Yangpu?"; not "the minimum
            # wage in Pudong", whose subject no document mentions). So too a passage the conversation
            # was already about, described in new words.
            floor -= NAMED_SUBJECT_ALLOWANCE
            grey -= NAMED_SUBJECT_ALLOWANCE
        # ("will the city keep hosting ChinaJoy?": a name only the documents' few passages on it use,
        # which the passage holds, is its subject however the rest of the question is worded; what
        # the passage does not give of what is asked is found by the checks that follow)
        if (
            top.dense < floor
            and not names_subject
            and not (top.dense >= floor - WORDING_ALLOWANCE and topic_coverage >= TOPIC_COVERAGE and not unknown)
        ):
            # Below the floor a passage still counts when it contains the question's own subject
            # words: "What does the plan say about reinsurance?" dilutes the cosine of the one word
            # that matters, which Task 12 contains.
            return "floor", f"dense {top.dense:.3f} < {floor} (topic coverage {topic_coverage:.2f})"
        # Lexical evidence is English-only (the corpus is English): Chinese questions rely on the dense score.
        # In the grey zone a passage needs lexical evidence: BM25 found it for the question's own
        # words, or the question puts its subject in the documents' words.
        if top.dense < grey and top.lexical <= 0 and not documents_wording and analysis.language == "en":
            return "grey", f"dense {top.dense:.3f} in grey zone without lexical evidence"
        # A Chinese question has no lexical evidence of its own; in the grey zone it needs one of
        # the documents' terms (names.json), names, or words in Latin letters the documents use: with
        # none, cross-lingual cosines of silent topics (新能源汽车出口, 农产品检验检疫) reach those of
        # covered ones (dev, Chinese questions without history: 83 silent topics against 6 answerable).
        if (
            analysis.language == "zh"
            and top.dense < grey
            and not continuing
            # (a question opening a conversation, as measured: a later turn may lean on the earlier
            # ones, "那进口方面呢？" a facet of their subject)
            and not analysis.in_conversation
            and not analysis.wants_targets
            and not (analysis.plan_terms or analysis.units or analysis.areas or analysis.tasks or analysis.sections)
            and not (top.lexical > 0 and _LATIN_WORD.search(analysis.text))
        ):
            return "grey", f"dense {top.dense:.3f} in grey zone with no term of the documents"
        return "", ""

    def far_from_subject(
        self, analysis: QuestionAnalysis, top: PassageHit, topic_coverage: float, share: float
    ) -> bool:
        """Whether the best passage is too far from an English question to count as being about its
        subject: in the lower half of the grey zone and holding under ``share`` of its subject words.
        (A passage sharing "foreign" and "international" with "a foreign university's branch campus
        for international students" holds none of it.)"""
        return (
            self.dense
            and analysis.language == "en"
            and top.dense < (self.min_dense + self.grey_dense) / 2
            and topic_coverage < share
        )

    def unsure(
        self, analysis: QuestionAnalysis, hits: list[PassageHit], documents_wording: bool, continuing: bool = False
    ) -> bool:
        """Evidence in the grey zone for an English question whose subject is not in the documents'
        words: a neighbouring topic ("a driving licence") reaches the same cosines as a slangy or
        paraphrased question on a covered one ("forex paperwork 4 xborder ecom sellers"), so the
        answer says which of its words the documents do not use before quoting the closest passage."""
        return (
            bool(hits)
            and analysis.language == "en"
            and not documents_wording
            and hits[0].dense < self.grey_dense
            and not continuing
        )


def continues(analysis: QuestionAnalysis, hits: list[PassageHit], unknown: list[str]) -> bool:
    """Whether the best passage is a task the conversation already cited and most of the question's
    subject is in the documents' words: "the preview thing for unreleased games - who's listed?" after
    an answer on Task 2 is about Task 2, not a neighbouring topic the documents are silent on."""
    if not hits or hits[0].task is None or hits[0].task not in analysis.conversation_tasks:
        return False
    unknown_subject = [w for w in unknown if content_words(w) & analysis.topic_words]
    return len(unknown_subject) * 2 < max(1, len(analysis.topic_words))


# What each expected answer type needs to find in the evidence.
_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\bannual(?:ly)?\b|\beach year\b|\bevery year\b|\byearly\b|\bquarter\b|\bdeadline\b|年|月"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
# A deadline or a date asks for a point in time; "annually" answers only "how often".
_HOW_OFTEN = re.compile(
    r"\bhow (?:often|frequently|regularly)\b|\bhow many times\b|\bat what intervals?\b"
    r"|多久[\u4e00-\u9fff]{0,4}一次|多长时间[\u4e00-\u9fff]{0,4}一次|隔多久|几年一次|频率|频次|多频繁",
    re.I,
)
_DATE_SPECIFIC = re.compile(
    r"\b(?:19|20)\d\d\b|\bdeadline\b|年|月"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.I,
)
_MONEY = re.compile(
    r"[$¥€]\s?\d|\d+(?:\.\d+)?\s*(?:billion|million|trillion|yuan|rmb|dollars?|%|percent)|\d\s*(?:亿|万)", re.I
)
_NUMBER = re.compile(
    r"(?<![A-Za-z])\d+(?![A-Za-z])"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred)\b",
    re.I,
)
_BODY = re.compile(r"\b(?:group|committee|commission|office|bureau|government|administration|department)s?\b", re.I)
# Specific kinds of answer a plan of measures rarely gives; when the question asks for one and the
# evidence does not contain it, the answer is partial.
_CONTACT_DETAILS = re.compile(
    r"\b(?:phone|contact|fax) (?:numbers?|no)\b|\btelephone\b|\b(?:opening|office|business|working) hours\b"
    r"|\bhotline\b|\be-?mail\b|\bwebsite\b|\burl\b"
    # ("address" the noun: "the office address", not "does the plan address this?")
    r"|\b(?:postal|street|office|mailing|exact|physical|registered|their|its|the)\s+address(?:es)?\b"
    r"|\baddress(?:es)?\s+(?:of|for)\b"
    r"|\bcontact (?:person|details|information)\b|电话|邮箱|网址|热线|地址|联系方式|办公时间|营业时间|开放时间",
    re.I,
)
_INCENTIVE = re.compile(
    r"\bsubsid(?:y|ies|ise|ize)\b|\bgrants?\b|\brebates?\b"
    r"|\btax (?:breaks?|incentives?|relief|cuts?|exemptions?|credits?)\b|\bexemptions?\b|\bincentives?\b|\brewards?\b"
    r"|\bcash (?:grants?|rewards?|subsid\w+|incentives?|bonus(?:es)?|support)\b|\bloans?\b|\bdiscounts?\b"
    r"|\bpenalt(?:y|ies)\b|\bfines?\b|\bsanctions?\b|\bbonus(?:es)?\b|\ballowances?\b|\bprize(?:s|\s+money)?\b"
    r"|\bfree (?:office|space|rent|housing|land|training)(?: space)?\b|\brent[- ]free\b|\bfree of charge\b"
    # (how something is taxed: "what's the VAT treatment on aircraft traded there?")
    r"|\b(?:vat|tax|tariff|duty)\s+(?:treatment|rates?|status)\b|\bvat\b"
    r"|补贴|补助|资助|奖励|税收优惠|减税|免税|退税|减免|罚款|处罚|贷款|免费|增值税|税率",
    re.I,
)
_CJK = re.compile(r"[\u3400-\u9fff]")


# A word in Latin letters in a Chinese question ("chinajoy", "CIPS"): written as the documents would write it
_LATIN_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z0-9&-]{2,}")
# A word written with a capital or as an acronym ("Qianhai", "OECD", "RCEP"), Latin letters in
# Chinese text too.
_PROPER_NAME = re.compile(r"(?<![A-Za-z])(?:[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*|[A-Z]{2,}[0-9]*s?)(?![A-Za-z])")


_EXAMPLE_BEFORE = rf"\b(?:{EXAMPLE_MARKERS})\s+(?:\w+\s+)?$"


def _evidence_words(body: str) -> set[str]:
    """The evidence's words, as written and in the forms a question's British spellings map to."""
    return content_words(body) | content_words(normalise_query(body))


def yes_no_settled_by_naming(analysis: QuestionAnalysis) -> bool:
    """Whether a yes/no turns on something the evidence must name (an item on a list, a party it
    is open to, a wider case, a price): asked of a named task too, not only of retrieved evidence."""
    text = analysis.asking_sentence or analysis.text
    patterns = (MEMBERSHIP_ASKED, LIST_INCLUDES_ASKED, _PARTY_ASKED, _COVER_ASKED, _ONLY_ASKED, _COST_ASKED)
    return analysis.asks == Asks.YES_NO and any(p.search(text) for p in patterns)


def asks_for_requirements(text: str) -> bool:
    """Whether ``text`` asks for conditions, criteria, thresholds or a minimum to meet."""
    return bool(_REQUIREMENTS_ASKED.search(text))


def _instances_named(stem: str, text: str) -> set[str]:
    """Proper names in ``text`` whose last word is the noun ``stem`` asked for ("… Import Expo")."""
    if len(stem) < 4:
        return set()
    head = re.escape(stem[:1].upper() + stem[1:])
    # (the noun ends the name: not "New" of "Pudong New Area")
    pattern = rf"(?:\b[A-Z][\w&-]*\s+(?:\([A-Z]\w*\)\s+)?(?:(?:of|for|and|on|in)\s+)?){{1,7}}{head}\w*(?!\s+[(A-Z])"
    # … or opens it: "the Opinions of the General Office of the State Council on …"
    opening = (
        rf"\b{head}\w*\s+(?:of|on|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:(?:of|on|for|and|the)\s+)*[A-Z][\w-]*){{0,8}}"
    )
    return {m.group(0) for m in re.finditer(pattern, text)} | {m.group(0) for m in re.finditer(opening, text)}


def _names_its_subject(name: str, question: str) -> bool:
    """Whether ``question`` uses ``name`` (whole words) other than as an example of what it asks for."""
    flat = " ".join(question.split())
    found = re.search(rf"(?<![\w-]){re.escape(' '.join(name.split()))}(?![\w-])", flat, re.I)
    return found is not None and not re.search(_EXAMPLE_BEFORE, flat[: found.start()], re.I)


def asks_for_contact(text: str) -> bool:
    """Whether ``text`` asks for a phone number, an address, opening hours or the like."""
    return bool(_CONTACT_DETAILS.search(text))


def asks_for_incentive(text: str) -> bool:
    """Whether ``text`` names a subsidy, grant, tax break, fine or the like."""
    return bool(_INCENTIVE.search(text))


# "the member units of the leading group", 成员单位: an enumeration, whatever the question word.
_MEMBER_WORD = re.compile(r"\bmembers?\b|\bmembership\b|成员", re.I)
# Instances listed after the noun: "events like A, B and C", "goods, including A, B and C".
# ("services in energy-saving, carbon reduction, …, etc.": a list closed by "etc." lists instances too)
_LIST_OF_INSTANCES = (
    r"(?:\b(?:such as|including|like|namely|e\.g\.)\s+[^.;]{2,200}?,"
    r"|\b(?:in|of)\s+[^.;,]{2,60},[^.;]{2,200}?,\s*etc\b)"
)
# "Who operates / runs / owns it": an operator, which a plan of measures does not name.
_OPERATOR = re.compile(
    r"\bwho (?:exactly |actually |really )?(?:will )?(?:operates?|runs?|owns?|manages?|builds?|invests? in|funds?)\b"
    r"|谁来运营|谁运营|运营方|由哪家"
    # "which vendor is building it", "what company will run the platform"
    r"|\b(?:which|what)\s+(?:\w+\s+)?(?:vendors?|contractors?|compan(?:y|ies)|firms?|operators?|suppliers?|builders?)\s+"
    r"(?:is\s+|are\s+|will\s+|would\s+)?(?:be\s+)?(?:operat|run|own|manag|build|construct|develop|suppl)\w*",
    re.I,
)
# "who chairs the Leading Group?", "the name of the director": a person or an office-holder, not a body
_PERSON_ASKED = re.compile(
    r"\bwho\s+(?:exactly\s+)?(?:chairs|heads|directs|is\s+(?:the\s+)?(?:chair\w*|head|director|leader|chief|minister|mayor)\b)"
    r"|\bname\s+of\s+(?:the\s+)?(?:chair\w*|head|director|person|official|leader)\b|谁担任|组长是谁|负责人是谁|主任是谁"
    # ("who should I contact at the Green Technology Bank?": someone inside a named body)
    r"|\bwho\s+(?:should|do|can|could)\s+(?:i|we)\s+(?:contact|call|e-?mail|speak\s+to|talk\s+to|ask)\s+at\b",
    re.I,
)
_PERSON_STATED = re.compile(r"\b(?:chair\w*|head|director|mayor|minister|vice[- ]mayor|Mr|Ms|Dr)\b")
# "who runs it?" in a follow-up: "it" is the task the conversation is about, and who runs a task is
# who is responsible for it (not so for "when does the platform go live and who runs it?")
_RUNS_THE_TASK = re.compile(
    r"\bwho\s+(?:runs|manages|handles|leads)\s+(?:it|that|this|them|those|these|that one|this one)\b", re.I
)


def asks_how_often(analysis: QuestionAnalysis) -> bool:
    """Whether the question asks how often something happens ("… and how often?")."""
    return bool(_HOW_OFTEN.search(analysis.asking_sentence or analysis.text))


def asks_for_operator(analysis: QuestionAnalysis) -> bool:
    """Whether the question asks which company or vendor builds, runs or owns something."""
    if analysis.follow_up is not None and _RUNS_THE_TASK.search(analysis.text):
        return False
    return bool(_OPERATOR.search(analysis.text))


_APPLYING = re.compile(
    r"\bwho\s+(?:do|should|can|would)\s+(?:we|i|you)\s+(?:apply|submit|send|file)\b"
    r"|\b(?:submit|send|file|hand in)\s+(?:the\s+|an?\s+|our\s+|my\s+)?(?:application|documents?|forms?|paperwork)\b"
    r"|\bhow\s+(?:do|can|should|would)\s+(?:i|we|you|one)\s+(?:apply|register|sign up)\b"
    # ("what documents does a biotech company have to file, and with which office?")
    r"|\b(?:what|which)\s+(?:documents|paperwork|papers|forms|materials)\b[^?]{0,60}"
    r"\b(?:file|submit|send|provide|hand in)\b",
    re.I,
)
_PROCEDURE = re.compile(
    r"\bsubmit\b|\bapply (?:to|through|via|online|at|with)\b|\bsteps?\b|\beligib|\bapplicants?\b"
    r"|\brequired documents\b",
    re.I,
)


# "what conditions do we have to meet", "the minimum registered capital", "eligibility criteria": the
# requirements for taking part, which a plan of measures states only in so many words.
_REQUIREMENTS_ASKED = re.compile(
    # (not what the plan itself requires: "the plan's requirements for data exports")
    r"(?<!plan's )(?<!task's )"
    r"\b(?:requirements?|conditions|criteria|thresholds?|qualifications?|prerequisites?|minimum|minimal)\b"
    r"|\b(?:have|has|need|needs)\s+to\s+(?:meet|fulfil+|satisfy)\b|\bmust\s+(?:meet|fulfil+|satisfy)\b"
    r"|\bmin\.?\s+(?=[a-z]{3})"  # ("min registered capital")
    # ("what makes us a 'qualified overseas trader'?", "what qualifies a firm as …")
    r"|\bwhat\s+(?:makes|qualifies)\s+(?:us|me|them|it|someone|(?:a|an|our|my)\s+\w+)\b"
    r"|条件|门槛|资质|最低",
    re.I,
)
_REQUIREMENTS_STATED = re.compile(
    r"\b(?:requirements?|required|conditions|criteria|thresholds?|minimum|must|eligib\w*|at least|no less than)\b", re.I
)


# A yes/no on what the rules permit ("will SMEs be allowed to…", "is there a cap on…", "are e-bills
# legally equivalent to paper ones?"): a plan of measures settles it only where it says what is
# permitted ("wholly foreign-owned", "allow", "may").
_PERMISSION_ASKED = re.compile(
    r"\b(?:allowed|permitted|legally|illegal|banned|prohibited|forbidden|mandatory|compulsory)\b"
    r"|\b(?:is|are|be)\s+(?:it\s+|this\s+|that\s+)?legal\b(?!\s+services)|\bequivalent to\b"
    # ("is trading cryptocurrency legal in the zone?", "does Shanghai require a local officer?")
    r"|^\W*(?:is|are)\s+(?:[\w-]+\s+){1,4}?legal\b(?!\s+services)"
    r"|\b(?:does|do|will|would)\s+(?!the plan\b|this plan\b|it\b)(?:[\w-]+\s+){1,3}?(?:require|oblige|mandate)\b"
    r"|是否要求|要求[^？?，,。]{0,20}必须|必须[^？?，,。]{0,20}吗|违法"
    r"|\b(?:a|any|an)\s+(?:[\w-]+\s+)?(?:cap|ceiling|limit|quota|ban)\b"
    r"|\blegal\s+(?:standing|status|force|effect|validity|basis|weight)\b"
    r"|\bneed (?:a|an|any) (?:\w+\s+)?(?:licen[cs]e|permit|approval)\b"
    # ("does that guarantee our data export gets approved?": an outcome, which a plan of measures does not promise)
    r"|\bguarantee[sd]?\b|\b(?:gets?|be|being)\s+approved\b|\bapproval\s+(?:is\s+)?(?:automatic|guaranteed)\b"
    # ("do we automatically qualify…", "are SMEs eligible…", "do we get it refunded automatically": of
    # the asker or a kind of party; "do cosmetics qualify for the pilot?" the plan may settle by listing)
    r"|\b(?:we|i|our|us|my|smes?|compan(?:y|ies)|firms?|enterprises?|foreigners?|businesses)\b[^.?]{0,60}"
    r"\b(?:automatic(?:ally)?|qualif(?:y|ies)|eligib\w*)"
    r"|允许|合法|等同|上限|限额|禁止|需要(?:什么)?(?:许可|审批|牌照)",
    re.I,
)
# A yes/no on who may do what or what a measure reaches ("can we join…", "will SMEs get…", "does the pilot
# cover Hongqiao airport?"): the plan settles it only where its text has the question's own words.
_ELIGIBILITY_ASKED = re.compile(
    r"^\W*(?:\w+\W+){0,12}?(?:can|could|may|will|would)\s+(?:we|i|our|a|an|the|foreign|private|small|sme|smes|they|it|those|these|\w+s)\b"
    r"|\b(?:does|do|will)\s+(?:the|this|that|it)\s+(?:\w+\s+){0,4}?(?:cover|include|apply to|extend to|reach)\b"
    r"|\bavailable (?:to|for)\b|\bopen (?:to|for)\b|\bfor free\b",
    re.I,
)
_PERMISSION_STATED = re.compile(
    r"\b(?:allow\w*|permit\w*|wholly|100%|may|eligible|qualified|caps?|capped|limit\w*|prohibit\w*)\b", re.I
)


# "How is the index calculated?", "what KPI will be used to judge it?", "how will success be measured?":
# a method of measurement, which a plan of measures gives only where it says so in so many words.
_METHOD_ASKED = re.compile(
    r"\bhow (?:exactly |precisely )?(?:is|are|will|would|does|do)\b[^?]{0,80}?"
    r"\b(?:calculated|computed|measured|assessed|evaluated|determined|weighted|scored|judged)\b"
    # (not "what indicators does the plan set": its targets are those)
    r"|\bwhat (?:\w+\s+)?(?:kpis?|metrics?|yardsticks?)\b"
    r"|\b(?:indicators?|benchmarks?)\b[^?]{0,40}\b(?:used|applied)\s+to\s+(?:judge|measure|assess|track|evaluate)\b"
    r"|\bhow (?:will|would|is|are)\s+(?:the\s+)?(?:success|progress|performance|effectiveness|impact)\b"
    r"|如何(?:计算|衡量|评估|考核)|怎么(?:计算|衡量|评估|考核)|考核指标|评估指标",
    re.I,
)
_METHOD_STATED = re.compile(
    r"\bcalculat\w*|\bformula\b|\bmethodolog\w*|\bmeasured (?:by|as|in)\b|\bkpis?\b|\bmetrics?\b"
    r"|\bassessed (?:by|against|on)\b|\bevaluation (?:system|mechanism|criteria)\b",
    re.I,
)


# What a measurement is made with ("forecast indexes", "total volume"): named, it answers "how is X measured?".
_INSTRUMENT = re.compile(r"\b(?:index|indexes|indices|indicators?|benchmarks?)\b", re.I)


class AnswerTypeCheck:
    """Does the evidence contain the kind of answer the question expects?"""

    def __init__(self, catalogue: TaskCatalogue, idf: dict[str, float]) -> None:
        self.catalogue = catalogue
        self.corpus_words = set(idf)
        # Every two-word phrase the documents use (the catalogue holds every passage's text).
        self.corpus_phrases = {pair for entry in catalogue.entries for pair in word_pairs(entry.text)}
        # Typo look-ups (edit distance 1) by deletion keys: a word with one letter left out, with and
        # without the position it was left out at (a substitution leaves both words the same key).
        self._deleted: set[str] = set()
        self._deleted_at: set[tuple[int, str]] = set()
        for word in self.corpus_words:
            if len(word) >= 5:
                for i in range(len(word)):
                    self._deleted.add(word[:i] + word[i + 1 :])
                    self._deleted_at.add((i, word[:i] + word[i + 1 :]))
        # the first five letters or more of every word the documents use ("invest" of "investment")
        self._prefixes = {w[:i] for w in self.corpus_words for i in range(5, len(w))}
        self.idf = idf
        self.unseen_weight = max(idf.values(), default=1.0)  # a word no passage uses weighs the most

    def missing(self, analysis: QuestionAnalysis, chosen: list[PassageHit]) -> tuple[str, dict]:
        """The phrase key of what the evidence lacks ("" when it has what is asked) and its values."""
        entries = [self.catalogue.by_label(*hit.key) for hit in chosen]
        texts = [e.text for e in entries if e is not None]
        body = " ".join(texts)
        asks = analysis.asks
        if analysis.wants_chinese_text and body and not re.search(r"[\u4e00-\u9fff]", body):
            return "partial.language", {}  # (the wording asked for is the English text's only)
        years = [y for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", analysis.text) if y not in body]
        if years:  # "the target for 2025" in a plan whose figures are for 2029
            return "partial.year", {"year": ", ".join(dict.fromkeys(years))}
        asked = analysis.asking_sentence or analysis.text
        figures = asks in (Asks.AMOUNT, Asks.COUNT, Asks.TARGETS) or bool(_FIGURES_ASKED.search(asked))
        past = _PAST_YEARS.search(asked) if figures else None
        if past and (_TARGET_YEAR.search(body) or not _NUMBER.search(_without_task_numbers(body))):
            # "what was the services trade total last year?": the evidence's figures are targets for a
            # year to come, not what was reached; "what were the index values last year?" of a
            # measure the evidence gives no figure for
            return "partial.year", {"year": past.group(0).lower()}
        # ("what's the current 2029 target?" asks for the target itself)
        # (a target the figure is measured against is no target asked for: "how big is it now, so I
        # can see how far it is from the 2029 target?")
        measured_against = _MEASURED_AGAINST.sub(" ", asked)
        now = _CURRENT_FIGURE.search(asked) if figures and not _TARGET_ASKED.search(measured_against) else None
        if now and (_TARGET_YEAR.search(body) or not _NUMBER.search(_without_task_numbers(body))):
            # "and what's the baseline - how big is it now?": the evidence's figures are targets, not
            # where things stand
            return "partial.current", {}
        # (a measure the evidence names and the question does not is its answer: "how is punctuality
        # measured?" - by forecast indexes; "how is the index calculated?" is not answered by the index)
        instrument = content_words(" ".join(_INSTRUMENT.findall(body))) - content_words(
            " ".join(_INSTRUMENT.findall(asked))
        )
        if _METHOD_ASKED.search(asked) and not _METHOD_STATED.search(body) and not instrument:
            return "partial.method", {}
        if _REQUIREMENTS_ASKED.search(asked) and not _REQUIREMENTS_STATED.search(body):
            # "what registered capital and licence conditions does a foreign investor have to meet?"
            return "partial.how_to", {}
        sum_asked = asks in (Asks.AMOUNT, Asks.TARGETS) or Asks.AMOUNT in analysis.also_asks
        if sum_asked and (other := _other_currency(asked, body)):
            # "and how much is that in RMB?" of a target stated in US dollars: no conversion is the
            # plan's (the rate is a day's, not the plan's)
            return "partial.currency", other
        if asks == Asks.TARGETS:
            # "Panda bonds: is there a target issuance volume?": the plan's targets, but none on that
            # subject (a word the measures use on its own: "value" of "value-added" is no subject)
            words = re.findall(r"[a-z]+(?:-[a-z]+)*", analysis.text.lower())
            specific = {
                w
                for w in words
                if w in self.catalogue.measure_words
                and (stems := content_words(w) & analysis.topic_words)
                and all(self.catalogue.few_tasks_use(s) for s in stems)
            }
            if specific and not content_words(" ".join(specific)) & content_words(body):
                return "partial.target", {}
        if asks == Asks.TARGETS and not _TARGET_YEAR.search(body) and not _NUMBER.search(_without_task_numbers(body)):
            # "what is the digital trade target for Pudong?" of a measure that sets no figure at all
            return "partial.target", {}
        if (
            asks == Asks.TARGETS or (asks in (Asks.AMOUNT, Asks.COUNT) and re.search(r"20\d\d|目标", asked))
        ) and self._target_not_set(analysis, body):
            # ("what container throughput are the ports targeting for 2029?", "how many 5G base stations
            # by 2029?" of targets for trade volumes)
            return "partial.target", {}
        if asks == Asks.WHEN and not (_DATE if _HOW_OFTEN.search(analysis.text) else _DATE_SPECIFIC).search(body):
            return "partial.when", {}
        if asks != Asks.WHEN and _HOW_OFTEN.search(asked) and not _DATE.search(body):
            return "partial.when", {}  # ("who publishes those and how often?": the second ask too)
        # "what's its capacity, and when will it go into service?": a further part of the question, too
        if Asks.WHEN in analysis.also_asks and not _DATE_SPECIFIC.search(body):
            return "partial.when", {}
        if Asks.AMOUNT in analysis.also_asks and not _MONEY.search(body):
            return "partial.amount", {}
        if Asks.HOW_TO in analysis.also_asks and not _PROCEDURE.search(body):
            return "partial.how_to", {}
        if asks == Asks.AMOUNT and not _MONEY.search(body):
            return "partial.amount", {}
        if asks == Asks.COUNT and not _NUMBER.search(_without_task_numbers(body)):
            return "partial.count", {}
        if asks == Asks.COUNT and _count_not_of(asked, body):
            # "is there a number of esports events they want each year?" of a passage whose one number
            # counts something else ("the top 10 … brands")
            return "partial.count", {}
        if asks == Asks.WHERE and not self._names_a_place(analysis, chosen[:1]):
            return "partial.where", {}
        if asks == Asks.HOW_TO and not _PROCEDURE.search(body):
            return "partial.how_to", {}
        if asks == Asks.WHO and _APPLYING.search(analysis.text) and not _PROCEDURE.search(body):
            # "who do we submit the application to?": a procedure, asked as a who-question
            return "partial.how_to", {}
        if asks == Asks.MEMBERS or (asks == Asks.WHO and _MEMBER_WORD.search(analysis.text)):
            # The plan answers an enumeration only where it lists instances ("events like A, B and C").
            noun = analysis.focus_noun  # (a Chinese question's in English: 国家 -> "countries")
            stem = noun[:-3] if noun.endswith("ies") else noun[:-1]  # "countries": country, countries
            lead = rf"\b{re.escape(stem)}\w*\b[^.;]{{0,40}}?" if noun else ""
            # A Chinese question whose noun has no English form here: any list of instances will do.
            listed = (noun or analysis.language == "zh") and re.search(lead + _LIST_OF_INSTANCES, body, re.I)
            # … or names two instances or more by that noun ("the China International Import Expo, … and
            # the Global Digital Trade Expo" for "which expos")
            named = _instances_named(stem, body)
            # ("which conferences and expos …": instances of either noun)
            for other in re.findall(rf"\b{re.escape(noun)}\s+(?:and|or|&)\s+([a-z]{{4,}}s)\b", analysis.text, re.I):
                named |= _instances_named(other[:-3] if other.endswith("ies") else other[:-1], body)
            # (a name the question itself uses is its subject, not an instance it asks for: "which
            # services are in the Catalogue for the Promotion of Trade in Services?"; one it gives as an
            # example, "which forums, like the North Bund Forum?", is an instance)
            named = {n for n in named if not _names_its_subject(n, analysis.text)}
            if not listed and len(named) < 2:
                return "partial.members", {"noun": noun or "members"}
        if asks in (Asks.WHO, Asks.CONTENT) and asks_for_operator(analysis):
            return "partial.operator", {}
        if asks == Asks.WHO and _PERSON_ASKED.search(asked) and not _PERSON_STATED.search(body):
            return "partial.person", {}  # "who chairs the Leading Group?": a person, not a body
        if _CONTACT_DETAILS.search(analysis.text) and not _CONTACT_DETAILS.search(body):
            return "partial.contact", {}
        wanted = sorted({w.strip() for w in _INCENTIVE.findall(analysis.text.lower())})
        # Chinese words are judged by whether the English evidence names any incentive at all.
        found = any(content_words(w) & content_words(body) for w in wanted if not _CJK.search(w)) or (
            any(_CJK.search(w) for w in wanted) and bool(_INCENTIVE.search(body))
        )
        if wanted and not found:
            return "partial.incentive", {"words": " or ".join(wanted)}
        if asks == Asks.WHO and not any(e.units for e in entries if e is not None) and not _BODY.search(body):
            return "partial.who", {}
        if asks == Asks.YES_NO and _PERMISSION_ASKED.search(analysis.asking_sentence or analysis.text):
            if not _PERMISSION_STATED.search(body):
                return "partial.yes_no_rules", {}
        if asks == Asks.YES_NO and _ELIGIBILITY_ASKED.search(analysis.asking_sentence or analysis.text):
            # (two words or more no document uses in any form: "can a private fintech join…"; one may
            # be a paraphrase of the plan's own: "outright" for "wholly")
            if len(self._unnamed(analysis.topic_words, body)) >= 2:
                return "partial.yes_no_rules", {}
        if asks == Asks.YES_NO and _COST_ASKED.search(asked) and not (_MONEY.search(body) or _COST_STATED.search(body)):
            return "partial.amount", {}  # "is the BaaS platform free to use?" of a text that names no price
        if asks == Asks.YES_NO and (
            party := self._not_named(_PARTY_ASKED.search(asked), "party", analysis, body)
            or self._not_named(_COVER_ASKED.search(asked), "party", analysis, body)
        ):
            # "is the e-visa pilot open to US citizens?" of a text that names only "foreigners"
            return "partial.yes_no", {"words": party}
        if asks == Asks.YES_NO and (wider := self._wider_case_unnamed(asked, analysis, body)):
            # "can individual traders trade copper options, or is it only for institutions?": the
            # text settles "or only" only if it speaks of the wider case asked about
            return "partial.yes_no", {"words": wider}
        if asks == Asks.YES_NO and (item := self._not_named(MEMBERSHIP_ASKED.search(asked), "item", analysis, body)):
            # "is customer personal data on it?" of a negative list the evidence only announces: the
            # text cannot say whether an item it never names is in
            return "partial.yes_no", {"words": item}
        if asks in (Asks.YES_NO, Asks.MEMBERS) and (
            item := self._not_named(LIST_INCLUDES_ASKED.search(asked), "item", analysis, body, any_missing=True)
        ):
            # The same asked the other way round, "will the catalogue include legal services?": a list
            # the text only announces includes an item only if the text names it, so any telling word
            # of the item it lacks ("health" of "health data") leaves the yes/no open; so too when the
            # list's own noun made it a question of members ("does the list of special customs
            # supervision zones include Yangshan?" of a text that names two others "such as")
            return "partial.yes_no", {"words": item}
        if asks == Asks.YES_NO and (figures := _figures_not_in(analysis.asking_sentence or analysis.text, body)):
            # "does the pilot cover batteries over 100Wh?": a threshold the evidence never states
            return "partial.yes_no", {"words": ", ".join(figures)}
        if asks == Asks.YES_NO and (quoted := self._quoted_unknown(analysis.asking_sentence or analysis.text)):
            # "is 'AI model training services' included in the catalogue?": a name quoted in so many
            # words that no document uses; the text cannot settle whether it is in
            return "partial.yes_no", {"words": quoted}
        if asks == Asks.YES_NO and (names := self.unknown_names(analysis)):
            # "Does the plan benchmark Shanghai against the OECD's index?": whatever the passage says,
            # it cannot settle a yes or no about something no document names.
            return "partial.yes_no", {"words": ", ".join(names)}
        if asks in (Asks.AMOUNT, Asks.COUNT, Asks.TARGETS) and self.unknown_names(analysis):
            # "how much computing power, in EFLOPS": a figure in a measure no document uses
            return ("partial.count" if asks == Asks.COUNT else "partial.amount"), {}
        return "", {}

    def _target_not_set(self, analysis: QuestionAnalysis, body: str) -> bool:
        """Whether the evidence sets figures for a year to come, but most of what the question
        measures is not in the sentences that set them (a Chinese question: the plan's English
        wording of its plan terms)."""
        targets = " ".join(s for s in re.split(r"(?<=[.;])\s+", body) if _TARGET_YEAR.search(s))
        if analysis.language == "zh":
            measured = content_words(" ".join(analysis.plan_terms)) - _TARGET_FRAME_WORDS
        else:
            measured = analysis.topic_words - _TARGET_FRAME_WORDS - content_words(" ".join(analysis.areas))
        measured = {w for w in measured if not w.isdigit()}
        have = _evidence_words(targets)
        places = [content_words(a) - _PLACE_KIND_WORDS for a in analysis.areas]
        if targets and places and not any(p & have for p in places if p):
            return True  # ("the digital trade target for Yangpu": the targets set are the city's)
        # (a word counts in another form of it, as the stemmer may not fold it: "delivery", "delivered")
        found = {w for w in measured if w in have or any(len(w) >= 5 and w[:5] == h[:5] for h in have)}
        return bool(targets and measured) and len(found) * 2 < len(measured)

    def _wider_case_unnamed(self, asked: str, analysis: QuestionAnalysis, body: str) -> str:
        """The words of the wider case of an "A, or only B?" question ("individual" of "can
        individual traders …, or is it only for institutions?") that the evidence does not use."""
        either = _ONLY_ASKED.search(asked)
        if either is None:
            return ""
        # (the clause the "or only" closes, not a description before it: "we sell cosmetics. are …")
        clause = re.split(r"[.;:!?]\s", asked[: either.start()])[-1]
        return ", ".join(f"“{w}”" for w in self._unnamed(content_words(clause) & analysis.topic_words, body))

    def _unnamed(self, words: set[str], body: str) -> list[str]:
        """Of ``words`` (stems), those neither the evidence nor any document uses, in any form or
        with a typo forgiven ("outright" is unnamed; "investor" of "investment" is not)."""
        have = _evidence_words(body)
        return [w for w in sorted(words) if w.isalpha() and w not in have and self._unknown_form(w)]

    def _not_named(
        self, asked: re.Match | None, group: str, analysis: QuestionAnalysis, body: str, any_missing: bool = False
    ) -> str:
        """The phrase a yes/no hangs on (the item of "are our drive systems on the list …?", the
        party of "open to US citizens?") when most of its words (``any_missing``: any of them) are
        not in the evidence ("" otherwise)."""
        if asked is None:
            return ""
        have = _evidence_words(body)
        # (counted as written: "energy-saving" is one word of the item, not three stems)
        words = [stems for w in asked.group(group).split() if (stems := content_words(w) & analysis.topic_words)]
        # (a word most tasks use says nothing of which item: "legal services" hangs on "legal")
        telling = [stems for stems in words if not all(self._common(stem) for stem in stems)]
        words = telling or words
        missing = sum(not stems & have for stems in words)
        if words and (missing * 2 > len(words) or (any_missing and missing)):
            return "“{}”".format(re.sub(r"^(?:our|my|your|their|the|a|an)\s+", "", asked.group(group), flags=re.I))
        return ""

    def _common(self, stem: str) -> bool:
        """Whether most of the plan's tasks use a word ("services", "trade")."""
        return self.catalogue.task_frequency.get(stem, 0) * 2 > len(self.catalogue.tasks)

    def _quoted_unknown(self, text: str) -> str:
        """A phrase the question puts in quotes whose two-word phrases, for the most part, no
        document uses ("" when there is none)."""
        for quoted in re.findall(r"(?:^|(?<=\s))['‘“\"]([^'’”\"]{3,80})['’”\"]", text):
            pairs = word_pairs(quoted)
            if pairs and len(pairs - self.corpus_phrases) * 2 > len(pairs):
                return f"“{quoted}”"
        return ""

    def unknown_names(self, analysis: QuestionAnalysis) -> list[str]:
        """Proper names and acronyms in the asking sentence ("OECD", "Qianhai") that no document
        uses, not even as a spelling variant; a capital that only opens a sentence is not a name.
        (Names in a description before the question, "we ship to Europe. Does the plan help?", are
        not what it asks about.)"""
        text = analysis.asking_sentence or analysis.text
        named = {w for m in analysis.mentions for w in re.findall(r"[a-z0-9]+", m.surface.lower())}
        names = []
        for match in _PROPER_NAME.finditer(text):
            word = match.group(0)
            if word.lower() in named:
                continue
            if re.search(_EXAMPLE_BEFORE, text[: match.start()], re.I):
                continue  # an example of what is asked about ("companies like Amazon"), not its subject
            if word.isupper() and (
                len(word.rstrip("s")) < 4
                or word.rstrip("s") in self.catalogue.phrase_initials
                or word.rstrip("s") in self.catalogue.acronyms
            ):
                continue  # an acronym may stand for words the documents use (IDC, SME, CIFTIS)
            if re.search(r"(?:^|[.?!:;\n]\s*|[\"“(]\s*)$", text[: match.start()]) and not word.isupper():
                continue  # the first word of a sentence
            stems = content_words(word)
            if not stems or stems & self.corpus_words or any(self._near_known(w) for w in stems):
                continue
            if word.lower() in self.catalogue.surface_words:
                continue
            names.append(word)
        return list(dict.fromkeys(names))

    def topic_coverage(self, analysis: QuestionAnalysis, hit: PassageHit) -> float:
        """IDF-weighted share of the question's subject words that the passage contains (Chinese:
        the share of the plan terms it uses whose English wording the passage contains)."""
        entry = self.catalogue.by_label(*hit.key)
        if entry is None:
            return 0.0
        have = content_words(normalise_query(entry.text))
        if analysis.language == "zh":
            # Only terms that name something specific count: a word of the term used by a few tasks
            # ("bills of lading"), not a term every other task touches ("foreign investment").
            # A word in Latin letters is written as the documents would write it ("chinajoy 还会继续办吗").
            latin = [
                w
                for w in _LATIN_WORD.findall(analysis.text)
                if content_words(w) <= analysis.topic_words  # (not "plan", the document itself)
            ]
            terms = [
                words
                for t in [*analysis.plan_terms, *latin]
                if (words := content_words(t)) and any(self.catalogue.few_tasks_use(w) for w in words)
            ]
            return sum(1 for t in terms if t <= have) / len(terms) if terms else 0.0
        if not analysis.topic_words:
            return 0.0
        # (a typo of the documents' word counts as their word: "who is responsible for reinsurnace?")
        typos = {
            stem: fixed
            for typo, word in analysis.typos.items()
            for stem in content_words(typo)
            for fixed in content_words(word)
        }
        words = {typos.get(w, w) for w in analysis.topic_words if w.isalpha()}
        if not words:
            return 0.0
        weight = {w: self.idf.get(w, self.unseen_weight) for w in words}
        return sum(weight[w] for w in words if w in have) / sum(weight.values())

    def _names_a_place(self, analysis: QuestionAnalysis, chosen: list[PassageHit]) -> bool:
        """Whether the sentences closest to the question name a place other than those it names itself."""
        from assistant.units import areas_in

        if chosen and not any(hit.chunks for hit in chosen):
            # A task named or pointed at (no retrieved sentences): its sentences about the place the
            # question (or, for a follow-up, the question before) asks about must name another place;
            # "where exactly is it located?" of a zone the plan only names is not answered by its name.
            subject = set(analysis.areas)
            if not subject and analysis.follow_up is not None:
                subject = set(areas_in(analysis.follow_up.previous_question))
            for hit in chosen:
                entry = self.catalogue.by_label(*hit.key)
                # (clauses, not entry.sentences: one sentence may name a place in each of its clauses)
                for sentence in re.split(r"(?<=[.;])\s+", entry.text if entry is not None else ""):
                    found = set(areas_in(sentence))
                    if (not subject or found & subject) and found - subject:
                        return True
            return False
        for hit in chosen:
            sentences = sorted(
                (
                    c
                    for c in hit.chunks
                    if c.node.metadata.get("granularity") == "sentence" and c.node.node_id in hit.cosines
                ),
                key=lambda c: -hit.cosines[c.node.node_id],
            )[:2]
            for chunk in sentences:
                if set(areas_in(chunk.node.text)) - set(analysis.areas):
                    return True
        return False

    def uses_documents_wording(self, analysis: QuestionAnalysis, unknown: list[str] | None = None) -> bool:
        """Whether the question's subject is put in words the documents use: one of its two-word
        phrases occurs in them, or at most one of its subject words is unknown to them (a typo, a
        product name). "How do I convert a driving licence?" fails both; "What does the plan say
        about aircraft leasing?" passes."""
        if analysis.topic_phrases & self.corpus_phrases:
            return True
        return len(self.unknown_words(analysis) if unknown is None else unknown) <= 1

    def says_something_specific(self, analysis: QuestionAnalysis, anywhere: bool = False) -> bool:
        """Whether the question says what only a few tasks say: one of their two-word phrases
        ("shared services"), or a name or acronym only a few tasks use ("ChinaJoy"). ``anywhere``:
        a phrase of any of its sentences counts, not only of its subject ("We're looking at a wholly
        foreign-owned data centre in Lin-gang. What's the minimum capital?")."""
        phrases = word_pairs(analysis.text) if anywhere else analysis.topic_phrases
        if any(0 < len(self.catalogue.tasks_saying(p)) <= SPECIFIC_TASKS for p in phrases):
            return True
        # (in any case, and in the description before the question too: "we exhibit at chinajoy - when?")
        return bool(content_words(analysis.text) & self.catalogue.coined_names)

    def names_its_subject(self, analysis: QuestionAnalysis, hit: PassageHit) -> bool:
        """Whether the question names something by a coined name or acronym of the documents
        ("ChinaJoy", "SJC2", "CIPS") that ``hit``'s passage uses: the passage is about what it names."""
        # (a name one passage alone uses: "RMB", in three tasks, names a currency, not their subject)
        named = {
            w
            for w in content_words(analysis.text) & self.catalogue.coined_names
            if len(w) >= 3 and self.catalogue.task_frequency[w] == 1  # ("AI" is a word, not a coined name)
        }
        entry = self.catalogue.by_label(*hit.key)
        if entry is not None and any(
            # (or quotes a figure the passage states: "what is the $130 billion in RMB?")
            re.search(rf"(?<![\d.]){re.escape(number)}\s*{unit}", entry.text, re.I)
            for number, unit in _QUOTED_FIGURE.findall(analysis.text)
        ):
            return True
        return bool(named and entry is not None and named & content_words(entry.text))

    def unknown_words(self, analysis: QuestionAnalysis) -> list[str]:
        """Topic words no indexed passage uses, nor a spelling variant of one: what a yes/no hinges on."""
        return self._find_unknown(analysis)

    def _unknown_form(self, stem: str) -> bool:
        """No document uses the word, nor a typo of it, nor another form of it ("investor": "invest")."""
        if stem in self.corpus_words:
            return False
        if self._near_known(stem) or stem in self._prefixes:
            return False
        return not any(stem[:i] in self.corpus_words for i in range(5, len(stem)))

    def _near_known(self, stem: str) -> bool:
        """Within one typo of a word the documents use (words of five letters or more)."""
        if len(stem) < 5:
            return False
        if stem in self._deleted:  # the question left a letter out
            return True
        variants = [(i, stem[:i] + stem[i + 1 :]) for i in range(len(stem))]
        return any(v in self.corpus_words and len(stem) > 5 for _, v in variants) or any(
            v in self._deleted_at for v in variants
        )

    def _find_unknown(self, analysis: QuestionAnalysis) -> list[str]:
        surface = {}
        for word in re.findall(r"[A-Za-z][A-Za-z-]{3,}", normalise_query(analysis.text)):
            for stem in content_words(word):
                surface.setdefault(stem, word.lower())
        unknown = []
        # In the question's own order (topic_words is a set), so the hedge that names these words
        # reads the same on every run.
        for stem in surface:
            if stem not in analysis.topic_words or stem in self.corpus_words or not stem.isalpha() or len(stem) < 4:
                continue
            # ("reinsurnace": its stem is no typo of theirs, the word is)
            if self._near_known(stem) or surface[stem] in analysis.typos:
                continue  # a typo of a word the documents use
            unknown.append(surface[stem])
        return unknown


# A year gone or under way, asked of a figure: "last year", "this year", "the past three years"
_PAST_YEARS = re.compile(r"\b(?:last|this|past|previous)\s+(?:year|(?:two|three|four|five|few|\d)\s+years)\b", re.I)
# Whether something costs anything, asked as a yes or no ("is the platform free to use?"); the
# plan's "Free Trade Zone" is a name, not a price
_COST_ASKED = re.compile(
    r"\bfree\s+(?:of\s+charge|for\b|to\s+(?:use|join|access|apply))|\bfor\s+free\b|\bfree\s*\?|\bcost\s+(?:anything|money)\b"
    r"|\b(?:any|a)\s+(?:fees?|charges?)\b|\bcharged?\s+(?:for|a\s+fee)\b|\bhave\s+to\s+pay\b|收费|免费|要钱|付费",
    re.I,
)
_COST_STATED = re.compile(r"\bfree\b(?!\s+trade)|\bfees?\b|\bcharges?\b|\bprices?\b|\bsubsid", re.I)
# "…, or is it only for institutions?", "… or just the free trade zone?": whether a case is left out
_ONLY_ASKED = re.compile(
    r"\bor\s+(?:is\s+(?:it|that|this)\s+|are\s+they\s+|does\s+it\s+|do\s+they\s+)?(?:just|only)\b", re.I
)
# The party a yes/no turns on: the words after its verb, to the end of the clause
_PARTY = r"\s+(?P<party>[^?.,;!]{2,40}?)\s*(?:[?.,;!]|$)"
# The party a yes/no asks about ("open to US citizens", "available for foreign banks")
_PARTY_ASKED = re.compile(r"\b(?:open|available|accessible|restricted|limited)\s+(?:only\s+)?(?:to|for)" + _PARTY, re.I)
# Whom or what a measure reaches, asked as a yes/no ("will the port-visa service cover trainees
# like them?", "does it extend to sole traders?")
_COVER_ASKED = re.compile(
    # ("does task 16 apply to small firms?" is left out: "apply to" names a kind of firm the text
    # words its own way, "SMEs", far more often than it names a party the text leaves out)
    r"\b(?:cover|covers|extend\s+to|extends\s+to)" + _PARTY,
    re.I,
)
# Figures asked for by their noun ("what were the punctuality index values …?")
_FIGURES_ASKED = re.compile(r"\b(?:values|figures?|numbers|statistics|stats|readings|scores|volumes)\b", re.I)
# A figure asked as it stands now ("how big is it now?", "what's the baseline?", 目前规模多大)
_CURRENT_FIGURE = re.compile(
    r"\b(?:now|currently|at present|presently|today|so far|to date|at the moment|current|baseline)\b"
    r"|目前|现在|现阶段|当前",
    re.I,
)
# (a figure for a year to come: "currently aiming for by 2029", "supposed to reach")
_TARGET_ASKED = re.compile(
    r"\b(?:targets?|goals?|aim\w*|objectives?|supposed to|expected to|planned|will)\b|\bby\s+20\d\d\b|目标|到20\d\d",
    re.I,
)
# A target named as the yardstick of another figure: "how far from the 2029 target", "progress towards its goal"
_MEASURED_AGAINST = re.compile(
    r"\b(?:from|against|compared\s+(?:with|to)|versus|vs\.?|relative\s+to|towards?|short\s+of)\s+"
    r"(?:the\s+|its\s+|their\s+|that\s+|this\s+)?(?:20\d\d\s+)?(?:targets?|goals?)\b"
    r"|(?:离|距离|对照|相比)(?:20\d\d年?)?(?:的)?目标",
    re.I,
)
# A figure stated as a target for a year to come ("By 2029, Shanghai aims to …")
_TARGET_YEAR = re.compile(r"\bby\s+20\d\d\b", re.I)
# Words that ask for a target or say whose it is, not what it measures ("the city's 2029 goal").
_TARGET_FRAME_WORDS = content_words(
    "target targets targeting targeted goal goals aim aims aiming objective objectives plan planned expect expected "
    "reach achieve hit set figure figures number value level total overall year years by city shanghai shanghai's "
    "municipal government supposed want wants will "
    # (a horizon in words says when, as "year" does: "by the end of the decade")
    "end decade decades "
    # (the currency a figure is counted in says in what, not what it measures)
    "dollar dollars usd rmb renminbi yuan cny euro euros "
    # (and the words asking how much: "how big is the 2029 target?")
    "big large size much many high"
)


# Words that say what kind of place a name is, not which ("Yangpu District", "Lin-gang Special Area")
_PLACE_KIND_WORDS = content_words("district area new special zone international central business people's government")
# A figure with its unit, as a question may quote one of the documents' ("$130 billion", "50%")
_QUOTED_FIGURE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(billion|million|trillion|%|percent)", re.I)
# What a count asks the number of: "how many esports events", "the number of data centres"
_COUNTED = re.compile(
    r"\bhow\s+many\s+(?P<many>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})"
    r"|\b(?:number|count)\s+of\s+(?P<of>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2})",
    re.I,
)


def _count_not_of(asked: str, body: str) -> bool:
    """Whether the question counts something the evidence's numbers do not count: none of its
    numbers has a word of the counted thing within the few words after it ("10 … brands" counts
    brands, not events)."""
    counted = _COUNTED.search(asked)
    words = content_words(counted.group("many") or counted.group("of")) if counted else set()
    if not words or any(re.search(c[2], counted.group(0), re.I) for c in _CURRENCIES):
        return False  # (nothing counted, or money: "how many US dollars of …" asks a sum)
    text = _without_task_numbers(body)
    for number in _NUMBER.finditer(text):
        after = " ".join(re.findall(r"[A-Za-z][\w-]*", text[number.end() : number.end() + 80])[:6])
        if content_words(after) & words:
            return False
    return True


# Currencies, by how a question or a passage writes them: (English name, Chinese name, pattern)
_CURRENCIES = (
    ("RMB", "人民币", r"\b(?:rmb|renminbi|yuan|cny)\b|¥|人民币|(?<![美欧港日])元"),
    ("US dollars", "美元", r"\bus\s?d(?:ollars?)?\b|\bdollars?\b|\$|美元|美金"),
    ("euros", "欧元", r"\beur(?:os?)?\b|€|欧元"),
    ("Hong Kong dollars", "港元", r"\bhkd\b|港元|港币"),
    ("yen", "日元", r"\byen\b|\bjpy\b|日元"),
)


def _other_currency(asked: str, body: str) -> dict[str, str]:
    """When the question asks for an amount in one currency and the evidence states its amounts
    only in another: both, named in English and Chinese (empty otherwise)."""
    # (a currency the question names in the dollar sign of "$260 billion" is the figure it quotes)
    wanted = [c for c in _CURRENCIES if re.search(c[2], re.sub(r"\$\s?\d", " ", asked), re.I)]
    stated = [c for c in _CURRENCIES if re.search(c[2], body, re.I)] if _MONEY.search(body) else []
    if len(wanted) != 1 or not stated or wanted[0] in stated:
        return {}
    return {
        "asked": wanted[0][0],
        "stated": " / ".join(c[0] for c in stated),
        "asked_zh": wanted[0][1],
        "stated_zh": "、".join(c[1] for c in stated),
    }


def _figures_not_in(asked: str, body: str) -> list[str]:
    """Quantities the question states ("100Wh", "5 million", "30%") that the evidence does not."""
    asked = _without_task_numbers(asked)
    figures = re.finditer(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s?(%|percent\b|[a-z]{1,5}\b)?", asked, re.I)
    return [
        m.group(0).strip()
        for m in figures
        if not re.search(rf"(?<![\d.]){re.escape(m.group(1))}(?![\d])", body)
        and not re.match(r"100\s?(?:%|percent)", m.group(0), re.I)  # (all of it: "wholly", "fully")
        and not re.search(r"\b(?:tasks?|sections?|no\.?|#)\s*$", asked[: m.start()], re.I)
    ]


def _without_task_numbers(text: str) -> str:
    return re.sub(r"^\d{1,2}\.\s|\bTask \d+\b", " ", text)


def tasks_looked_up(analysis: QuestionAnalysis, catalogue: TaskCatalogue, known: set[str]) -> list:
    """The tasks a word look-up lists: those that say the subject in one sentence ("data centers",
    not "data" in one and "service centers" in another; "electronic documents like bills of
    lading" says "electronic bills of lading"), or in Chinese the plan's wording of each term
    (跨境电商: "cross-border e-commerce"); when none does so, those using the words at all."""
    mentioning = catalogue.tasks_using(known)
    if analysis.language == "zh":
        phrased = set.intersection(*(catalogue.term_tasks("words", (t,)) for t in analysis.plan_terms))
        said = [e for e in mentioning if e.task in phrased]
    elif re.search(r"\b(?:and|both|as well as|plus)\b|[,&]", analysis.text, re.I):
        said = []  # ("both insurance and shipping": two subjects, each anywhere in the task)
    else:
        said = catalogue.tasks_using(known, in_one_sentence=True)
    # (第四部分哪些任务涉及区块链: among the tasks of the section or unit the question names)
    scope = look_up_scope(analysis, catalogue)
    return [e for e in said or mentioning if e in scope]


def tasks_saying_any(analysis: QuestionAnalysis, catalogue: TaskCatalogue, known: set[str]) -> tuple[list, list[str]]:
    """A look-up of a listed subject that no task says whole ("aviation — air cargo, planes,
    aviation training"): the tasks that say any item (its known words in one sentence), and the
    items some task says."""
    found: set[int] = set()
    said: list[str] = []
    for written, words in analysis.look_up_items:
        item = set(words & known)
        tasks = {e.task for e in catalogue.tasks_using(item, in_one_sentence=True)} if item else set()
        if tasks:
            found |= tasks
            said.append(written)
    return [e for e in look_up_scope(analysis, catalogue) if e.task in found], said


def look_up_scope(analysis: QuestionAnalysis, catalogue: TaskCatalogue) -> list:
    """The tasks a word look-up searches: those of every section and unit the question names (all
    of them when it names none)."""
    named = [catalogue.term_tasks(k, v) for k, v in (("section", analysis.sections), ("unit", analysis.units)) if v]
    return [e for e in catalogue.tasks if all(e.task in tasks for tasks in named)]


def facet_first(
    analysis: QuestionAnalysis, catalogue: TaskCatalogue, hits: list[PassageHit], own: list[PassageHit]
) -> list[PassageHit]:
    """A facet as a part of the earlier topic ("what about the insurance side?" after payments for
    online sellers): an earlier-cited task that uses the facet's words leads; else the one task
    with a sentence joining the facet's words to the earlier question's ("smart ports by applying
    … blockchain" for "and for ports?" after a question on blockchain), when one does. The task
    that leads is quoted as the facet's own words found it (its sentences on the facet)."""
    follow_up = analysis.follow_up
    facet = {w for w in analysis.look_up_words if catalogue.knows_word(w)}
    if follow_up is None or not facet:
        return hits
    sentences = {h.task: catalogue.sentence_words_of[h.task] for h in hits if h.task in catalogue.sentence_words_of}
    uses_facet = {task: any(facet <= words for words in said) for task, said in sentences.items()}
    lead = [h for h in hits if h.task in follow_up.tasks and uses_facet.get(h.task)]
    if not lead:
        # (in the documents' words: a Chinese question's plan terms in the plan's English)
        earlier = retrieval_text(follow_up.previous_question, catalogue)
        earlier_words = content_words(subject_words(earlier)) - facet
        # (a join is a word few tasks use, "blockchain", or a facet of two words said together:
        # "cross-border" alone joins anything to anything)
        specific = {w for w in earlier_words if catalogue.few_tasks_use(w)}
        joined = {
            task: max(
                (
                    len(words & earlier_words)
                    for words in said
                    if facet <= words and (words & specific or len(facet) > 1)
                ),
                default=0,
            )
            for task, said in sentences.items()
        }
        best = max(joined.values(), default=0)
        winners = [task for task, count in joined.items() if count == best]
        if best == 0 or len(winners) > 1:
            return hits
        lead = [h for h in hits if h.task == winners[0]]
    on_facet = {h.key: h for h in own}
    quoted = []
    for hit in (on_facet.get(h.key, h) for h in lead):
        # (its sentences that say the facet, where some do: "what about insurance?" after task 11
        # quotes "… shipping finance, insurance and legal services …", not its port indexes)
        saying = [
            c
            for c in hit.chunks
            if c.node.metadata.get("granularity") == "sentence" and facet <= content_words(c.node.get_content())
        ]
        quoted.append(replace(hit, chunks=saying) if saying else hit)
    return quoted + [h for h in hits if h not in lead]


# How much closer in cosine the fused leader may be than a task that says the question's whole
# name of three words or more, for that task to lead (dev: the leader of "Lin-gang cross-border data
# service center - who is responsible" is 0.014 closer; with no margin a task 0.05 further from
# the question led, and the answer was refused).
NAME_MARGIN = 0.02


def phrase_first(analysis: QuestionAnalysis, catalogue: TaskCatalogue, hits: list[PassageHit]) -> list[PassageHit]:
    """A task that says the question's own two-word phrase ("data centers") leads one that only
    shares its words apart ("Support … settlement centers"), when the dense side finds it at least
    as close in meaning: BM25 scores words, not phrases, and can lift a passage that has the
    words of a phrase scattered over the one that says it."""
    if not hits or not analysis.topic_phrases or analysis.multi_policy:
        return hits  # (a description of several activities has no one phrase to find)
    # (a phrase many tasks use, "cross border", tells no task from another)
    specific = {p for p in analysis.topic_phrases if 0 < len(catalogue.tasks_saying(p)) <= SPECIFIC_TASKS}
    phrases = catalogue.task_phrases

    def said(hit: PassageHit) -> int:
        return len(specific & phrases[hit.task]) if hit.task in phrases else 0

    top = hits[0]
    if not specific or said(top) == len(specific):
        return hits
    # A task that says the whole of a name of three words or more ("shared services centers",
    # "Cross-border Data Service Center") is the one named, when the dense side finds it about as
    # close (NAME_MARGIN); one that says part of a name leads a leader that says none of it only
    # when the dense side finds it at least as close.
    lead = next(
        (h for h in hits[1:] if len(specific) >= 2 and said(h) == len(specific) and h.dense >= top.dense - NAME_MARGIN),
        None,
    )
    if lead is None and not said(top):
        lead = next((h for h in hits[1:] if said(h) and h.dense >= top.dense), None)
    return hits if lead is None else [lead, *(h for h in hits if h is not lead)]


def choose_evidence(
    analysis: QuestionAnalysis, hits: list[PassageHit], min_dense: float, margin: float
) -> list[PassageHit]:
    """The passages to answer from: the best one, plus close runners-up (at most three).

    Targets questions go to the introduction when it is among the best three.
    """
    top = hits[0]
    if analysis.wants_targets:
        intro = next((h for h in hits[:3] if h.key[1] == "Introduction"), None)
        if intro is not None:
            return [intro]
    chosen = [top]
    # "what about aircraft leasing?" after a question on reinsurance: the earlier answer's tasks are
    # what the user moves away from, not a runner-up to quote beside the new subject.
    moved_from = analysis.follow_up.tasks if analysis.follow_up and analysis.follow_up.kind == "facet" else ()
    for hit in hits[1:]:
        if len(chosen) >= 2:
            break
        if hit.task in moved_from and top.task not in moved_from:
            continue
        # A runner-up is quoted too only when it is about as good on both sides (dense and fused).
        if hit.dense >= top.dense - margin and hit.dense >= min_dense and hit.score >= 0.9 * top.score:
            chosen.append(hit)
    return chosen


def decide(
    analysis: QuestionAnalysis,
    hits: list[PassageHit],
    gate: EvidenceGate,
    check: AnswerTypeCheck,
    min_dense: float,
    margin: float,
) -> Decision:
    floor = gate.min_dense_zh if analysis.language == "zh" else gate.min_dense
    # (the one task the conversation is on, put first because it says the follow-up's facet, stays the
    # evidence: a short facet, "the insurance side?", scores low against the whole passage, so the
    # swap below would replace it by any closer passage; after an answer of several tasks it may)
    earlier_task = analysis.follow_up is not None and bool(hits) and (hits[0].task,) == analysis.follow_up.tasks
    if gate.dense and hits and hits[0].dense < floor and not earlier_task:
        # Fusion may rank first a passage that shares the question's words but not its meaning
        # (below the floor) over one the dense retriever finds close (in the sure zone): the close one is
        # the evidence ("overseas online marketplaces … regional base": the platforms' headquarters).
        closer = max(hits[1:3], key=lambda h: h.dense, default=None)
        if closer is not None and closer.dense >= gate.grey_dense:  # close beyond doubt, not just above the floor
            hits = [closer, *(h for h in hits if h is not closer)]
    unknown = check.unknown_words(analysis) if analysis.language == "en" else []
    coverage = check.topic_coverage(analysis, hits[0]) if hits else 0.0
    wording = check.uses_documents_wording(analysis, unknown) if analysis.language == "en" else True
    continuing = continues(analysis, hits, unknown)
    # The conversation's task, or a task, body or place of the plan named: a subject the documents hold,
    # however far the closest passage's wording is (none of the silence checks below applies).
    on_the_plan = bool(continuing or analysis.tasks or analysis.follow_up or analysis.units or analysis.areas)
    # (a body or place of the plan named beside a subject is where or by whom, not what about: "the
    # corporate income tax rate for a tech company registered in Lin-gang", "metro lines to Lin-gang")
    on_a_task = bool(continuing or analysis.tasks or analysis.follow_up)
    names_subject = bool(hits) and check.names_its_subject(analysis, hits[0])
    code, reason = gate.refuses(analysis, hits, unknown, coverage, wording, continuing, names_subject)
    if (
        not code
        and not (wording or on_the_plan)
        and gate.far_from_subject(analysis, hits[0], coverage, OFF_SUBJECT_COVERAGE)
        and not check.says_something_specific(analysis)
    ):
        # (a question in the documents' words, on the conversation's task, naming a body, place or
        # something only a few tasks say, "ChinaJoy", is on a subject the documents hold)
        code, reason = "off_subject", f"dense {hits[0].dense:.3f}, topic coverage {coverage:.2f}"
    if code:
        logger.info("refusing %r: %s", analysis.text[:80], reason)
        places = code == "other_place"
        return Decision(
            "refuse",
            reason=reason,
            code=code,
            missing="other_place" if places else "",
            detail={"places": ", ".join(analysis.other_places)} if places else {},
        )
    chosen = choose_evidence(analysis, hits, min_dense, margin)
    missing, detail = check.missing(analysis, chosen[:1])
    below_floor = bool(hits) and hits[0].dense < floor
    if not missing and (
        gate.unsure(analysis, hits, wording, continuing) or (names_subject and below_floor and unknown)
    ):
        # (also a passage that counts only for the name it holds, asked with words no document uses:
        # "does ChinaJoy have a cosplay contest?")
        missing, detail = "partial.wording", {"words": ", ".join(f"“{w}”" for w in unknown)}
    if missing and missing != "partial.wording" and chosen[0].metadata.get("authority") == "document":
        # The articles of one notice are parts of one instrument on one subject: when the best
        # article lacks what is asked (the subsidy article has no date), a close article of the
        # same notice that has it (the application window) answers first. Plan tasks are separate
        # measures, so this never borrows across them. The sibling must be evidence in its own
        # right (among the retrieved passages, above the gate's floor).
        sibling = next(
            (
                h
                for h in hits[1:]
                if h.key[0] == chosen[0].key[0]
                and h.metadata.get("kind") == "section"  # an article or headed part, not the preamble
                and h.dense >= min_dense
                and not check.missing(analysis, [chosen[0], h])[0]  # together they answer
            ),
            None,
        )
        if sibling is not None:
            return Decision("answer", chosen=[sibling, chosen[0]])
    # Only for the specifics a plan of measures is silent on (an amount, a count, a date, a year, a
    # procedure): a place, a list or a yes/no the plan does not settle still leaves a topic it covers
    # (dev: widening the rule to those refused as many covered topics as silent ones).
    silent_kinds = (
        "partial.amount", "partial.count", "partial.when", "partial.year", "partial.current", "partial.incentive",
        "partial.how_to",
    )  # fmt: skip
    if missing in silent_kinds and analysis.language == "en" and analysis.topic_words:
        # The evidence lacks what is asked and most of the question's subject is words no document
        # uses ("the minimum wage", "a housing subsidy"): the documents are silent, not partial.
        # (a description before the asking sentence, "We are a Chilean lithium trader.", says who
        # asks, not what about: only the asking sentence's words count when it has some)
        asked = content_words(analysis.asking_sentence) & analysis.topic_words if analysis.asking_sentence else set()
        subject = asked or analysis.topic_words
        if missing == "partial.how_to":
            # (a procedure is asked for in words of its own, "the eligibility criteria", "how do we
            # apply", "what documents": they say what kind of answer, not what about)
            asking = [
                m.group(0) for pattern in (_REQUIREMENTS_ASKED, _PROCEDURE) for m in pattern.finditer(analysis.text)
            ]
            asking += answer_type_spans(analysis.text)
            subject = (subject - content_words(" ".join(asking))) or subject
        # (``unknown`` is words as written; "figures", "values" say what kind of answer, not about what)
        unknown_subject = [w for w in unknown if content_words(w) & subject and not _FIGURES_ASKED.fullmatch(w)]
        # (words of now and of targets say what kind of figure is asked for: alone they make no silence,
        # "the current level compared with the target?")
        kind_spans = (_CURRENT_FIGURE, _MEASURED_AGAINST, _TARGET_ASKED) if missing == "partial.current" else ()
        figure_kind = content_words(" ".join(m.group(0) for p in kind_spans for m in p.finditer(analysis.text)))
        substantive = [w for w in unknown_subject if not content_words(w) <= figure_kind]
        # (one word the documents do not use may be a paraphrase: "the selection criteria")
        # (not of something only a few tasks say: "what does a booth at ChinaJoy cost?")
        if (
            len(unknown_subject) * 2 >= len(subject)
            and len(unknown_subject) >= 2
            and len(substantive) >= 2
            and not check.says_something_specific(analysis)
        ):
            return Decision("refuse", reason=f"silent on {unknown_subject}", code="silent")
        # (a figure of what the plan's own figures measure, "the services trade total in 2024", is
        # asked in words of its own, "baseline", "right now": their passage is its subject however few
        # of them it holds)
        off_subject = missing not in ("partial.year", "partial.current") and (
            coverage < OFF_SUBJECT_COVERAGE and not check.says_something_specific(analysis, anywhere=True)
        )
        if (
            len(subject - figure_kind) >= 2  # (a subject of its own, not only what is left once names are read)
            and not on_a_task
            and (
                (
                    gate.far_from_subject(analysis, hits[0], coverage, PARTIAL_TOPIC_COVERAGE)
                    and not check.says_something_specific(analysis)
                )
                or off_subject
            )
        ):
            # Neither what is asked nor its subject is in the closest passage, and the question says
            # nothing only a few tasks say ("how many days of maternity leave?" against the smart-ports
            # task): the documents are silent, and quoting that passage would suggest otherwise. So too,
            # however close the passage's wording, when it holds hardly any of the subject and nothing
            # in the whole question is what only a few tasks say ("the export tax rebate rate for steel").
            return Decision("refuse", reason=f"{missing} on a passage off the subject", code="silent")
    item = content_words(analysis.asked_item) & analysis.topic_words
    # (the item's words as written that no document uses; one alone may be a compound, a typo or a
    # synonym of the documents' own word, "datacenters", "telecom", so two are needed, as above)
    unknown_in_item = [w for w in unknown if content_words(w) & item]
    # (an acronym, however typed, of a name the documents spell out is no unknown word: "ciie", "WAIC")
    acronym = any(
        check.catalogue.spelled_out(token.upper()) or token.upper() in check.catalogue.phrase_initials
        for token in re.findall(r"\b[A-Za-z]{3,6}\b", analysis.asked_item)
    )
    if (
        len(unknown_in_item) >= 2
        and not acronym
        and not on_a_task
        and item <= content_words(" ".join(unknown))
        and hits[0].dense < gate.grey_dense
        and not check.says_something_specific(analysis)
    ):
        # "Does the plan say anything about stablecoins or crypto for cross-border payments?": what it
        # asks about is words no document uses, whatever the context it is asked in
        return Decision("refuse", reason=f"silent on {analysis.asked_item!r}", code="silent")
    if (
        analysis.topic_words
        and not on_the_plan
        and analysis.topic_words <= content_words(" ".join(names := check.unknown_names(analysis)))
        and hits[0].dense < gate.grey_dense
    ):
        # The question's whole subject is names no document uses ("Does the plan mention RCEP?",
        # "anything on REITs?", 方案里有没有提到RCEP): whatever the closest passage says, the documents
        # are silent on it (a passage close beyond doubt would be a paraphrase of what the name stands for).
        return Decision("refuse", reason=f"silent on {names}", code="silent")
    if missing:
        return Decision("partial", chosen=chosen[:1], missing=missing, detail=detail, reason=missing)
    return Decision("answer", chosen=chosen)
