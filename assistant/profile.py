"""Which policies apply to me: an enterprise profile -> ranked tasks, each with a grounded reason.

The ranking uses the index, not a hand-made table of tasks:

* **Activities** (free text and the industry field) are split into phrases; each phrase is a
  hybrid-retrieval query, and a task's activity relevance is the best dense cosine of any of its
  sentences to any phrase. A task counts as matching the activities when that cosine clears
  ``MIN_ACTIVITY_COSINE`` and is its phrase's leader or close to it (the caller's ``margin``).
* **Location** is matched against the task catalogue's area metadata (and, for "another district",
  against tasks whose responsible units are district governments).
* **Size** and **ownership** are matched against the wording of the task's own sentences
  (SMEs, small and micro enterprises; foreign investment, foreign companies; ...).

Every listed task carries one exact sentence of its text as the reason, the matched aspects,
its [Task N] citation and its responsible units. Activity matches rank above tasks that match
only on location, size or ownership.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field

from assistant.catalogue import SPECIFIC_TASKS, TaskCatalogue, TaskEntry
from assistant.question import activity_clauses, is_activity, is_asking_clause, plan_terms, retrieval_text
from assistant.retrieval import HybridRetriever
from assistant.units import AREA_PATTERNS, area_matches, unit_matches
from assistant.verify import content_words, word_pairs

ANOTHER_DISTRICT = "Another district of Shanghai"
SIZES = ("Micro or small (SME)", "Medium-sized", "Large or group headquarters")
OWNERSHIPS = ("Foreign-invested", "Domestic")

# Wording of the plan that addresses enterprises of a given size or ownership.
_SIZE_WORDS = {
    "small": r"\bSMEs?\b|\bsmall and (?:micro|medium)\b|\bmicro\b",
    "large": r"\bleading enterprises\b|\bheadquarters\b|\bmultinational\b",
}
_OWNERSHIP_WORDS = {
    "foreign": r"\bforeign(?:-owned| investment| companies| enterprises| e-commerce platforms| firms)\b"
    r"|\boverseas (?:traders|companies|enterprises|businesses|talents)\b|\bnon-Chinese\b|\bforeigners\b",
    "domestic": r"\bdomestic (?:and foreign )?companies\b|\bgoing global\b|\bexport\b",
}
# Words that describe any enterprise and so say nothing about which task applies.
_FILLER = content_words(
    "we are our company firm enterprise business group based located in at shanghai operate operating "
    "mainly main also small medium large foreign domestic owned invested staff employees people "
    "startup start-up sme smes limited ltd co corporation a an of"
)
_MAX_PHRASES = 8
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
# The dense cosine (multilingual-e5-small) a task must reach with an activity phrase to count as a
# match: unrelated tasks sit at 0.78-0.83, related ones at 0.84-0.90 (dev profiles, eval/dev_extra.jsonl).
# How far below the phrase's leader (fused score, 0-1) a task may be is the caller's ``margin``:
# the "applies to me" tab lists broadly (0.3), the chat answers precisely (0.1).
MIN_ACTIVITY_COSINE = 0.83
# How much lower an activity's leader may be when it says the activity's specific phrase (see
# applicable_tasks), as the refusal gate allows for a question naming a place the task names.
NAMED_ACTIVITY_ALLOWANCE = 0.03
# How much less close (cosine) than an activity's leader another task may be and still match it,
# in the chat's precise answer (the "applies to me" tab lists broadly, without this limit)
# (dev, 271 descriptions: 0 gives recall 0.908 / precision 0.835, 0.01 gives 0.918 / 0.826, 0.02
# gives 0.919 / 0.809, no limit 0.920 / 0.803; docs/eval.md "Session 18").
SECOND_TASK_COSINE = 0.01
_LEADING_FILLER = re.compile(
    r"^(?:(?:we|i)(?:'re|'m| are| am)?|our (?:company|firm|business|enterprise) (?:is|are)|mainly|also)\s+(?:an?\s+)?",
    re.IGNORECASE,
)
# How a free-text description states size or foreign ownership (the form's fields say it directly).
_SMALL_TEXT = re.compile(
    r"\b(smes?|small(?:[- ]sized)? (?:company|business|firm|enterprise|seller|team|shop)"
    r"|micro[- ]enterprise|start-?up)\b",
    re.IGNORECASE,
)
_FOREIGN_TEXT = re.compile(
    r"\b(foreign[- ](?:owned|invested|funded|company|enterprise)|wfoe|joint venture|"
    r"(?:subsidiary|branch) of an? (?:foreign|overseas|international))\b",
    re.IGNORECASE,
)
# A place name with its usual tail ("Lin-gang Special Area", "in Pudong New Area").
_PLACE_TAIL = r"(?:[\s-]+(?:special|new|area|district|international|central|business|cbd|zone|free|trade|pilot))*"


class ProfileError(ValueError):
    """A profile that says nothing the plan could be matched against."""


@dataclass
class EnterpriseProfile:
    """What an enterprise tells us about itself (every field optional, at least one needed)."""

    description: str = ""
    activities: str = ""
    location: str = ""
    size: str = ""
    ownership: str = ""

    @classmethod
    def from_any(cls, value: EnterpriseProfile | dict | str) -> EnterpriseProfile:
        if isinstance(value, EnterpriseProfile):
            return value
        if isinstance(value, str):
            return cls(description=value)
        if isinstance(value, dict):
            known = {k: str(v or "") for k, v in value.items() if k in cls.__dataclass_fields__}
            return cls(**known)
        raise ProfileError("a profile is a description string or a dict with description/activities/location/...")

    def size_kind(self) -> str | None:
        if re.search(r"micro|small|sme|medium", self.size, re.IGNORECASE) or _SMALL_TEXT.search(self.description):
            return "small"
        if re.search(r"large|headquarters|group|multinational", self.size, re.IGNORECASE):
            return "large"
        return None

    def ownership_kind(self) -> str | None:
        if re.search(r"foreign", self.ownership, re.IGNORECASE) or _FOREIGN_TEXT.search(self.description):
            return "foreign"
        if re.search(r"domestic", self.ownership, re.IGNORECASE):
            return "domestic"
        return None

    def summary(self) -> str:
        parts = [
            ("Description", self.description),
            ("Activities", self.activities),
            ("Location", self.location),
            ("Size", self.size),
            ("Ownership", self.ownership),
        ]
        return "; ".join(f"{k}: {' '.join(v.split())}" for k, v in parts if v.strip())


@dataclass
class TaskMatch:
    rank: int
    task: int
    title: str
    section: str
    reason: str  # one exact sentence of the task's text
    why: str  # which aspect of the profile it matches, in words
    citation: str
    units: list[str]
    score: float
    matched: list[str] = field(default_factory=list)  # "activities", "location", "size", "ownership"
    # how close in meaning the task's best sentence is to an activity (0 when matched otherwise);
    # the score adds the place, size and ownership on top
    activity_cosine: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)


def activity_phrases(profile: EnterpriseProfile) -> list[str]:
    """Short phrases describing what the enterprise does, with place names removed.

    Places are matched through metadata instead: left in a query they would pull every task
    that mentions the place, whatever the enterprise does.
    """
    text = f"{profile.activities}\n{profile.description}"
    for pattern in AREA_PATTERNS.values():
        text = re.sub(
            rf"(?:\b(?:in|at|from|near|based in|located in)\s+)?(?:the\s+)?(?:{pattern}){_PLACE_TAIL}",
            " ",
            text,
            flags=re.IGNORECASE,
        )
    # One clause splitter for the chat and this tab (question.py), so both see the same activities.
    phrases: list[str] = []
    for piece in activity_clauses(text):
        while _LEADING_FILLER.match(piece):
            piece = _LEADING_FILLER.sub("", piece, count=1)
        has_content = is_activity(piece) if _CJK_CHAR.search(piece) else bool(content_words(piece) - _FILLER)
        if has_content and piece.lower() not in (p.lower() for p in phrases):
            phrases.append(piece)
    return phrases[:_MAX_PHRASES]


def placed_activities(profile: EnterpriseProfile, catalogue: TaskCatalogue) -> list[tuple[str, list[str], str]]:
    """The activities that say where they happen ("scouting a site in Hongqiao to serve clients
    across the Yangtze River Delta"), each with the places it names and what it says without them:
    what is done there may be what a task on that place is about, which the activity stripped of its
    place no longer says."""
    placed = []
    for piece in activity_clauses(f"{profile.activities}\n{profile.description}"):
        areas = [a for a in catalogue.areas if re.search(AREA_PATTERNS.get(a, "$^"), piece, re.I)]
        rest = piece
        for area in areas:
            rest = re.sub(AREA_PATTERNS[area], " ", rest, flags=re.I)
        if areas and len(content_words(rest) - _FILLER) >= 3:
            placed.append((piece, areas, rest))
    return placed


def _place_sentences_on(activity: str, places: list[str], catalogue: TaskCatalogue) -> dict[int, str]:
    """The tasks whose sentence naming one of ``places`` is about ``activity`` (the activity without
    its place), each with that sentence: "a core hub for high-end shipping services will be developed
    in Hongkou District" for "a shipping line on the North Bund". The shared word is one few tasks
    use, of six letters or more and of no place's name ("bonded" names the zones; "like" or "use"
    say nothing of what is done)."""
    place_words = content_words(" ".join(catalogue.areas))
    doing = content_words(" ".join(re.findall(r"[A-Za-z]{6,}", activity))) - _FILLER - place_words
    found: dict[int, str] = {}
    for entry in catalogue.tasks:
        if entry.task is None or not set(places) & set(entry.areas):
            continue
        sentence = next(
            (
                s
                for s in entry.sentences
                if any(re.search(AREA_PATTERNS.get(p, "$^"), s, re.I) for p in places)
                and any(catalogue.few_tasks_use(w) for w in content_words(s) & doing)
            ),
            None,
        )
        if sentence is not None:
            found[entry.task] = sentence
    return found


def _tasks_naming(phrase: str, catalogue: TaskCatalogue) -> set[int]:
    """The tasks that say a specific phrase of the activity: a two-word phrase (English) or a plan
    term (Chinese) that at most SPECIFIC_TASKS tasks use."""
    if _CJK_CHAR.search(phrase):
        named: set[int] = set()
        for term in plan_terms(phrase):
            using = catalogue.tasks_using(content_words(term))
            if 0 < len(using) <= SPECIFIC_TASKS:
                named |= {e.task for e in using if e.task is not None}
        return named
    saying = (catalogue.tasks_saying(pair) for pair in word_pairs(phrase))
    named = {t for tasks in saying if 0 < len(tasks) <= SPECIFIC_TASKS for t in tasks}
    # (or a coined name of the plan's, "exhibit at ChinaJoy": one word, but the tasks' own name for it)
    coined = content_words(phrase) & catalogue.coined_names
    return named | {e.task for word in coined for e in catalogue.tasks_using({word}) if e.task is not None}


def _names_something(phrase: str, catalogue: TaskCatalogue) -> bool:
    """Whether a phrase says what few tasks say: a phrase or plan term of theirs (_tasks_naming), or
    (English) a word that few tasks use."""
    if _tasks_naming(phrase, catalogue):
        return True
    return not _CJK_CHAR.search(phrase) and any(catalogue.few_tasks_use(w) for w in content_words(phrase))


def profile_areas(profile: EnterpriseProfile, catalogue: TaskCatalogue) -> list[str]:
    text = f"{profile.location} {profile.description} {profile.activities}"
    return [a for a in catalogue.areas if area_matches(text, a) or re.search(AREA_PATTERNS.get(a, "$^"), text, re.I)]


def _district_units(catalogue: TaskCatalogue) -> set[str]:
    return {u for u in catalogue.units if unit_matches("district people's governments", u)}


def _sentence_matching(entry: TaskEntry, pattern: str) -> str | None:
    regex = re.compile(pattern, re.IGNORECASE)
    return next((s for s in entry.sentences if regex.search(s)), None)


def _units_clause(entry: TaskEntry) -> str | None:
    match = re.search(r"\((Responsible units?:[^\n]*)\)\s*$", entry.text)
    return match.group(1).strip() if match else None


def applicable_tasks(
    profile: EnterpriseProfile | dict | str,
    retriever: HybridRetriever,
    catalogue: TaskCatalogue,
    min_dense: float = MIN_ACTIVITY_COSINE,
    limit: int = 10,
    activities_only: bool = False,
    margin: float = 0.3,
    leader_dense: float | None = None,
    close_to_leader: float | None = None,
) -> list[TaskMatch]:
    """Rank the plan's tasks for an enterprise; raises :class:`ProfileError` for an empty profile."""
    profile = EnterpriseProfile.from_any(profile)
    phrases = activity_phrases(profile)
    # A clause that asks ("is the city doing anything about this?", 方案里哪些条款适用) and names
    # nothing specific is searched last, and only when the clauses saying what the enterprise does
    # match no task: its words ("city", "programme", "fit") meet tasks on other subjects about as
    # closely as their own, but it may be where the subject is ("… firms that help write benchmarks?").
    only_asking = [p for p in phrases if is_asking_clause(p) and not _names_something(p, catalogue)]
    phrases = [p for p in phrases if p not in only_asking] + only_asking
    areas = profile_areas(profile, catalogue)
    another_district = profile.location.strip() == ANOTHER_DISTRICT
    size = profile.size_kind()
    ownership = profile.ownership_kind()
    if not (phrases or areas or another_district or size or ownership):
        raise ProfileError(
            "tell us what your enterprise does (for example 'we lease aircraft to airlines'), "
            "or at least its location, size or ownership"
        )

    # Activity relevance. Each activity phrase is a hybrid query; the tasks it matches are its leader
    # and those whose fused score is within ``margin`` of the leader's (both above ``min_dense``), so
    # every activity finds its own task however the activities compare with each other. The reason
    # quoted is the task's sentence closest to the phrase.
    best: dict[int, tuple[float, str, str]] = {}  # task -> (cosine, sentence, phrase)
    matched_by: dict[int, str] = {}  # task -> the phrase it matches
    lead_gap: dict[int, float] = {}  # task -> how far ahead of the runner-up it leads a phrase
    for i, phrase in enumerate(phrases):
        if i == len(phrases) - len(only_asking) and matched_by:
            break
        hits = [h for h in retriever.search(retrieval_text(phrase, catalogue), top_k=8) if h.task is not None]
        if not hits:
            continue
        leader = hits[0]
        # (how clearly the phrase picks its leader: the fused-score gap to the runner-up)
        gap = leader.score - (hits[1].score if len(hits) > 1 else 0.0)
        # The activity in the plan's own specific words (a two-word phrase, or a Chinese plan term,
        # that at most SPECIFIC_TASKS tasks use) found in its leader: the plan names what the
        # activity is, so a lower cosine still counts (cross-lingual and short phrases score low).
        names_it = leader.task in _tasks_naming(phrase, catalogue)
        for hit in hits:
            for chunk in hit.chunks:
                node = chunk.node
                cosine = hit.cosines.get(node.node_id)
                if cosine is None or node.metadata.get("granularity") != "sentence":
                    continue
                if cosine > best.get(hit.task, (-1.0, "", ""))[0]:
                    best[hit.task] = (cosine, node.text, phrase)
            # ``leader_dense`` (the chat passes the refusal gate's floor): an activity's own best passage
            # found by the phrase's words too (BM25) counts from that cosine, as a question would; a
            # short phrase ("exhibit at the CIIE") has a low cosine.
            floor = min(min_dense, leader_dense) if leader_dense and hit is leader and hit.lexical > 0 else min_dense
            if hit is leader and names_it:
                floor = min(floor, min_dense - NAMED_ACTIVITY_ALLOWANCE)
            # (another task within the fused margin must be about as close to the phrase in meaning
            # as the leader: fusion also ranks by shared words, which a task on another subject has)
            close = hit is leader or close_to_leader is None or hit.dense >= leader.dense - close_to_leader
            if hit.dense >= floor and hit.score >= leader.score - margin and close:
                matched_by.setdefault(hit.task, phrase)
                if hit is leader:  # (a leader the phrase does not match says nothing of the task)
                    lead_gap[leader.task] = max(lead_gap.get(leader.task, 0.0), gap)

    for piece, places, rest in placed_activities(profile, catalogue):
        # A task whose sentence naming the place is about the activity counts.
        for task, sentence in _place_sentences_on(rest, places, catalogue).items():
            if task not in matched_by:
                matched_by[task] = piece
                best.setdefault(task, (0.0, sentence, piece))
        # The activity with its place: its closest task counts when that task names the place
        # (data centres in Hongqiao), not a task that only shares the place's name.
        hits = [h for h in retriever.search(retrieval_text(piece, catalogue), top_k=3) if h.task is not None]
        entry = catalogue.task(hits[0].task) if hits else None
        if (
            hits
            and entry is not None
            and set(places) & set(entry.areas)
            and hits[0].dense >= min_dense
            and hits[0].task not in matched_by
        ):
            matched_by[hits[0].task] = piece
            sentence = max(
                ((hits[0].cosines.get(c.node.node_id, -1.0), c.node.text) for c in hits[0].chunks),
                default=(-1.0, ""),
            )
            if sentence[0] > best.get(hits[0].task, (-1.0, "", ""))[0]:
                best[hits[0].task] = (sentence[0], sentence[1], piece)

    district_units = _district_units(catalogue) if another_district else set()
    matches: list[TaskMatch] = []
    for entry in catalogue.tasks:
        assert entry.task is not None
        cosine, sentence, phrase = best.get(entry.task, (0.0, "", ""))
        if entry.task in matched_by and not sentence:
            # Matched as a passage but none of its sentences was among the retrieved chunks: the
            # reason is the sentence sharing most words with the phrase that matched it.
            phrase = matched_by[entry.task]
            words = content_words(phrase)
            sentence = max(entry.sentences, key=lambda s: len(content_words(s) & words), default="")
        activity = entry.task in matched_by and bool(sentence)
        place = [a for a in areas if a in entry.areas]
        district = bool(district_units & set(entry.units))
        size_sentence = _sentence_matching(entry, _SIZE_WORDS[size]) if size else None
        owner_sentence = _sentence_matching(entry, _OWNERSHIP_WORDS[ownership]) if ownership else None

        matched, reasons = [], []
        if activity:
            matched.append("activities")
            reasons.append((f"Matches your activities ({phrase})", sentence))
        if place or district:
            matched.append("location")
            area_sentence = (
                _sentence_matching(entry, AREA_PATTERNS.get(place[0], re.escape(place[0])))
                if place
                else _sentence_matching(entry, r"\bdistricts?\b")
            )
            if area_sentence:
                reasons.append((f"Names {place[0] if place else 'the districts'}", area_sentence))
            else:  # the place appears only among the responsible units
                who = f"the {place[0]} administration" if place else "the district governments"
                reasons.append((f"Responsible units include {who}", _units_clause(entry) or entry.sentences[0]))
        if size_sentence:
            matched.append("size")
            reasons.append(("Addresses enterprises of your size", size_sentence))
        if owner_sentence:
            matched.append("ownership")
            reasons.append((f"Addresses {ownership} enterprises", owner_sentence))
        if not matched or (activities_only and not activity):
            continue
        score = (
            (cosine if activity else 0.5 * max(cosine, 0.0))
            + (0.15 if "location" in matched else 0.0)
            + (0.05 if size_sentence else 0.0)
            + (0.05 if owner_sentence else 0.0)
        )
        matches.append(
            TaskMatch(
                rank=0,
                task=entry.task,
                title=entry.title,
                section=entry.section,
                # A sentence of the task's body says more than its list of units: prefer one.
                reason=next((q for _, q in reasons if not q.startswith("Responsible unit")), reasons[0][1]),
                why="; ".join(label for label, _ in reasons),
                citation=f"[Task {entry.task}]",
                units=list(entry.units),
                score=round(score, 4),
                matched=matched,
                activity_cosine=round(cosine, 4) if activity else 0.0,
            )
        )
    # Tasks that match what the enterprise does come first; place, size and ownership refine.
    matches.sort(key=lambda m: ("activities" not in m.matched, -m.score, m.task))
    matches = matches[:limit]
    # Of those kept, a task an activity picks out clearly (far ahead of the next) comes before one
    # only close to an activity among several about as close: the cosines of the small embedding
    # model are too compressed to rank on alone.
    matches.sort(key=lambda m: ("activities" not in m.matched, -lead_gap.get(m.task, 0.0), -m.score, m.task))
    for rank, match in enumerate(matches, 1):
        match.rank = rank
    return matches


# --- export ------------------------------------------------------------------------------


def to_markdown(matches: list[TaskMatch], profile: EnterpriseProfile | None = None) -> str:
    lines = ["# Policies that apply to your enterprise", ""]
    if profile is not None and profile.summary():
        lines += [f"Profile: {profile.summary()}", ""]
    if not matches:
        lines.append("No task of the plan matches this profile.")
    for m in matches:
        lines += [
            f"{m.rank}. **{m.citation} {m.title}** ({m.section})",
            f"   - Why: {m.why}",
            f'   - Plan text: "{m.reason}" {m.citation}',
            f"   - Contact: {'; '.join(m.units)}",
        ]
    lines += [
        "",
        "Source: Implementation Plan of Shanghai Municipality on Promoting the High-Quality Development of "
        "Digital Trade and Trade in Services.",
    ]
    return "\n".join(lines) + "\n"


def to_csv(matches: list[TaskMatch]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["rank", "task", "title", "section", "why", "reason", "citation", "responsible_units", "score"])
    for m in matches:
        writer.writerow(
            [m.rank, m.task, m.title, m.section, m.why, m.reason, m.citation, "; ".join(m.units), f"{m.score:.4f}"]
        )
    return buffer.getvalue()
