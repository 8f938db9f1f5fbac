"""Citation verification: every [Task N] in an answer must be backed by that source's text.

Each sentence of an answer is checked against the sources it cites, lexically (share of its
content words found in the source, stemmed) and, when that is not enough, by embedding
similarity to the source's best sentence. A citation that is supported keeps its exact
supporting quote; one that is not is re-attributed to a given source that does support the
sentence, or kept and flagged ``verified: false``; a citation of a task that does not exist
or was not among the sources is removed and reported. A sentence that states a figure with
no citation is flagged. Thresholds are calibrated on ``eval/dev.jsonl``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import Stemmer

from assistant.structure import split_sentences

LEXICAL_SUPPORT = 0.6  # share of the claim's content words found in the source
EMBED_SUPPORT = 0.62  # cosine between the claim and the source's best sentence
UNVERIFIED_MARK = "⚠ unverified"

_stemmer = Stemmer.Stemmer("english")
_STOP = set(
    "a an the and or of to in on for with by at from as is are was were be been being this that these "
    "those it its into such other etc will shall should can may must also more than which who whom what "
    "how when where why do does did not no any all each their there they them we our you your he she".split()
)
_MARKER = re.compile(r"\[(?:Task\s+(\d+)|([^\[\]]{2,80}?))\](?!\()")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent|billion|million|trillion)|\$\s*\d")


@dataclass
class Source:
    """A passage given to the generator, which answers may cite."""

    task: int | None
    label: str  # "Task 8", "Introduction", ...
    title: str
    doc_id: str
    text: str
    sentences: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.sentences:
            self.sentences = split_sentences(self.text)

    @property
    def marker(self) -> str:
        return f"[{self.label}]"


@dataclass
class Citation:
    task: int | None
    doc_id: str
    title: str
    quote: str
    verified: bool
    label: str = ""
    support: float = 0.0

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "doc_id": self.doc_id,
            "title": self.title,
            "quote": self.quote,
            "verified": self.verified,
        }


@dataclass
class Verification:
    text: str
    citations: list[Citation]
    removed: list[str] = field(default_factory=list)  # markers dropped (no such task / not a source)
    reattributed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # sentences with unsupported claims


def content_words(text: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]+|\d+(?:\.\d+)?", text.lower())
    return {_stemmer.stemWord(w) for w in words if w not in _STOP and len(w) > 1}


def lexical_support(claim: str, source_text: str) -> float:
    claim_words = content_words(_MARKER.sub(" ", claim))
    if not claim_words:
        return 1.0
    return len(claim_words & content_words(source_text)) / len(claim_words)


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


class CitationVerifier:
    """Checks the markers of an answer against the sources it was generated from."""

    def __init__(
        self,
        sources: list[Source],
        known_tasks: set[int],
        embed: Callable[[list[str]], list[list[float]]] | None = None,
    ) -> None:
        self.sources = sources
        self.known_tasks = known_tasks
        self.embed = embed
        self._by_label = {s.label.lower(): s for s in sources}

    def _lookup(self, match: re.Match) -> tuple[Source | None, str]:
        if match.group(1):
            number = int(match.group(1))
            if number not in self.known_tasks:
                return None, f"Task {number} (the plan has no such task)"
            source = self._by_label.get(f"task {number}")
            return source, "" if source else f"Task {number} (not among the retrieved sources)"
        label = match.group(2).strip()
        source = self._by_label.get(label.lower())
        return source, "" if source else f"{label} (not among the retrieved sources)"

    def support(self, claim: str, source: Source) -> tuple[bool, float, str]:
        """Whether ``source`` supports ``claim``, the evidence score, and the sentence that does."""
        sentences = source.sentences or [source.text]
        best_sentence = max(sentences, key=lambda s: lexical_support(claim, s))
        lexical = max(lexical_support(claim, source.text), lexical_support(claim, best_sentence))
        if lexical >= LEXICAL_SUPPORT or self.embed is None:
            return lexical >= LEXICAL_SUPPORT, lexical, best_sentence
        vectors = self.embed([_MARKER.sub(" ", claim)] + sentences)
        scores = [sum(a * b for a, b in zip(vectors[0], v)) for v in vectors[1:]]
        index = max(range(len(scores)), key=scores.__getitem__)
        if scores[index] >= EMBED_SUPPORT:
            return True, scores[index], sentences[index]
        return False, max(lexical, scores[index]), best_sentence

    def verify(self, answer: str) -> Verification:
        result = Verification(text="", citations=[])
        seen: set[tuple[str, str]] = set()
        out_lines = []
        for line in answer.split("\n"):
            out_sentences = []
            for sentence in _split_keep(line):
                out_sentences.append(self._verify_sentence(sentence, result, seen))
            out_lines.append("".join(out_sentences))
        result.text = "\n".join(out_lines)
        return result

    def _verify_sentence(self, sentence: str, result: Verification, seen: set[tuple[str, str]]) -> str:
        markers = list(_MARKER.finditer(sentence))
        claim = _MARKER.sub(" ", sentence).strip()
        if not markers:
            if _FIGURE.search(claim) and not claim.startswith(("#", "**", "-")):
                result.flagged.append(claim)
                return sentence.rstrip() + f" [{UNVERIFIED_MARK}: no citation]" + _trailing(sentence)
            return sentence
        new_sentence = sentence
        for match in markers:
            source, problem = self._lookup(match)
            if source is None:
                result.removed.append(problem)
                new_sentence = new_sentence.replace(match.group(0), "", 1)
                continue
            verified, score, quote = self.support(claim, source)
            replacement = match.group(0)
            if not verified:
                alternative = self._best_other(claim, exclude=source)
                if alternative is not None:
                    result.reattributed.append(f"{source.label} -> {alternative[0].label}")
                    source, score, quote = alternative
                    replacement, verified = source.marker, True
                else:
                    result.flagged.append(claim)
                    replacement = f"[{source.label} {UNVERIFIED_MARK}]"
            new_sentence = new_sentence.replace(match.group(0), replacement, 1)
            key = (source.label, quote)
            if key not in seen:
                seen.add(key)
                result.citations.append(
                    Citation(
                        task=source.task,
                        doc_id=source.doc_id,
                        title=source.title,
                        quote=_normalise_space(quote),
                        verified=verified,
                        label=source.label,
                        support=round(score, 3),
                    )
                )
        return re.sub(r"[ \t]{2,}", " ", new_sentence)

    def _best_other(self, claim: str, exclude: Source) -> tuple[Source, float, str] | None:
        best = None
        for source in self.sources:
            if source is exclude:
                continue
            verified, score, quote = self.support(claim, source)
            if verified and (best is None or score > best[1]):
                best = (source, score, quote)
        return best


def _split_keep(line: str) -> list[str]:
    """Split a line after sentence ends and their citation markers, keeping all characters."""
    pieces = re.split(r"(?<=[.!?。！？])((?:\s*\[[^\[\]]{2,80}\])+\s*|\s+)", line)
    sentences, buffer = [], ""
    for index, piece in enumerate(pieces):
        buffer += piece
        if index % 2 == 1:  # a separator (markers + space) closes the sentence before it
            sentences.append(buffer)
            buffer = ""
    if buffer:
        sentences.append(buffer)
    return sentences


def _trailing(sentence: str) -> str:
    return sentence[len(sentence.rstrip()) :]


def source_quote_ok(quote: str, source: Source) -> bool:
    return _normalise_space(quote) in _normalise_space(source.text)
