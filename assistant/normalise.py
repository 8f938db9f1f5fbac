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


def normalise_query(text: str) -> str:
    """Map British spellings and synonyms onto the documents' words (used by BM25 and the gate)."""
    return re.sub(r"[A-Za-z][A-Za-z-]+", lambda m: SYNONYMS.get(m.group(0).lower(), m.group(0)), text)
