"""The UI in a real browser: Debian's headless Chromium driven by Playwright, against the real app.

The app runs on a loopback port over a private index built from a copy of the corpus (one of the
tests uploads and removes a document). Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.docfactory import DRONE_NOTICE
from tests.servers import running_app

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def ui_assistant(tmp_path_factory):
    from assistant.api import Assistant
    from tests.conftest import make_settings

    assistant = Assistant(make_settings(tmp_path_factory.mktemp("ui-browser")))
    assistant.warm_up()  # builds the private index
    return assistant


@pytest.fixture(scope="module")
def app_url(ui_assistant):
    with running_app(ui_assistant, ui_assistant.settings) as url:
        yield url


class _SlowAnswers:
    """The real assistant, its answers streamed slowly, as an LLM on a loaded server streams them
    (the offline generator answers in a fraction of a second: too fast to press Stop)."""

    def __init__(self, inner) -> None:
        self._inner = inner
        self.closed_early: list[str] = []  # questions whose stream was closed before its answer

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def ask_stream(self, question: str, history: list[dict] | None = None):
        finished = False
        try:
            for event in self._inner.ask_stream(question, history):
                if event["type"] == "delta":
                    time.sleep(0.5)
                yield event
            finished = True
        finally:
            if not finished:
                self.closed_early.append(question)


class _BackendGoneAway:
    """The real assistant whose answer breaks off the way one from an LLM server that stops
    responding does: a few words, then the transport's error, with the operator's details in it."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def ask_stream(self, question: str, history: list[dict] | None = None):
        from assistant.llm import LlmError

        yield {"type": "delta", "text": "Task 13 supports "}
        raise LlmError(
            "the openai backend at http://10.0.0.7:8000/v1 did not finish within 60 s (ASSISTANT_LLM_TIMEOUT_S)"
        )


@pytest.fixture(scope="module")
def broken_app_url(ui_assistant):
    with running_app(_BackendGoneAway(ui_assistant), ui_assistant.settings) as url:
        yield url


@pytest.fixture(scope="module")
def slow_assistant(ui_assistant):
    return _SlowAnswers(ui_assistant)


@pytest.fixture(scope="module")
def slow_app_url(slow_assistant):
    with running_app(slow_assistant, slow_assistant.settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is not installed: run `make system-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


DESKTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser, app_url, viewport: dict, **context_options):
    """A fresh browser context (own storage) on the app; its JS errors are collected in ``page.js_errors``."""
    context = browser.new_context(viewport=viewport, accept_downloads=True, **context_options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url)
    page.wait_for_selector("#question textarea")
    page.js_errors = errors
    return page


@pytest.fixture
def page(browser, app_url):
    page = open_page(browser, app_url, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture
def phone(browser, app_url):
    page = open_page(browser, app_url, PHONE, is_mobile=True, has_touch=True)
    try:
        yield page
    finally:
        page.context.close()


def ask(page, question: str) -> None:
    """Ask in the chat and wait for the finished answer (its footer's Copy appears only then)."""
    before = page.locator("#chat .copy-answer").count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    page.wait_for_function(f"document.querySelectorAll('#chat .copy-answer').length > {before}")
    expect(page.locator("#send")).to_be_visible()  # the answer is complete and kept


def toast_text(page) -> str:
    toast = page.locator("[data-testid='toast-body']").last
    toast.wait_for()
    return toast.inner_text()


def shot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def upload_document(page, path: Path) -> None:
    """Upload a file on the Documents tab and wait until it is indexed."""
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.wait_for_selector("#doc-status li.ok", timeout=120_000)


def remove_upload(page, option: str) -> None:
    """Remove an upload on the Documents tab (confirming the dialog) and wait until it is gone."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("tab", name="Documents").click()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name=option).click()
    page.locator("#remove").click()
    page.wait_for_selector("#doc-status:has-text('removed')", timeout=120_000)


# Records every state of the last assistant message, to see the answer arrive in pieces.
_WATCH_STREAM = """() => {
  window.__states = [];
  const chat = document.querySelector('#chat');
  new MutationObserver(() => {
    const bots = chat.querySelectorAll('.message.bot, [data-testid="bot"]');
    const last = bots[bots.length - 1];
    if (!last) return;
    const text = last.innerText.trim();
    if (text && window.__states[window.__states.length - 1] !== text) window.__states.push(text);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def test_chat_streams_a_cited_answer_and_opens_the_cited_task(page, plan_text):
    page.wait_for_selector("#chat")  # (on a loaded machine the page may still be rendering)
    page.evaluate(_WATCH_STREAM)
    page.locator("#question textarea").fill("Is there support for companies that lease planes?")
    page.locator("#send").click()
    page.wait_for_selector("#chat .answer-meta:has-text('verified')")
    states = page.evaluate("window.__states")
    finals = [s for s in states if "cited quotes" in s]
    partials = [s for s in states if "cited quotes" not in s and "Searching" not in s]
    assert finals and partials, f"the answer did not arrive in pieces: {states}"
    assert any(len(p) < len(finals[-1]) for p in partials)
    meta = page.locator("#chat .answer-meta").last.inner_text()
    assert "Quoted from the documents" in meta and "verified" in meta  # who wrote the answer, and the check
    shot(page, "chat-answer")

    chips = page.locator("#chat .cite")
    assert chips.count() >= 1
    assert chips.first.inner_text().strip() == "Task 13"
    answer_text = " ".join(page.locator("#chat .message.bot, #chat [data-testid='bot']").last.inner_text().split())
    chips.first.click()
    viewer = page.locator("#task-viewer")
    viewer.locator("mark.hl-quote").first.wait_for()
    shown = viewer.inner_text()
    assert "Develop service trade systems for the aviation industry" in shown
    assert "aircraft leasing" in shown and "Lin-gang Special Area Administrative Committee" in shown  # full text
    highlighted = " ".join(viewer.locator("mark.hl-quote").first.inner_text().split())
    assert highlighted in " ".join(plan_text.split())  # an exact sentence of the task
    assert highlighted in answer_text  # ... the one the answer quotes before the clicked citation
    assert viewer.locator("mark.hl-quote").count() == 1  # only the clicked statement's support is strong
    shot(page, "chat-citation-opened")

    # A follow-up keeps the context: "who" is asked about the task of the previous answer.
    page.locator("#question textarea").fill("Who is responsible for it?")
    page.locator("#send").click()
    page.wait_for_function("document.querySelectorAll('#chat .answer-meta').length >= 2")
    # Everything the chat shows after the follow-up question is the second answer (reading the
    # whole transcript avoids depending on how Gradio nests the last bubble's elements).
    page.wait_for_function(
        "(document.querySelector('#chat').innerText.split('Who is responsible for it?')[1] || '')"
        ".includes('Shanghai Customs')",
        timeout=TIMEOUT_MS,
    )
    second = page.locator("#chat").inner_text().split("Who is responsible for it?", 1)[1]
    assert "Shanghai Customs" in second and "Task 13" in second
    page.locator("#new-chat").click()
    page.wait_for_function("document.querySelectorAll('#chat .answer-meta').length === 0")
    assert page.js_errors == []


def test_applies_to_me_lists_the_expected_tasks(page, tmp_path):
    page.get_by_role("tab", name="Which policies apply to me?").click()
    page.get_by_text("Aircraft lessor in Lin-gang").click()  # an example enterprise fills the form
    expect(page.locator("#profile-description textarea")).to_have_value("We are an aircraft leasing company.")
    page.locator("#profile-find").click()
    page.wait_for_selector("#profile-results .match")
    cards = page.locator("#profile-results .match")
    ids = [cards.nth(i).get_attribute("id") for i in range(cards.count())]
    assert ids[0] == "match-task-13"  # the aviation task, which names aircraft leasing, comes first
    first = cards.first.inner_text()
    assert "aircraft leasing" in first and "Lin-gang Special Area Administrative Committee" in first
    # Tasks that name Lin-gang in their text are listed for an enterprise located there.
    for task in (12, 16, 18):
        assert f"match-task-{task}" in ids, ids
    # Nothing about unrelated activities elsewhere (e.g. the cultural trade task names no Lin-gang).
    assert "match-task-2" not in ids
    shot(page, "applies-to-me", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    target = tmp_path / "applies.csv"
    download_info.value.save_as(target)
    csv_text = target.read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0].startswith("rank,task,title")
    assert csv_text.splitlines()[1].startswith("1,13,")
    assert page.js_errors == []


def test_html_in_questions_and_documents_shows_as_text(page, tmp_path):
    hostile = '<img src=x onerror="window.__xss=1"><b>bold?</b> <script>window.__xss=2</script> aircraft leasing'
    page.locator("#question textarea").fill(hostile)
    page.locator("#send").click()
    page.wait_for_selector("#chat .answer-meta")
    user_text = page.locator("#chat .message.user, #chat [data-testid='user']").last.inner_text()
    assert '<img src=x onerror="window.__xss=1">' in user_text
    assert "<script>window.__xss=2</script>" in user_text
    assert page.locator("#chat img[src='x'], #chat script, #chat b:has-text('bold?')").count() == 0
    shot(page, "xss-question")

    # A document whose text contains markup: uploaded, indexed without a restart, shown as text.
    upload = tmp_path / "hostile notes <b>.md"
    upload.write_text(
        "# Ornamental fish notice\n\n"
        "The zebrafish quarantine protocol applies to ornamental fish imports through bonded warehouses. "
        'Inspectors must read <script>window.__xss=3</script> and <img src=x onerror="window.__xss=4"> as text. '
        "The protocol is reviewed every year by the port authority.\n",
        encoding="utf-8",
    )
    upload_document(page, upload)
    assert "added" in page.locator("#doc-status").inner_text()
    assert "hostile_notes_b.md" in page.locator("#documents-table").inner_text()
    shot(page, "documents-uploaded")

    page.get_by_role("tab", name="Wording search").click()
    page.locator("#search-query textarea, #search-query input").first.fill('"Inspectors must read"')
    page.locator("#search-go").click()
    page.wait_for_selector("#search-results .hit")
    hit = page.locator("#search-results .hit").first.inner_text()
    assert "<script>window.__xss=3</script>" in hit
    assert '<img src=x onerror="window.__xss=4">' in hit
    assert page.locator("#search-results script, #search-results img").count() == 0
    shot(page, "xss-document-search")
    assert page.evaluate("typeof window.__xss") == "undefined"

    # Removing the upload takes it out of the index, again without a restart.
    remove_upload(page, "uploads/hostile_notes_b.md")
    assert "hostile_notes_b.md" not in page.locator("#documents-table").inner_text()
    page.get_by_role("tab", name="Wording search").click()
    page.locator("#search-go").click()
    page.wait_for_selector("#search-results .empty")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.js_errors == []


def test_task_browser_filters_by_unit_and_shows_who_is_responsible(page):
    page.get_by_role("tab", name="Task browser").click()
    page.wait_for_selector("#task-list details.task-item")
    assert page.locator("#task-list details.task-item").count() == 23
    assert page.locator("#task-matrix thead tr").nth(1).locator("th").count() == 2 + 23  # unit, count, 23 tasks
    page.locator("#task-browser-unit input").click()
    page.get_by_role("option", name="Shanghai Customs", exact=True).click()
    page.wait_for_function("document.querySelectorAll('#task-list details.task-item').length === 6")
    shown = [page.locator("#task-list details.task-item").nth(i).get_attribute("id") for i in range(6)]
    assert shown == ["task-5", "task-6", "task-7", "task-13", "task-17", "task-21"]
    customs_row = page.locator("#task-matrix tr", has=page.locator("th.unit-name", has_text="Shanghai Customs"))
    assert customs_row.locator("td.dot").count() == 6
    page.locator("#task-13 summary").click()
    assert "aircraft leasing" in page.locator("#task-13").inner_text()
    shot(page, "task-browser", full_page=True)
    assert page.js_errors == []


# --- issue 12: the web app as people use it -------------------------------------------------------

DEVELOPER_TEXT = ("ASSISTANT_", "GRADIO_", "policy-assistant", "extractive", "passages and sentences", "chunk")


def test_a_bad_question_keeps_the_chat_the_sources_and_the_typed_text(page):
    ask(page, "Is there support for companies that lease planes?")
    expect(page.locator("#sources")).to_contain_text("Task 13")
    sources_before = page.locator("#sources").inner_text()
    chat_before = page.locator("#chat").inner_text()

    long_question = "Which tasks concern aircraft leasing? " * 140  # about 5,300 characters
    page.locator("#question textarea").fill(long_question)
    page.locator("#send").click()
    message = toast_text(page)
    assert "characters" in message and "2,000" in message
    assert not any(word in message for word in DEVELOPER_TEXT), message
    # Nothing is lost: the earlier exchange, its sources and the text typed stay where they were.
    expect(page.locator("#question textarea")).to_have_value(long_question)
    assert page.locator("#chat").inner_text() == chat_before
    assert page.locator("#sources").inner_text() == sources_before

    page.locator("#question textarea").fill("   ")
    page.locator("#question textarea").press("Enter")
    page.locator("[data-testid='toast-body']", has_text="Type a question").wait_for()
    page.wait_for_timeout(500)  # time for a wrongly wiped chat to show
    assert page.locator("#chat").inner_text() == chat_before
    assert page.locator("#sources").inner_text() == sources_before
    assert page.js_errors == []


def test_an_uploaded_notice_is_answered_and_found_by_its_own_article(page, tmp_path):
    """A notice the plan does not contain, naming a place the plan also names: its article answers."""
    notice = tmp_path / "drone measures.md"
    notice.write_text(DRONE_NOTICE, encoding="utf-8")
    upload_document(page, notice)
    table = page.locator("#documents-table").inner_text()
    # Title, issuer and date read from the notice itself (it has no metadata file).
    assert "Low-Altitude Drone Delivery" in table and "2025-03-01" in table
    assert "Lin-gang Special Area Administrative Committee" in table
    try:
        page.get_by_role("tab", name="Ask", exact=True).click()
        page.locator("#question textarea").fill("How much subsidy does a drone delivery operator get in Lin-gang?")
        page.locator("#send").click()
        page.wait_for_selector("#chat .answer-meta:has-text('verified')", timeout=TIMEOUT_MS)
        chip = page.locator("#chat .cite").first.inner_text().strip()
        assert chip.endswith("Art. 3") and "Drone" in chip and len(chip) <= 60, chip
        assert "500,000 yuan" in page.locator("#chat").inner_text()
        shot(page, "chat-notice-article")

        page.get_by_role("tab", name="Wording search").click()
        page.locator("#search-query textarea, #search-query input").first.fill("drone delivery route subsidy")
        page.locator("#search-go").click()
        page.wait_for_selector("#search-results .hit")
        first = page.locator("#search-results .hit").first.inner_text()
        assert "Art. 3" in first and "500,000 yuan" in first
        shot(page, "search-notice-article")
    finally:
        remove_upload(page, "uploads/drone_measures.md")
    assert page.js_errors == []


def test_filtered_search_without_hits_says_so_and_filters_apply_at_once(page):
    page.get_by_role("tab", name="Wording search").click()
    box = page.locator("#search-query textarea, #search-query input").first
    box.fill("bills of lading")
    page.locator("#search-go").click()
    page.wait_for_selector("#search-results .hit")
    assert "Task 16" in page.locator("#search-results").inner_text()

    # Choosing a filter re-runs the search by itself; no hits is a message, never an error.
    page.locator("#search-unit input").click()
    page.get_by_role("option", name="Municipal Sports Bureau", exact=True).click()
    expect(page.locator("#search-results")).to_contain_text("filtered by unit: Municipal Sports Bureau")
    page.locator("#search-area input").click()
    page.get_by_role("option", name="Lin-gang Special Area", exact=True).click()
    page.wait_for_function("document.querySelector('#search-results').innerText.includes('Lin-gang')")
    results = page.locator("#search-results").inner_text()
    assert page.locator("#search-results .hit").count() == 0  # the previous query's hits are gone
    assert "No passage" in results and "Municipal Sports Bureau" in results and "Without them" in results
    assert "Error" not in page.locator("body").inner_text() and "min()" not in results

    # A singular form of a plural phrase finds the plural and says so.
    for control in ("#search-unit", "#search-area"):
        page.locator(f"{control} input").click()
        page.locator(control).get_by_role("option", name="All", exact=True).click()
    expect(page.locator("#search-results")).not_to_contain_text("filtered by")  # the filters' re-runs are in
    box.fill('"electronic bill of lading"')
    page.locator("#search-go").click()
    expect(page.locator("#search-results")).to_contain_text("exact phrase")
    results = page.locator("#search-results").inner_text()
    assert "No passage contains the exact phrase" in results and "Task 16" in results
    marked = page.locator("#search-results mark.hl-phrase").first.inner_text()
    assert marked == "electronic bills of lading"
    shot(page, "search-word-forms")
    assert page.js_errors == []


def test_the_app_speaks_to_users_not_developers(page, tmp_path):
    header = page.locator("#status-line").inner_text()
    assert "document" in header and "tasks" in header
    ask(page, "Which tasks is Shanghai Customs responsible for?")
    seen = [page.locator("body").inner_text()]
    for tab in ("Which policies apply to me?", "Wording search", "Task browser", "Documents"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        seen.append(page.locator("body").inner_text())

    # An upload shows one progress indicator, where its result will appear, not one per output.
    page.evaluate(_WATCH_PROGRESS)
    upload = tmp_path / "ferry notice.md"
    upload.write_text("# Ferry notice\n\nThe ferry timetable applies to passenger services.\n", encoding="utf-8")
    page.locator("#upload input[type=file]").set_input_files(str(upload))
    page.wait_for_selector("#doc-status li.ok", timeout=120_000)
    assert page.evaluate("window.__progressMax") <= 1
    seen.append(page.locator("body").inner_text())
    for text in seen:
        for word in DEVELOPER_TEXT:
            assert word not in text, f"{word!r} shown to users"
    remove_upload(page, "uploads/ferry_notice.md")
    assert page.js_errors == []


# Counts, at every change of the page, the progress overlays that are showing.
_WATCH_PROGRESS = """() => {
  window.__progressMax = 0;
  const count = () => {
    const shown = [...document.querySelectorAll('[data-testid="status-tracker"]')].filter(
      (el) => !el.classList.contains('hide') && el.getBoundingClientRect().height > 0);
    window.__progressMax = Math.max(window.__progressMax, shown.length);
  };
  new MutationObserver(count).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_phone_shows_every_tab_the_header_a_readable_table_and_a_fixed_unit_column(phone):
    phone.wait_for_timeout(1000)  # time for a late focus to scroll
    assert phone.evaluate("window.scrollY") == 0  # the header is in view
    tabs = phone.get_by_role("tab")
    names = [tabs.nth(i).inner_text() for i in range(tabs.count()) if tabs.nth(i).is_visible()]
    assert names == ["Ask", "Which policies apply to me?", "Wording search", "Task browser", "Documents"]
    assert not phone.get_by_role("button", name="More tabs").is_visible()

    phone.get_by_role("tab", name="Documents").click()
    phone.wait_for_selector("#documents-table th")
    widths = phone.evaluate(
        "[...document.querySelectorAll('#documents-table th')].map((c) => c.getBoundingClientRect().width)"
    )
    assert len(widths) == 7 and min(widths) >= 56, widths  # no column squeezed to a letter per line

    phone.get_by_role("tab", name="Task browser").click()
    phone.wait_for_selector("#task-matrix .matrix-wrap")
    geometry = phone.evaluate(
        """() => {
          const wrap = document.querySelector('#task-matrix .matrix-wrap');
          const unit = wrap.querySelector('tbody th.unit-name');
          wrap.scrollLeft = 400;
          const box = wrap.getBoundingClientRect(), cell = unit.getBoundingClientRect();
          return {scrolled: wrap.scrollLeft, wrapLeft: box.left, wrapWidth: box.width,
                  unitLeft: cell.left, unitWidth: cell.width};
        }"""
    )
    assert geometry["scrolled"] > 0
    assert abs(geometry["unitLeft"] - geometry["wrapLeft"]) <= 2  # the unit column stays put
    assert geometry["unitWidth"] <= geometry["wrapWidth"] / 2  # and leaves room for the dots
    assert phone.js_errors == []


def test_copy_gives_the_answer_as_text_with_its_citations(page):
    ask(page, "Is there support for companies that lease planes?")
    page.locator("#chat .copy-answer").last.click()
    expect(page.locator("#chat .copy-answer").last).to_have_text("Copied ✓")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[Task 13]" in copied and "aircraft leasing" in copied
    assert "<" not in copied and "cite" not in copied and "class=" not in copied  # no HTML
    assert "verified against" not in copied and "Copy" not in copied  # nor the footer
    assert page.js_errors == []


def test_a_follow_up_covers_every_task_of_the_previous_answer_and_the_panel_agrees(page):
    ask(page, "What is planned for shipping and aviation services?")
    first = page.locator("#chat [data-testid='bot']:has(.copy-answer)").last
    cited = {first.locator(".cite").nth(i).inner_text() for i in range(first.locator(".cite").count())}
    assert {"Task 11", "Task 13"} <= cited

    ask(page, "Who do we contact about that?")
    second = page.locator("#chat [data-testid='bot']:has(.copy-answer)").last
    answer_chips = {second.locator(".cite").nth(i).inner_text() for i in range(second.locator(".cite").count())}
    assert {"Task 11", "Task 13"} <= answer_chips, answer_chips
    text = second.inner_text()
    assert "Shanghai Customs" in text  # Task 13's units ...
    assert "Municipal Commission of Transport" in text  # ... and Task 11's
    panel = page.locator("#sources .cite")
    expect(panel.first).to_be_visible()
    assert {panel.nth(i).inner_text() for i in range(panel.count())} == answer_chips
    shot(page, "chat-follow-up")
    assert page.js_errors == []


def test_the_conversation_survives_a_reload_and_can_be_retried_and_rated(page, ui_assistant):
    from assistant.ui import feedback_path

    ask(page, "Is there support for companies that lease planes?")
    page.reload()
    page.wait_for_selector("#chat .copy-answer")  # the conversation is back ...
    assert "Task 13" in page.locator("#chat .cite").first.inner_text()
    expect(page.locator("#sources")).to_contain_text("Task 13")
    ask(page, "Who is responsible for it?")  # ... with its context: the follow-up resolves to Task 13
    last = page.locator("#chat [data-testid='bot']:has(.copy-answer)").last
    assert "Shanghai Customs" in last.inner_text() and "Task 13" in last.inner_text()

    # Retry answers the last question again in place: still two answers, the last one re-made.
    page.evaluate(_WATCH_RETRY)
    page.get_by_role("button", name="Retry").last.click()
    page.wait_for_function(
        "window.__answering && document.querySelectorAll('#chat .copy-answer').length === 2 "
        "&& !!document.querySelector('#send') && !document.querySelector('#chat').innerText"
        ".includes('Searching the plan')"
    )
    assert "Shanghai Customs" in page.locator("#chat [data-testid='bot']:has(.copy-answer)").last.inner_text()

    # Thumbs up is written to the feedback file the evaluation suite reads.
    target = feedback_path(ui_assistant.settings)
    before = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    page.get_by_role("button", name="Like").last.click()
    page.locator("[data-testid='toast-body']", has_text="Thank you").wait_for()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        not target.exists() or len(target.read_text(encoding="utf-8").splitlines()) == len(before)
    ):
        time.sleep(0.2)
    record = json.loads(target.read_text(encoding="utf-8").splitlines()[-1])
    assert record["rating"] == "up" and record["question"] == "Who is responsible for it?"
    assert 13 in record["tasks"] and "[Task 13]" in record["answer"]
    shot(page, "chat-reloaded-rated")

    page.locator("#new-chat").click()  # a new conversation is what a reload brings back, too
    expect(page.locator("#chat .copy-answer")).to_have_count(0)
    page.wait_for_timeout(1000)  # the browser's storage is written by a separate event
    page.reload()
    page.wait_for_selector("#question textarea")
    page.wait_for_timeout(1500)
    assert page.locator("#chat .copy-answer").count() == 0
    # ... and the earlier conversation is in the list, whole, with its context.
    page.locator("#past-chats input").click()
    page.get_by_role("option", name="Is there support for companies that lease planes? (2 questions)").click()
    expect(page.locator("#chat .copy-answer")).to_have_count(2)
    assert "Who is responsible for it?" in page.locator("#chat").inner_text()
    expect(page.locator("#sources")).to_contain_text("Task 13")
    shot(page, "chat-earlier-conversation")
    assert page.js_errors == []


# Notes when an answer starts being re-made (the chat shows "Searching the plan…" again).
_WATCH_RETRY = """() => {
  window.__answering = false;
  const chat = document.querySelector('#chat');
  new MutationObserver(() => {
    if (chat.innerText.includes('Searching the plan')) window.__answering = true;
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""


def test_stop_cancels_an_answer_and_keeps_the_question(browser, slow_app_url, slow_assistant):
    page = open_page(browser, slow_app_url, DESKTOP)
    try:
        question = "Which tasks name Shanghai Customs among the responsible units?"  # not an example question
        page.locator("#question textarea").fill(question)
        page.locator("#send").click()
        stop = page.locator("#stop")
        expect(stop).to_be_visible()
        page.wait_for_function("document.querySelector('#chat').innerText.includes('Task')")  # mid-answer
        stop.click()
        expect(page.locator("#send")).to_be_visible()
        expect(stop).to_be_hidden()
        page.wait_for_timeout(3000)  # the cancelled answer must not complete later
        assert page.locator("#chat .copy-answer").count() == 0
        assert slow_assistant.closed_early == [question]  # the server stopped reading the answer's stream
        assert question not in page.locator("#chat").inner_text()  # the cut-off exchange is gone ...
        expect(page.locator("#question textarea")).to_have_value(question)  # ... its question back in the box
        ask(page, "Is there support for companies that lease planes?")  # and the chat goes on
        assert page.locator("#chat .copy-answer").count() == 1
        assert page.js_errors == []
    finally:
        page.context.close()


TABS = {
    "ask": "Ask",
    "applies": "Which policies apply to me?",
    "search": "Wording search",
    "tasks": "Task browser",
    "documents": "Documents",
}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots_of_every_tab(browser, app_url, size):
    """Each tab at desktop (1400x900) and phone (390x844) size, for a person to look at; every tab
    must fit the width of the screen (no sideways scrolling of the whole page)."""
    page = open_page(browser, app_url, DESKTOP if size == "desktop" else PHONE, is_mobile=size == "phone")
    try:
        ask(page, "We lease aircraft. Which measures of the plan support us?")
        for slug, name in TABS.items():
            page.get_by_role("tab", name=name, exact=True).click()
            page.wait_for_timeout(500)
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), slug
            shot(page, f"tab-{slug}-{size}")
        assert page.js_errors == []
    finally:
        page.context.close()


def test_interface_labels_follow_the_browser_language(browser, app_url):
    pages = {locale: open_page(browser, app_url, DESKTOP, locale=locale) for locale in ("zh-CN", "en-US")}
    try:
        zh, en = pages["zh-CN"], pages["en-US"]
        expect(zh.get_by_role("tab", name="哪些政策适用于我？")).to_be_visible()
        tabs = [tab.inner_text() for tab in zh.get_by_role("tab").all()]
        assert tabs == ["提问", "哪些政策适用于我？", "原文检索", "任务浏览", "文件"]
        assert zh.locator("#send").inner_text() == "提问"
        assert zh.locator("#app-title h1").inner_text() == "上海数字贸易政策助手"
        assert en.locator("#app-title h1").inner_text() == "Shanghai Digital Trade Policy Assistant"
        assert zh.locator("#question textarea").get_attribute("placeholder").startswith("请输入")
        assert en.locator("#send").inner_text() == "Ask"
        assert [tab.inner_text() for tab in en.get_by_role("tab").all()][1] == "Which policies apply to me?"
        # A Chinese question is answered in the Chinese interface, from the plan, with its citations.
        ask(zh, "上海海关负责哪些任务？")
        answer = zh.locator("#chat [data-testid='bot']:has(.copy-answer)").last
        chips = {answer.locator(".cite").nth(i).inner_text() for i in range(answer.locator(".cite").count())}
        assert {"Task 5", "Task 13", "Task 21"} <= chips, chips
        zh.get_by_role("tab", name="任务浏览").click()
        expect(zh.locator("#task-list details.task-item")).to_have_count(23)
        shot(zh, "chinese-interface")
        assert zh.js_errors == [] and en.js_errors == []
    finally:
        for page in pages.values():
            page.context.close()


def test_a_failed_answer_is_explained_in_user_words_and_the_question_kept(browser, broken_app_url):
    page = open_page(browser, broken_app_url, DESKTOP)
    try:
        question = "Is there support for companies that lease planes?"
        page.locator("#question textarea").fill(question)
        page.locator("#send").click()
        page.wait_for_selector("#chat .cite-flag")
        expect(page.locator("#send")).to_be_visible()
        shown = page.locator("#chat").inner_text()
        assert "could not be completed" in shown
        for word in ("ASSISTANT_", "10.0.0.7", "openai", "backend"):
            assert word not in shown, word
        expect(page.locator("#question textarea")).to_have_value(question)  # ready to try again
        # Retry asks the failed question again (not the one before it): it fails the same way here.
        page.evaluate(_WATCH_RETRY)
        page.get_by_role("button", name="Retry").last.click()
        page.wait_for_function("window.__answering && !!document.querySelector('#send')")
        page.wait_for_selector("#chat .cite-flag")
        assert page.locator("#chat").inner_text().count(question) == 1
        assert page.js_errors == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def login_app_url(ui_assistant):
    from assistant.ui import build_app, launch
    from tests.servers import free_port

    demo = build_app(ui_assistant)
    port = free_port()
    launch(
        demo,
        ui_assistant.settings,
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        auth=[("ana", "pw-ana-1"), ("ben", "pw-ben-2")],
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def _log_in(page, url: str, user: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()
    page.wait_for_selector("#question textarea")


def test_with_a_login_each_user_keeps_their_own_conversations(browser, login_app_url):
    context = browser.new_context(viewport=DESKTOP)  # one browser, shared by two members of staff
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        _log_in(page, login_app_url, "ana", "pw-ana-1")
        ask(page, "Is there support for companies that lease planes?")
        page.goto(login_app_url + "logout")
        _log_in(page, login_app_url, "ben", "pw-ben-2")
        page.wait_for_timeout(1500)  # time for a stored conversation to be restored, wrongly
        assert page.locator("#chat .copy-answer").count() == 0  # Ben does not see Ana's conversation
        assert page.locator("#past-chats input").is_disabled()  # nor her earlier ones
        page.goto(login_app_url + "logout")
        _log_in(page, login_app_url, "ana", "pw-ana-1")
        page.wait_for_selector("#chat .copy-answer")  # Ana's is still there
        assert "Task 13" in page.locator("#chat .cite").first.inner_text()
    finally:
        context.close()
