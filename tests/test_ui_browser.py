"""The UI in a real browser: Debian's headless Chromium driven by Playwright, against the real app.

The app runs on a loopback port over a private index built from a copy of the corpus (one of the
tests uploads and removes a document). Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

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
def app_url(tmp_path_factory):
    from assistant.api import Assistant
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("ui-browser"))
    assistant = Assistant(settings)
    assistant.warm_up()  # builds the private index
    with running_app(assistant, settings) as url:
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


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url)
    page.wait_for_selector("#question textarea")
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


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
    page.evaluate(_WATCH_STREAM)
    page.locator("#question textarea").fill("Is there support for companies that lease planes?")
    page.locator("#send").click()
    page.wait_for_selector("#chat .answer-meta:has-text('Answered by')")
    states = page.evaluate("window.__states")
    finals = [s for s in states if "Answered by" in s]
    partials = [s for s in states if "Answered by" not in s and "Searching" not in s]
    assert finals and partials, f"the answer did not arrive in pieces: {states}"
    assert any(len(p) < len(finals[-1]) for p in partials)
    meta = page.locator("#chat .answer-meta").last.inner_text()
    assert "extractive" in meta and "verified" in meta  # which generator answered, and the check
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
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(upload))
    page.wait_for_selector("#doc-status li.ok", timeout=120_000)
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
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("tab", name="Documents").click()
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name="uploads/hostile_notes_b.md").click()
    page.locator("#remove").click()
    page.wait_for_selector("#doc-status:has-text('removed')", timeout=120_000)
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
