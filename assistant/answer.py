"""Answer generation. The extractive generator (the offline default, no LLM) composes an answer
from the best sources' most relevant sentences, each followed by its [Task N] citation.

The generator only writes text with markers; the verifier (``verify.py``) then checks every
marker against its source and attaches the exact quotes, for this generator and LLMs alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.catalogue import TaskCatalogue, TaskEntry
from assistant.retrieval import PassageHit
from assistant.router import Route
from assistant.verify import _FIGURE, Source

# Sentences of a passage within this cosine of its best one are worth quoting too.
SENTENCE_MARGIN = 0.12


@dataclass
class Draft:
    """What a generator produced: markdown with citation markers, and the sources it drew on."""

    text: str
    sources: list[Source]
    refused: bool = False


def source_of(entry: TaskEntry) -> Source:
    """A citable source: the passage's sentences plus its responsible-units clause, as written."""
    clause = re.search(r"\(Responsible units?:[^\n]*\)\s*$", entry.text)
    sentences = list(entry.sentences) + ([clause.group(0).strip()[1:-1]] if clause else [])
    return Source(
        task=entry.task,
        label=entry.label,
        title=entry.title or entry.label,
        doc_id=entry.source,
        text=entry.text,
        sentences=sentences,
    )


def units_clause(entry: TaskEntry) -> str:
    return f"*Responsible units:* {'; '.join(entry.units)} [{entry.label}]" if entry.units else ""


def heading(entry: TaskEntry) -> str:
    if entry.task is not None:
        return f"**{entry.label} · {entry.title}**"
    return f"**{entry.title}** ({entry.doc_title})" if entry.doc_title else f"**{entry.title}**"


class ExtractiveGenerator:
    """Selects and cites sentences; never writes a word the sources do not contain."""

    name = "extractive"

    def __init__(self, catalogue: TaskCatalogue, max_sentences: int = 3) -> None:
        self.catalogue = catalogue
        self.max_sentences = max_sentences

    # --- exact lookups -----------------------------------------------------------------

    def task_answer(self, route: Route) -> Draft:
        entries = [self.catalogue.task(n) for n in route.tasks]
        parts, sources = [], []
        for entry in entries:
            if entry is None:
                continue
            sources.append(source_of(entry))
            body = " ".join(f"{s} [{entry.label}]" for s in entry.sentences)
            if route.wants_units:
                parts.append(f"{heading(entry)}\n\n{units_clause(entry)}\n\n{body}")
            else:
                parts.append(f"{heading(entry)} ({entry.section})\n\n{body}\n\n{units_clause(entry)}")
        note = ""
        if route.missing_tasks:
            missing = ", ".join(str(n) for n in route.missing_tasks)
            note = (
                f"The plan has {len(self.catalogue.tasks)} numbered tasks; there is no task {missing}."
                if not parts
                else f"(There is no task {missing} in the plan.)\n\n"
            )
            if not parts:
                return Draft(text=note, sources=[], refused=True)
        return Draft(text=note + "\n\n".join(parts), sources=sources)

    def list_answer(self, entries: list[TaskEntry], subject: str, quote_for) -> Draft:
        if not entries:
            return Draft(text=f"The plan does not name {subject} in any task.", sources=[], refused=True)
        lines = [f"{subject} appears in {len(entries)} of the plan's {len(self.catalogue.tasks)} tasks:", ""]
        for entry in entries:
            lines.append(f"- **{entry.label}** · {entry.title}: {quote_for(entry)} [{entry.label}]")
        return Draft(text="\n".join(lines), sources=[source_of(e) for e in entries])

    def unit_answer(self, route: Route) -> Draft:
        units = route.units
        entries = [e for e in self.catalogue.tasks if set(units) & set(e.units)]
        subject = " / ".join(units)
        draft = self.list_answer(entries, subject, lambda e: "responsible units: " + "; ".join(e.units))
        if entries:
            draft.text = draft.text.replace(" appears in ", " is a responsible unit in ", 1)
        return draft

    def area_answer(self, route: Route) -> Draft:
        areas = set(route.areas)
        entries = [e for e in self.catalogue.tasks if areas & set(e.areas)]

        def quote(entry: TaskEntry) -> str:
            pattern = re.compile("|".join(_area_words(a) for a in areas), re.IGNORECASE)
            sentence = next((s for s in entry.sentences if pattern.search(s)), None)
            return sentence or "responsible units: " + "; ".join(entry.units)

        return self.list_answer(entries, " / ".join(sorted(areas)), quote)

    # --- semantic path -----------------------------------------------------------------

    def semantic_answer(self, route: Route, hits: list[PassageHit], chosen: list[PassageHit]) -> Draft:
        parts, sources = [], []
        budget = self.max_sentences
        for rank, hit in enumerate(chosen):
            entry = self.catalogue.by_label(*hit.key)
            if entry is None:
                continue
            sources.append(source_of(entry))
            want = max(1, budget if rank == 0 else 1)
            picked = self._best_sentences(entry, hit, want)
            if route.wants_targets:  # figures questions: the sentences that state figures
                picked = [s for s in entry.sentences if _FIGURE.search(s)][:want] or picked
            budget -= len(picked)
            body = " ".join(f"{s} [{entry.label}]" for s in picked)
            units = units_clause(entry)
            if route.wants_units and units:
                parts.append(f"{heading(entry)}\n\n{units}\n\n{body}")
            else:
                parts.append("\n\n".join(p for p in (heading(entry), body, units) if p))
        return Draft(text="\n\n".join(parts), sources=sources)

    def _best_sentences(self, entry: TaskEntry, hit: PassageHit, want: int) -> list[str]:
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


def _area_words(area: str) -> str:
    from assistant.units import AREA_PATTERNS

    return AREA_PATTERNS.get(area, re.escape(area))
