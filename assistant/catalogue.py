"""The task catalogue, read from the index's metadata: exhaustive lists by unit and area."""

from __future__ import annotations

import logging
import operator
import re
from dataclasses import dataclass, field
from functools import cached_property

from llama_index.core.schema import TextNode

from assistant.chunking import NO_TASK
from assistant.normalise import SYNONYMS, normalise_query
from assistant.units import area_matches, areas_in, find_unit_mentions, split_units, unit_matches

logger = logging.getLogger(__name__)


def _measure_text(text: str) -> str:
    """A task's text without its "(Responsible units: ...)" list."""
    return re.split(r"\(\s*Responsible units?\s*:", text, maxsplit=1)[0]


# A word used by at most this many of the plan's tasks names a specific subject, not a way of
# asking ("up" in "show up" is neither).
SPECIFIC_TASKS = 3
# The comparisons of a condition on a count (SetQuery.unit_count).
_COMPARE = {"==": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}

# Words an acronym skips: "China International Import Expo" is CIIE, "Office of the ..." is O...
_LINKING_WORDS = {"of", "and", "for", "in", "the", "on", "to", "&"}
# … though some acronyms keep a preposition's letter: "China International Fair for Trade in Services"
# is CIFTIS
_ALWAYS_SKIPPED = {"of", "and", "for", "the", "&"}
# What opens an item of a list rather than being part of its name ("…, and app stores")
_LIST_ITEM_LEAD = re.compile(r"^(?:(?:and|or|such as|including|like|as well as|the)\s+)+", re.I)


@dataclass
class TaskEntry:
    task: int | None
    title: str
    section: str
    units: list[str]
    areas: list[str]
    text: str  # the passage as written, e.g. "8. Accelerating ...: ... (Responsible units: ...)"
    label: str
    source: str
    doc_title: str
    sentences: list[str] = field(default_factory=list)
    authority: str = "plan"  # "plan" | "document" (see Settings.is_plan_document)

    @cached_property
    def units_as_written(self) -> list[str]:
        """The responsible units as the passage lists them, asides kept: "Pudong New Area People's
        Government (Shanghai Pilot Free Trade Zone Administration)" where ``units`` has the name only."""
        clause = re.search(r"\(\s*Responsible units?\s*:\s*(.*)\)\s*$", self.text, re.S)
        written = split_units(clause.group(1), keep_asides=True) if clause else []
        return written if len(written) == len(self.units) else list(self.units)

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "title": self.title,
            "section": self.section,
            "units": self.units,
            "areas": self.areas,
            "text": self.text,
        }


def _split(value: object) -> list[str]:
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


class TaskCatalogue:
    """All passages of the index (tasks first-class), with exhaustive filters."""

    def __init__(self, nodes: list[TextNode]) -> None:
        self.entries: list[TaskEntry] = []
        by_key: dict[tuple[str, str], TaskEntry] = {}
        for node in nodes:
            meta = node.metadata
            key = (str(meta.get("source")), str(meta.get("label")))
            entry = by_key.get(key)
            if entry is None:
                task = int(meta.get("task", NO_TASK) or NO_TASK)
                if meta.get("authority", "plan") != "plan":  # only the plan numbers tasks
                    task = NO_TASK
                entry = TaskEntry(
                    task=task if task != NO_TASK else None,
                    title=str(meta.get("title", "")),
                    section=str(meta.get("section", "")),
                    units=_split(meta.get("units")),
                    areas=_split(meta.get("areas")),
                    text="",
                    label=str(meta.get("label", "")),
                    source=key[0],
                    doc_title=str(meta.get("doc_title", "")),
                    authority=str(meta.get("authority", "plan")),
                )
                by_key[key] = entry
                self.entries.append(entry)
            if meta.get("granularity") == "passage":
                entry.text = f"{entry.text} {node.text}".strip() if entry.text else node.text
            else:
                entry.sentences.append(node.text)
        for entry in self.entries:  # Chroma returns a passage's sentences in no particular order
            entry.sentences.sort(key=lambda s, text=entry.text: text.find(s) if s in text else len(text))
        # Two documents marked as the plan that number the same task: the first (by document id)
        # keeps the number, the other is an ordinary passage, so a number never has two texts.
        self._by_task: dict[int, TaskEntry] = {}
        for entry in sorted((e for e in self.entries if e.task is not None), key=lambda e: (e.source, e.task)):
            if entry.task in self._by_task and self._by_task[entry.task].source != entry.source:
                logger.warning(
                    "Task %d is numbered by both %s and %s; using the first",
                    entry.task,
                    self._by_task[entry.task].source,
                    entry.source,
                )
                entry.task = None
            else:
                self._by_task.setdefault(entry.task, entry)
        self.tasks = sorted((e for e in self.entries if e.task is not None), key=lambda e: e.task)
        self._by_label = by_key  # (every retrieved passage is looked up by its label: a scan cost 0.5 ms at 100x)
        self.units = sorted({u for e in self.tasks for u in e.units})
        self.areas = sorted({a for e in self.tasks for a in e.areas})
        self.sections = list(dict.fromkeys(e.section for e in self.tasks if e.section))

    def documents(self) -> dict[str, str]:
        """Source id -> title of every document that is not the plan."""
        return {e.source: e.doc_title for e in self.entries if e.authority != "plan"}

    def task(self, number: int) -> TaskEntry | None:
        return self._by_task.get(number)

    def by_label(self, source: str, label: str) -> TaskEntry | None:
        return self._by_label.get((source, label))

    def intro(self) -> TaskEntry | None:
        return next((e for e in self.entries if e.label == "Introduction"), None)

    def matching_units(self, query: str) -> list[str]:
        return [u for u in self.units if unit_matches(query, u)]

    def matching_areas(self, query: str) -> list[str]:
        return [a for a in self.areas if area_matches(query, a)]

    def units_in(self, text: str) -> list[str]:
        return find_unit_mentions(text, self.units)

    def filter(self, unit: str | None = None, area: str | None = None, section: str | None = None) -> list[TaskEntry]:
        """Every task that matches all given filters (tolerant name matching)."""
        result = self.tasks
        if unit:
            units = set(self.matching_units(unit))
            result = [e for e in result if units & set(e.units)]
        if area:
            areas = set(self.matching_areas(area))
            result = [e for e in result if areas & set(e.areas)]
        if section:
            result = [
                e
                for e in result
                if section.lower() in e.section.lower()
                or e.section.split(".")[0].strip().lower() == section.strip().lower()
            ]
        return result

    # --- set operations over metadata (list questions) --------------------------------------

    def term_tasks(self, kind: str, values: tuple[str, ...] | list[str], in_text: bool = False) -> set[int]:
        """The tasks one named term selects: a unit's, an area's, a section's, or the task itself.
        ``in_text``: an area counts only where the measure's own words name it, not its unit list."""
        wanted = set(values)
        if kind == "unit":
            return {e.task for e in self.tasks if wanted & set(e.units)}  # type: ignore[misc]
        if kind == "area" and in_text:
            return {e.task for e in self.tasks if wanted & set(areas_in(_measure_text(e.text)))}  # type: ignore[misc]
        if kind == "area":
            return {e.task for e in self.tasks if wanted & set(e.areas)}  # type: ignore[misc]
        if kind == "section":
            return {e.task for e in self.tasks if e.section in wanted}  # type: ignore[misc]
        if kind == "task":
            return {int(v) for v in values if self.task(int(v))}
        if kind == "words":
            # the tasks whose measures (not their unit lists) use one of the phrases ("shipping or air
            # cargo": either), its words side by side ("data centers", not "data … service center")
            from assistant.verify import content_words, word_pairs

            phrases = [(content_words(v), word_pairs(v)) for v in values]
            return {
                n
                for n, words in self.measure_words_of.items()
                if any(stems and stems <= words and pairs <= self.measure_pairs_of[n] for stems, pairs in phrases)
            }
        return set()

    @cached_property
    def measure_words_of(self) -> dict[int, frozenset[str]]:
        """Each task's content words (stems) in its measures' own text, without its unit list."""
        from assistant.verify import content_words

        return {e.task: frozenset(content_words(_measure_text(e.text))) for e in self.tasks if e.task is not None}

    @cached_property
    def _measures_lower(self) -> str:
        return "\n".join(_measure_text(e.text).lower() for e in self.entries)

    def measures_say(self, phrase: str) -> bool:
        """Whether some passage's own text (unit lists left out) has ``phrase`` as written, in any case."""
        return bool(re.search(rf"(?<![\w-]){re.escape(phrase.strip().lower())}(?![\w-])", self._measures_lower))

    @cached_property
    def measure_pairs_of(self) -> dict[int, frozenset[tuple[str, str]]]:
        """Each task's adjacent pairs of content words in its measures' own text."""
        from assistant.verify import word_pairs

        return {e.task: frozenset(word_pairs(_measure_text(e.text))) for e in self.tasks if e.task is not None}

    def select(self, set_query) -> list[TaskEntry]:
        """Every task a :class:`~assistant.question.SetQuery` describes, exhaustively."""
        positive = [self.term_tasks(t.kind, t.values, set_query.in_text) for t in set_query.positive]
        if not positive:  # "tasks that do not list X": every task, less X's
            selected = {e.task for e in self.tasks}
        elif str(set_query.op) == "or":
            selected = set().union(*positive)
        elif str(set_query.op) == "xor":  # "X or Y, but not both": on exactly one of them
            selected = {n for n in set().union(*positive) if sum(n in p for p in positive) == 1}
        else:
            selected = set.intersection(*positive) if positive else set()
        for term in set_query.negative:
            selected -= self.term_tasks(term.kind, term.values, set_query.in_text)
        if set_query.within:  # "among tasks 10 to 15"
            selected &= set(set_query.within)
        if set_query.first:  # "X listed first": the unit list opens with a named unit
            named = {v for t in set_query.positive if t.kind == "unit" for v in t.values}
            selected = {n for n in selected if self._by_task[n].units[:1] and self._by_task[n].units[0] in named}
        if set_query.last:  # "X listed last": the unit list ends with a named unit
            named = {v for t in set_query.positive if t.kind == "unit" for v in t.values}
            selected = {n for n in selected if self._by_task[n].units[-1:] and self._by_task[n].units[-1] in named}
        if set_query.only:  # "only X": no responsible unit beyond the named ones
            named = {v for t in set_query.positive if t.kind == "unit" for v in t.values}
            selected = {n for n in selected if named and set(self._by_task[n].units) <= named}
        return [e for e in self.tasks if e.task in selected]

    def with_unit_count(self, entries: list[TaskEntry], condition: tuple[str, int]) -> list[TaskEntry]:
        """Tasks whose number of responsible units meets ``condition`` (see SetQuery.unit_count)."""
        op, number = condition
        if not entries:
            return []
        if op in ("max", "min"):
            extreme = (max if op == "max" else min)(len(e.units) for e in entries)
            return [e for e in entries if len(e.units) == extreme]
        return [e for e in entries if _COMPARE[op](len(e.units), number)]

    @cached_property
    def lowered_text(self) -> str:
        """Every task's text, lower-cased, in one string (built once, searched per question)."""
        return " ".join(e.text.lower() for e in self.tasks)

    @cached_property
    def task_frequency(self) -> dict[str, int]:
        """For each content word (stem), how many tasks' texts use it."""
        from assistant.verify import content_words

        counts: dict[str, int] = {}
        for entry in self.tasks:
            for word in content_words(entry.text):
                counts[word] = counts.get(word, 0) + 1
        return counts

    @cached_property
    def task_words(self) -> dict[int, frozenset[str]]:
        """Each task's content words (stems), for asking which of a set of tasks use a word."""
        from assistant.verify import content_words

        return {e.task: frozenset(content_words(e.text)) for e in self.tasks if e.task is not None}

    @cached_property
    def task_phrases(self) -> dict[int, frozenset[tuple[str, str]]]:
        """Each task's two-word phrases (adjacent content words, stemmed: ("data", "center"))."""
        from assistant.verify import word_pairs

        return {e.task: frozenset(word_pairs(e.text)) for e in self.tasks if e.task is not None}

    def tasks_saying(self, phrase: tuple[str, str]) -> list[int]:
        """The tasks whose text uses a two-word phrase."""
        return [task for task, phrases in self.task_phrases.items() if phrase in phrases]

    @cached_property
    def surface_words(self) -> frozenset[str]:
        """Every word of the tasks' texts as written (lower case): "entirely" is not there though "entire" is."""
        return frozenset(w for e in self.tasks for w in re.findall(r"[a-z]+", e.text.lower()))

    @cached_property
    def acronyms(self) -> dict[str, str]:
        """Acronyms of the documents' own title-case names, by their initials: "WAIC" -> "World
        Artificial Intelligence Conference". Only initials that name one phrase are kept; a question
        may use the acronym where the documents spell the name out."""
        found: dict[str, set[str]] = {}
        for entry in self.entries:
            for sentence in re.split(r"[,;:()\n]", entry.text):
                words = re.findall(r"[A-Za-z][A-Za-z-]*", sentence)
                for start, first in enumerate(words):
                    if not first[0].isupper():
                        continue
                    phrase: list[str] = []
                    for word in words[start : start + 8]:
                        if word.lower() not in _LINKING_WORDS and not word[0].isupper():
                            break  # names are in title case: "World Artificial Intelligence Conference"
                        phrase.append(word)
                        if phrase[-1].lower() in _LINKING_WORDS:
                            continue
                        for skipped in (_LINKING_WORDS, _ALWAYS_SKIPPED):
                            initials = "".join(w[0] for w in phrase if w.lower() not in skipped)
                            if len(initials) >= 3:
                                found.setdefault(initials.upper(), set()).add(" ".join(phrase))
                # a name in lower case that is a whole item of a list ("Internet data centers, content
                # distribution networks, and app stores": CDN); a whole item, not any run of words,
                # so that an acronym does not match some run of words by chance
                for item in re.split(r"[,;:()\n.]", entry.text):
                    item = _LIST_ITEM_LEAD.sub("", item.strip())
                    words = re.findall(r"[A-Za-z][A-Za-z-]*", item)
                    if 2 <= len(words) <= 5:
                        initials = "".join(w[0] for w in words if w.lower() not in _LINKING_WORDS)
                        if len(initials) >= 3:
                            found.setdefault(initials.upper(), set()).add(" ".join(words))
        return {initials: next(iter(phrases)) for initials, phrases in found.items() if len(phrases) == 1}

    @cached_property
    def _capitals(self) -> set[str]:
        return {w for entry in self.entries for w in re.findall(r"\b[A-Z]{3,6}\b", entry.text)}

    @cached_property
    def measure_words(self) -> frozenset[str]:
        """Words the tasks' measures use as words of their own (lower case; "e-commerce" is one
        word, and the responsible-unit lists are left out)."""
        return frozenset(
            w for e in self.tasks for w in re.findall(r"[a-z]+(?:-[a-z]+)*", _measure_text(e.text).lower())
        )

    @cached_property
    def title_stems(self) -> dict[int, frozenset[str]]:
        """Each task's title words (stems; hyphenated words split), for naming a task by its title."""
        from assistant.verify import content_words

        return {e.task: frozenset(content_words(e.title.replace("-", " "))) for e in self.tasks if e.task is not None}

    @cached_property
    def unit_class_stems(self) -> frozenset[str]:
        """Words (stems) of the kinds of body ("bureau", "commission", "municipal"): in two or more
        unit names and nowhere in the measures. A word of one unit's name ("Changning") names it."""
        from assistant.verify import content_words

        measures = {w for e in self.tasks for w in content_words(_measure_text(e.text))}
        names = {u for e in self.tasks for u in e.units}
        counts: dict[str, int] = {}
        for name in names:
            for word in content_words(name):
                counts[word] = counts.get(word, 0) + 1
        return frozenset(w for w, n in counts.items() if n >= 2 and w not in measures)

    @cached_property
    def phrase_initials(self) -> frozenset[str]:
        """The initials of every run of four to six words in the documents ("wholly foreign-owned
        enterprises": WFOE), linking words skipped: an acronym a question may use for something the
        documents spell out. (Shorter acronyms would match some run of words by chance.)"""
        found = set()
        for entry in self.entries:
            for sentence in re.split(r"[,;:()\n.]", entry.text):
                words = [w for w in re.findall(r"[A-Za-z]+", sentence) if w.lower() not in _LINKING_WORDS]
                for start in range(len(words)):
                    for end in range(start + 4, min(start + 7, len(words) + 1)):  # four to six words
                        found.add("".join(w[0] for w in words[start:end]).upper())
        return frozenset(found)

    def spelled_out(self, text: str) -> list[str]:
        """The documents' names for the acronyms in ``text`` that the documents never use themselves."""
        return list(
            dict.fromkeys(
                self.acronyms[token]
                # (also inside Chinese text; "CDNs" is the plural of CDN)
                for token in re.findall(r"(?<![A-Za-z0-9])([A-Z]{3,6})s?(?![A-Za-z0-9])", text)
                if token not in self._capitals and token in self.acronyms
            )
        )

    @cached_property
    def coined_names(self) -> frozenset[str]:
        """The names the tasks write as acronyms or coined words ("CIPS", "ChinaJoy", "SJC2": a capital
        after the first letter, or a digit) that only a few tasks use (stems): text naming one, in
        any case, is about what those tasks are about."""
        from assistant.verify import content_words

        names = {
            w
            for entry in self.tasks
            for name in re.findall(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:[A-Z]|\d)[A-Za-z0-9]*(?![\w-])", entry.text)
            for w in content_words(name)
        }
        return frozenset(w for w in names if self.few_tasks_use(w))

    @cached_property
    def _written_words(self) -> frozenset[str]:
        """Every word the documents write (lower case, letters only)."""
        return frozenset(w for entry in self.entries for w in re.findall(r"[a-z]+", entry.text.lower()))

    @cached_property
    def _written_stems(self) -> frozenset[str]:
        from assistant.verify import content_words

        return frozenset(content_words(" ".join(self._written_words)))

    def respelled(self, text: str) -> list[str]:
        """The documents' words that ``text``'s typos stand for (see :meth:`respellings`)."""
        return list(dict.fromkeys(self.respellings(text).values()))

    def respellings(self, text: str) -> dict[str, str]:
        """Each typo in ``text`` (lower case) and the documents' word it stands for: a word they
        never write that becomes one of theirs, and only one, with two neighbouring letters swapped
        ("reinsurnace"), or, in a word of seven letters or more, a letter too many ("cleareance") or a
        double letter written once ("comercial"). Words of five letters or fewer are left alone: too
        many real words lie one slip apart ("form", "from")."""
        from assistant.verify import content_words

        known = self._written_words
        found = {}
        for word in re.findall(r"[A-Za-z]{6,}", text):
            lower = word.lower()
            if lower in known or lower in SYNONYMS or content_words(lower) <= self._written_stems:
                continue  # (another form of a word they write, "exports", is no typo)
            swapped = {lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :] for i in range(len(lower) - 1)}
            if len(lower) >= 7:
                # (a letter too many, never the first: "ecommerce" is no typo of "commerce")
                swapped |= {lower[:i] + lower[i + 1 :] for i in range(1, len(lower))}
                swapped |= {lower[:i] + c + lower[i:] for i in range(1, len(lower)) for c in lower[i - 1 : i + 1]}
            candidates = (swapped - {lower}) & known
            if len(candidates) == 1:
                found[lower] = next(iter(candidates))
        return found

    @cached_property
    def sentence_words_of(self) -> dict[int, tuple[frozenset[str], ...]]:
        """Each task's content words (stems), sentence by sentence (its title not among them)."""
        from assistant.verify import content_words

        return {
            e.task: tuple(frozenset(content_words(s)) for s in e.sentences) for e in self.tasks if e.task is not None
        }

    @cached_property
    def _title_words_of(self) -> dict[int, frozenset[str]]:
        from assistant.verify import content_words

        return {e.task: frozenset(content_words(e.title)) for e in self.tasks if e.task is not None}

    @cached_property
    def _spelled_out(self) -> list[tuple[set[str], set[str]]]:
        """The normalise.SYNONYMS pairs whose full form is two words or more: (short form, full form), as stems."""
        from assistant.verify import content_words

        pairs = [(content_words(short), content_words(full) - content_words(short)) for short, full in SYNONYMS.items()]
        return [(short, full) for short, full in pairs if len(full) >= 2]

    def tasks_using(self, words: set[str], in_one_sentence: bool = False) -> list[TaskEntry]:
        """Tasks whose text contains every one of ``words`` (stems, as verify.content_words makes them),
        each as written or spelled out ("AI" or "artificial intelligence", "forex" or "foreign exchange":
        a word search lists every spelling the text uses, as the retrieval query does).
        ``in_one_sentence``: all of them in one of its sentences (its title is one)."""
        from assistant.verify import content_words

        spellings: list[list[set[str]]] = []
        words = set(words)
        for short, spelled in self._spelled_out:
            # "artificial intelligence" asked: the text's "AI" says it too (the same pair, read back)
            if spelled <= words:
                spellings.append([short, spelled])
                words -= spelled | short
        for word in words:
            spelled = content_words(normalise_query(word)) - {word}
            spellings.append([{word}, *([spelled] if spelled else [])])
        found = []
        for entry in self.tasks:
            assert entry.task is not None
            if in_one_sentence:
                texts = (self._title_words_of[entry.task], *self.sentence_words_of[entry.task])
            else:
                texts = (self.task_words[entry.task],)
            if any(all(any(form <= have for form in forms) for forms in spellings) for have in texts):
                found.append(entry)
        return found

    def knows_word(self, word: str) -> bool:
        """Whether some task uses ``word``, as written or spelled out."""
        return bool(self.tasks_using({word}))

    def _tasks_by_unit(self, first: bool = False) -> dict[str, list[TaskEntry]]:
        """Each responsible unit's tasks, in plan order; ``first``: only the tasks whose unit list it opens."""
        tasks: dict[str, list[TaskEntry]] = {}
        for entry in self.tasks:
            for unit in entry.units[:1] if first else entry.units:
                tasks.setdefault(unit, []).append(entry)
        return tasks

    def tasks_per_unit(self, excluded: set[str] = frozenset()) -> list[tuple[str, list[TaskEntry]]]:
        """Every responsible unit with its tasks, most tasks first (``excluded`` left out)."""
        tasks = [(unit, entries) for unit, entries in self._tasks_by_unit().items() if unit not in excluded]
        return sorted(tasks, key=lambda item: -len(item[1]))

    def units_by_task_count(
        self,
        condition: tuple[str, int],
        first: bool = False,
        sections: tuple[str, ...] = (),
        counted_in_plan: bool = False,
    ) -> list[tuple[str, list[TaskEntry]]]:
        """Units whose number of tasks meets ``condition`` (("==", 1): on a single task), with those
        tasks; ``first``: counting only the tasks whose unit list the unit opens. ``sections``: only
        the units of those sections' tasks, their tasks counted there (or, ``counted_in_plan``, in
        the whole plan)."""
        op, number = condition
        by_unit = self._tasks_by_unit(first)
        if sections:
            within = {u: [e for e in es if e.section in sections] for u, es in by_unit.items()}
            by_unit = {u: (es if counted_in_plan else within[u]) for u, es in by_unit.items() if within[u]}
        return [(unit, entries) for unit, entries in by_unit.items() if _COMPARE[op](len(entries), number)]

    def few_tasks_use(self, word: str) -> bool:
        """Whether a content word (stem) names a specific subject: some tasks use it, at most SPECIFIC_TASKS."""
        return 0 < self.task_frequency.get(word, 0) <= SPECIFIC_TASKS

    def units_across(self, set_query) -> list[str]:
        """Responsible units across the tasks a set query names: shared (and), any (or), less negated tasks'."""

        def units_of(term) -> list[str]:
            if term.kind == "section":  # any of its tasks' units, or (each_task) those on all of them
                lists = [e.units for e in self.tasks if e.section in term.values]
                if len(term.values) > 1 and not set_query.each_task:  # "sections IV and V": each one's
                    return list(dict.fromkeys(u for units in lists for u in units))
                if set_query.each_task:
                    return [u for u in lists[0] if all(u in units for units in lists)] if lists else []
                return list(dict.fromkeys(u for units in lists for u in units))
            units = [e.units[: 1 if set_query.first else None] for v in term.values for e in [self.task(int(v))] if e]
            return [u for listed in units for u in listed]  # (first: the first-listed unit of each)

        positive = [t for t in set_query.terms if not t.negated and t.kind in ("task", "section")]
        lists = [list(dict.fromkeys(units_of(t))) for t in positive]
        if len(positive) == 1 and positive[0].kind == "task" and len(positive[0].values) > 1:  # "tasks 8 and 9"
            lists = [
                self.task(int(v)).units[: 1 if set_query.first else None]
                for v in positive[0].values
                if self.task(int(v))
            ]
        if not lists:
            return []
        if str(set_query.op) == "or" or set_query.first:  # (first: the first-listed unit of each task)
            result = list(dict.fromkeys(u for units in lists for u in units))
        elif str(set_query.op) == "xor":  # on one of them but not on both
            every = [u for units in lists for u in units]
            result = [u for u in dict.fromkeys(every) if sum(u in units for units in lists) == 1]
        else:
            result = [u for u in lists[0] if all(u in units for units in lists[1:])]
        # "which district governments are on it": only the named units (a family of them) count
        named = {v for t in set_query.terms if not t.negated and t.kind == "unit" for v in t.values}
        if named:
            result = [u for u in result if u in named]
        # "task 5 but not task 7" excludes task 7's units; "besides Commerce" excludes that unit.
        excluded = {u for t in set_query.terms if t.negated for u in (t.values if t.kind == "unit" else units_of(t))}
        return [u for u in result if u not in excluded]
