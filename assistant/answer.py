"""Answer generation. The extractive generator (the offline default, no LLM) composes an answer
from the best sources' most relevant sentences, each followed by its [Task N] citation.

The generator only writes text with markers; the verifier (``verify.py``) then checks every
marker against its source and attaches the exact quotes, for this generator and LLMs alike.
What to say (answer, partial, refuse; which tasks; which facet) was decided before, by the
question analysis and the decision layer; the fixed wording, English and Chinese, is in
``prompts/phrases.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from assistant.catalogue import TaskCatalogue, TaskEntry
from assistant.question import Asks, QuestionAnalysis
from assistant.retrieval import PassageHit
from assistant.verify import _FIGURE, Source, content_words

# Sentences of a passage within this cosine of its best one are worth quoting too.
SENTENCE_MARGIN = 0.05


@dataclass
class Draft:
    """What a generator produced: markdown with citation markers, and the sources it drew on."""

    text: str
    sources: list[Source]
    refused: bool = False
    coverage: str = "full"  # "full" | "partial" | "none"


def joined(drafts: list[Draft]) -> Draft:
    """One answer to a message of several questions: each question's answer in turn."""
    coverage = {d.coverage for d in drafts}
    return Draft(
        text="\n\n".join(d.text for d in drafts),
        sources=[source for d in drafts for source in d.sources],
        refused=all(d.refused for d in drafts),
        coverage=coverage.pop() if len(coverage) == 1 else "partial",
    )


@lru_cache(maxsize=4)
def _phrases(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def details_labels(prompts_dir: Path) -> set[str]:
    """The label a citation of a document's own details carries, in every language of the phrases
    ("Document details", 文件信息): no passage stands behind it."""
    return {
        table["details.label"] for table in _phrases(prompts_dir / "phrases.json").values() if "details.label" in table
    }


class Phrases:
    """The fixed wording of answers in the question's language."""

    def __init__(self, prompts_dir: Path, language: str) -> None:
        data = _phrases(prompts_dir / "phrases.json")
        self.table = {**data["en"], **(data.get(language) or {})} if language != "en" else data["en"]
        self.language = language

    def __call__(self, key: str, **values: object) -> str:
        return self.table[key].format(**values)


def display_title(entry: TaskEntry) -> str:
    """What a citation's ``title`` shows: another document's short label (document and article,
    at most 60 characters), the plan's own title for its tasks and other passages."""
    if entry.authority != "plan":
        return entry.label
    return entry.title or entry.label


def source_of(entry: TaskEntry) -> Source:
    """A citable source: the passage's sentences plus its responsible-units clause, as written."""
    clause = re.search(r"\(Responsible units?:[^\n]*\)\s*$", entry.text)
    sentences = list(entry.sentences) + ([clause.group(0).strip()[1:-1]] if clause else [])
    return Source(
        task=entry.task,
        label=entry.label,
        title=display_title(entry),
        doc_id=entry.source,
        text=entry.text,
        sentences=sentences,
        units=list(entry.units) if entry.task is not None else [],
    )


def heading(entry: TaskEntry) -> str:
    if entry.task is not None:
        return f"**{entry.label} · {entry.title}**"
    return f"**{entry.title}** ({entry.doc_title})" if entry.doc_title else f"**{entry.title}**"


def _sentences(language: str, *parts: str) -> str:
    """Sentences run together as the language writes them (Chinese puts no space after a full stop)."""
    return ("" if language == "zh" else " ").join(parts)


class ExtractiveGenerator:
    """Selects and cites sentences; never writes a word the sources do not contain."""

    name = "extractive"

    def __init__(self, catalogue: TaskCatalogue, max_sentences: int = 3, prompts_dir: Path | None = None) -> None:
        from assistant.settings import PROJECT_ROOT

        self.catalogue = catalogue
        self.max_sentences = max_sentences
        self.prompts_dir = prompts_dir or PROJECT_ROOT / "prompts"

    def phrases(self, analysis: QuestionAnalysis) -> Phrases:
        return Phrases(self.prompts_dir, analysis.language)

    def units_clause(self, entry: TaskEntry, say: Phrases) -> str:
        return f"*{say('units')}:* {'; '.join(entry.units_as_written)} [{entry.label}]" if entry.units else ""

    @staticmethod
    def title_line(entry: TaskEntry) -> str:
        """The task's title as a cited claim (its title is part of its text, so it verifies)."""
        return f"{entry.title} [{entry.label}]"

    @staticmethod
    def task_line(entry: TaskEntry) -> str:
        """One task of a list: its number, title and units, cited."""
        return f"- **{entry.label}** · {entry.title}: {'; '.join(entry.units_as_written)} [{entry.label}]"

    @staticmethod
    def section_lines(section: str, entries: list[TaskEntry]) -> list[str]:
        """A section of a ranking: its count, then its tasks' titles, cited."""
        return [f"- **{section}**: {len(entries)}", *(f"  - {e.title} [{e.label}]" for e in entries)]

    def _lead(self, say: Phrases) -> str:
        return f"{say('lead')}\n\n" if say.language == "zh" else ""

    # --- refusals --------------------------------------------------------------------------

    def refusal(self, analysis: QuestionAnalysis, reason: str = "", places: str = "") -> Draft:
        say = self.phrases(analysis)
        text = say("other_place", places=places) if reason == "other_place" and places else say("refusal")
        return Draft(text=text, sources=[], refused=True, coverage="none")

    # --- exact lookups -----------------------------------------------------------------

    def task_answer(self, analysis: QuestionAnalysis, gap: str = "", detail: dict | None = None) -> Draft:
        """The named tasks in full; ``gap``: the phrase key of what they do not say (a date, an amount)."""
        say = self.phrases(analysis)
        total = len(self.catalogue.tasks)
        entries = [e for e in (self.catalogue.task(n) for n in analysis.tasks) if e is not None]
        parts, sources = [], []
        for entry in entries:
            sources.append(source_of(entry))
            body = " ".join(f"{s} [{entry.label}]" for s in entry.sentences)
            units = self.units_clause(entry, say)
            if analysis.asks == Asks.SECTION:
                parts.append(f"{say('section', label=entry.label, section=entry.section)}\n\n{self.title_line(entry)}")
            elif analysis.wants_units:
                parts.append(f"{heading(entry)}\n\n{units}\n\n{body}")
            else:
                parts.append(f"{heading(entry)} ({entry.section})\n\n{body}\n\n{units}")
        missing = analysis.missing_tasks
        if not parts:
            text = say("no_task", total=total, missing=", ".join(map(str, missing)))
            return Draft(text=text, sources=[], refused=True, coverage="none")
        note = f"({say('no_task', total=total, missing=', '.join(map(str, missing)))})\n\n" if missing else ""
        if gap:  # "Is there a deadline for that?": the plan does not say, then what it does say
            lead = f"{say(gap, **(detail or {}))} {say('partial.then')}\n\n"
            return Draft(text=lead + note + "\n\n".join(parts), sources=sources, coverage="partial")
        return Draft(text=self._lead(say) + note + "\n\n".join(parts), sources=sources)

    @staticmethod
    def _none(query, subject: str, total: int, say) -> str:
        """The lead of a list question no task matches; a count says its number ("0 of the plan's 23 tasks")."""
        if query.output == "count":
            return say("list.count", subject=subject, count=0, total=total)
        return say("list.none", subject=subject)

    def set_answer(self, analysis: QuestionAnalysis) -> Draft:
        """List, count, shared-units and section answers, computed exhaustively from metadata."""
        say = self.phrases(analysis)
        query = analysis.set_query
        assert query is not None
        total = len(self.catalogue.tasks)
        subject = _describe(query, analysis.language)
        if query.output == "units":
            entries = [
                e for e in (self.catalogue.task(int(v)) for t in query.terms if t.kind == "task" for v in t.values) if e
            ]
            sections = {v for t in query.positive if t.kind == "section" for v in t.values}
            entries += [e for e in self.catalogue.tasks if e.section in sections]
            shared = self.catalogue.units_across(query)
            sources = [source_of(e) for e in entries]
            if not shared:
                return Draft(text=say("list.units_none", subject=subject), sources=sources, coverage="full")
            lead = "list.units_count" if query.counted else "list.units_first" if query.first else "list.units"
            lines = [say(lead, subject=subject, count=len(shared)), ""]
            for unit in shared:
                having = [e for e in entries if unit in e.units]
                lines.append(f"- {unit} " + " ".join(f"[{e.label}]" for e in having))
            return Draft(text="\n".join(lines), sources=sources)
        if query.output == "co_units":
            unit = query.terms[0].values[0]
            entries = [e for e in self.catalogue.tasks if unit in e.units]
            partners = list(dict.fromkeys(u for e in entries for u in e.units if u != unit))
            if query.each_task:  # on every one of the unit's tasks
                partners = [u for u in partners if all(u in e.units for e in entries)]
            if not partners:
                return Draft(text=say("list.co_units_none", unit=unit), sources=[source_of(e) for e in entries])
            key = "list.co_units_each" if query.each_task else "list.co_units"
            lines = [say(key, unit=unit, count=len(partners)), ""]
            for partner in partners:
                lines.append(f"- {partner} " + " ".join(f"[{e.label}]" for e in entries if partner in e.units))
            return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])
        if query.output == "unit_count":
            entries = [e for e in (self.catalogue.task(int(v)) for t in query.terms for v in t.values) if e]
            lines = [say("list.unit_count", label=e.label, count=len(e.units)) for e in entries]
            lines += ["", *(self.units_clause(e, say) for e in entries)]
            return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])
        if query.output == "membership":
            entries = [
                e for e in (self.catalogue.task(int(v)) for t in query.terms if t.kind == "task" for v in t.values) if e
            ]
            units = [v for t in query.terms if t.kind == "unit" for v in t.values]
            # "is the central bank on any of those?": the tasks it is on first, and only those quoted
            # and cited; the others are named as not having it
            having = [e for e in entries if any(u in e.units for u in units)]
            quoted = having if having and len(entries) > 1 else entries
            lines = []
            for entry in [*quoted, *(e for e in entries if e not in quoted)]:
                for unit in units:
                    key = "membership.yes" if unit in entry.units else "membership.no"
                    lines.append(say(key, unit=unit, label=entry.label))
                if entry in quoted:
                    lines += ["", self.units_clause(entry, say), ""]
            return Draft(text="\n".join(lines).strip(), sources=[source_of(e) for e in quoted])
        if query.output in ("all_of", "any_of"):
            # "Are they all in section II?", "is any of them a Customs task?": the named tasks (the
            # first term) checked against the condition (the other terms)
            named = [e for e in (self.catalogue.task(int(v)) for v in query.terms[0].values) if e]
            condition = replace(query, terms=query.terms[1:], output="tasks")
            meeting = {e.task for e in self.catalogue.select(condition)}
            having = [e for e in named if e.task in meeting]
            others = [e for e in named if e.task not in meeting]
            labels = ", ".join(e.label for e in having)
            if query.output == "all_of":
                key = "subset.all_yes" if not others else "subset.all_no" if having else "subset.none"
            else:
                key = "subset.any_yes" if having else "subset.none"
            condition_text = _describe(condition, analysis.language)
            lead = say(key, count=len(having), total=len(named), subject=condition_text, labels=labels)
            shown = having or named  # the ones that match; all of them when none does
            lines = [lead, "", *(self.task_line(e) for e in shown)]
            return Draft(text="\n".join(lines), sources=[source_of(e) for e in shown])
        if query.output == "unit_ranking":
            excluded = {v for t in query.negative if t.kind == "unit" for v in t.values}
            compared = {v for t in query.positive if t.kind == "unit" for v in t.values}  # "Pudong or Lingang?"
            ranking = [(u, es) for u, es in self.catalogue.tasks_per_unit(excluded) if not compared or u in compared]
            if query.fewest:
                ranking.reverse()
                key = "unit_ranking.fewest"
            else:
                key = "unit_ranking.most"
            if query.counted and len(ranking) == 2:  # "how many more tasks is X on than Y?"
                (first, a), (second, b) = sorted(ranking, key=lambda item: -len(item[1]))
                lead = say(
                    "unit_ranking.difference",
                    difference=len(a) - len(b),
                    first=first,
                    second=second,
                    first_count=len(a),
                    second_count=len(b),
                )
                lines = [
                    lead,
                    "",
                    *(f"- {u} " + " ".join(f"[{e.label}]" for e in es) for u, es in ((first, a), (second, b))),
                ]
                return Draft(text="\n".join(lines), sources=[source_of(e) for e in {e.task: e for e in a + b}.values()])
            # the units in the places asked for, ties included ("the most, and which one comes second?")
            counts = sorted({len(es) for _, es in ranking}, reverse=not query.fewest)[: query.places]
            best = len(ranking[0][1])
            winners = [(u, es) for u, es in ranking if len(es) in counts]
            leaving = say("unit_ranking.excluding", units="; ".join(sorted(excluded))) if excluded else ""
            first = "; ".join(u for u, es in winners if len(es) == best)
            lead = say(key, units=first, count=best, total=total, excluding=leaving)
            lines = [lead, ""]
            lines += [f"- {u} " + " ".join(f"[{e.label}]" for e in es) for u, es in winners]
            following = ranking[len(winners) : len(winners) + 4]
            if following:
                separator = "、" if analysis.language == "zh" else ", "
                entries = separator.join(say("unit_ranking.entry", unit=u, count=len(es)) for u, es in following)
                lines += ["", say("unit_ranking.next", ranking=entries)]
            return Draft(text="\n".join(lines), sources=[source_of(e) for _, es in winners for e in es])
        if query.output == "unit_tasks" and query.unit_count is not None:
            sections = tuple(v for t in query.terms if t.kind == "section" for v in t.values)
            units = self.catalogue.units_by_task_count(
                query.unit_count, first=query.first, sections=sections, counted_in_plan=query.counted_in_plan
            )
            named = [
                e for t in query.terms if t.kind == "task" for e in map(self.catalogue.task, map(int, t.values)) if e
            ]
            if named:  # "of task 23's units, which are on no other task?" (built only as ("==", 1))
                units = [(u, es) for u, es in units if any(u in e.units for e in named)]
                lead = say("unit_tasks.only_there", label=" / ".join(e.label for e in named), count=len(units))
            else:
                op, n = query.unit_count
                condition = say(f"unit_tasks.{op}", n=n)
                if sections and not query.first:
                    key = "unit_tasks.section_plan" if query.counted_in_plan else "unit_tasks.section"
                    lead = say(key, section=" / ".join(sections), condition=condition, count=len(units))
                else:
                    key = "unit_tasks.first" if query.first else "unit_tasks.all"
                    lead = say(key, condition=condition, count=len(units))
            lines = [lead, ""]
            lines += [f"- {u} " + " ".join(f"[{e.label}]" for e in es) for u, es in units]
            return Draft(text="\n".join(lines), sources=[source_of(e) for _, es in units for e in es])
        if query.output == "section_counts":
            # every task, or the tasks the named terms select ("which section has the most Customs tasks?")
            selected = self.catalogue.select(query) if query.terms else self.catalogue.tasks
            counts: dict[str, list[TaskEntry]] = {}
            if query.terms and query.fewest:  # a section with none of them has the fewest
                counts = {section: [] for section in self.catalogue.sections}
            for entry in selected:
                counts.setdefault(entry.section, []).append(entry)
            ranked = sorted(counts.items(), key=lambda kv: -len(kv[1]))
            if not ranked:
                return Draft(text=say("list.none", subject=subject), sources=[])
            most = bool(re.search(r"\b(?:most|largest|biggest|greatest)\b|最多", analysis.text, re.I))
            if not (query.fewest or most):
                # a plain list of the sections, in the plan's order (so "the fourth one" is section IV)
                order = {name: i for i, name in enumerate(self.catalogue.sections)}
                ranked = sorted(ranked, key=lambda kv: order.get(kv[0], len(order)))
                lines = [say("list.sections", count=len(ranked), total=len(self.catalogue.tasks)), ""]
                for section, entries in ranked:
                    lines += self.section_lines(section, entries)
                return Draft(text="\n".join(lines), sources=[source_of(e) for _, es in ranked for e in es])
            # The section(s) asked for are the list; the others follow in one line for comparison.
            edge = len(ranked[-1][1]) if query.fewest else len(ranked[0][1])
            winners = [(name, es) for name, es in ranked if len(es) == edge]  # ties included
            key = "section.fewest" if query.fewest else "section.most"
            lead = say(key, section=" / ".join(name for name, _ in winners), count=edge)
            if query.terms:
                lead = f"{subject}{'：' if analysis.language == 'zh' else ': '}{lead}"
            lines = [lead, ""]
            for section, entries in winners:
                lines += self.section_lines(section, entries)
            others = [(name, es) for name, es in ranked if len(es) != edge]
            if others:
                listing = "; ".join(f"{name} ({len(es)})" for name, es in others)
                lines += ["", say("section.others", sections=listing)]
            return Draft(text="\n".join(lines), sources=[source_of(e) for _, es in winners for e in es])
        entries = self.catalogue.select(query)
        if query.unit_count is not None:
            entries = self.catalogue.with_unit_count(entries, query.unit_count)
            op, n = query.unit_count
            if op in ("max", "min") and entries:  # the most / fewest: say how many that is
                n = len(entries[0].units)
            subject = say(f"units.{op}", n=n)
            if query.terms:  # "of Customs's tasks in section II, the one(s) with the most units"
                subject = f"{_describe(query, analysis.language)} — {subject}"
            if entries:
                # (a count of tasks leads with it; "how many units has the longest list" with the units')
                key = "list.count" if query.output == "count" and op not in ("max", "min") else "list.tasks"
                lines = [say(key, subject=subject, count=len(entries), total=total), ""]
                for entry in entries:  # the count is in the lead: a number beside a quote is checked as a figure
                    lines.append(self.task_line(entry))
                return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])
        excluded = [
            e for t in query.negative if t.kind == "task" for e in map(self.catalogue.task, map(int, t.values)) if e
        ]
        if not entries and excluded and query.positive:
            # "Is the sports bureau on any other task?" - no: it is on the one(s) just discussed only
            named = replace(query, terms=query.positive)
            having = [e for e in excluded if e.task in {x.task for x in self.catalogue.select(named)}]
            if having:
                lead = say(
                    "list.no_other",
                    subject=_describe(named, analysis.language),
                    labels=", ".join(e.label for e in having),
                )
                lines = [self.task_line(e) for e in having]
                return Draft(text="\n".join([lead, "", *lines]), sources=[source_of(e) for e in having])
        if not entries and query.negative and query.positive and str(query.op) == "and" and not query.within:
            # "is there any Cyberspace task the Data Bureau isn't on?" - no: every task of the first
            # list has the second too, which the answer says
            named = replace(query, terms=query.positive, only=False, first=False, last=False)
            having = self.catalogue.select(named)
            if having and len(having) <= 8:  # (a short list is named; a long one would bury the answer)
                none = self._none(query, subject, total, say)
                reason = say(
                    "list.all_have",
                    named=_describe(named, analysis.language),
                    labels=", ".join(e.label for e in having),
                    excluded=", ".join(_term(t, analysis.language) for t in query.negative),
                )
                lead = _sentences(analysis.language, none, reason)
                # (said, not cited: the answer is that no task matches, and a list answer's citations are its list)
                return Draft(text=lead, sources=[])
        restricted = [t for t in query.positive if t.kind == "task"]
        names = [t for t in query.positive if t.kind in ("unit", "area")]
        if not entries and restricted and names and not query.negative and str(query.op) == "and":
            # "which of them is the tax service on?" after section IV's tasks - none: it is on Task 15,
            # which the answer names and quotes so the reader sees where it is instead
            named = replace(query, terms=tuple(names), within=())
            elsewhere = self.catalogue.select(named)
            if elsewhere and len(elsewhere) <= 8:
                none = self._none(query, subject, total, say)
                where = say(
                    "list.elsewhere",
                    subject=_describe(named, analysis.language),
                    labels=", ".join(e.label for e in elsewhere),
                )
                lead = _sentences(analysis.language, none, where)
                lines = [self.task_line(e) for e in elsewhere]
                return Draft(text="\n".join([lead, "", *lines]), sources=[source_of(e) for e in elsewhere])
        if not entries:  # an answer: no task matches
            return Draft(text=self._none(query, subject, total, say), sources=[])
        if query.output == "section":
            if query.negative and not query.positive:
                # "the section where Commerce is on no task": sections none of whose tasks has it
                chosen = {e.task for e in entries}
                whole = [
                    s
                    for s in dict.fromkeys(e.section for e in self.catalogue.tasks)
                    if all(e.task in chosen for e in self.catalogue.tasks if e.section == s)
                ]
                entries = [e for e in entries if e.section in whole]
                if not entries:
                    return Draft(text=say("list.none", subject=subject), sources=[])
            sections = list(dict.fromkeys(e.section for e in entries))
            if query.counted:  # "how many sections is Customs in?": the number first, then each section's tasks
                order = {name: i for i, name in enumerate(self.catalogue.sections)}
                lead = say("list.sections_count", subject=subject, count=len(sections), total=len(order))
                lines = [lead, ""]
                for section in sorted(sections, key=lambda name: order.get(name, len(order))):
                    lines += self.section_lines(section, [e for e in entries if e.section == section])
                return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])
            lines = [f"{say('section', label=e.label, section=e.section)} {self.title_line(e)}" for e in entries]
            return Draft(text="\n".join([" / ".join(sections), "", *lines]), sources=[source_of(e) for e in entries])
        key = "list.count" if query.output == "count" else "list.tasks"
        if not query.terms:
            key = "list.all"
        lines = [say(key, subject=subject, count=len(entries), total=total), ""]
        for entry in entries:
            lines.append(self.task_line(entry))
        return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])

    # --- semantic path -----------------------------------------------------------------

    def semantic_answer(
        self,
        analysis: QuestionAnalysis,
        chosen: list[PassageHit],
        missing: str = "",
        detail: dict | None = None,
    ) -> Draft:
        say = self.phrases(analysis)
        parts, sources = [], []
        budget = self.max_sentences
        for rank, hit in enumerate(chosen):
            entry = self.catalogue.by_label(*hit.key)
            if entry is None:
                continue
            sources.append(source_of(entry))
            want = max(1, budget if rank == 0 else 1)
            picked = self.best_sentences(entry, hit, want)
            if analysis.wants_targets:  # figures questions: the sentences that state figures
                picked = [s for s in entry.sentences if _FIGURE.search(s)][:want] or picked
            budget -= len(picked)
            body = " ".join(f"{s} [{entry.label}]" for s in picked)
            units = self.units_clause(entry, say)
            if analysis.asks == Asks.SECTION and entry.task is not None:
                parts.append(say("section", label=entry.label, section=entry.section))
            if analysis.wants_units and units:
                parts.append(f"{heading(entry)}\n\n{units}\n\n{body}")
            else:
                parts.append("\n\n".join(p for p in (heading(entry), body, units) if p))
        text = "\n\n".join(parts)
        if missing:
            statement = f"{say(missing, **(detail or {}))} {say('partial.then')}"
            lead = self.catalogue.by_label(*chosen[0].key) if chosen else None
            if lead is not None and lead.authority != "plan":  # a notice is not "the plan"
                statement = statement.replace(say("subject.plan"), say("subject.document"), 1)
            text = f"{statement}\n\n{text}"
        elif analysis.language == "zh":
            text = self._lead(say) + text
        return Draft(text=text, sources=sources, coverage="partial" if missing else "full")

    def details_answer(self, analysis: QuestionAnalysis, details: dict[str, str], is_plan: bool = True) -> Draft:
        """Who issued a document and when, from its indexed details (a metadata file or its opening
        lines): no passage states them, so they are cited to a source made of those details."""
        say = self.phrases(analysis)
        subject = say("subject.plan") if is_plan else say("subject.document")
        # (the phrases put the article before a body's name)
        issuer, publisher = (
            re.sub(r"^the\s+", "", details.get(k, "").strip(), flags=re.I) for k in ("issuer", "publisher")
        )
        issued, published = (_written_date(details.get(k, ""), analysis.language) for k in ("issued", "published"))
        facts = []
        if analysis.document_fact == "title":
            facts.append(say("details.title", subject=subject, title=details.get("title", "")))
        elif issuer and issued:
            facts.append(say("details.issued", subject=subject, issuer=issuer, date=issued))
        elif issuer:
            facts.append(say("details.issued_by", subject=subject, issuer=issuer))
        elif issued:
            facts.append(say("details.dated", subject=subject, date=issued))
        if published and published != issued and analysis.document_fact != "title":
            facts.append(
                say("details.published", publisher=publisher, date=published)
                if publisher
                else say("details.published_on", date=published)
            )
        label = say("details.label")
        source = Source(
            task=None,
            label=label,
            title=details.get("title", ""),
            doc_id=details.get("doc_id", ""),
            text=" ".join(facts),
            sentences=facts,
        )
        heading_line = f"**{label}** ({details['title']})" if details.get("title") else f"**{label}**"
        body = _sentences(analysis.language, *(f"{fact} [{label}]" for fact in facts))
        text = f"{heading_line}\n\n{body}\n\n*{say('details.source')}*"
        if analysis.wants_chinese_text:  # (its title in Chinese: the documents hold the English one only)
            return Draft(text=f"{say('partial.language')}\n\n{text}", sources=[source], coverage="partial")
        return Draft(text=text, sources=[source])

    def policies_answer(self, analysis: QuestionAnalysis, matches: list) -> Draft:
        """Every task that applies to an enterprise, ranked, each with its reason and citation."""
        say = self.phrases(analysis)
        lines = [say("policies.lead_one") if len(matches) == 1 else say("policies.lead", count=len(matches)), ""]
        sources = []
        for match in matches:
            entry = self.catalogue.task(match.task)
            if entry is None:
                continue
            sources.append(source_of(entry))
            lines.append(f"{match.rank}. **{entry.label} · {entry.title}**: {match.reason} [{entry.label}]")
            if entry.units:
                lines.append(f"   *{say('units')}:* {'; '.join(entry.units_as_written)}")
        return Draft(text="\n".join(lines), sources=sources)

    def mentions_answer(
        self, analysis: QuestionAnalysis, entries: list[TaskEntry], negated: bool = False, any_of: list[str] = ()
    ) -> Draft:
        """Every task whose text uses the question's subject words, each with the sentence that does
        (``negated``: every task whose text does not, each by its title; ``any_of``: the items of a
        listed subject, each task saying one of them)."""
        say = self.phrases(analysis)
        total = len(self.catalogue.tasks)
        if negated:
            lines = [say("mentions.lead_not", count=len(entries), total=total), ""]
            lines += [f"- **{e.label} · {e.title}** [{e.label}]" for e in entries]
            return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])
        listed = {e.task for e in entries}
        given = [n for n in analysis.other_than if n not in listed]
        if analysis.other_than and listed <= set(analysis.other_than):  # "any others?" when there are none
            lead = say("mentions.only", given=", ".join(e.label for e in entries), total=total)
        elif given:
            lead = say(
                "mentions.lead_other", given=", ".join(f"Task {n}" for n in given), count=len(entries), total=total
            )
        elif any_of:
            lead = say("mentions.lead_any", count=len(entries), total=total, items="; ".join(any_of))
        else:
            lead = say("mentions.lead", count=len(entries), total=total)
        lines = [lead, ""]
        for entry in entries:
            sentence = max(entry.sentences, key=lambda s: len(content_words(s) & analysis.look_up_words), default="")
            lines.append(f"- **{entry.label} · {entry.title}**: {sentence} [{entry.label}]")
        return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])

    def best_sentences(self, entry: TaskEntry, hit: PassageHit, want: int) -> list[str]:
        """The passage's sentences closest to the question; only those near the best one."""
        scored: dict[str, float] = {}
        for chunk in hit.chunks:
            node = chunk.node
            if node.metadata.get("granularity") == "sentence" and node.node_id in hit.cosines:
                scored.setdefault(node.text, hit.cosines[node.node_id])
        ranked = sorted(scored, key=lambda s: -scored[s])
        if ranked:
            best = scored[ranked[0]]
            ranked = [s for s in ranked if scored[s] >= best - SENTENCE_MARGIN]
        else:  # nothing retrieved at sentence level: the passage's opening sentence
            ranked = entry.sentences[:1]
        chosen = ranked[:want]
        order = {s: i for i, s in enumerate(entry.sentences)}
        return sorted(chosen, key=lambda s: order.get(s, 0))


_MONTHS = "January February March April May June July August September October November December".split()


def _written_date(value: str, language: str) -> str:
    """An ISO date as the language writes it ("30 December 2024", 2024年12月30日); others as given."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if match is None:
        return value.strip()
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return value.strip()
    return f"{year}年{month}月{day}日" if language == "zh" else f"{day} {_MONTHS[month - 1]} {year}"


def _describe(query, language: str) -> str:
    """A readable statement of a set query: "Shanghai Customs and People's Bank … but not …"."""
    zh = language == "zh"
    join = {"and": " 且 " if zh else " and ", "or": " 或 " if zh else " or ", "xor": " 或 " if zh else " or "}[
        str(query.op)
    ]
    positive = join.join(_term(t, language) for t in query.positive) or ("全部任务" if zh else "all tasks")
    if str(query.op) == "xor":
        positive += "（二者不同时）" if zh else " (not both)"
    negative = ", ".join(_term(t, language) for t in query.negative)
    if negative:
        positive += f"，但不含 {negative}" if language == "zh" else f", but not {negative}"
    if query.only:
        positive = f"仅 {positive}" if language == "zh" else f"only {positive}"
    if query.first or query.last:
        where = ("排第一" if query.first else "排最后") if zh else ("listed first" if query.first else "listed last")
        positive += f"（{where}）" if zh else f", {where}"
    if query.within:
        span = f"{query.within[0]}–{query.within[-1]}" if len(query.within) > 2 else "/".join(map(str, query.within))
        positive += f"（限第 {span} 项任务）" if zh else f", among Tasks {span}"
    return positive


def _term(term, language: str = "en") -> str:
    zh = language == "zh"
    if term.kind == "unit":
        return " / ".join(term.values) + ("（负责）" if zh else " (responsible)")
    if term.kind == "area":
        return " / ".join(term.values) + ("（提及）" if zh else " (mentioned)")
    if term.kind == "words":
        return "“" + "” / “".join(term.values) + ("”（措施提及）" if zh else "” (in the measures)")
    if term.kind == "task":
        return "Task " + " / ".join(term.values)
    return ("第 " if zh else "section ") + " / ".join(term.values)
