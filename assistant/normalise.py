"""Query normalisation shared by BM25 and dense retrieval: British spellings and common names
mapped onto the documents' own words."""

from __future__ import annotations

import re

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
    # everyday abbreviations of the documents' terms
    "forex": "foreign exchange",
    "fx": "foreign exchange",
    "xborder": "cross-border",
    "x-border": "cross-border",
    "ecommerce": "e-commerce",
    "ecom": "e-commerce",
    "ai": "AI (artificial intelligence)",
}


# British spellings as rules on whole words, for the words no list above names ("fibre",
# "digitalisation", "neighbouring"): the documents are written in American spelling.
_BRITISH_RULES = (
    (re.compile(r"^([a-z]{3,})tre(s?)$"), r"\1ter\2"),  # centre, metre, theatre
    (re.compile(r"^([a-z]{2,})bre(s?)$"), r"\1ber\2"),  # fibre, calibre
    (re.compile(r"^([a-z]{3,})is(ation|ations|ational)$"), r"\1iz\2"),  # organisation, localisation
    (re.compile(r"^([a-z]{2,}al)is(e|es|ed|ing|er|ers)$"), r"\1iz\2"),  # digitalise, localised, centralising
    (re.compile(r"^([a-z]{3,})our(s|ed|ing|able|ite|ites|er|ers)?$"), r"\1or\2"),  # labour, harbour, favourable
    (re.compile(r"^([a-z]{2,})ys(e|es|ed|ing)$"), r"\1yz\2"),  # analyse, paralysed
)
# Verbs in -ize/-ise ("optimizing", "optimising"): many English words end in -ise whatever the
# spelling ("enterprise", "supervise"), so both spellings fold into -ise, never the other way (which
# split "supervised" from "supervision"), and only where words are compared, the same on both
# sides (question and documents), never in text that BM25 reads.
_IZE = re.compile(r"^([a-z]{3,})iz(e|es|ed|ing|er|ers|ation|ations|ational)$")


def american_spelling(word: str) -> str:
    """``word`` (lower case) in American spelling by the rules above; unchanged if none applies."""
    for pattern, replacement in _BRITISH_RULES:
        if pattern.match(word):
            return pattern.sub(replacement, word)
    return word


def comparable_form(word: str) -> str:
    """``word`` (lower case) as compared with the documents' words before stemming: American
    spelling, except that -ize and -ise verbs both end in -ise (applied to both sides)."""
    one_word = SYNONYMS.get(word, "")
    if one_word.isalpha() and one_word.islower():  # ("licence": "license", as the query is searched)
        word = one_word
    return _IZE.sub(r"\1is\2", american_spelling(word))


def _normalised_word(word: str) -> str:
    lowered = word.lower()
    if lowered in SYNONYMS:
        return SYNONYMS[lowered]
    american = american_spelling(lowered)
    return word if american == lowered else american


def normalise_query(text: str) -> str:
    """Map British spellings and synonyms onto the documents' words (used by BM25 and the gate)."""
    return re.sub(r"[A-Za-z][A-Za-z-]+", lambda m: _normalised_word(m.group(0)), text)
