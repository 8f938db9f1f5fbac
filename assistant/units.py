"""Names of responsible units and named areas: splitting, normalising, tolerant matching."""

from __future__ import annotations

import re
from functools import lru_cache

# Named places the plan refers to, with the spellings users type.
AREA_PATTERNS: dict[str, str] = {
    "Lin-gang Special Area": r"lin[- ]?gang",
    "Pudong New Area": r"pudong",
    "Hongqiao International Central Business District": r"hong[- ]?qiao",
    "North Bund": r"north bund",
    "Lujiazui-World Expo area": r"lujiazui",
    "Hongkou District": r"hongkou",
    "Changning District": r"changning",
    "Yangpu District": r"yangpu|yangshupu",
    "Jinqiao Comprehensive Bonded Zone": r"jinqiao",
    "Caohejing Comprehensive Bonded Zone": r"caohejing",
    "China (Shanghai) Pilot Free Trade Zone": r"pilot free trade zone|\bftz\b",
    "Special customs supervision zones": r"special customs supervision zones?|bonded zones?",
    "Oriental Hub International Business Cooperation Zone": r"oriental hub",
    "Yangtze River Delta": r"yangtze river delta",
}
_AREA_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in AREA_PATTERNS.items()}

# Everyday names and abbreviations for units, mapped to words of their canonical names.
UNIT_ALIASES: dict[str, str] = {
    "customs": "shanghai customs",
    "gacc": "shanghai customs",
    "commerce commission": "municipal commission of commerce",
    "commerce bureau": "municipal commission of commerce",
    "scofcom": "municipal commission of commerce",
    "commission of commerce": "municipal commission of commerce",
    "sheitc": "municipal commission of economy and informatization",
    "economy and informatization": "municipal commission of economy and informatization",
    # its older English name, which the acronym SHEITC spells: Economic and Information Technology
    "economy and information technology": "municipal commission of economy and informatization",
    "economic and information technology": "municipal commission of economy and informatization",
    "economy and it commission": "municipal commission of economy and informatization",
    "science and technology commission": "municipal commission of science and technology",
    "stcsm": "municipal commission of science and technology",
    "pboc": "people's bank of china shanghai head office",
    "people's bank": "people's bank of china shanghai head office",
    "central bank": "people's bank of china shanghai head office",
    "safe": "shanghai branch of the state administration of foreign exchange",
    "foreign exchange": "shanghai branch of the state administration of foreign exchange",
    # "forex" is the usual short form of "foreign exchange"; with a body's kind word it is SAFE
    "forex bureau": "shanghai branch of the state administration of foreign exchange",
    "forex regulator": "shanghai branch of the state administration of foreign exchange",
    "forex administration": "shanghai branch of the state administration of foreign exchange",
    "forex authority": "shanghai branch of the state administration of foreign exchange",
    "cyberspace": "office of the municipal cyberspace affairs commission",
    "cac": "office of the municipal cyberspace affairs commission",
    "data bureau": "municipal data bureau",
    "sinosure": "china export & credit insurance corporation shanghai branch",
    "export credit insurance": "china export & credit insurance corporation shanghai branch",
    "caac": "caac east china regional administration",
    "civil aviation": "caac east china regional administration",
    "maritime safety": "shanghai maritime safety administration",
    "msa": "shanghai maritime safety administration",
    "tax": "municipal tax service",
    "tax bureau": "municipal tax service",
    "ccpit": "municipal council for the promotion of international trade",
    "police": "municipal bureau of public security",
    "public security": "municipal bureau of public security",
    "financial regulatory": "shanghai municipal financial regulatory bureau",
    "financial regulator": "shanghai municipal financial regulatory bureau",
    "nfra": "shanghai municipal financial regulatory bureau",
    "financial affairs office": "financial affairs office of the municipal committee of the cpc",
    "finance office": "financial affairs office of the municipal committee of the cpc",
    "foreign affairs office": "foreign affairs office of the municipal people's government",
    "ip administration": "municipal intellectual property administration",
    "communications administration": "municipal communications administration",
    "telecom regulator": "municipal communications administration",
    "securities regulator": "shanghai securities regulatory bureau",
    "csrc": "shanghai securities regulatory bureau",
    "ip office": "municipal intellectual property administration",
    "intellectual property": "municipal intellectual property administration",
    "transport commission": "municipal commission of transport",
    "publicity department": "publicity department of the municipal committee of the cpc",
    "propaganda department": "publicity department of the municipal committee of the cpc",
    "culture and tourism": "municipal administration of culture and tourism",
    "sports bureau": "municipal sports bureau",
    "ecology and environment": "municipal bureau of ecology and environment",
    "environment bureau": "municipal bureau of ecology and environment",
    "lingang": "lin-gang special area administrative committee",
    "lin-gang": "lin-gang special area administrative committee",
    "hongqiao": "hongqiao international central business district administrative committee",
    "pudong": "pudong new area people's government",
    "hongkou": "hongkou district people's government",
    "changning": "changning district people's government",
    "district governments": "district people's governments",
    "district people's governments": "district people's governments",
    "districts": "district people's governments",
}

_STOP = {"the", "a", "an", "of", "and", "&", "for", "shanghai", "municipal", "s"}


@lru_cache(maxsize=8192)  # called for every unit of every passage a claim cites
def normalise(name: str) -> str:
    """Lower-case, plain words: case, articles, punctuation and hyphen spelling ignored."""
    name = name.lower().replace("’", "'").replace("lin-gang", "lingang").replace("lin gang", "lingang")
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"[^a-z0-9&' ]+", " ", name)
    words = [w for w in name.replace("'s", " ").replace("'", " ").split() if w not in {"the", "a", "an"}]
    return " ".join(words)


def split_units(units_text: str, keep_asides: bool = False) -> list[str]:
    """'the A, the B, and C (D)' -> ['A', 'B', 'C']. Canonical names drop articles and asides;
    ``keep_asides`` keeps "C (D)" as the plan writes it, for showing a task's list."""
    units = []
    for raw in units_text.split(","):
        name = re.sub(r"^\s*(and\s+)?(the\s+)?", "", raw.strip(), flags=re.IGNORECASE)
        if not keep_asides:
            name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
        name = name.strip().rstrip(".")
        if name:
            units.append(name[0].upper() + name[1:])
    return units


def areas_in(text: str) -> list[str]:
    return [name for name, pattern in _AREA_RES.items() if pattern.search(text)]


def _content_words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if w not in _STOP}


def unit_matches(query: str, unit: str) -> bool:
    """Tolerant match: every content word of the (alias-expanded) query occurs in the unit name.

    "Customs" finds "Shanghai Customs"; "the data bureau" finds "Municipal Data Bureau";
    "district people's governments" finds both "All district ..." and "relevant district ...".
    """
    q = normalise(query)
    expanded = normalise(UNIT_ALIASES.get(q, q))
    wanted = _content_words(expanded)
    if not wanted:
        wanted = set(expanded.split())
    have = _content_words(unit) | set(normalise(unit).split())
    return bool(wanted) and wanted <= have


def area_matches(query: str, area: str) -> bool:
    pattern = AREA_PATTERNS.get(area)
    if pattern and re.search(pattern, query, re.IGNORECASE):
        return True
    wanted = _content_words(query)
    return bool(wanted) and wanted <= _content_words(area)


def find_unit_mentions(text: str, known_units: list[str]) -> list[str]:
    """Units (from ``known_units``) that a free-text question names, by alias or by name."""
    norm = f" {normalise(text)} "
    found: list[str] = []
    for unit in known_units:
        if f" {normalise(unit)} " in norm:
            found.append(unit)
    if found:
        # Prefer the longest names: "Municipal Commission of Commerce" over a shorter overlap.
        return found
    for alias, target in sorted(UNIT_ALIASES.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"(?<![a-z]){re.escape(normalise(alias))}(?![a-z])", norm):
            matches = [u for u in known_units if unit_matches(target, u)]
            if matches:
                return matches
    # Distinctive partial names such as "Commission of Commerce" or "Data Bureau": the name's own
    # words plus the kind of body it is, so "data centre" does not find the Municipal Data Bureau.
    words = _content_words(text)
    candidates = []
    for unit in known_units:
        unit_words = _content_words(unit)
        kinds = unit_words & _UNIT_KINDS
        distinctive = unit_words - _UNIT_KINDS - {"people", "district", "area"}
        if distinctive and distinctive <= words and (kinds & words or not kinds):
            candidates.append(unit)
    return candidates


_UNIT_KINDS = {
    "commission",
    "bureau",
    "office",
    "administration",
    "government",
    "governments",
    "committee",
    "department",
    "service",
    "council",
    "branch",
    "customs",
    "bank",
    "corporation",
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(name)).strip("_")[:60]
