"""Parse a document's own structure into passages.

The Shanghai plan (and any document shaped like it) becomes an introduction, sections I-VI,
numbered tasks with title, body, responsible units and named areas, and a closing paragraph.
Other documents are split at their headings or numbered articles; text without structure is
left as one passage for the chunker to split by sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.units import areas_in, split_units

# Page furniture a web capture leaves at the end of the text; not part of the document.
_FURNITURE = re.compile(
    r"^\s*(related stories|related articles|share( this)?|print|back to top|source:.*)\s*$",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<title>\S.*)$")
_TASK = re.compile(r"^(?P<num>\d{1,3})\.\s+(?P<title>[^:：]{3,200})[:：]\s*(?P<body>.+)$", re.DOTALL)
_UNITS = re.compile(r"\((?:Responsible units?|Lead units?)\s*[:：]\s*(?P<units>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(?P<title>.+)$")
_ARTICLE = re.compile(r"^(?P<label>(Article|Section|Chapter)\s+\d+|第[一二三四五六七八九十百零\d]+[条章节])[\s.:：]*")


@dataclass
class Passage:
    """A structural unit of a document, before chunking."""

    kind: str  # "task" | "intro" | "closing" | "section" | "text"
    title: str
    body: str
    label: str  # readable label used in citations, e.g. "Task 8" or "Introduction"
    task: int | None = None
    section: str = ""
    units: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    units_text: str = ""

    @property
    def full_text(self) -> str:
        """The passage as the document states it (used for display and quotes)."""
        head = f"{self.task}. {self.title}: " if self.task is not None else ""
        tail = f" (Responsible units: {self.units_text})" if self.units_text else ""
        return f"{head}{self.body}{tail}"


def strip_furniture(text: str) -> str:
    lines = text.rstrip().split("\n")
    while lines and (not lines[-1].strip() or _FURNITURE.match(lines[-1])):
        lines.pop()
    return "\n".join(lines)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def looks_like_plan(text: str) -> bool:
    """The plan's signature: numbered tasks that end with a responsible-units list."""
    return len(re.findall(r"\(Responsible units?\s*:", text)) >= 3


def parse_plan(text: str) -> list[Passage]:
    """Introduction, tasks (with section, units, areas) and closing of a plan-shaped text."""
    paragraphs = _paragraphs(strip_furniture(text))
    passages: list[Passage] = []
    intro: list[str] = []
    closing: list[str] = []
    section = ""
    seen_task = False
    for para in paragraphs:
        flat = " ".join(para.split())
        if match := _SECTION.match(flat):
            section = f"{match['num']}. {match['title']}"
            continue
        if (match := _TASK.match(flat)) and _UNITS.search(flat):
            seen_task = True
            body = flat[match.start("body") :]
            units_match = _UNITS.search(body)
            units_text = units_match["units"].strip() if units_match else ""
            body = body[: units_match.start()].strip() if units_match else body
            number = int(match["num"])
            passages.append(
                Passage(
                    kind="task",
                    title=match["title"].strip(),
                    body=body,
                    label=f"Task {number}",
                    task=number,
                    section=section,
                    units=split_units(units_text),
                    areas=areas_in(flat),
                    units_text=units_text,
                )
            )
        elif not seen_task:
            intro.append(flat)
        else:
            closing.append(flat)
    # The first paragraphs of a web capture repeat the title and a byline; the introduction is
    # the substantive paragraph(s) just before section I.
    intro_body = [p for p in intro if len(p.split()) > 25] or intro[-1:]
    if intro_body:
        body = " ".join(intro_body)
        passages.insert(
            0,
            Passage(
                kind="intro",
                title="Introduction and 2029 targets",
                body=body,
                label="Introduction",
                areas=areas_in(body),
            ),
        )
    if closing:
        body = " ".join(closing)
        passages.append(
            Passage(
                kind="closing",
                title="Organisation and implementation",
                body=body,
                label="Closing paragraph",
                areas=areas_in(body),
            )
        )
    return passages


def parse_generic(text: str, doc_title: str) -> list[Passage]:
    """Split at markdown-style headings or numbered articles; otherwise one passage."""
    text = strip_furniture(text)
    passages: list[Passage] = []
    title, buffer = doc_title, []

    def flush() -> None:
        body = " ".join(" ".join(buffer).split())
        if body:
            passages.append(
                Passage(
                    kind="section" if title != doc_title else "text",
                    title=title,
                    body=body,
                    label=title,
                    areas=areas_in(body),
                )
            )

    for para in _paragraphs(text):
        first_line = para.split("\n", 1)[0].strip()
        if heading := _HEADING.match(first_line):
            flush()
            title, buffer = heading["title"].strip(), [para.split("\n", 1)[1]] if "\n" in para else []
        elif article := _ARTICLE.match(first_line):
            flush()
            title, buffer = article["label"].strip(), [para]
        else:
            buffer.append(para)
    flush()
    return passages


def parse_document(text: str, doc_title: str) -> list[Passage]:
    return parse_plan(text) if looks_like_plan(text) else parse_generic(text, doc_title)


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])[\"'”’)]?\s+(?=[A-Z0-9\"“(\u4e00-\u9fff])|(?<=[。！？])")


def split_sentences(text: str) -> list[str]:
    """Sentences of one passage; deliberately simple because the plan's prose is regular."""
    parts = [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
    merged: list[str] = []
    for part in parts:
        # Re-join fragments split after an abbreviation such as "Ltd." or "No."
        if merged and re.search(r"\b(No|Ltd|Co|Inc|Mr|Dr|St|e\.g|i\.e)\.$", merged[-1]):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged
