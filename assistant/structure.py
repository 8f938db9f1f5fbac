"""Parse a document's own structure into passages.

The plan (a document the operator marks as the plan, see ``Settings.is_plan_document``) becomes
an introduction, sections I-VI, numbered tasks with title, body, responsible units and named
areas, and a closing paragraph. Every other document is split at its headings and numbered
articles ("Article 3", "第三条", "3."), each cited by a short label of its own such as
"Lin-gang drone measures, Art. 3": a notice that happens to look like the plan never takes over
a task number. Text without structure is left as one passage for the chunker to split.
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
_ARTICLE = re.compile(
    r"^(?:(?P<word>Article|Art\.|Section|Chapter|Item)\s+(?P<num>\d{1,4})"
    r"|第(?P<zh>[一二三四五六七八九十百零〇\d]{1,6})(?P<zh_kind>[条章节])"
    r"|(?P<bare>\d{1,3})[.、)](?=\s*\S))[\s.:：]*"
)
# Citation labels stay short enough to read inline (the README fixes at most 60 characters).
LABEL_MAX_CHARS = 60
_SHORT_TITLE_CHARS = 48  # leaves room for ", Art. 123" within LABEL_MAX_CHARS
_ZH_KIND = {"条": "Art.", "章": "Ch.", "节": "Sec."}
_WORD_KIND = {"article": "Art.", "art.": "Art.", "section": "Sec.", "chapter": "Ch.", "item": "Item"}


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


# Words a long title can lose in a citation label without losing which document it is.
_TITLE_FILLER = {
    "the",
    "of",
    "on",
    "for",
    "and",
    "in",
    "to",
    "a",
    "an",
    "about",
    "regarding",
    "concerning",
    "special",
    "area",
    "municipal",
    "municipality",
    "shanghai",
    "supporting",
    "support",
    "promoting",
    "several",
    "implementation",
    "further",
    "accelerating",
    "high-quality",
    "development",
    "issuing",
    "printing",
}
_TITLE_NOUN = re.compile(
    r"^(?:measures|notice|rules|regulations|opinions|guidelines|circular|provisions|plan|programme|program)$", re.I
)


def short_title(title: str, limit: int = _SHORT_TITLE_CHARS) -> str:
    """A document title short enough for a citation label.

    A long title keeps its subject words and its kind of document: "Lin-gang Special Area Measures
    for Supporting Low-Altitude Drone Delivery" becomes "Lin-gang Low-Altitude Drone Delivery
    Measures". If that is still too long it is cut at a word.
    """
    title = " ".join(title.split())
    if re.search(r"[\u4e00-\u9fff]", title):
        limit //= 2  # a Chinese character is as wide as two Latin letters and says more
    if len(title) <= limit:
        return title
    words = title.split()
    noun = next((w for w in words if _TITLE_NOUN.match(w)), "")
    kept = [w for w in words if w != noun and w.lower().strip(",;:") not in _TITLE_FILLER]
    if kept:
        title = " ".join([*kept, noun.capitalize()] if noun else kept)
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _clip(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _article_label(match: re.Match) -> str:
    if match["word"]:
        return f"{_WORD_KIND[match['word'].lower()]} {match['num']}"
    if match["zh"]:
        return f"{_ZH_KIND[match['zh_kind']]} {match['zh']}"
    return f"Item {match['bare']}"


def _article_title(line: str, match: re.Match) -> str:
    """ "Article 3" / "第三条" as written; a bare "3." item is titled by its lead-in when it has one."""
    if not match["bare"]:
        return line[: match.end()].strip(" .:：")
    lead = re.match(r"([^:：。.]{3,120})[:：]", line[match.end() :])
    return lead[1].strip() if lead else _article_label(match)


def parse_generic(text: str, doc_title: str) -> list[Passage]:
    """Split at markdown-style headings and numbered articles; otherwise one passage.

    Each part is labelled "<short document title>, <article or heading>", so a citation names
    both the document and the place in it.
    """
    text = strip_furniture(text)
    short = short_title(doc_title)
    passages: list[Passage] = []
    title, label, buffer = doc_title, short, []

    def flush() -> None:
        body = " ".join(" ".join(buffer).split())
        if body:
            passages.append(
                Passage(
                    kind="section" if title != doc_title else "text",
                    title=title,
                    body=body,
                    label=_clip(label),
                    areas=areas_in(body),
                )
            )

    for para in _paragraphs(text):
        first_line = para.split("\n", 1)[0].strip()
        if heading := _HEADING.match(first_line):
            flush()
            title = heading["title"].strip()
            label = short if title == doc_title else f"{short}, {title}"
            buffer = [para.split("\n", 1)[1]] if "\n" in para else []
        elif article := _ARTICLE.match(first_line):
            flush()
            title = _article_title(first_line, article)
            label, buffer = f"{short}, {_article_label(article)}", [para]
        else:
            buffer.append(para)
    flush()
    # A label is a citation key: the second "Item 1" (under another heading) becomes "Item 1 (2)".
    seen: dict[str, int] = {}
    for passage in passages:
        seen[passage.label] = seen.get(passage.label, 0) + 1
        if seen[passage.label] > 1:
            passage.label = f"{_clip(passage.label)[: LABEL_MAX_CHARS - 5]} ({seen[passage.label]})"
    return passages


def parse_document(text: str, doc_title: str, is_plan: bool = False) -> list[Passage]:
    """The plan's tasks only for a document marked as the plan; every other document by its own parts."""
    if is_plan and looks_like_plan(text):
        return parse_plan(text)
    return parse_generic(text, doc_title)


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
