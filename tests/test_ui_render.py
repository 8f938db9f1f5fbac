"""The UI's HTML rendering: escaping, citation chips, highlighting (pure functions, no server)."""

from __future__ import annotations

from assistant.catalogue import TaskEntry
from assistant.ui_render import (
    answer_meta,
    answer_refs,
    claim_before,
    find_forms,
    mark_spans,
    no_results,
    quoted_phrases,
    render_answer,
    search_results,
    task_view,
    user_message,
    user_words,
)
from assistant.verify import UNVERIFIED_MARK

LABELS = {"Introduction"}


def entry() -> TaskEntry:
    return TaskEntry(
        task=8,
        title="Accelerating networks",
        section="III. Infrastructure",
        units=["Municipal Data Bureau"],
        areas=["Lin-gang Special Area"],
        text="8. Accelerating networks: Build 5G networks. Support the cable landing station in Lin-gang Special "
        "Area. (Responsible units: the Municipal Data Bureau)",
        label="Task 8",
        source="plan.txt",
        doc_title="Plan",
        sentences=["Build 5G networks.", "Support the cable landing station in Lin-gang Special Area."],
    )


def test_answer_text_is_escaped_and_markers_become_chips():
    text = "Build <b>5G</b> & <script>x()</script> networks. [Task 8] See [the guide](http://example.org)."
    html = render_answer(text, turn=2, known_labels=LABELS)
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert "&lt;b&gt;5G&lt;/b&gt; &amp;" in html
    assert 'class="cite cite-turn-2 cite-ref-0 cite-occ-0"' in html
    assert ">Task 8</span>" in html
    assert "[the guide](http://example.org)" in html  # a markdown link is not a citation


def test_unverified_and_uncited_claims_are_marked():
    text = f"Claim one. [Task 8 {UNVERIFIED_MARK}] Shanghai aims at 99 billion. [{UNVERIFIED_MARK}: no citation]"
    html = render_answer(text, turn=0, known_labels=LABELS)
    assert "cite cite-unverified" in html and "⚠ Task 8 · unverified" in html
    assert 'class="cite-flag"' in html


def test_unknown_bracketed_text_stays_text():
    html = render_answer("See [Annex <i>2</i>] and [Introduction].", turn=0, known_labels=LABELS)
    assert "[Annex &lt;i&gt;2&lt;/i&gt;]" in html
    assert ">Introduction</span>" in html
    assert answer_refs("See [Annex 2] and [Introduction].", LABELS) == ["Introduction"]


def test_each_chip_maps_to_the_statement_before_it():
    text = "**Task 8 · Networks**\n\nBuild 5G networks. [Task 8] Support the cable station. [Task 8] [Task 9]"
    assert claim_before(text, 0, LABELS) == "Build 5G networks."
    assert claim_before(text, 1, LABELS) == "Support the cable station."
    assert claim_before(text, 2, LABELS) == "Support the cable station."  # consecutive markers share it
    assert claim_before(text, 3, LABELS) == ""


def test_task_view_highlights_the_clicked_quote_strongly():
    focus = {"task": 8, "quote": "Support the cable landing station in Lin-gang Special Area.", "verified": True}
    other = {"task": 8, "quote": "Build 5G networks.", "verified": True}
    html = task_view(entry(), [other, focus], focus=focus)
    assert '<mark class="hl-quote">Support the cable landing station in Lin-gang Special Area.</mark>' in html
    assert '<mark class="hl-soft">Build 5G networks.</mark>' in html
    assert "Municipal Data Bureau" in html


def test_task_view_marks_an_unverified_quote_differently():
    focus = {"task": 8, "quote": "Build 5G networks.", "verified": False}
    html = task_view(entry(), [focus], focus=focus)
    assert '<mark class="hl-unverified">Build 5G networks.</mark>' in html
    assert "unverified" in html


def test_mark_spans_escapes_and_merges_overlaps():
    text = "a <b> c"
    assert mark_spans(text, [(2, 5, "hl-term"), (4, 7, "hl-quote")]) == 'a <mark class="hl-quote">&lt;b&gt; c</mark>'


def test_search_results_escape_document_text_and_offer_a_citation():
    hit = {"task": None, "doc_id": "up.md", "title": "<i>Notes</i>", "section": "", "score": 0.5, "text": "a <img>"}
    html = search_results([hit], "img", {"up.md": {"title": "Uploaded <b>"}}, [])
    assert "<img>" not in html and "<i>" not in html and "<b>" not in html
    assert "&lt;img&gt;" in html and 'class="copy-btn"' in html


def test_quoted_phrases_and_user_messages():
    assert quoted_phrases('find "cross-border  data" and “Lin-gang”') == ["cross-border data", "Lin-gang"]
    assert user_message("<script>alert(1)</script> ![x](http://t/)") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; !\\[x](http://t/)"
    )


def test_answer_meta_names_the_generator_and_the_check():
    meta = answer_meta(
        {"generator": "llm:gemma", "citations": [{"verified": True}, {"verified": False}], "latency_ms": 12.0}
    )
    assert "AI model gemma" in meta and "1 of 2 cited quotes unverified" in meta
    assert 'class="copy-answer"' in meta  # the clean-text copy of the answer
    fallback = answer_meta(
        {"generator": "extractive (fallback: the openai backend at http://10.0.0.7:8000/v1 timed out)"}
    )
    assert "could not be used" in fallback and "10.0.0.7" not in fallback and "openai" not in fallback


def test_error_messages_lose_setting_names_and_commands():
    assert user_words("big.pdf: 30 MB is over the 20 MB upload limit (ASSISTANT_MAX_UPLOAD_BYTES)") == (
        "big.pdf: 30 MB is over the 20 MB upload limit"
    )
    assert user_words("no index yet: run `policy-assistant ingest` first") == "no index yet"
    assert user_words("the file is empty") == "the file is empty"


def test_word_forms_find_the_plural_of_a_singular_phrase():
    text = "Promote electronic bills of lading and other policies; the electronic bill of lading too."
    found = [text[a:b] for a, b in find_forms(text, "electronic bill of lading")]
    assert found == ["electronic bills of lading", "electronic bill of lading"]
    assert [text[a:b] for a, b in find_forms(text, "policy")] == ["policies"]
    assert find_forms(text, "bill of ladings of") == []


def test_no_results_names_the_filters_that_hide_results():
    html = no_results([], ["unit: Municipal Sports Bureau"], 5)
    assert "Municipal Sports Bureau" in html and "Without them, 5 passage(s) match" in html
    assert "nor without them" in no_results(["zebra"], ["area: Lin-gang"], 0)


def test_stored_conversations_are_read_leniently_and_listed_newest_first():
    from assistant.ui import _archive, conversation_title, stored_conversations

    turn = {"question": "Who runs the aviation platform?", "answer": "x [Task 13]", "citations": [{"task": 13}]}
    assert stored_conversations([turn]) == {"current": [turn], "past": []}  # the first, list-only format
    assert stored_conversations("garbage") == {"current": [], "past": []}
    stored = stored_conversations({"current": [turn], "past": [[turn, turn], "junk", []]})
    assert stored["past"] == [[turn, turn]]
    archived = _archive(stored, [turn])
    assert archived["current"] == [] and archived["past"][0] == [turn] and len(archived["past"]) == 2
    assert conversation_title([turn, turn]) == "Who runs the aviation platform? (2 questions)"


def test_each_login_has_its_own_conversations_in_a_shared_browser():
    from assistant.ui import _with_user, stored_conversations

    turn = {"question": "Who runs the aviation platform?", "answer": "x [Task 13]", "citations": [{"task": 13}]}
    saved = _with_user({"users": {}}, "ana", {"current": [turn], "past": []})
    saved = _with_user(saved, "ben", {"current": [], "past": [[turn]]})
    assert stored_conversations(saved, "ana") == {"current": [turn], "past": []}
    assert stored_conversations(saved, "ben") == {"current": [], "past": [[turn]]}
    assert stored_conversations(saved, "") == {"current": [], "past": []}  # nobody else sees them
    assert stored_conversations([turn], "ana") == {"current": [], "past": []}  # an old, unowned value


def test_the_line_under_a_chinese_answer_is_in_chinese():
    from assistant.ui_render import answer_meta

    answer = {
        "generator": "extractive",
        "citations": [{"task": 5, "verified": True}, {"task": 6, "verified": True}],
        "coverage": "full",
        "latency_ms": 12.0,
        "analysis": {"language": "zh"},
    }
    line = answer_meta(answer)
    assert "全部 2 条引文已与原文核对" in line and "未使用AI模型" in line and "copy-answer" in line
    assert "verified" not in line and "quoted" not in line.lower()
    english = answer_meta({**answer, "analysis": {"language": "en"}})
    assert "verified" in english and "核对" not in english


def test_a_citation_of_the_documents_details_is_a_chip_that_opens_those_details():
    # "[Document details]" has no passage behind it: it is still a chip, and it opens the statements
    # made from the details and the details as recorded, said as coming from them, not the text
    from assistant.answer import details_labels
    from assistant.settings import PROJECT_ROOT
    from assistant.ui_render import details_view

    labels = details_labels(PROJECT_ROOT / "prompts")
    assert {"Document details", "文件信息"} <= labels
    html = render_answer("The plan was issued on 30 December 2024. [Document details]", turn=0, known_labels=labels)
    assert 'class="cite cite-turn-0 cite-ref-0 cite-occ-0"' in html and ">Document details</span>" in html
    quote = "The plan was issued by the <Office> on 30 December 2024."
    view = details_view(
        "Document details",
        [{"task": None, "quote": quote, "verified": True}],
        {"title": "Plan", "issuer": "General Office", "issued": "2024-12-30"},
    )
    assert "&lt;Office&gt;" in view and "<Office>" not in view
    assert "General Office" in view and "2024-12-30" in view and "not from a passage of its text" in view
    # without recorded details the statements alone are shown
    assert "<table" not in details_view("Document details", [{"quote": quote}], None)
