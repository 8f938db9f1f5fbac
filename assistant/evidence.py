"""Evidence for the refusal gate: does the corpus talk about what the question asks?

Dense similarity alone cannot tell "tax rebates for exporters" (not in the plan) from "export
credit insurance" (in the plan): both land near the same tasks. So the gate also asks whether
the question's topical words occur in the documents, exactly (stemmed) or as a close
neighbour in embedding space ("planes" ~ "aircraft", "datasets" ~ "data"), while words such as
"fines", "budget" or "Shenzhen" that have no neighbour in the corpus count against answering.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from assistant.verify import content_words

logger = logging.getLogger(__name__)

# A question word this close (cosine) to a corpus word counts as covered.
NEIGHBOUR_COSINE = 0.65

# Words that say nothing about a question's topic, ignored when judging coverage.
GENERIC = content_words(
    "shanghai plan policy policies implementation enterprise enterprises company companies firm firms business "
    "businesses we our us i my support supports help helps does do anything something there what which how "
    "measure measures task tasks government city municipal offer offers provide provides available get can "
    "any about regarding tell me please want need looking would like know say said mention mentioned "
    "document documents trade service services digital many much will build new rules rule international global "
    "kind kinds type sort thing things work working people someone anyone "
    # everyday verbs and adverbs that carry no topic of their own
    "easier easy harder better best often short notice never actually really complain complains happening "
    "happen re set table take takes taking bring brings back ours sell sells selling held hold related "
    "forget answer published lot lots time times keep keeps getting going make makes making use using used "
    "run runs running look start starting plan plans planned currently anymore still just face faces "
    "target targets goal goals aim aims writing write part near nearby around within across via easily quickly "
    "organise organize organising organizing arrange"
)

# British spellings and common names the documents spell differently.
SYNONYMS = {
    "renminbi": "rmb",
    "yuan": "rmb",
    "centre": "center",
    "centres": "centers",
    "programme": "program",
    "programmes": "programs",
    "organisation": "organization",
    "organisations": "organizations",
    "licence": "license",
    "labour": "labor",
    "harbour": "harbor",
    "favour": "favor",
    "e-invoicing": "e-invoices",
}


def normalise_query(text: str) -> str:
    """Map British spellings and synonyms onto the documents' words (used by BM25 and the gate)."""
    return re.sub(r"[A-Za-z][A-Za-z-]+", lambda m: SYNONYMS.get(m.group(0).lower(), m.group(0)), text)


_WORD = re.compile(r"[a-z][a-z0-9-]+|\d+(?:\.\d+)?")


def topical_words(question: str) -> dict[str, str]:
    """Stem -> a surface form, for the question's topical words."""
    words: dict[str, str] = {}
    for word in _WORD.findall(normalise_query(question).lower()):
        for part in [word, *word.split("-")] if "-" in word else [word]:
            stems = content_words(part)
            for stem in stems - GENERIC:
                words.setdefault(stem, part)
    return words


class CorpusVocabulary:
    """The corpus's words (stemmed, and embedded for neighbour look-ups)."""

    def __init__(self, texts: list[str], embed_model, cache_path: Path | None = None) -> None:
        self.cache_path = cache_path
        self.stems = set().union(*(content_words(t) for t in texts)) if texts else set()
        surface = sorted({w for t in texts for w in _WORD.findall(t.lower()) if len(w) > 2})
        self.words = [w for w in surface if content_words(w) - GENERIC]
        self.embed_model = embed_model
        self._matrix: np.ndarray | None = None

    def _vectors(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = self._load_cache()
        if self._matrix is None:
            vectors = self.embed_model.get_text_embedding_batch(self.words) if self.words else []
            self._matrix = np.asarray(vectors, dtype=np.float32).reshape(len(self.words), -1)
            self._save_cache(self._matrix)
        return self._matrix

    def _load_cache(self) -> np.ndarray | None:
        if self.cache_path is None or not self.cache_path.exists():
            return None
        try:
            with np.load(self.cache_path) as data:
                if list(data["words"]) == self.words:
                    return data["vectors"]
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("ignoring vocabulary cache %s: %s", self.cache_path, exc)
        return None

    def _save_cache(self, matrix: np.ndarray) -> None:
        if self.cache_path is None:
            return
        try:  # written beside the generation's BM25 files; temp file + rename so readers never see half
            temp = self.cache_path.with_name(self.cache_path.name + ".tmp.npz")
            np.savez(temp, words=np.array(self.words), vectors=matrix)
            temp.replace(self.cache_path)
        except OSError as exc:
            logger.info("could not cache vocabulary vectors: %s", exc)

    def warm_up(self) -> None:
        self._vectors()

    def coverage(self, question: str) -> tuple[float, list[str]]:
        """Share of topical words the corpus covers, and the words it does not."""
        words = topical_words(question)
        if not words:
            return 1.0, []
        missing = [surface for stem, surface in words.items() if stem not in self.stems]
        # Numbers (years, amounts) must match exactly: 2025 is not "close to" 2029.
        fuzzy = [w for w in missing if not w[0].isdigit()]
        if fuzzy and self.words:
            vectors = np.asarray(self.embed_model.get_text_embedding_batch(fuzzy), dtype=np.float32)
            best = (self._vectors() @ vectors.T).max(axis=0)
            near = {w for w, score in zip(fuzzy, best) if score >= NEIGHBOUR_COSINE}
            missing = [w for w in missing if w not in near]
        return 1.0 - len(missing) / len(words), missing
