"""Context assembly for LLM answers: labelled sources packed into a token budget.

Each source becomes a ``<source label="[Task 13]">`` block whose label is the citation marker
the model must write and the verifier understands ([Task N] for the plan's tasks,
[Introduction] for the 2029 targets, a document's own label otherwise).

Tokens are counted with tiktoken (through llama-index's ``get_tokenizer``, which ships the
encoding files, so counting works offline). tiktoken is exact for OpenAI models and an
approximation for others (Gemma, Qwen, Llama tokenizers split differently, Chinese text
especially), so the budget keeps a safety margin instead of trusting the count to the token.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from llama_index.core.utils import get_tokenizer

from assistant.verify import Source

logger = logging.getLogger(__name__)

# Room for the chat template's role markers and special tokens, which no prompt text shows.
TEMPLATE_OVERHEAD_TOKENS = 48
# Other models' tokenizers may need more tokens than tiktoken's cl100k count for the same text.
TOKENIZER_MARGIN = 0.15
# Below this many tokens for sources an answer cannot be grounded: better to say so.
MIN_SOURCE_TOKENS = 64

_TAG = re.compile(r"<\s*/?\s*source\b[^>]*>?", re.IGNORECASE)


class ContextTooSmall(ValueError):
    """The model's context window leaves no room for sources after the prompt and the answer."""


def count_tokens(text: str) -> int:
    return len(get_tokenizer()(text))


def neutralise(text: str) -> str:
    """Document text with our delimiters defused, so a document cannot close its own block."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)


def source_block(source: Source, sentences: list[str] | None = None) -> str:
    body = " ".join(sentences) if sentences is not None else source.text
    title = f"{source.label}: {source.title}" if source.title and source.title != source.label else source.label
    return f'<source label="{source.marker}">\n{neutralise(title)}\n{neutralise(body)}\n</source>'


@dataclass
class AssembledContext:
    sources_text: str
    sources: list[Source]  # the sources actually given to the model (what it may cite)
    source_tokens: int  # block by block: an upper bound for the joined text
    budget: int
    truncated: list[str] = field(default_factory=list)  # labels shortened to fit
    dropped: list[str] = field(default_factory=list)  # labels left out entirely


def source_budget(context_window: int, answer_tokens: int, fixed_text: str) -> int:
    """Tokens left for sources once the fixed prompt text, the answer and the margins are reserved."""
    usable = int(context_window / (1 + TOKENIZER_MARGIN))
    return usable - answer_tokens - count_tokens(fixed_text) - TEMPLATE_OVERHEAD_TOKENS


def assemble(sources: list[Source], budget: int) -> AssembledContext:
    """Pack sources, best first, into ``budget`` tokens.

    A source that does not fit whole keeps its leading sentences and its responsible-units
    clause (who to contact is what enterprises ask for most); sources after the first that
    do not fit at all are left out and reported.
    """
    if budget < MIN_SOURCE_TOKENS:
        raise ContextTooSmall(
            f"the LLM context window leaves {budget} tokens for sources (need at least {MIN_SOURCE_TOKENS}): "
            "raise ASSISTANT_LLM_CONTEXT_WINDOW or lower ASSISTANT_LLM_MAX_ANSWER_TOKENS"
        )
    blocks: list[str] = []
    used: list[Source] = []
    result = AssembledContext(sources_text="", sources=used, source_tokens=0, budget=budget)
    spent = 0
    separator = count_tokens("\n\n")
    for source in sources:
        block = source_block(source)
        cost = count_tokens(block) + (separator if blocks else 0)
        if spent + cost > budget:
            block = _shortened(source, budget - spent - (separator if blocks else 0))
            if block is None:
                result.dropped.append(source.label)
                continue
            result.truncated.append(source.label)
            cost = count_tokens(block) + (separator if blocks else 0)
        blocks.append(block)
        used.append(source)
        spent += cost
    if result.dropped:
        logger.info("context budget %d tokens: left out %s", budget, ", ".join(result.dropped))
    result.sources_text = "\n\n".join(blocks)
    result.source_tokens = spent
    return result


def _shortened(source: Source, room: int) -> str | None:
    """The source's leading sentences (plus its units clause) that fit in ``room`` tokens, or None."""
    sentences = list(source.sentences)
    tail = [sentences.pop()] if sentences and sentences[-1].lower().startswith("responsible unit") else []
    kept: list[str] = []
    for sentence in sentences:
        if count_tokens(source_block(source, kept + [sentence] + tail)) > room:
            break
        kept.append(sentence)
    if not kept:
        return None
    return source_block(source, kept + tail)
