"""Citation verification: every [Task N] in an answer must be backed by that source's text.

Each sentence of an answer is checked against the sources it cites:

* **Existence**: a marker must name a task the plan has and a source the generator was given;
  otherwise it is removed and reported (``removed``), e.g. a model's invented [Task 99].
* **Claims** (:mod:`assistant.claims`): figures (every number the sentence states must occur
  in the source, with its unit, bound to the quantity it measures: embedding models barely see
  the difference between $260 billion and $300 billion), responsible units against the task's
  list, polarity, named places and units, attributions, and "the plan does not mention X"
  against every indexed passage. A claim that fails one is not supported, whatever its words
  share with the source; in strict mode no citation is attached to it.
* **Support**: the share of the sentence's content words (stemmed, weighted by their inverse
  document frequency over the indexed passages, so that "aviation" counts for more than
  "Shanghai" or a unit name that half the tasks share) found in the source, and, when that is
  not enough and an embedding function is given, the cosine between the sentence and the
  source's closest sentence. Chinese claims, and English ones both tests reject, are judged by
  multilingual-e5-small's ranking of the whole corpus (``ZH_FLOOR``, ``EN_FLOOR``, ``ZH_MARGIN``).

A supported citation keeps its exact supporting quote. An unsupported one is re-attributed to
a given source that does support the sentence (``reattributed``), or kept, marked
``verified: false`` and visibly flagged in the text (``flagged``). A sentence that states a
figure with no citation is flagged. In strict mode (LLM drafts, whose every claim must be
cited), an uncited factual sentence gets the marker of the source that supports it
(``added``) or is flagged.

Thresholds were calibrated on ``tests/data/verify_claims.jsonl``: 70 claims paraphrasing the
plan as an LLM would (50 close, 20 loose), each checked against its own source (70 true
pairs) and against every other task and the introduction (1610 wrong pairs), with
all-MiniLM-L6-v2 embeddings. Figures and the command that reproduces them are in docs/llm.md;
``tests/test_verify.py::test_thresholds_separate_the_calibration_claims`` keeps them honest.

* ``LEXICAL_SUPPORT = 0.6`` (IDF-weighted): no wrong pair reaches it (48 true pairs do).
  Unweighted, the same threshold accepted 25 wrong pairs, mostly claims naming responsible
  units that many tasks share (Shanghai Customs, Lin-gang) next to another task's topic.
* ``EMBED_SUPPORT = 0.62``: true pairs score a median cosine of 0.79, wrong pairs a 99th
  percentile of 0.60. With the lexical test, 64 of 70 true pairs (91%) and 12 of 1610 wrong
  pairs (0.75%) are accepted; 0.60 accepts 20 wrong pairs for no true one more, 0.65 drops the
  true pairs to 86%. The misses are loose paraphrases ("planes and engines can be bought and
  sold on a dedicated exchange"): flagged for a reader to check, not silently accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

from assistant.claims import (
    absence_topic,
    attribution_problem,
    figure_problem,
    names_problem,
    polarity_problem,
    responsibility_backed,
    responsibility_problem,
    topic_terms,
)
from assistant.normalise import comparable_form
from assistant.structure import split_sentences

LEXICAL_SUPPORT = 0.6  # IDF-weighted share of the claim's content words found in the source
EMBED_SUPPORT = 0.62  # cosine between the claim and the source's closest sentence
# Chinese claims, multilingual-e5-small (see "Cross-lingual support" in docs/llm.md): e5's
# cross-lingual cosines sit in a narrow band (true pairs 0.84-0.87, wrong pairs up to 0.86), so
# no absolute threshold separates them. A Chinese claim is supported by the cited source when
# that source holds the claim's closest sentence in the whole corpus (within ZH_MARGIN) and the
# cosine clears ZH_FLOOR, which only unrelated text falls below.
ZH_FLOOR = 0.80
ZH_MARGIN = 0.01
# English claims that both the lexical and the MiniLM test reject (loose paraphrases) get the
# same ranking test with e5, above the lowest true-pair cosine of the calibration claims (0.859).
EN_FLOOR = 0.86
# An uncited sentence with fewer content words than this is connective text, not a claim.
MIN_CLAIM_WORDS = 3
UNVERIFIED_MARK = "⚠ unverified"

_stemmer = Stemmer.Stemmer("english")
_STOP = set(
    "a an the and or of to in on for with by at from as is are was were be been being this that these "
    "those it its into such other etc will shall should can may must also more than which who whom what "
    "how when where why do does did not no any all each their there they them we our you your he she".split()
)
_MARKER = re.compile(r"\[(?:Task\s+(\d+)|([^\[\]]{2,80}?))\](?!\()")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent|billion|million|trillion)|\$\s*\d|\d\s*(?:亿|万)")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*(?:\([^)]*\))?\s*:?\s*$)")
# Sentences that say the sources are silent are not claims about the documents.
_ABSENCE = re.compile(
    r"\b(?:do(?:es)? not|don't|doesn't|cannot|can't|no information|not (?:covered|mentioned|stated|specified))\b"
    r"|没有|未(?:提及|说明|涉及)|无法回答",
    re.IGNORECASE,
)
# Markers as models write them: [Task 13, Task 14], [Tasks 13 and 14], 【Task 13】, ［Task 13］.
_FULLWIDTH = re.compile(r"[【［]\s*(Task\s*\d+|Introduction)\s*[】］]", re.IGNORECASE)
_GROUPED = re.compile(r"\[\s*Tasks?\s+(\d+(?:\s*(?:,|;|and|&|、)\s*(?:Task\s+)?\d+)+)\s*\]", re.IGNORECASE)
_TASK_CASE = re.compile(r"\[task\s+(\d+)\]", re.IGNORECASE)


@dataclass
class Source:
    """A passage given to the generator, which answers may cite."""

    task: int | None
    label: str  # "Task 8", "Introduction", ...
    title: str
    doc_id: str
    text: str
    sentences: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # responsible units (tasks of the plan)

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
    reattributed: list[str] = field(default_factory=list)  # "Task 5 -> Task 13"
    flagged: list[str] = field(default_factory=list)  # sentences with unsupported claims
    added: list[str] = field(default_factory=list)  # markers attached to uncited, supported sentences (strict)
    problems: list[str] = field(default_factory=list)  # why claims failed: "claim: reason"
    claims: int = 0  # sentences that assert something about the sources
    failed: int = 0  # of those, the ones flagged
    absences: int = 0  # sentences saying the sources are silent (on the question or a topic)

    @property
    def non_answer(self) -> bool:
        """Whether the text only says that the sources do not answer (no claim, no citation)."""
        return self.absences > 0 and self.claims == 0 and not self.citations


def content_words(text: str) -> set[str]:
    return set(_content_words(text))


@lru_cache(maxsize=8192)
def _content_words(text: str) -> frozenset[str]:
    """Cached: the same passages are compared with every claim and every question."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9-]+|\d+(?:\.\d+)?", text.lower())
    # "cross-border" also counts as "cross" and "border", so "borders" in a question matches it.
    words += [part for word in words if "-" in word for part in word.split("-")]
    # (British spellings as the documents' American ones: "centres" meets "centers")
    return frozenset(_stemmer.stemWord(comparable_form(w)) for w in words if w not in _STOP and len(w) > 1)


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent pairs of content words (stemmed; parts of hyphenated words count as words), with
    no stop word between them: the two-word phrases a text uses ("driving licence", "ride hail")."""
    pairs = set()
    # (not across punctuation, "air cargo, planes" says no "cargo planes"; across brackets, which
    # hold a name's abbreviation: "Blockchain-as-a-Service (BaaS) platform" is a "BaaS platform")
    for clause in re.split(r"[,;:.!?\"\u201c\u201d\u2014\u2013/]|\s-\s", text.lower()):
        stems = [
            None if w in _STOP or len(w) < 2 else _stemmer.stemWord(comparable_form(w))
            for w in re.findall(r"[A-Za-z][A-Za-z0-9]*|\d+(?:\.\d+)?", clause)
        ]
        pairs |= {(a, b) for a, b in zip(stems, stems[1:]) if a and b}
    return pairs


def idf_weights(passages: list[str]) -> dict[str, float]:
    """Inverse document frequency of each content word over the given passages.

    Words no passage contains get the highest weight (see ``_weight``): a claim made of
    words the documents never use is not supported by them.
    """
    counts: dict[str, int] = {}
    for passage in passages:
        for word in content_words(passage):
            counts[word] = counts.get(word, 0) + 1
    total = len(passages)
    weights = {word: math.log((total + 1) / (count + 0.5)) for word, count in counts.items()}
    weights[_UNSEEN] = math.log((total + 1) / 0.5)
    return weights


_UNSEEN = "\0unseen"
# Words of "the plan does not mention anything about X" that are not the topic X.
_GENERIC = {"plan", "sourc", "document", "text", "anyth", "inform", "detail", "specif", "shanghai", "task"}


def _weight(word: str, idf: dict[str, float] | None) -> float:
    if idf is None:
        return 1.0
    return idf.get(word, idf.get(_UNSEEN, 1.0))


def lexical_support(claim: str, source_text: str, idf: dict[str, float] | None = None) -> float:
    """Share of the claim's content words found in the source, IDF-weighted when ``idf`` is given."""
    claim_words = content_words(_MARKER.sub(" ", claim))
    if not claim_words:
        # Nothing to compare in English: a Chinese sentence must be judged by embeddings
        # (0 here), a sentence with no content at all ("Yes.") claims nothing (1).
        return 0.0 if _CJK.search(claim) else 1.0
    have = content_words(source_text)
    total = sum(_weight(w, idf) for w in claim_words)
    if total <= 0:
        return 1.0
    return sum(_weight(w, idf) for w in claim_words if w in have) / total


def figures_supported(claim: str, source_text: str) -> bool:
    """Every figure of the claim occurs in the source, with its unit and for the same quantity
    (a Chinese 亿 amount matches its billions); see :func:`assistant.claims.figure_problem`."""
    return figure_problem(_LIST_PREFIX.sub("", _MARKER.sub(" ", claim)), source_text, content_words) is None


def normalise_markers(text: str) -> str:
    """Rewrite the marker variants models produce into one [Task N] per task."""
    text = _FULLWIDTH.sub(lambda m: f"[{m.group(1)}]", text)
    text = _GROUPED.sub(lambda m: " ".join(f"[Task {n}]" for n in re.findall(r"\d+", m.group(1))), text)
    return _TASK_CASE.sub(lambda m: f"[Task {m.group(1)}]", text)


def _normalise_space(text: str) -> str:
    return " ".join(text.split())


Embed = Callable[[list[str]], list[list[float]]]
# Passage vectors of the multilingual model, kept across answers: the corpus's sentences are
# compared with every Chinese claim, and embedding them costs about 60 ms each.
_PASSAGE_VECTORS: dict[str, list[float]] = {}


class CitationVerifier:
    """Checks the markers of an answer against the sources it was generated from."""

    def __init__(
        self,
        sources: list[Source],
        known_tasks: set[int],
        embed: Callable[[list[str]], list[list[float]]] | None = None,
        *,
        strict: bool = False,
        idf: dict[str, float] | None = None,
        corpus: list[Source] | None = None,
        multilingual: tuple[Embed, Embed] | None = None,
    ) -> None:
        """``corpus``: every indexed passage (absence claims and the cross-lingual ranking read it;
        defaults to ``sources``). ``multilingual``: (query, passage) embedding functions of a
        multilingual model, used for Chinese claims."""
        self.sources = sources
        self.known_tasks = known_tasks
        self.embed = embed
        self.strict = strict
        self.idf = idf
        self.corpus = corpus if corpus is not None else sources
        self.multilingual = multilingual
        self.known_units = sorted({u for s in [*self.corpus, *sources] for u in s.units})
        self._by_label = {s.label.lower(): s for s in sources}
        self._vectors: dict[str, list[float]] = {}
        self._problems: dict[tuple[str, str], str] = {}

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

    def _embed(self, texts: list[str]) -> list[list[float]]:
        """Embeddings, each text computed once per verification (sources are cited many times)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            assert self.embed is not None
            self._vectors.update(zip(missing, self.embed(missing)))
        return [self._vectors[t] for t in texts]

    def problem(self, claim: str, source: Source) -> str | None:
        """What the claim asserts that ``source`` does not back (None: nothing found)."""
        key = (claim, source.label)
        if key not in self._problems:
            text = source.text
            self._problems[key] = (
                figure_problem(claim, text, content_words)
                or responsibility_problem(claim, source.units, text, self.known_units)
                or attribution_problem(claim, source.sentences or [text], self.known_units, content_words)
                or polarity_problem(claim, text)
                or names_problem(claim, text, source.units, self.known_units)
                or ""
            )
        return self._problems[key] or None

    def support(self, claim: str, source: Source) -> tuple[bool, float, str]:
        """Whether ``source`` supports ``claim``, the evidence score, and the sentence that does."""
        claim = _LIST_PREFIX.sub("", _normalise_space(_MARKER.sub(" ", claim)))
        sentences = source.sentences or [source.text]
        best_sentence = max(sentences, key=lambda s: lexical_support(claim, s, self.idf))
        lexical = lexical_support(claim, source.text, self.idf)
        if self.problem(claim, source):
            return False, lexical, best_sentence
        if responsibility_backed(claim, source.units, source.text, self.known_units, content_words):
            clause = next((s for s in sentences if s.lower().startswith("responsible unit")), best_sentence)
            return True, 1.0, clause
        if _CJK.search(claim) and self.multilingual is not None and lexical < LEXICAL_SUPPORT:
            return self._cross_lingual(claim, source, lexical, best_sentence, ZH_FLOOR)
        if lexical >= LEXICAL_SUPPORT or self.embed is None:
            return lexical >= LEXICAL_SUPPORT, lexical, best_sentence
        # Sentences, not the whole passage: the calibration showed passage-level cosines add
        # wrong-source acceptances (shared unit lists) and no right ones.
        vectors = self._embed([_MARKER.sub(" ", claim).strip()] + sentences)
        scores = [sum(a * b for a, b in zip(vectors[0], v)) for v in vectors[1:]]
        index = max(range(len(scores)), key=scores.__getitem__)
        if scores[index] >= EMBED_SUPPORT:
            return True, scores[index], sentences[index]
        if self.multilingual is not None:  # a loose paraphrase: the multilingual model's ranking decides
            return self._cross_lingual(claim, source, max(lexical, scores[index]), best_sentence, EN_FLOOR)
        return False, max(lexical, scores[index]), best_sentence

    def _cross_lingual(
        self, claim: str, source: Source, lexical: float, fallback: str, floor: float
    ) -> tuple[bool, float, str]:
        """A Chinese claim against English sources: the cited source must hold the claim's
        closest sentence of the corpus (see ZH_FLOOR and ZH_MARGIN)."""
        assert self.multilingual is not None
        query, passage = self.multilingual
        others = [s for s in self.corpus if (s.label, s.doc_id) != (source.label, source.doc_id)]
        texts = [t for s in [source, *others] for t in (s.sentences or [s.text])]
        missing = [t for t in dict.fromkeys(texts) if t not in _PASSAGE_VECTORS]
        if missing:
            _PASSAGE_VECTORS.update(zip(missing, passage(missing)))
        claim_vector = query([claim])[0]

        def best(group: list[str]) -> tuple[float, str]:
            return max((sum(a * b for a, b in zip(claim_vector, _PASSAGE_VECTORS[t])), t) for t in group)

        own, sentence = best(source.sentences or [source.text])
        top_other = max((best(s.sentences or [s.text])[0] for s in others), default=0.0)
        if own >= floor and own >= top_other - ZH_MARGIN:
            return True, own, sentence
        return False, max(lexical, own), fallback

    def verify(self, answer: str) -> Verification:
        result = Verification(text="", citations=[])
        seen: set[tuple[str, str]] = set()
        out_lines = []
        for line in normalise_markers(answer).split("\n"):
            out_sentences = []
            for sentence in _split_keep(line):
                out_sentences.append(self._verify_sentence(sentence, result, seen))
            out_lines.append("".join(out_sentences))
        result.text = "\n".join(out_lines)
        return result

    def _cite(self, result: Verification, seen: set, source: Source, quote: str, verified: bool, score: float):
        key = (source.label, quote)
        if key in seen:
            return
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

    def _verify_sentence(self, sentence: str, result: Verification, seen: set[tuple[str, str]]) -> str:
        markers = list(_MARKER.finditer(sentence))
        claim = _normalise_space(_MARKER.sub(" ", sentence))
        claim = re.sub(r" ([.,;:!?。，；])", r"\1", claim)
        if not markers:
            return self._uncited(sentence, claim, result, seen)
        new_sentence = sentence
        failed = False
        cited = {s.label for m in markers if (s := self._lookup(m)[0]) is not None}
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
                    verified = True
                    # Already cited in this sentence: the wrong marker just goes.
                    replacement = "" if source.label in cited else source.marker
                    cited.add(source.label)
                else:
                    result.flagged.append(claim)
                    failed = True
                    reason = self.problem(_LIST_PREFIX.sub("", claim), source)
                    result.problems.append(f"{claim} ({source.label}: {reason or 'not supported by the source'})")
                    replacement = f"[{source.label} {UNVERIFIED_MARK}]"
            new_sentence = new_sentence.replace(match.group(0), replacement, 1)
            self._cite(result, seen, source, quote, verified, score)
        new_sentence = re.sub(r"[ \t]{2,}", " ", new_sentence)
        new_sentence = re.sub(r"[ \t]+([.,;:!?。，；])", r"\1", new_sentence)
        if not _MARKER.search(new_sentence):  # every marker was invalid: judge it as uncited
            return self._uncited(new_sentence, claim, result, seen)
        result.claims += 1
        result.failed += failed
        return new_sentence

    def _uncited(self, sentence: str, claim: str, result: Verification, seen: set[tuple[str, str]]) -> str:
        """A sentence without markers: fine if it claims nothing; otherwise cite it (strict) or flag it."""
        body = _LIST_PREFIX.sub("", claim)
        if not body or _HEADING.match(claim) or body.endswith(("?", "？")):
            return sentence
        states_figure = bool(_FIGURE.search(body))
        if _ABSENCE.search(body) and not states_figure:
            # Extractive text says what the plan does not give in fixed phrases: only drafts
            # (strict) are checked, against the corpus.
            return self._absence(sentence, body, result) if self.strict else sentence
        if not states_figure:
            if not self.strict:
                return sentence
            if len(content_words(body)) < MIN_CLAIM_WORDS and not _CJK.search(body):
                return sentence
        result.claims += 1
        if self.strict and self.sources:
            best = self._best_other(body, exclude=None)
            if best is not None:
                source, score, quote = best
                result.added.append(f"{source.label}: {_normalise_space(body)[:80]}")
                self._cite(result, seen, source, quote, True, score)
                return _insert_marker(sentence, source.marker)
        result.flagged.append(body)
        result.failed += 1
        reasons = {self.problem(body, s) for s in self.sources} - {None}
        result.problems.append(f"{body} (no citation; {'; '.join(sorted(reasons)) or 'no source supports it'})")
        return sentence.rstrip() + f" [{UNVERIFIED_MARK}: no citation]" + _trailing(sentence)

    def _absence(self, sentence: str, body: str, result: Verification) -> str:
        """'The plan does not mention X' is a claim, checked against every indexed passage; a bare
        'the sources do not answer' is counted (the caller decides whether it is a non-answer)."""
        topic = absence_topic(body)
        if topic is None:  # "the sources do not answer (this question)": a non-answer
            result.absences += 1
            return sentence
        result.claims += 1  # "the plan does not mention X" is a claim about the documents: checked
        where = self.mentions(topic)
        if where is None:
            return sentence
        result.failed += 1
        result.flagged.append(body)
        result.problems.append(f"{body} ({where} does mention {topic})")
        return sentence.rstrip() + f" [{UNVERIFIED_MARK}: {where} mentions it]" + _trailing(sentence)

    def mentions(self, topic: str) -> str | None:
        """The label of an indexed passage with a sentence holding every content word of ``topic``."""
        wanted = content_words(topic_terms(topic)) - _GENERIC
        if not wanted:
            return None
        for source in self.corpus:
            for sentence in source.sentences or [source.text]:
                if wanted <= content_words(sentence):
                    return source.label
        return None

    def _best_other(self, claim: str, exclude: Source | None) -> tuple[Source, float, str] | None:
        best = None
        for source in self.sources:
            if source is exclude:
                continue
            verified, score, quote = self.support(claim, source)
            if verified and (best is None or score > best[1]):
                best = (source, score, quote)
        return best


def _insert_marker(sentence: str, marker: str) -> str:
    """``marker`` after the sentence's text, before its closing punctuation if it has one."""
    text = sentence.rstrip()
    end = re.search(r"[.!?。！？]$", text)
    if end:
        text = f"{text[:-1]} {marker}{text[-1]}"
    else:
        text = f"{text} {marker}"
    return text + _trailing(sentence)


def _split_keep(line: str) -> list[str]:
    """Split a line after sentence ends and their citation markers, keeping all characters."""
    # Chinese sentences end at 。！？ with no space after them: an empty separator closes those.
    pieces = re.split(r"(?<=[.!?。！？])((?:\s*\[[^\[\]]{2,80}\])+\s*|\s+|(?<=[。！？])(?=\S))", line)
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
