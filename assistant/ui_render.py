"""Safe HTML for the Gradio UI: every piece of user or document text is escaped here.

The UI shows text that nobody vetted: questions typed by users, answers quoting documents that
anyone could upload. All of it passes through :func:`esc` before it reaches ``gr.HTML`` or the
chat window, and the only markup in the output is the markup built below. Gradio's own
sanitiser stays on as a second line of defence, but it *removes* tags (a question containing
``<script>`` would lose words); escaping shows them as the text the user typed.

Citation chips in chat answers carry their target in CSS classes (``cite-turn-T cite-ref-K``)
because the chat window's sanitiser strips ``data-*`` attributes; the server maps (T, K) back
to the answer's citations (:func:`answer_refs`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from assistant.catalogue import TaskCatalogue, TaskEntry
from assistant.verify import UNVERIFIED_MARK, content_words

_MARKER = re.compile(r"\[([^\[\]]{2,80}?)\](?!\()")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+|\d+(?:\.\d+)?")
_UNVERIFIED_SUFFIX = f" {UNVERIFIED_MARK}"


def esc(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def _md_safe(text: str) -> str:
    """Escaped text for the chat's markdown: no HTML, and no markdown images (they would fetch URLs)."""
    return esc(text).replace("![", "!\\[")


def norm_space(text: str) -> str:
    return " ".join(text.split())


# --- marking spans ---------------------------------------------------------------------------


_STRENGTH = {"hl-soft": 0, "hl-term": 1, "hl-phrase": 2, "hl-unverified": 3, "hl-quote": 3}


def _merge(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping spans become one, marked with the strongest of their classes."""
    merged: list[tuple[int, int, str]] = []
    for start, end, cls in sorted(spans):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            strongest = max(last[2], cls, key=lambda c: _STRENGTH.get(c, 0))
            merged[-1] = (last[0], max(last[1], end), strongest)
        else:
            merged.append((start, end, cls))
    return merged


def mark_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """``text`` escaped, with each (start, end, css class) span wrapped in ``<mark>``."""
    out, pos = [], 0
    for start, end, cls in _merge(spans):
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="{cls}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def find_all(text: str, needle: str, ignore_case: bool = True) -> list[tuple[int, int]]:
    """Occurrences of ``needle`` in ``text``, tolerant of differences in whitespace."""
    words = needle.split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE if ignore_case else 0)]


def _word_forms(word: str) -> str:
    """A regex for ``word`` in its singular or plural form ("bill" ~ "bills", "policy" ~ "policies")."""
    lower = word.lower()
    for plural, singular in (("ies", "y"), ("es", ""), ("s", "")):
        if len(lower) > 3 and lower.endswith(plural) and not lower.endswith("ss"):
            lower = lower[: -len(plural)] + singular
            break
    if lower.endswith("y") and len(lower) > 2:
        return re.escape(lower[:-1]) + r"(?:y|ies)"
    return re.escape(lower) + r"(?:s|es)?"


def find_forms(text: str, needle: str) -> list[tuple[int, int]]:
    """Occurrences of ``needle`` with each word in singular or plural form (a near miss of an exact phrase)."""
    words = needle.split()
    if not words:
        return []
    pattern = r"\b" + r"\s+".join(_word_forms(w) for w in words) + r"\b"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]


def term_spans(text: str, query: str) -> list[tuple[int, int, str]]:
    """Words of ``text`` whose stem is one of the query's content words (what matched a search)."""
    wanted = content_words(query)
    spans = []
    for match in _WORD.finditer(text):
        if content_words(match.group(0)) & wanted:
            spans.append((match.start(), match.end(), "hl-term"))
    return spans


def quoted_phrases(query: str) -> list[str]:
    """The "quoted phrases" of a query (straight or curly quotes)."""
    phrases = []
    for straight, curly in re.findall(r'"([^"]+)"|“([^”]+)”', query):
        phrase = norm_space(straight or curly)
        if phrase:
            phrases.append(phrase)
    return phrases


# --- chat answers ----------------------------------------------------------------------------


def _parse_marker(inner: str, known_labels: set[str]) -> tuple[str, bool] | None:
    """(label, unverified) for a citation marker, None for other bracketed text."""
    unverified = inner.endswith(_UNVERIFIED_SUFFIX)
    label = inner[: -len(_UNVERIFIED_SUFFIX)] if unverified else inner
    label = label.strip()
    if re.fullmatch(r"Task \d{1,3}", label) or label in known_labels:
        return label, unverified
    return None


def answer_refs(text: str, known_labels: set[str]) -> list[str]:
    """The distinct labels an answer cites, in order of first appearance (chip K is refs[K])."""
    refs: list[str] = []
    for match in _MARKER.finditer(text):
        parsed = _parse_marker(match.group(1), known_labels)
        if parsed and parsed[0] not in refs:
            refs.append(parsed[0])
    return refs


def render_answer(text: str, turn: int, known_labels: set[str]) -> str:
    """An answer's markdown with text escaped and each [Task N] marker turned into a clickable chip."""
    refs = answer_refs(text, known_labels)
    out, pos, occurrence = [], 0, -1
    for match in _MARKER.finditer(text):
        inner = match.group(1)
        out.append(_md_safe(text[pos : match.start()]))
        pos = match.end()
        parsed = _parse_marker(inner, known_labels)
        if inner.startswith(UNVERIFIED_MARK):  # a figure stated without any citation
            out.append(
                '<span class="cite-flag" title="This sentence states a figure that no cited source backs">'
                "⚠ no source</span>"
            )
        elif parsed is None:
            out.append(_md_safe(match.group(0)))
        else:
            label, unverified = parsed
            k = refs.index(label)
            occurrence += 1
            target = f"cite-turn-{turn} cite-ref-{k} cite-occ-{occurrence}"
            if unverified:
                out.append(
                    f'<span class="cite cite-unverified {target}" role="button" tabindex="0" '
                    f'title="Not verified: the text of {esc(label)} does not clearly support this sentence. '
                    f'Click to read it.">⚠ {esc(label)} · unverified</span>'
                )
            else:
                out.append(
                    f'<span class="cite {target}" role="button" tabindex="0" '
                    f'title="Open {esc(label)}: full text with the supporting sentence highlighted">{esc(label)}</span>'
                )
    out.append(_md_safe(text[pos:]))
    return "".join(out)


def marker_is_unverified(text: str, occurrence: int, known_labels: set[str]) -> bool:
    """Whether the ``occurrence``-th citation marker of an answer is marked unverified."""
    parsed = [p for m in _MARKER.finditer(text) if (p := _parse_marker(m.group(1), known_labels))]
    return 0 <= occurrence < len(parsed) and parsed[occurrence][1]


def claim_before(text: str, occurrence: int, known_labels: set[str]) -> str:
    """The statement the ``occurrence``-th citation marker of an answer stands for.

    That is the text between the previous marker (or line start) and this one; a marker that
    directly follows another shares its statement.
    """
    claims: list[str] = []
    pos, last_claim = 0, ""
    for match in _MARKER.finditer(text):
        if _parse_marker(match.group(1), known_labels) is None:
            continue
        segment = text[pos : match.start()]
        segment = segment[segment.rfind("\n") + 1 :]
        segment = re.sub(r"[*_`#]+", "", segment).strip(" -:;,")
        if segment:
            last_claim = segment
        claims.append(last_claim)
        pos = match.end()
    return claims[occurrence] if 0 <= occurrence < len(claims) else ""


# The line under an answer, in the answer's own language (from its analysis).
_META = {
    "en": {
        "refused": "no answer: the indexed documents do not cover this",
        "none": "no citations",
        "unverified": "⚠ {n} of {total} cited quotes unverified",
        "verified": "✓ all {total} cited quotes verified against the source",
        "removed": " · {n} invalid citation(s) removed",
        "partial": "partial answer: the plan covers the topic but not everything asked · ",
        "extractive": "quoted from the documents (no AI model)",
        "fallback": "quoted from the documents (the AI model's answer could not be used)",
        "llm": "AI model {model}, checked against the documents",
        "copy": "Copy",
        "copy_title": "Copy the answer as text, with its citations",
    },
    "zh": {
        "refused": "未作回答：已收录的文件没有涉及这个问题",
        "none": "无引用",
        "unverified": "⚠ {n}/{total} 条引文未通过核对",
        "verified": "✓ 全部 {total} 条引文已与原文核对",
        "removed": " · 已删除 {n} 条无效引用",
        "partial": "部分回答：方案涉及这一主题，但没有回答全部问题 · ",
        "extractive": "直接引用文件原文（未使用AI模型）",
        "fallback": "直接引用文件原文（AI模型的回答未能采用）",
        "llm": "AI模型 {model}，已与文件核对",
        "copy": "复制",
        "copy_title": "复制回答文字及其引用",
    },
}


def generator_label(name: str, language: str = "en") -> str:
    """Who wrote an answer, in a reader's words (the generator's internal name stays in the JSON)."""
    words = _META.get(language, _META["en"])
    if name == "extractive":
        return words["extractive"]
    if name.startswith("extractive"):  # "extractive (fallback: <the backend's error>)": the log has why
        return words["fallback"]
    if name.startswith("llm:"):
        return words["llm"].format(model=name[4:])
    return name


_DEVELOPER_TEXT = re.compile(
    r"\s*\((?:[^()]*\b)?[A-Z][A-Z0-9]*_[A-Z0-9_]+\b[^()]*\)"  # "(ASSISTANT_MAX_UPLOAD_BYTES)"
    r"|\b[A-Z][A-Z0-9]*_[A-Z0-9_]{3,}\b"  # a bare environment-variable name
    r"|[;:,]?\s*(?:(?:and|then)\s+)?(?:run|use|try)\s+`[^`]*`[^.;]*"  # "run `policy-assistant ingest` first"
)


def user_words(message: object) -> str:
    """An error message fit for a web user: setting names and CLI commands (meant for operators,
    who find them in the log and the docs) are cut out."""
    text = _DEVELOPER_TEXT.sub("", str(message))
    text = re.sub(r"\s{2,}", " ", text).strip(" ;:,")
    return text or "something went wrong"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def answer_meta(answer: dict) -> str:
    """The line under an answer: which generator wrote it, how its citations fared, how long it took."""
    language = "zh" if (answer.get("analysis") or {}).get("language") == "zh" else "en"
    words = _META[language]
    citations = answer.get("citations") or []
    unverified = sum(1 for c in citations if not c.get("verified"))
    if answer.get("refused"):
        check = words["refused"]
    elif not citations:
        check = words["none"]
    elif unverified:
        check = words["unverified"].format(n=unverified, total=len(citations))
    else:
        check = words["verified"].format(total=len(citations))
    removed = (answer.get("verification") or {}).get("removed") or []
    if removed:
        check += words["removed"].format(n=len(removed))
    if answer.get("coverage") == "partial":
        check = words["partial"] + check
    latency = answer.get("latency_ms")
    timing = f" · {latency:.0f} ms" if isinstance(latency, int | float) else ""
    who = _first_upper(generator_label(str(answer.get("generator", "?")), language))
    return (
        f'<div class="answer-meta"><b>{esc(who)}</b> · {esc(check)}{esc(timing)}'
        # Copies the answer as text with its [Task N] citations (assistant/ui_assets/bridge.js): the
        # chat's own copy button would copy this message's HTML.
        f'<span class="copy-answer" role="button" tabindex="0" title="{esc(words["copy_title"])}">'
        f"{words['copy']}</span></div>"
    )


def user_message(question: str) -> str:
    return _md_safe(question)


def plain_question(shown: str) -> str:
    """The question as typed, from its chat message (the inverse of :func:`user_message`)."""
    return html.unescape(shown.replace("!\\[", "!["))


# --- sources panel and task viewer ---------------------------------------------------------------


def find_entry(catalogue: TaskCatalogue, label: str, doc_ids: Iterable[str] = ()) -> TaskEntry | None:
    number = re.fullmatch(r"Task (\d{1,3})", label)
    if number:
        return catalogue.task(int(number.group(1)))
    candidates = [e for e in catalogue.entries if e.label == label]
    preferred = [e for e in candidates if e.source in set(doc_ids)]
    return (preferred or candidates or [None])[0]


def citations_for(answer: dict, label: str, entry: TaskEntry | None) -> list[dict]:
    """The answer's citations that point at ``label``'s passage."""
    out = []
    for citation in answer.get("citations") or []:
        if entry is not None and entry.task is not None:
            if citation.get("task") == entry.task:
                out.append(citation)
        elif citation.get("task") is None and entry is not None and citation.get("doc_id") == entry.source:
            out.append(citation)
    return out


def task_view(
    entry: TaskEntry | None,
    citations: list[dict],
    label: str = "",
    doc: dict | None = None,
    focus: dict | None = None,
) -> str:
    """A passage's full text with the cited sentences highlighted.

    ``focus`` is the citation that was clicked: its sentence is marked strongly (green when
    verified, amber when not); the passage's other quoted sentences are marked lightly.
    """
    if entry is None:
        return f'<div class="task-view empty">No passage {esc(label)} in the index.</div>'
    text = norm_space(entry.text)
    spans = []
    for citation in citations:
        if focus is not None and citation is not focus:
            cls = "hl-soft"
        else:
            cls = "hl-quote" if citation.get("verified") else "hl-unverified"
        for start, end in find_all(text, citation.get("quote", "")):
            spans.append((start, end, cls))
    notes = []
    if focus is not None:
        if focus.get("verified"):
            notes.append('<span class="legend legend-ok">green: the sentence that supports the cited statement</span>')
        else:
            notes.append(
                '<span class="legend legend-warn">⚠ unverified: this text does not clearly support the statement; '
                "amber marks its closest sentence</span>"
            )
        if len(citations) > 1:
            notes.append('<span class="legend legend-soft">light green: other sentences the answer quotes</span>')
    elif citations:
        notes.append('<span class="legend legend-ok">highlighted: the sentence(s) the answer quotes</span>')
    units = "".join(f"<li>{esc(u)}</li>" for u in entry.units)
    source = esc(doc.get("title") if doc else entry.doc_title or entry.source)
    issued = f" · issued {esc(doc['issued'])}" if doc and doc.get("issued") else ""
    issuer = f" · {esc(doc['issuer'])}" if doc and doc.get("issuer") else ""
    head = esc(entry.label) if entry.task is not None else esc(entry.title or entry.label)
    return (
        '<div class="task-view">'
        f'<div class="tv-head"><span class="chip">{head}</span>'
        f'<span class="tv-section">{esc(entry.section)}</span></div>'
        + (f'<h3 class="tv-title">{esc(entry.title)}</h3>' if entry.task is not None else "")
        + (f'<div class="tv-notes">{"".join(notes)}</div>' if notes else "")
        + f'<p class="tv-text">{mark_spans(text, spans)}</p>'
        + (f'<div class="tv-units"><b>Responsible units</b><ul>{units}</ul></div>' if units else "")
        + f'<div class="tv-source">Source: {source}{issuer}{issued}</div>'
        "</div>"
    )


def details_view(label: str, citations: list[dict], doc: dict | None) -> str:
    """What a citation of a document's own details opens: the statements made from them and the
    details as recorded with the document (its title, issuer, dates), since no passage states them."""
    facts = "".join(f'<li><mark class="hl-quote">{esc(c.get("quote", ""))}</mark></li>' for c in citations)
    fields = [
        (name, doc.get(key))
        for name, key in (("Title", "title"), ("Issued by", "issuer"), ("Issued on", "issued"), ("Source", "url"))
        if doc and doc.get(key)
    ]
    rows = "".join(f"<tr><th>{esc(name)}</th><td>{esc(value)}</td></tr>" for name, value in fields)
    return (
        '<div class="task-view">'
        f'<div class="tv-head"><span class="chip">{esc(label)}</span></div>'
        + (f'<ul class="tv-text">{facts}</ul>' if facts else "")
        + (f'<table class="tv-details">{rows}</table>' if rows else "")
        + '<div class="tv-notes"><span class="legend legend-soft">Taken from the details recorded with the '
        "document (its title, issuer and dates), not from a passage of its text.</span></div>"
        "</div>"
    )


def sources_panel(
    answer: dict | None, turn: int, known_labels: set[str], label_of: Callable[[dict], str | None] | None = None
) -> str:
    """The citations of the latest answer, each a chip that opens its passage (``label_of``: the
    label of a citation that names no task, when the caller can tell which passage holds it)."""
    if not answer:
        return '<div class="sources empty">Sources of the latest answer appear here.</div>'
    if answer.get("refused"):
        return '<div class="sources empty">No sources: the assistant declined to answer from the documents.</div>'
    refs = answer_refs(answer.get("answer", ""), known_labels)
    rows = []
    for index, citation in enumerate(answer.get("citations") or []):
        label = f"Task {citation['task']}" if citation.get("task") else None
        if label is None and label_of is not None:
            label = label_of(citation)
        if label is None:
            label = next((r for r in refs if not r.startswith("Task ")), citation.get("title", "source"))
        k = refs.index(label) if label in refs else -1
        status = (
            '<span class="ok" title="The quote was found in the source and supports the sentence">✓ verified</span>'
            if citation.get("verified")
            else '<span class="warn" title="The source does not clearly support the sentence">⚠ unverified</span>'
        )
        chip_cls = "cite" + ("" if citation.get("verified") else " cite-unverified")
        chip = (
            f'<span class="{chip_cls} cite-turn-{turn} cite-ref-{k} cite-cit-{index}" role="button" tabindex="0" '
            f'title="Open {esc(label)} with this quote highlighted">{esc(label)}</span>'
            if k >= 0
            else f'<span class="chip">{esc(label)}</span>'
        )
        rows.append(f'<li>{chip} {status}<div class="src-quote">“{esc(citation.get("quote", ""))}”</div></li>')
    return (
        f'<div class="sources"><div class="panel-title">Cited in the latest answer</div><ul>{"".join(rows)}</ul></div>'
    )


# --- wording search ------------------------------------------------------------------------------


def citation_text(hit: dict, doc: dict | None) -> str:
    """A ready-to-copy citation: the quoted wording and where it stands in which document."""
    title = (doc or {}).get("title") or hit.get("doc_id", "")
    where = f"Task {hit['task']} ({hit.get('title', '')})" if hit.get("task") else hit.get("title", "")
    details = ", ".join(x for x in ((doc or {}).get("issuer", ""), (doc or {}).get("issued", "")) if x)
    marker = f"[Task {hit['task']}]" if hit.get("task") else ""
    source = f"{title}{f' ({details})' if details else ''}, {where}"
    return norm_space(f"“{norm_space(hit.get('text', ''))}” {source}. {marker}")


def no_results(phrases: list[str], filters: list[str], unfiltered: int) -> str:
    """Why a wording search found nothing, and what to try (filters named when they hide results)."""
    what = f" contains the exact phrase {esc(' + '.join(phrases))}" if phrases else " matches these words"
    if filters and unfiltered:
        hint = (
            f" with the filters {esc('; '.join(filters))}. Without them, {unfiltered} passage(s) match: "
            "set a filter back to “All” to see them."
        )
    elif filters:
        hint = f" with the filters {esc('; '.join(filters))}, nor without them. Try fewer or other words."
    else:
        hint = ". Try fewer or other words."
    return f'<div class="results empty">No passage{what}{hint}</div>'


def search_results(
    hits: list[dict], query: str, docs: dict[str, dict], phrases: list[str], note: str = "", forms: bool = False
) -> str:
    """Result cards; ``forms``: the phrases were matched in other word forms (highlight those)."""
    if not hits:
        return no_results(phrases, [], 0)
    find = find_forms if forms else find_all
    cards = []
    for rank, hit in enumerate(hits, 1):
        text = norm_space(hit.get("text", ""))
        spans = [] if phrases else term_spans(text, query)
        for phrase in phrases:
            spans += [(s, e, "hl-phrase") for s, e in find(text, phrase)]
        doc = docs.get(hit.get("doc_id", "")) or {}
        doc_name = str(doc.get("title") or hit.get("doc_id", "") or "Other document")
        label = f"Task {hit['task']}" if hit.get("task") else (doc_name[:40] + ("…" if len(doc_name) > 40 else ""))
        score = (
            f'<span class="score" title="fused rank score">score {hit["score"]:.4f}</span>' if "score" in hit else ""
        )
        cards.append(
            '<div class="hit">'
            f'<div class="hit-head"><span class="rank">{rank}</span><span class="chip">{esc(label)}</span>'
            f'<span class="hit-title">{esc(hit.get("title", ""))}</span>{score}</div>'
            f'<div class="hit-section">{esc(hit.get("section", ""))}</div>'
            f'<p class="hit-text">{mark_spans(text, spans)}</p>'
            '<div class="copy-row"><button type="button" class="copy-btn" title="Copy this citation">Copy citation'
            f'</button><div class="copy-src">{esc(citation_text(hit, docs.get(hit.get("doc_id", ""))))}</div></div>'
            "</div>"
        )
    return f'<div class="results">{f"<p class=results-note>{esc(note)}</p>" if note else ""}{"".join(cards)}</div>'


# --- "applies to me" -----------------------------------------------------------------------------


_TAG_NAMES = {"activities": "what you do", "location": "where you are", "size": "your size", "ownership": "ownership"}


def _match_card(m: dict, catalogue: TaskCatalogue, compact: bool) -> str:
    entry = catalogue.task(m["task"])
    tags = "".join(f'<span class="tag tag-{esc(t)}">{esc(_TAG_NAMES.get(t, t))}</span>' for t in m["matched"])
    full = ""
    if entry is not None:
        text = norm_space(entry.text)
        spans = [(s, e, "hl-quote") for s, e in find_all(text, m["reason"])]
        full = (
            f"<details><summary>Full text of Task {m['task']}</summary>"
            f'<p class="tv-text">{mark_spans(text, spans)}</p></details>'
        )
    reason = (
        f'<blockquote class="match-reason">“{esc(m["reason"])}” <span class="marker">{esc(m["citation"])}</span>'
        "</blockquote>"
    )
    contact = f'<div class="match-units"><b>Contact:</b> {esc("; ".join(m["units"]))}</div>'
    if m["reason"].startswith("Responsible unit"):  # the quote already lists whom to contact
        contact = ""
    return (
        f'<div class="match{" compact" if compact else ""}" id="match-task-{m["task"]}">'
        f'<div class="rank">{m["rank"]}</div><div class="match-body">'
        f'<div class="match-head"><span class="chip">Task {m["task"]}</span>'
        f'<span class="hit-title">{esc(m["title"])}</span>{tags}</div>'
        f'<div class="match-why">{esc(m["why"])}</div>{reason}{contact}{full}</div></div>'
    )


def profile_results(matches: list[dict], catalogue: TaskCatalogue) -> str:
    """Ranked tasks: those matching what the enterprise does first, then place/size/ownership matches."""
    if not matches:
        return (
            '<div class="results empty">No task of the plan matches this profile. Describe what the enterprise '
            "does in a few words (for example “we lease aircraft to airlines”).</div>"
        )
    primary = [m for m in matches if "activities" in m["matched"]]
    secondary = [m for m in matches if "activities" not in m["matched"]]
    parts = ['<div class="results">']
    if primary:
        parts.append(f'<h3 class="group-title">Matches what your enterprise does ({len(primary)})</h3>')
        parts += [_match_card(m, catalogue, compact=False) for m in primary]
    else:
        parts.append(
            '<p class="results-note">No task clearly matches the activities described; '
            "the tasks below match the enterprise's location, size or ownership.</p>"
        )
    if secondary:
        parts.append(f'<h3 class="group-title">Also relevant: your location, size or ownership ({len(secondary)})</h3>')
        parts += [_match_card(m, catalogue, compact=True) for m in secondary]
    parts.append("</div>")
    return "".join(parts)


# --- task browser ------------------------------------------------------------------------------


def task_list(entries: list[TaskEntry], total: int) -> str:
    if not entries:
        return '<div class="results empty">No task matches these filters.</div>'
    parts = [f'<p class="results-note">Showing {len(entries)} of {total} tasks.</p>']
    section = None
    for entry in entries:
        if entry.section != section:
            if section is not None:
                parts.append("</div>")
            section = entry.section
            parts.append(f'<div class="section-block"><h3 class="section-title">{esc(section)}</h3>')
        units = "".join(f'<span class="unit">{esc(u)}</span>' for u in entry.units)
        areas = "".join(f'<span class="area">{esc(a)}</span>' for a in entry.areas)
        parts.append(
            f'<details class="task-item" id="task-{entry.task}"><summary><span class="chip">{esc(entry.label)}</span>'
            f'<span class="hit-title">{esc(entry.title)}</span></summary>'
            f'<p class="tv-text">{esc(norm_space(entry.text))}</p>'
            f'<div class="unit-list"><b>Responsible units</b> {units}</div>'
            + (f'<div class="area-list"><b>Areas named</b> {areas}</div>' if areas else "")
            + "</details>"
        )
    parts.append("</div>")
    return "".join(parts)


def responsibility_matrix(catalogue: TaskCatalogue, shown: set[int], selected_units: Iterable[str] = ()) -> str:
    """Units (rows) by tasks (columns): who is responsible for what, at a glance.

    Columns outside ``shown`` are faded; rows of ``selected_units`` (a unit filter) are marked.
    """
    selected = set(selected_units)
    tasks = catalogue.tasks
    counts = {u: sum(1 for e in tasks if u in e.units) for u in catalogue.units}
    units = sorted(catalogue.units, key=lambda u: (-counts[u], u))
    sections: list[tuple[str, int]] = []
    for entry in tasks:
        numeral = entry.section.split(".")[0].strip()
        if sections and sections[-1][0] == numeral:
            sections[-1] = (numeral, sections[-1][1] + 1)
        else:
            sections.append((numeral, 1))
    section_row = "".join(f'<th colspan="{span}" class="sec">{esc(numeral)}</th>' for numeral, span in sections)
    head = "".join(
        f'<th class="{"on" if e.task in shown else "off"}" title="{esc(e.label)}: {esc(e.title)}">{e.task}</th>'
        for e in tasks
    )
    rows = []
    for unit in units:
        cells = []
        for entry in tasks:
            state = "on" if entry.task in shown else "off"
            if unit in entry.units:
                cells.append(
                    f'<td class="dot {state}" title="{esc(unit)} · {esc(entry.label)}: {esc(entry.title)}">●</td>'
                )
            else:
                cells.append(f'<td class="{state}"></td>')
        row_class = ' class="sel"' if unit in selected else ""
        rows.append(
            f'<tr{row_class}><th class="unit-name">{esc(unit)}</th><td class="count">{counts[unit]}</td>'
            f"{''.join(cells)}</tr>"
        )
    return (
        '<div class="matrix-wrap"><table class="matrix">'
        f"<thead><tr><th></th><th></th>{section_row}</tr>"
        f'<tr><th class="unit-name">Responsible unit</th><th class="count">Tasks</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
