"""The Gradio app: a thin layer over :class:`assistant.api.Assistant`.

Tabs: Ask (streaming chat with clickable, verified citations), Applies to me (enterprise
profile -> ranked tasks), Wording search, Task browser, Documents (list, upload, remove).
The Gradio API exposes ``/ask`` (question in, the answer JSON of DESIGN.md out), plus
``/search`` and ``/applies_to``; the UI's own events are private.

Every piece of user or document text is escaped by :mod:`assistant.ui_render` before display.
``serve()`` starts it on 127.0.0.1:7860 (``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT``),
with an optional login from ``ASSISTANT_UI_AUTH="user:password[,user2:password2]"``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import gradio as gr

from assistant.answer import details_labels
from assistant.api import Assistant, QuestionError, clean_history, clean_question
from assistant.profile import ANOTHER_DISTRICT, OWNERSHIPS, SIZES, EnterpriseProfile, ProfileError, to_csv, to_markdown
from assistant.profile import TaskMatch as _TaskMatch
from assistant.settings import Settings
from assistant.ui_labels import I18N, t
from assistant.ui_login import ThrottledLogin
from assistant.ui_render import (
    answer_meta,
    answer_refs,
    citations_for,
    claim_before,
    details_view,
    esc,
    find_all,
    find_entry,
    find_forms,
    marker_is_unverified,
    no_results,
    norm_space,
    plain_question,
    profile_results,
    quoted_phrases,
    render_answer,
    responsibility_matrix,
    search_results,
    sources_panel,
    task_list,
    task_view,
    user_message,
    user_words,
)
from assistant.uploads import ALLOWED_SUFFIXES, UploadError, is_upload, save_upload
from assistant.verify import lexical_support

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "ui_assets"
AUTH_ENV = "ASSISTANT_UI_AUTH"
CONCURRENCY_ENV = "ASSISTANT_UI_CONCURRENCY"
FEEDBACK_ENV = "ASSISTANT_FEEDBACK_FILE"  # default: feedback/feedback.jsonl beside the index directory
CONVERSATION_KEY = "policy-assistant-conversation"  # the browser's localStorage key
ALL = "All"
NOT_STATED = "Not stated"
TITLE = "Shanghai Digital Trade Policy Assistant"

EXAMPLE_QUESTIONS = [
    "We lease aircraft. Which measures of the plan support us?",
    "Which tasks is Shanghai Customs responsible for?",
    "What does the plan do for cross-border e-commerce exports by small firms?",
    "Who is in charge of the submarine cable landing station?",
    "What is planned for cross-border data flows in Lin-gang?",
]
# description, activities, location, size, ownership
PROFILE_EXAMPLES = [
    (
        "Aircraft lessor in Lin-gang",
        "We are an aircraft leasing company.",
        "aircraft leasing",
        "Lin-gang Special Area",
        NOT_STATED,
        "Foreign-invested",
    ),
    (
        "Small cross-border online shop in Pudong",
        "Small online shop selling cosmetics to overseas buyers, shipped by air.",
        "cross-border e-commerce",
        "Pudong New Area",
        SIZES[0],
        "Domestic",
    ),
    (
        "Data centre operator in Hongqiao",
        "We operate a data centre and sell cloud computing capacity.",
        "",
        "Hongqiao International Central Business District",
        NOT_STATED,
        NOT_STATED,
    ),
]
_EXPORT_MAX_AGE_S = 3600
_FOCUS_QUESTION_JS = """() => {
  if (window.innerWidth >= 900) document.querySelector('#question textarea')?.focus({preventScroll: true});
}"""


def feedback_path(settings: Settings) -> Path:
    """Where thumbs up/down are appended (JSON lines): ``ASSISTANT_FEEDBACK_FILE``, else
    ``feedback/feedback.jsonl`` beside the index directory (``feedback/`` of the project by default)."""
    default = settings.index_dir.resolve().parent / "feedback" / "feedback.jsonl"
    return Path(os.environ.get(FEEDBACK_ENV) or default)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def _theme() -> gr.themes.Base:
    # System fonts only: the default theme fetches Google Fonts, and this app must work offline.
    return gr.themes.Soft(
        primary_hue="blue",
        neutral_hue="slate",
        # CJK fonts after the Latin ones, so Chinese labels and documents use the system's own.
        font=[
            "Inter",
            "system-ui",
            "-apple-system",
            "Segoe UI",
            "Roboto",
            "PingFang SC",
            "Microsoft YaHei",
            "Noto Sans CJK SC",
            "sans-serif",
        ],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
    )


def _choice(value: str | None) -> str | None:
    return None if not value or value == ALL else value


class _Handlers:
    """The event handlers; each one calls the Python API and renders its result safely."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.export_root = Path(tempfile.gettempdir()) / "policy-assistant-exports"
        self.feedback_file = feedback_path(self.settings)

    # --- shared ---------------------------------------------------------------------------

    def labels(self) -> set[str]:
        """Every label a citation chip may carry: the indexed passages', and the document details'."""
        return {e.label for e in self.assistant.catalogue().entries} | self.details_labels

    @cached_property
    def details_labels(self) -> set[str]:
        return details_labels(self.settings.prompts_dir)

    def citation_label(self, citation: dict, answer: dict) -> str | None:
        """The label of the passage a citation quotes: "Task N", the passage of its document that holds
        the quote, or (no passage holds it) the answer's document-details label; None when unknown."""
        if citation.get("task"):
            return f"Task {citation['task']}"
        quote = norm_space(citation.get("quote", ""))
        for entry in self.assistant.catalogue().entries:
            if entry.source == citation.get("doc_id") and quote and quote in norm_space(entry.text):
                return entry.label
        text = answer.get("answer", "")
        return next((label for label in self.details_labels if f"[{label}]" in text), None)

    def sources(self, answer: dict, turn: int, labels: set[str]) -> str:
        """The sources panel of an answer, each citation under the label of what it quotes."""
        return sources_panel(answer, turn, labels, lambda citation: self.citation_label(citation, answer))

    def docs(self) -> dict[str, dict]:
        return {d["doc_id"]: d for d in self.assistant.documents()}

    def configured_generator(self) -> str:
        """How answers are written, in a reader's words (the backend's name is for the log)."""
        if self.settings.llm_backend == "extractive":
            return "quoted word for word from the documents"
        model = self.settings.llm_model or (self.settings.llm_model_path.name if self.settings.llm_model_path else "")
        return f"written by an AI model{f' ({model})' if model else ''} and checked against the documents"

    def status(self) -> str:
        try:
            stats = self.assistant.stats()
        except Exception:  # the header must render even when the index is broken
            logger.exception("stats failed")
            return '<div class="status-line">⚠ The documents cannot be read right now; please try again later.</div>'
        documents = stats["documents"]
        return (
            f'<div class="status-line"><b>{documents}</b> document{"" if documents == 1 else "s"} · '
            f"<b>{len(self.assistant.catalogue().tasks)}</b> tasks of the plan · "
            f"answers are <b>{esc(self.configured_generator())}</b></div>"
        )

    @staticmethod
    def question_problem(exc: QuestionError) -> str:
        """Why a question was not taken, for the person who typed it (the API's message names settings)."""
        if exc.reason == "empty":
            return "Type a question first."
        if exc.reason == "too_long":
            return (
                f"Your question is {exc.length:,} characters long; questions can be up to {exc.limit:,}. "
                "Shorten it to the part you want answered: your text is still in the box."
            )
        return user_words(exc).capitalize()

    # --- chat -----------------------------------------------------------------------------

    def messages(self, history: list[dict], labels: set[str]) -> list[dict]:
        out: list[dict] = []
        for turn, answer in enumerate(history):
            out.append({"role": "user", "content": user_message(answer.get("question", ""))})
            out.append(
                {"role": "assistant", "content": render_answer(answer["answer"], turn, labels) + answer_meta(answer)}
            )
        return out

    def chat(self, question: str, history: list[dict] | None) -> Iterator[tuple]:
        """Stream one answer: yields (chat messages, history, question box, sources panel)."""
        history = list(history or [])
        try:
            text = clean_question(question, self.settings.max_question_chars)
        except QuestionError as exc:
            # Leave every output as it is: the chat, its sources and the text the user typed.
            gr.Warning(self.question_problem(exc))
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        labels = self.labels()
        turn = len(history)
        shown = self.messages(history, labels)
        shown.append({"role": "user", "content": user_message(text)})
        thinking = '<span class="answer-meta">Searching the plan…</span>'
        yield shown + [{"role": "assistant", "content": thinking}], history, "", gr.skip()
        partial, final = "", None
        stream = self.assistant.ask_stream(text, history)
        try:
            for event in stream:
                if event["type"] == "reset":  # the draft so far is withdrawn (e.g. a fallback follows)
                    partial = ""
                elif event["type"] == "delta":
                    partial += event["text"]
                    streaming = [{"role": "assistant", "content": render_answer(partial, turn, labels)}]
                    yield shown + streaming, history, "", gr.skip()
                elif event["type"] == "answer":
                    final = event["answer"]
        except Exception:  # e.g. an LLM server that went away: say so, keep the conversation
            logger.exception("answering failed")
            failure = (
                '<span class="cite-flag">⚠ The answer could not be completed. Your question is back in the box: '
                "please try again in a moment.</span>"
            )
            yield shown + [{"role": "assistant", "content": failure}], history, text, gr.skip()
            return
        finally:
            # Stop (or a closed page) cancels this generator: close the answer's stream at once, so
            # that an LLM request in flight is ended rather than left to run to its timeout.
            close = getattr(stream, "close", None)
            if close:
                close()
        if final is None:
            return
        history = history + [final]
        yield self.messages(history, labels), history, "", self.sources(final, turn, labels)

    def open_citation(self, history: list[dict] | None, evt: gr.EventData) -> str:
        data = getattr(evt, "_data", None) or {}
        try:
            turn, ref = int(data["turn"]), int(data["ref"])
            answer = (history or [])[turn]
        except (KeyError, TypeError, ValueError, IndexError):
            return '<div class="task-view empty">That citation belongs to an earlier conversation.</div>'
        refs = answer_refs(answer.get("answer", ""), self.labels())
        if not 0 <= ref < len(refs):
            return '<div class="task-view empty">Unknown citation.</div>'
        label = refs[ref]
        all_citations = answer.get("citations") or []
        doc_ids = [c.get("doc_id", "") for c in all_citations]
        if label in self.details_labels:
            # (the document's own details: no passage to open, the details themselves are shown)
            details = [c for c in all_citations if self.citation_label(c, answer) == label]
            doc = self.docs().get(details[0].get("doc_id", "")) if details else None
            return details_view(label, details, doc)
        entry = find_entry(self.assistant.catalogue(), label, doc_ids)
        cited = citations_for(answer, label, entry)
        focus = None
        if "cit" in data and 0 <= int(data["cit"]) < len(all_citations):  # a chip of the sources panel
            focus = all_citations[int(data["cit"])]
        elif "occ" in data and cited:  # a chip in the answer: the quote that backs the statement before it
            text, occurrence, labels = answer.get("answer", ""), int(data["occ"]), self.labels()
            claim = claim_before(text, occurrence, labels)
            verified = not marker_is_unverified(text, occurrence, labels)
            candidates = [c for c in cited if bool(c.get("verified")) == verified] or cited
            focus = max(candidates, key=lambda c: lexical_support(claim, c.get("quote", ""))) if claim else None
        doc = self.docs().get(entry.source) if entry else None
        return task_view(entry, cited, label, doc, focus=focus if focus in cited else None)

    def retry(self, history: list[dict] | None, shown: list | None) -> Iterator[tuple]:
        """Answer the last question again (the chat's retry button): its answer is replaced.

        The last question shown may have no answer in ``history`` (it failed or was stopped): then
        that question is asked again, not the one before it."""
        history = list(history or [])
        asked = [m for m in shown or [] if _role(m) == "user"]
        if len(asked) > len(history):
            question = plain_question(_content(asked[-1]))
        elif history:
            question = str(history.pop().get("question", ""))
        else:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        yield from self.chat(question, history)

    def stopped(self, history: list[dict] | None, shown: list | None) -> tuple:
        """After Stop: the conversation as it was before the cancelled answer, its question back in the box."""
        history = list(history or [])
        asked = [m for m in shown or [] if _role(m) == "user"]
        question = plain_question(_content(asked[-1])) if len(asked) > len(history) else gr.skip()
        return self.messages(history, self.labels()), question

    def restore(self, saved: object, request: gr.Request) -> tuple:
        """After a reload: the conversation kept in the browser (localStorage), and the list of earlier ones.

        Outputs: chat, history, sources panel, earlier-conversations list.
        """
        stored = stored_conversations(saved, _user(request))
        history = stored["current"]
        past = _past_update(stored)
        if not history:
            return gr.skip(), gr.skip(), gr.skip(), past
        labels = self.labels()
        return self.messages(history, labels), history, self.sources(history[-1], len(history) - 1, labels), past

    def new_conversation(self, history: list[dict] | None, saved: object, request: gr.Request) -> tuple:
        """Start afresh; the conversation so far goes to the top of the earlier-conversations list.

        Outputs: chat, history, question box, sources panel, source viewer, stored conversations, list.
        """
        user = _user(request)
        stored = _archive(stored_conversations(saved, user), clean_history(history))
        viewer = '<div class="task-view empty">New conversation. Citations you click appear here.</div>'
        return [], [], "", sources_panel(None, 0, set()), viewer, _with_user(saved, user, stored), _past_update(stored)

    def open_past(self, choice: object, history: list[dict] | None, saved: object, request: gr.Request) -> tuple:
        """Reopen an earlier conversation (the current one is kept in the list in its place).

        Outputs: chat, history, sources panel, source viewer, stored conversations, list.
        """
        user = _user(request)
        stored = stored_conversations(saved, user)
        if not isinstance(choice, int) or not 0 <= choice < len(stored["past"]):
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        chosen = stored["past"].pop(choice)
        stored = _archive({**stored, "current": chosen}, clean_history(history))
        labels = self.labels()
        viewer = '<div class="task-view empty">Citations you click appear here.</div>'
        return (
            self.messages(chosen, labels),
            chosen,
            self.sources(chosen[-1], len(chosen) - 1, labels) if chosen else sources_panel(None, 0, set()),
            viewer,
            _with_user(saved, user, stored),
            _past_update(stored),
        )

    def feedback(self, history: list[dict] | None, evt: gr.LikeData) -> None:
        """Thumbs up/down on an answer, appended as one JSON line for the evaluation suite to read."""
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        turn = index // 2  # messages alternate: question, answer
        history = history or []
        if not 0 <= turn < len(history):
            logger.warning("feedback on message %s, which is not an answer of this conversation", evt.index)
            return
        answer = history[turn]
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "rating": "up" if evt.liked is True else "down" if evt.liked is False else "none",
            "question": answer.get("question", ""),
            "answer": answer.get("answer", ""),
            "tasks": [c.get("task") for c in answer.get("citations") or []],
            "generator": answer.get("generator", ""),
            "coverage": answer.get("coverage", ""),
        }
        try:
            self.feedback_file.parent.mkdir(parents=True, exist_ok=True)
            with self.feedback_file.open("a", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError:
            logger.exception("could not write feedback to %s", self.feedback_file)
            gr.Warning("Your feedback could not be saved; please try again later.")
            return
        logger.info("feedback %s on turn %d written to %s", record["rating"], turn, self.feedback_file)
        gr.Info("Thank you for your feedback.")

    # --- applies to me ----------------------------------------------------------------------

    def applies(self, description: str, activities: str, location: str, size: str, ownership: str):
        profile = EnterpriseProfile(
            description=description or "",
            activities=activities or "",
            location=location or "",
            size="" if size == NOT_STATED else size or "",
            ownership="" if ownership == NOT_STATED else ownership or "",
        )
        try:
            matches = self.assistant.applies_to(profile)
        except ProfileError as exc:
            gr.Warning(str(exc).capitalize())
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        catalogue = self.assistant.catalogue()
        objects = [_TaskMatch(**m) for m in matches]
        markdown, table = to_markdown(objects, profile), to_csv(objects)
        folder = self._export_dir()
        md_path, csv_path = folder / "policies-that-apply.md", folder / "policies-that-apply.csv"
        md_path.write_text(markdown, encoding="utf-8")
        csv_path.write_text(table, encoding="utf-8-sig")  # the BOM lets Excel read UTF-8
        return (
            profile_results(matches, catalogue),
            gr.update(visible=True),
            markdown,
            gr.update(value=str(md_path), visible=True),
            gr.update(value=str(csv_path), visible=True),
        )

    def _export_dir(self) -> Path:
        self.export_root.mkdir(parents=True, exist_ok=True)
        now = time.time()
        for old in self.export_root.iterdir():  # exports are copied into Gradio's cache when served
            try:
                if now - old.stat().st_mtime > _EXPORT_MAX_AGE_S:
                    shutil.rmtree(old, ignore_errors=True)
            except OSError:
                continue
        return Path(tempfile.mkdtemp(dir=self.export_root))

    # --- wording search ---------------------------------------------------------------------

    def wording_search(self, query: str, k: float, section: str, unit: str, area: str, exact: bool) -> str:
        """Results for the query and filters; never leaves an earlier query's results on screen."""
        query = norm_space(query or "")
        if not query:
            return '<div class="results empty">Type words or a "quoted phrase" to search the plan\'s wording.</div>'
        try:
            return self._wording_search(query, int(k), section, unit, area, exact)
        except QuestionError as exc:
            return f'<div class="results empty">{esc(self.question_problem(exc))}</div>'
        except Exception:
            logger.exception("wording search failed for %r", query)
            return '<div class="results empty">⚠ The search could not be completed; please try again.</div>'

    def _wording_search(self, query: str, k: int, section: str, unit: str, area: str, exact: bool) -> str:
        phrases = quoted_phrases(query)
        if exact and not phrases:
            phrases = [query.strip('"“”')]
        filters = {"section": _choice(section), "unit": _choice(unit), "area": _choice(area)}
        active = [f"{name}: {value}" for name, value in filters.items() if value]
        filtered = " · filtered by " + "; ".join(active) if active else ""
        docs = self.docs()
        if phrases:  # exhaustive: staff checking wording need every occurrence, not the top k
            hits = self.exact_search(phrases, **filters)
            shown = " + ".join(f'"{p}"' for p in phrases)
            if hits:
                note = f"{len(hits)} passage(s) contain the exact phrase {shown}"
                return search_results(hits, query, docs, phrases, note + filtered)
            # A near miss ("bill" for "bills"): offer the passages with the other word forms.
            near = self.exact_search(phrases, forms=True, **filters)
            if near:
                note = (
                    f"No passage contains the exact phrase {shown}. {len(near)} passage(s) contain it with other "
                    "word forms (singular or plural), highlighted below"
                )
                return search_results(near, query, docs, phrases, note + filtered, forms=True)
            hits = []
        else:
            hits = self.assistant.search(query, k=k, **filters)
            if hits:
                note = f"{len(hits)} best-matching passage(s); matched words are highlighted"
                return search_results(hits, query, docs, phrases, note + filtered)
        return no_results(phrases, active, self._unfiltered_count(query, phrases, k) if active else 0)

    def _unfiltered_count(self, query: str, phrases: list[str], k: int) -> int:
        """How many results the query has without filters (to tell whether a filter hides them)."""
        if phrases:
            return len(self.exact_search(phrases) or self.exact_search(phrases, forms=True))
        return len(self.assistant.search(query, k=k))

    def exact_search(
        self,
        phrases: list[str],
        section: str | None = None,
        unit: str | None = None,
        area: str | None = None,
        forms: bool = False,
    ) -> list[dict]:
        """Every passage containing all the phrases (exhaustive over the catalogue, not top-k).

        Retrieval ranks by meaning and may miss a literal phrase; staff checking wording need
        every occurrence, so this scans the catalogue's passages directly. ``forms``: match each
        word in singular or plural form too.
        """
        find = find_forms if forms else find_all
        catalogue = self.assistant.catalogue()
        if unit or area:
            entries = catalogue.filter(unit=unit, area=area, section=section)
        else:
            entries = [
                e
                for e in catalogue.entries
                if not section or section.lower() in e.section.lower() or section == e.section.split(".")[0]
            ]
        hits = []
        for entry in entries:
            text = norm_space(entry.text)
            counts = [len(find(text, p)) for p in phrases]
            if not all(counts):
                continue
            sentences = [s for s in entry.sentences if all(find(s, p) for p in phrases)]
            shown = " … ".join(sentences) if sentences else text
            hits.append(
                {
                    "task": entry.task,
                    "doc_id": entry.source,
                    "title": entry.title or entry.label,
                    "section": entry.section,
                    "score": float(sum(counts)),
                    "text": shown,
                    "_order": (-sum(counts), entry.task or 10_000),
                }
            )
        hits.sort(key=lambda h: h.pop("_order"))
        for hit in hits:
            hit.pop("score")  # occurrence counts are not comparable with fused retrieval scores
        return hits

    # --- task browser -----------------------------------------------------------------------

    def browse(self, unit: str, area: str, section: str) -> tuple[str, str]:
        catalogue = self.assistant.catalogue()
        entries = catalogue.filter(unit=_choice(unit), area=_choice(area), section=_choice(section))
        shown = {e.task for e in entries if e.task is not None}
        selected = catalogue.matching_units(unit) if _choice(unit) else []
        return task_list(entries, len(catalogue.tasks)), responsibility_matrix(catalogue, shown, selected)

    # --- documents --------------------------------------------------------------------------

    def document_rows(self) -> list[list]:
        rows = []
        for doc in self.assistant.documents():
            uploaded = is_upload(self.settings.corpus_dir / doc["doc_id"], self.settings)
            rows.append(
                [
                    doc.get("title", ""),
                    doc["doc_id"],
                    doc.get("file_type", ""),
                    doc.get("chunks", 0),
                    doc.get("issuer", ""),
                    doc.get("issued", ""),
                    "upload" if uploaded else "corpus",
                ]
            )
        return rows

    def removable(self) -> list[str]:
        return [row[1] for row in self.document_rows() if row[6] == "upload"]

    def documents_view(self, status: str = ""):
        removable = self.removable()
        return (
            self.document_rows(),
            self.status(),
            gr.update(choices=removable, value=None, interactive=bool(removable)),
            status,
        )

    def upload(
        self,
        files: list[str] | None,
        request: gr.Request | None = None,
        progress: gr.Progress = gr.Progress(track_tqdm=True),
    ):
        """Save the uploaded files, index them, and report per file; the File box is cleared.

        With login on, each file records who uploaded it: only they can remove it."""
        if not files:
            return (*self.documents_view(), None)
        lines, saved = [], []
        known = self.assistant.documents()
        progress(0.05, desc="Checking files")
        for path in files:
            try:
                upload = save_upload(
                    path, self.settings, Path(path).name, documents=known, owner=_user(request) or None
                )
            except UploadError as exc:
                lines.append(f'<li class="err">✗ {esc(user_words(exc))}</li>')
                continue
            saved.append(upload)
            known.append({"doc_id": upload.name, "sha256": upload.sha256})
        if saved:
            progress(0.2, desc="Indexing")
            try:
                report = self.assistant.add_documents([s.path for s in saved], progress=True)
            except Exception:  # the previous index generation stays current
                logger.exception("indexing uploads failed")
                for item in saved:
                    item.path.unlink(missing_ok=True)
                lines.append('<li class="err">✗ The documents could not be indexed; nothing was added.</li>')
            else:
                failed = {Path(e["file"]).resolve(): e["error"] for e in report.errors}
                for item in saved:
                    error = failed.get(item.path.resolve())
                    if error:  # unreadable after all: do not leave it lying in the upload folder
                        item.path.unlink(missing_ok=True)
                        logger.warning("upload %s could not be read: %s", item.path, error)
                        lines.append(f'<li class="err">✗ {esc(item.original_name)}: {esc(user_words(error))}</li>')
                    else:
                        lines.append(
                            f'<li class="ok">✓ {esc(item.original_name)} added'
                            + (f" as {esc(item.name)}" if item.name != item.original_name else "")
                            + "</li>"
                        )
        status = f'<ul class="doc-status">{"".join(lines)}</ul>'
        return (*self.documents_view(status), None)

    def remove(self, doc_id: str | None, request: gr.Request | None = None):
        if not doc_id:
            return self.documents_view('<div class="doc-status">Choose an uploaded document to remove.</div>')
        try:
            self.assistant.remove_document(doc_id, user=_user(request) or None)
        except UploadError as exc:
            return self.documents_view(f'<div class="doc-status err">✗ {esc(user_words(exc))}</div>')
        return self.documents_view(f'<div class="doc-status ok">✓ {esc(doc_id)} removed from the index.</div>')

    # --- API endpoints ----------------------------------------------------------------------

    def api_ask(self, question: str = "") -> dict:
        """Answer a question about the plan; returns the answer JSON (answer, citations, refused, generator)."""
        try:
            return self.assistant.ask(question if isinstance(question, str) else "")
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc

    def api_search(self, query: str = "", k: int = 5) -> list[dict]:
        """Ranked passages of the plan for a wording search."""
        try:
            # k as sent: Assistant.search refuses anything but a whole number (not "5", 2.5 or True).
            return self.assistant.search(query if isinstance(query, str) else "", k=k)
        except QuestionError as exc:
            raise gr.Error(str(exc)) from exc

    def api_applies_to(self, description: str, location: str = "", size: str = "", ownership: str = "") -> list[dict]:
        """Tasks of the plan that apply to an enterprise, ranked, each with a reason quoted from the task."""
        try:
            return self.assistant.applies_to(
                {"description": description, "location": location, "size": size, "ownership": ownership}
            )
        except ProfileError as exc:
            raise gr.Error(str(exc)) from exc


def _example_text(evt: gr.SelectData) -> str:
    return evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)


def _role(message: object) -> str:
    return message.get("role", "") if isinstance(message, dict) else getattr(message, "role", "")


def _content(message: object) -> str:
    content = message.get("content", "") if isinstance(message, dict) else getattr(message, "content", "")
    if isinstance(content, list):  # Gradio 6 may hand messages back as a list of content parts
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


MAX_PAST_CONVERSATIONS = 20


def _user(request: gr.Request | None) -> str:
    """Who is logged in ("" without a login): each user of a shared browser has their own conversations."""
    return str(getattr(request, "username", None) or "")


def _with_user(saved: object, user: str, stored: dict) -> dict:
    """The browser's whole value with ``user``'s conversations replaced by ``stored``."""
    users = saved.get("users") if isinstance(saved, dict) else None
    users = dict(users) if isinstance(users, dict) else {}
    users[user] = stored
    return {"users": users}


def stored_conversations(value: object, user: str = "") -> dict:
    """One user's conversations as the browser keeps them: ``{"current": [answers], "past":
    [[answers], ...]}`` (newest first), under ``{"users": {name: ...}}`` ("" without a login).

    Anything else in storage (an older format, a value edited by hand) is read leniently."""
    if isinstance(value, dict) and isinstance(value.get("users"), dict):
        value = value["users"].get(user)
    elif user:  # a value from before logins were told apart belongs to no logged-in user
        value = None
    if isinstance(value, list):  # the first format: the current conversation only
        return {"current": clean_history(value), "past": []}
    if not isinstance(value, dict):
        return {"current": [], "past": []}
    past = [clean_history(turns) for turns in value.get("past") or [] if isinstance(turns, list)]
    return {"current": clean_history(value.get("current")), "past": [p for p in past if p]}


def conversation_title(turns: list[dict]) -> str:
    """A conversation as the list shows it: its first question, and how many questions it has."""
    first = " ".join(str(turns[0].get("question", "")).split()) if turns else ""
    first = first if len(first) <= 60 else first[:59] + "…"
    return f"{first} ({len(turns)} question{'' if len(turns) == 1 else 's'})"


def _archive(stored: dict, history: list[dict]) -> dict:
    """``stored`` with ``history`` put on top of the earlier conversations and an empty current one."""
    past = ([history] if history else []) + stored["past"]
    return {"current": [], "past": past[:MAX_PAST_CONVERSATIONS]}


def _past_update(stored: dict) -> dict:
    choices = [(conversation_title(turns), index) for index, turns in enumerate(stored["past"])]
    return gr.update(choices=choices, value=None, interactive=bool(choices))


def _keep(history: list[dict], saved: object, request: gr.Request) -> dict:
    user = _user(request)
    return _with_user(saved, user, {**stored_conversations(saved, user), "current": history})


def _busy() -> tuple:
    return gr.update(visible=False), gr.update(visible=True)


def _idle() -> tuple:
    return gr.update(visible=True), gr.update(visible=False)


def _storage_secret(index_dir: Path) -> str:
    """A key for the browser-stored conversation that survives restarts (Gradio's default is random
    per process, which would make every saved conversation unreadable after a restart)."""
    return hashlib.sha256(f"policy-assistant:{index_dir.resolve()}".encode()).hexdigest()[:32]


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole UI over ``assistant``; launch it with :func:`launch` (which adds theme and CSS)."""
    h = _Handlers(assistant)
    catalogue = assistant.catalogue()
    sections = [ALL] + catalogue.sections
    units = [ALL] + catalogue.units
    areas = [ALL] + catalogue.areas
    main_areas = ["Lin-gang Special Area", "Pudong New Area", "Hongqiao International Central Business District"]
    locations = (
        [""] + [a for a in main_areas if a in catalogue.areas] + [a for a in catalogue.areas if a not in main_areas]
    )
    locations.append(ANOTHER_DISTRICT)
    private = {"api_visibility": "private"}

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        with gr.Row(elem_classes="app-header"):
            gr.Markdown(t("header"), elem_id="app-title")  # translated in the browser, like the labels
        status = gr.HTML(h.status(), elem_id="status-line")

        # Tabs wrap onto a second row on a phone instead of hiding behind an unlabelled "⋯" menu.
        with gr.Tabs(overflow_behavior="wrap", elem_id="tabs"):
            # --- Ask ---------------------------------------------------------------------
            with gr.Tab(t("tab_ask"), id="ask"):
                history = gr.State([])
                # The conversation survives a reload in this browser's localStorage (encrypted by
                # Gradio with a key that stays the same across restarts of this deployment).
                saved = gr.BrowserState(
                    {"users": {}},
                    storage_key=CONVERSATION_KEY,
                    secret=_storage_secret(assistant.settings.index_dir),
                )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(
                            elem_id="chat",
                            label="Conversation",
                            show_label=False,  # the floating label would cover the first line of the chat
                            height=560,
                            latex_delimiters=[],  # "$260 billion ... $130 billion" is money, not maths
                            sanitize_html=True,
                            allow_tags=False,
                            feedback_options=("Like", "Dislike"),
                            buttons=[],  # copying is the answer's own "Copy" (clean text, not HTML)
                            examples=[{"text": q} for q in EXAMPLE_QUESTIONS],
                            placeholder="<b>Ask about the plan</b><br>Answers quote the plan and cite its tasks; "
                            "click a citation to read the task.",
                        )
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(
                                elem_id="question",
                                show_label=False,
                                placeholder=t("question_placeholder"),
                                lines=1,
                                max_lines=4,
                                scale=6,
                            )
                            send = gr.Button(t("ask"), variant="primary", scale=1, min_width=80, elem_id="send")
                            stop = gr.Button(
                                t("stop"), variant="stop", scale=1, min_width=80, elem_id="stop", visible=False
                            )
                            new_chat = gr.Button(
                                t("new_chat"), variant="secondary", scale=1, min_width=190, elem_id="new-chat"
                            )
                        past = gr.Dropdown(
                            [],
                            value=None,
                            label=t("past"),
                            interactive=False,
                            elem_id="past-chats",
                        )
                    with gr.Column(scale=2):
                        viewer = gr.HTML(
                            '<div class="task-view empty">Click a citation such as <span class="chip">Task 8</span> '
                            "in an answer to read the task's full text here, with the supporting sentence "
                            "highlighted.</div>",
                            js_on_load=_asset("bridge.js"),
                            elem_id="task-viewer",
                            container=True,
                            padding=True,
                            label=t("source"),
                        )
                        sources = gr.HTML(
                            sources_panel(None, 0, set()), elem_id="sources", container=True, padding=True
                        )

                chat_outputs = [chatbot, history, question, sources]
                busy = {"fn": _busy, "inputs": None, "outputs": [send, stop], "show_progress": "hidden", **private}
                idle = {"fn": _idle, "inputs": None, "outputs": [send, stop], "show_progress": "hidden", **private}
                ask = {"fn": h.chat, "inputs": [question, history], "outputs": chat_outputs, "concurrency_id": "answer"}
                answering = [
                    send.click(**busy).then(**ask, **private),
                    question.submit(**busy).then(**ask, **private),
                    chatbot.example_select(_example_text, None, question, **private)
                    .then(**busy)
                    .then(**ask, **private),
                    chatbot.retry(**busy).then(
                        h.retry, [history, chatbot], chat_outputs, concurrency_id="answer", **private
                    ),
                ]
                for event in answering:  # keep the conversation in the browser, then offer Ask again
                    event.then(_keep, [history, saved], saved, show_progress="hidden", **private).then(**idle)
                # Stop cancels the running answer (with an LLM, its request is closed with the stream).
                stop.click(h.stopped, [history, chatbot], [chatbot, question], cancels=answering, **private).then(
                    **idle
                )
                chatbot.like(h.feedback, [history], None, **private)
                viewer.click(h.open_citation, [history], viewer, **private)
                for clear in (new_chat.click, chatbot.clear):  # the chat's own bin icon must forget the context too
                    clear(h.new_conversation, [history, saved], [*chat_outputs, viewer, saved, past], **private)
                past.input(
                    h.open_past, [past, history, saved], [chatbot, history, sources, viewer, saved, past], **private
                )
                demo.load(h.restore, [saved], [chatbot, history, sources, past], show_progress="hidden", **private)

            # --- Applies to me -----------------------------------------------------------
            with gr.Tab(t("tab_applies"), id="applies"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=2):
                        description = gr.Textbox(
                            label=t("describe"),
                            placeholder=t("describe_placeholder"),
                            lines=4,
                            elem_id="profile-description",
                        )
                        activities = gr.Textbox(
                            label=t("activities"),
                            placeholder=t("activities_placeholder"),
                            elem_id="profile-activities",
                        )
                        location = gr.Dropdown(
                            locations,
                            value="",
                            label=t("location"),
                            elem_id="profile-location",
                            allow_custom_value=False,
                        )
                        with gr.Row():
                            size = gr.Radio(
                                [NOT_STATED, *SIZES], value=NOT_STATED, label=t("size"), elem_id="profile-size"
                            )
                            ownership = gr.Radio(
                                [NOT_STATED, *OWNERSHIPS],
                                value=NOT_STATED,
                                label=t("ownership"),
                                elem_id="profile-ownership",
                            )
                        find = gr.Button(t("find"), variant="primary", elem_id="profile-find")
                        gr.Examples(
                            [list(example[1:]) for example in PROFILE_EXAMPLES],
                            [description, activities, location, size, ownership],
                            label=t("profile_examples"),
                            example_labels=[example[0] for example in PROFILE_EXAMPLES],
                        )
                    with gr.Column(scale=3):
                        with gr.Row():
                            download_md = gr.DownloadButton(t("download_md"), visible=False, size="sm")
                            download_csv = gr.DownloadButton(t("download_csv"), visible=False, size="sm")
                        with gr.Accordion(t("copy_md"), open=False, visible=False) as copy_box:
                            profile_md = gr.Code(language="markdown", show_label=False, interactive=False, lines=8)
                        profile_out = gr.HTML(
                            '<div class="results empty">Describe your enterprise and press <b>Find the policies that '
                            "apply</b>: you get the plan's tasks ranked for you, each with the sentence of the plan "
                            "that makes it relevant and the units to contact.</div>",
                            elem_id="profile-results",
                        )
                find.click(
                    h.applies,
                    [description, activities, location, size, ownership],
                    [profile_out, copy_box, profile_md, download_md, download_csv],
                    concurrency_id="answer",
                    **private,
                )

            # --- Wording search ----------------------------------------------------------
            with gr.Tab(t("tab_search"), id="search"):
                with gr.Row():
                    query = gr.Textbox(
                        show_label=False,
                        placeholder=t("search_placeholder"),
                        scale=6,
                        elem_id="search-query",
                    )
                    search_btn = gr.Button(t("search"), variant="primary", scale=1, min_width=80, elem_id="search-go")
                with gr.Row():
                    section_f = gr.Dropdown(sections, value=ALL, label=t("section"), scale=2, elem_id="search-section")
                    unit_f = gr.Dropdown(units, value=ALL, label=t("unit"), scale=2, elem_id="search-unit")
                    area_f = gr.Dropdown(areas, value=ALL, label=t("area"), scale=2, elem_id="search-area")
                    k_f = gr.Slider(1, 23, value=8, step=1, label=t("results"), scale=2, min_width=200)
                    exact_f = gr.Checkbox(label=t("exact"), value=False, scale=1, info=t("exact_info"))
                search_out = gr.HTML(elem_id="search-results")
                search_inputs = [query, k_f, section_f, unit_f, area_f, exact_f]
                search_btn.click(h.wording_search, search_inputs, search_out, **private)
                query.submit(h.wording_search, search_inputs, search_out, **private)
                # A changed filter applies at once (results of the old filters must not stay on screen).
                for control in (section_f, unit_f, area_f, exact_f):
                    control.input(h.wording_search, search_inputs, search_out, **private)
                k_f.release(h.wording_search, search_inputs, search_out, **private)

            # --- Task browser ------------------------------------------------------------
            with gr.Tab(t("tab_tasks"), id="tasks"):
                with gr.Row():
                    b_unit = gr.Dropdown(units, value=ALL, label=t("unit"), scale=2, elem_id="task-browser-unit")
                    b_area = gr.Dropdown(areas, value=ALL, label=t("area"), scale=2)
                    b_section = gr.Dropdown(sections, value=ALL, label=t("section"), scale=2)
                task_out, matrix_out = h.browse(ALL, ALL, ALL)
                with gr.Accordion(t("matrix"), open=True):
                    gr.Markdown(
                        "● marks a responsible unit; columns are the 23 tasks grouped by section (I–VI); "
                        "columns outside the filters are faded. Hover a dot for the task's title."
                    )
                    matrix_html = gr.HTML(matrix_out, elem_id="task-matrix")
                tasks_html = gr.HTML(task_out, elem_id="task-list")
                for control in (b_unit, b_area, b_section):
                    control.change(h.browse, [b_unit, b_area, b_section], [tasks_html, matrix_html], **private)

            # --- Documents ---------------------------------------------------------------
            with gr.Tab(t("tab_documents"), id="documents"):
                limit_mb = assistant.settings.max_upload_bytes / 1024 / 1024
                docs_table = gr.Dataframe(
                    h.document_rows(),
                    headers=["Title", "Document", "Type", "Passages", "Issuer", "Issued", "Origin"],
                    datatype=["str", "str", "str", "number", "str", "str", "str"],
                    interactive=False,
                    wrap=True,
                    # Pixels, not percentages: on a phone the table scrolls sideways instead of
                    # squeezing each column to a letter per line.
                    column_widths=["330px", "240px", "56px", "84px", "250px", "100px", "80px"],
                    label=t("indexed_documents"),
                    elem_id="documents-table",
                )
                with gr.Row(equal_height=False):
                    with gr.Column():
                        files = gr.File(
                            label=f"Add documents ({', '.join(s[1:] for s in ALLOWED_SUFFIXES)}; up to "
                            f"{limit_mb:.0f} MB each) — indexed as soon as they are uploaded",
                            file_count="multiple",
                            file_types=list(ALLOWED_SUFFIXES),
                            type="filepath",
                            elem_id="upload",
                        )
                    with gr.Column():
                        removable = h.removable()
                        remove_choice = gr.Dropdown(
                            removable,
                            value=None,
                            label=t("remove_choice"),
                            info=t("remove_info"),
                            interactive=bool(removable),
                            elem_id="remove-choice",
                        )
                        remove_btn = gr.Button(t("remove"), variant="stop", size="sm", elem_id="remove")
                doc_status = gr.HTML(elem_id="doc-status")
                doc_outputs = [docs_table, status, remove_choice, doc_status]
                files.upload(
                    h.upload,
                    [files],
                    [*doc_outputs, files],
                    show_progress_on=[doc_status],  # one progress bar, where the result will appear
                    concurrency_id="index-writer",
                    concurrency_limit=1,
                    **private,
                )
                remove_btn.click(
                    h.remove,
                    [remove_choice],
                    doc_outputs,
                    show_progress_on=[doc_status],
                    js="(doc) => (doc && confirm('Remove ' + doc + ' from the index?')) ? doc : null",
                    concurrency_id="index-writer",
                    concurrency_limit=1,
                    **private,
                )

        # The status line, document list and choices may have changed since the page was built.
        demo.load(h.documents_view, None, doc_outputs, show_progress="hidden", **private)
        # Focus the question box on wide screens only: on a phone, focusing scrolls the page past the
        # header and opens the keyboard before the user has read anything.
        demo.load(None, js=_FOCUS_QUESTION_JS)

        gr.api(h.api_ask, api_name="ask")
        gr.api(h.api_search, api_name="search")
        gr.api(h.api_applies_to, api_name="applies_to")
    return demo


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """``"user:pass,user2:pass2"`` -> [("user", "pass"), ...]; None when unset."""
    if not value or not value.strip():
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user or not password:
            raise ValueError(f"{AUTH_ENV} must be 'user:password' pairs separated by commas, got {item.strip()!r}")
        pairs.append((user, password))
    return pairs


def launch(demo: gr.Blocks, settings, **kwargs):
    """Queue and launch ``demo`` with the app's theme, CSS, upload limit and queue settings."""
    concurrency = int(os.environ.get(CONCURRENCY_ENV, "4"))
    # Several users at once: up to `concurrency` answers run in parallel, the rest wait in line.
    demo.queue(default_concurrency_limit=concurrency, max_size=max(16, concurrency * 16))
    kwargs.setdefault("server_name", os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    kwargs.setdefault("show_error", True)
    return demo.launch(
        theme=_theme(),
        css=_asset("style.css"),
        i18n=I18N,  # interface labels in English or Chinese, following the browser's language
        max_file_size=settings.max_upload_bytes,
        **kwargs,
    )


def serve() -> None:
    """``python app.py`` / ``policy-assistant serve``: build the index if needed, then serve the UI."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no network calls at run time
    auth = parse_auth(os.environ.get(AUTH_ENV))
    assistant = Assistant()
    logger.info("loading the index and models (the first run builds the index from %s)", assistant.settings.corpus_dir)
    assistant.warm_up()
    demo = build_app(assistant)
    launch(
        demo,
        assistant.settings,
        auth=ThrottledLogin(auth) if auth else None,
        auth_message="Staff login for the policy assistant" if auth else None,
    )
