"""The bad-input catalogue: every case gets a clear error, the process keeps working, the index is unchanged.

Three front doors: the Python API (in this process), the CLI (`python -m assistant ...` in a
subprocess) and the Gradio API (`/ask` through gradio_client, against the real app on loopback).
Each case asserts (1) the error a user sees, (2) that the index is exactly as before (manifest
generation, chunk count in the manifest and in Chroma, sources, collections) and (3) that the
same process still answers afterwards. Hostile files are built here with the real libraries
(pypdf, python-docx, zipfile); nothing is mocked. The catalogue is listed in docs/reliability.md.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.api import Assistant, QuestionError
from assistant.index import IndexStore
from tests.conftest import PLAN_FILE, make_settings
from tests.docfactory import write_docx, write_encrypted_pdf, write_pdf
from tests.servers import free_port, running_app

HUNDRED_KB = ("What does the plan say about cross-border data? " * 2200)[:102_400]
SECRET = "sk-test-DO-NOT-LEAK-4f9a1c"


# --- the index under test and its fingerprint ------------------------------------------------


@pytest.fixture(scope="module")
def bad_settings(tmp_path_factory):
    """A private index (never the shared one): these tests try to damage it."""
    tmp = tmp_path_factory.mktemp("bad_input")
    settings = make_settings(tmp)
    IndexStore(settings).ingest(progress=False)
    return settings


@pytest.fixture(scope="module")
def api(bad_settings) -> Assistant:
    assistant = Assistant(bad_settings, auto_ingest=False)
    assistant.warm_up()
    return assistant


def fingerprint(store: IndexStore) -> dict:
    """Everything a bad input could change: current generation, chunk counts, sources, collections."""
    manifest = store.manifest()
    names = sorted(c if isinstance(c, str) else c.name for c in store.client.list_collections())
    return {
        "generation": manifest.generation,
        "manifest_chunks": manifest.chunk_count,
        "chroma_chunks": store.collection(manifest).count(),
        "sources": sorted(manifest.sources),
        "collections": names,
    }


def still_works(assistant: Assistant) -> None:
    """The same process answers a semantic search and a task question after the bad input."""
    hits = assistant.search("attracting digital trade enterprises and platforms", k=3)
    assert hits and all(h["text"] for h in hits)
    answer = assistant.ask("What does task 3 say?")
    assert not answer["refused"] and answer["citations"][0]["task"] == 3


@pytest.fixture
def unchanged(api):
    """Asserts, after the test body, that the index is exactly as before and the process still answers."""
    before = fingerprint(api.store)
    yield
    assert fingerprint(api.store) == before
    still_works(api)


# --- Python API: questions ---------------------------------------------------------------------


@dataclass
class Refused:
    """The call raises QuestionError whose message contains ``says``."""

    says: str


@dataclass
class Answers:
    """The call returns an answer: cited tasks include ``task`` (or refused, if ``refused``)."""

    task: int | None = None
    refused: bool = False
    says: str = ""


QUESTION_CASES = {
    "empty": ("", Refused("empty")),
    "whitespace": (" \t\n\r\u3000 ", Refused("empty")),
    "zero-width-only": ("\u200b\u200d\ufeff\u2060", Refused("empty")),
    "control-chars-only": ("\x00\x07\x08\x1b\x7f", Refused("empty")),
    "100kb": (HUNDRED_KB, Refused("limit is 2000")),
    "not-text-none": (None, Refused("must be text")),
    "not-text-bytes": (b"What does task 3 say?", Refused("must be text")),
    "not-text-number": (42, Refused("must be text")),
    "control-chars-inside": ("What does\x00 task\x1b 12\r\n say?\x07", Answers(task=12)),
    "bidi-override": ("\u202eWhat does task 5 say?\u202c", Answers(task=5)),
    "lone-surrogates": ("\udcff\udcfe What does task 7 say?", Answers(task=7)),
    "mixed-scripts": ("What does task 12 say about 金融保险 and страхование (التأمين)?", Answers(task=12)),
    "mostly-chinese": ("数字贸易的跨境数据流动有哪些政策？", Answers(task=20)),
    "html-script": ('<script>alert("x")</script><img src=x onerror=alert(1)> What does task 5 say?', Answers(task=5)),
    "sql-looking": ("'; DROP TABLE embeddings; -- SELECT * FROM collections WHERE 1=1", Answers(refused=True)),
    "nonexistent-task": ("What does task 999 say?", Answers(refused=True, says="no task 999")),
}


@pytest.mark.parametrize("case", list(QUESTION_CASES), ids=list(QUESTION_CASES))
def test_api_question(case, api, unchanged):
    question, expected = QUESTION_CASES[case]
    if isinstance(expected, Refused):
        with pytest.raises(QuestionError, match=expected.says):
            api.ask(question)
        with pytest.raises(QuestionError, match=expected.says):
            api.search(question)
        with pytest.raises(QuestionError, match=expected.says):
            next(iter(api.ask_stream(question)))
        return
    answer = api.ask(question)
    json.dumps(answer, ensure_ascii=False).encode("utf-8")  # serialisable as UTF-8 (no lone surrogates)
    assert answer["refused"] is expected.refused
    assert expected.says in answer["answer"]
    if expected.task is not None:
        assert answer["citations"][0]["task"] == expected.task and all(c["verified"] for c in answer["citations"])
    if expected.refused:
        assert answer["citations"] == []
    # Hostile markup and control characters are never passed through into what a front end shows.
    assert "<script" not in answer["answer"] and "onerror" not in answer["answer"]
    assert not any(ch in answer["question"] for ch in "\x00\x1b\x07\u202e\udcff")
    assert api.search(question, k=3) is not None


def test_api_search_filters_and_k(api, unchanged):
    # SQL, wildcard and regex syntax in filters match nothing; they are neither executed nor expanded.
    for value in ("' OR '1'='1' --", "%", "*", ".*", "(", "\\"):
        assert api.search("data", unit=value) == []
        assert api.search("data", area=value) == []
        assert api.tasks(unit=value) == [] and api.tasks(area=value) == []
    for k in (0, -1, "5", True, 2.5):
        with pytest.raises(QuestionError, match="k must be"):
            api.search("cross-border data", k=k)


def test_api_malformed_history(api, unchanged):
    # A client-supplied conversation history of the wrong shape is ignored, not a crash.
    for history in ([None, "text", 5], "not a list", [{"citations": "x"}], [{"citations": [None, {"task": "x"}]}]):
        answer = api.ask("Who is responsible for it?", history=history)
        assert answer["refused"] in (True, False) and isinstance(answer["answer"], str)


# --- Python API: files ----------------------------------------------------------------------------


def _text_pdf_bytes(tmp: Path) -> bytes:
    """A valid PDF with text, rewritten by pypdf (so the corrupt variants start from pypdf's output)."""
    from pypdf import PdfReader, PdfWriter

    source = write_pdf(tmp / "source.pdf", ["Article 1 The harbour crane notice applies to port operators."])
    writer = PdfWriter(clone_from=PdfReader(source))
    out = io.BytesIO()
    writer.write(out)
    source.unlink()
    return out.getvalue()


def _bomb_docx(path: Path) -> Path:
    """A real .docx whose document.xml inflates to 300 MB of zeros from ~300 KB on disk."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(zeros)
    return path


def _entity_bomb_docx(path: Path) -> Path:
    """A valid docx whose document.xml declares the "billion laughs" entity expansion."""
    source = write_docx(path.with_name("plain.docx"), "Notice", ["Article 1 PLACEHOLDER."])
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                declaration_end = text.index("?>") + 2
                text = text[:declaration_end] + f"\n<!DOCTYPE lolz [{entities}]>" + text[declaration_end:]
                data = text.replace("PLACEHOLDER", "&lol9;").encode("utf-8")
            bomb.writestr(info, data)
    source.unlink()
    return path


def _open_fifo_writer(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # gives a blocked reader end-of-file
    except OSError:
        pass  # no reader waiting (the correct behaviour), or no FIFO in this case


def _make(case: str, tmp: Path, settings) -> tuple[list[Path | str], str]:
    """Build the hostile input for ``case``; returns (paths to ingest, expected error fragment)."""
    rng = random.Random(case)
    noise = bytes(rng.randrange(256) for _ in range(50_000))
    if case == "binary-as-txt":
        (tmp / "notice.txt").write_bytes(noise + b"\0")
        return [tmp / "notice.txt"], "binary content"
    if case == "binary-as-md-no-nul":
        (tmp / "notice.md").write_bytes(bytes(b for b in noise if b) + b"\xff")
        return [tmp / "notice.md"], "neither UTF-8 nor GB18030"
    if case == "png-as-html":
        (tmp / "page.html").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + noise)
        return [tmp / "page.html"], "binary content"
    if case == "binary-as-pdf":
        (tmp / "report.pdf").write_bytes(noise)
        return [tmp / "report.pdf"], "not a readable pdf"
    if case == "binary-as-docx":
        (tmp / "report.docx").write_bytes(noise)
        return [tmp / "report.docx"], "not a zip archive"
    if case == "corrupt-pdf-truncated":
        (tmp / "cut.pdf").write_bytes(_text_pdf_bytes(tmp)[:300])
        return [tmp / "cut.pdf"], "not a readable pdf|no text could be extracted"
    if case == "corrupt-pdf-garbled":
        data = bytearray(_text_pdf_bytes(tmp))
        data[20:-30] = bytes(rng.randrange(256) for _ in range(len(data) - 50))
        (tmp / "garbled.pdf").write_bytes(bytes(data))
        return [tmp / "garbled.pdf"], "not a readable pdf|no text could be extracted"
    if case == "pdf-without-text":
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=612, height=842)
        with (tmp / "scan.pdf").open("wb") as handle:
            writer.write(handle)
        return [tmp / "scan.pdf"], "no text could be extracted"
    if case == "encrypted-pdf":
        return [write_encrypted_pdf(tmp / "locked.pdf", password="s3cret")], "encrypted"
    if case == "decompression-bomb-docx":
        return [_bomb_docx(tmp / "bomb.docx")], "decompression bomb"
    if case == "entity-bomb-docx":
        return [_entity_bomb_docx(tmp / "laughs.docx")], "not a readable docx"
    if case == "oversized-file":
        with (tmp / "huge.txt").open("wb") as handle:  # sparse: 60 MB on paper, nothing on disk
            handle.truncate(60 * 1024 * 1024)
        return [tmp / "huge.txt"], "larger than"
    if case == "empty-file":
        (tmp / "empty.md").write_bytes(b"")
        return [tmp / "empty.md"], "file is empty"
    if case == "unsupported-types":
        paths = []
        for name in ("setup.exe", "minutes.doc", "budget.xlsx", "bundle.zip", "README"):
            (tmp / name).write_bytes(b"MZ" + noise[:1000])
            paths.append(tmp / name)
        return paths, "unsupported file type"
    if case == "path-traversal":
        corpus = settings.corpus_dir
        return [
            corpus / ".." / ".." / ".." / ".." / ".." / "etc" / "passwd",
            Path("/proc/self/environ"),  # the process environment: API keys must never be indexed
            corpus / ".." / ".." / "no-such-dir" / "secret.txt",
        ], "unsupported file type|cannot read file"
    if case == "fifo-named-txt":
        os.mkfifo(tmp / "pipe.txt")  # reading it would block forever
        return [tmp / "pipe.txt"], "not a regular file"
    if case == "device-symlink":
        (tmp / "zeros.md").symlink_to("/dev/zero")  # endless input
        return [tmp / "zeros.md"], "unsupported file type|not a regular file"
    if case == "non-utf8-file-name":
        path = Path(os.fsdecode(os.fsencode(tmp) + b"/\xff\xfenotice.txt"))  # e.g. a GBK name from a zip
        path.write_text("Article 1 The harbour crane notice applies to all port operators.", encoding="utf-8")
        return [path], "not valid UTF-8"
    if case == "duplicate-content":
        copy = tmp / "copy-of-plan.txt"
        shutil.copyfile(settings.corpus_dir / PLAN_FILE, copy)
        return [copy], "duplicate"
    if case == "path-as-bare-string":
        (tmp / "blob.txt").write_bytes(b"\0\1\2" * 100)
        return str(tmp / "blob.txt"), "binary content"  # type: ignore[return-value]
    raise AssertionError(case)


FILE_CASES = [
    "binary-as-txt",
    "binary-as-md-no-nul",
    "png-as-html",
    "binary-as-pdf",
    "binary-as-docx",
    "corrupt-pdf-truncated",
    "corrupt-pdf-garbled",
    "pdf-without-text",
    "encrypted-pdf",
    "decompression-bomb-docx",
    "entity-bomb-docx",
    "oversized-file",
    "empty-file",
    "unsupported-types",
    "path-traversal",
    "fifo-named-txt",
    "device-symlink",
    "non-utf8-file-name",
    "duplicate-content",
    "path-as-bare-string",
]


@pytest.mark.parametrize("case", FILE_CASES)
def test_api_ingest_bad_file(case, api, bad_settings, tmp_path, unchanged):
    paths, expected = _make(case, tmp_path, bad_settings)
    # If a regression ever reads the FIFO, unblock it after a while so the test fails instead of hanging.
    unblock = threading.Timer(20, _open_fifo_writer, args=[tmp_path / "pipe.txt"])
    unblock.daemon = True
    unblock.start()
    try:
        report = api.ingest(paths)
    finally:
        unblock.cancel()
    assert not report.changed and not report.added and not report.updated and not report.removed
    assert report.unchanged == [PLAN_FILE]
    count = 1 if isinstance(paths, str) else len(paths)
    assert len(report.errors) == count, report.errors
    for error in report.errors:
        assert re.search(expected, error["error"]), error  # the reason, in words a user understands
        assert error["file"]  # and which file it was


def test_api_reingesting_the_same_file_is_idempotent(api, bad_settings, unchanged):
    # The counterpart of the duplicate case: the same file again is not an error and changes nothing.
    report = api.ingest([bad_settings.corpus_dir / PLAN_FILE])
    assert report.unchanged == [PLAN_FILE] and not report.errors and not report.changed


# --- CLI (a subprocess per call, like a user at a terminal) -----------------------------------


def _cli(settings, tmp: Path, *args: str | bytes, stdin: str | None = None, **env_extra: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_CORPUS_DIR=str(settings.corpus_dir),
        ASSISTANT_INDEX_DIR=str(settings.index_dir),
        HF_HUB_OFFLINE="1",
        **env_extra,
    )
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin.encode("utf-8") if stdin is not None else None,
        env=env,
        cwd=tmp,
        capture_output=True,
        timeout=180,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ask", ""], "the question is empty"),
        (["ask", "   ", "\t"], "the question is empty"),
        (["ask", HUNDRED_KB], "the limit is 2000"),
        (["search", "-k", "0", "cross-border data"], "k must be"),
    ],
    ids=["empty", "whitespace", "100kb", "k-zero"],
)
def test_cli_rejects_bad_questions(args, says, api, bad_settings, tmp_path, unchanged):
    result = _cli(bad_settings, tmp_path, *args)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and stderr.startswith("error: ") and says in stderr and "Traceback" not in stderr
    assert result.stdout == b""


def test_cli_jsonl_batch_survives_bad_lines(api, bad_settings, tmp_path, unchanged):
    lines = [
        "",
        "   ",
        json.dumps({"q": ""}),
        "{not json",
        json.dumps({"q": 5}),
        HUNDRED_KB,
        json.dumps({"q": "What does\u0000 task\u001b 12 say?"}),
        "<script>alert(1)</script> What does task 5 say?",
        "'; DROP TABLE embeddings; --",
        "What does task 12 say about 金融保险 and страхование?",
        "What does task 3 say?",
    ]
    result = _cli(bad_settings, tmp_path, "ask", "--jsonl", stdin="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert result.returncode == 1  # some lines failed; the batch says so
    assert len(out) == 9  # one line out per non-blank line in, the blank ones skipped
    errors = [o for o in out if "error" in o]
    assert [e["error"] for e in errors] == [
        "the question is empty: type a question about the plan",
        errors[1]["error"],
        "the question must be text",
        errors[3]["error"],
    ]
    assert "Expecting property name" in errors[1]["error"] and "limit is 2000" in errors[3]["error"]
    answers = [o for o in out if "error" not in o]
    assert [a["citations"][0]["task"] if a["citations"] else None for a in answers] == [12, 5, None, 12, 3]
    assert answers[2]["refused"] and "\u0000" not in answers[0]["question"]


def test_cli_ingest_of_hostile_files(api, bad_settings, tmp_path, unchanged):
    before = fingerprint(api.store)
    cases = ["binary-as-pdf", "encrypted-pdf", "decompression-bomb-docx", "fifo-named-txt", "unsupported-types"]
    paths: list[Path] = []
    for case in cases:
        folder = tmp_path / case
        folder.mkdir()
        made, _ = _make(case, folder, bad_settings)
        paths.extend(made)
    result = _cli(bad_settings, tmp_path, "ingest", "--json", *map(str, paths))
    report = json.loads(result.stdout)
    assert result.returncode == 1  # files the user named were not indexed: scripts must see that
    assert report["generation"] == before["generation"] and report["chunks"] == before["manifest_chunks"]
    assert report["unchanged"] == [PLAN_FILE] and not report["added"] and not report["updated"]
    assert sorted(e["file"] for e in report["errors"]) == sorted(str(p.resolve()) for p in paths)
    # Without --json the same errors are printed one per line, naming file and reason.
    result = _cli(bad_settings, tmp_path, "ingest", str(paths[0]), str(paths[1]))
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "skipped" in stderr and "encrypted" in stderr and "not a readable pdf" in stderr


def test_cli_undecodable_argument_bytes(api, bad_settings, tmp_path, unchanged):
    # A terminal in another encoding sends bytes that are not UTF-8: they are dropped, not fatal.
    result = _cli(bad_settings, tmp_path, "ask", "--json", b"\xff\xfe What does task 7 say? \xc0")
    answer = json.loads(result.stdout)
    assert result.returncode == 0 and answer["citations"][0]["task"] == 7


def test_cli_invalid_settings_never_print_secrets(api, bad_settings, tmp_path, unchanged):
    # A configuration error names the setting and the problem, but never echoes values: the API key stays hidden.
    for env in ({"ASSISTANT_TOP_K": "many"}, {"ASSISTANT_LLM_BACKEND": "openai"}):
        result = _cli(bad_settings, tmp_path, "stats", ASSISTANT_LLM_API_KEY=SECRET, **env)
        output = (result.stdout + result.stderr).decode()
        assert result.returncode == 2 and "error: invalid settings" in output, output
        assert SECRET not in output and "sk-test" not in output


# --- Gradio API (the real app on a loopback port, called through gradio_client) ---------------

UPLOAD_LIMIT = 64 * 1024  # the app under test gets a small upload limit, so "oversized" stays small


@pytest.fixture(scope="module")
def gradio_app(api, bad_settings):
    """The Gradio app over the catalogue's index, on 127.0.0.1:<free port>; always closed."""
    limited = bad_settings.model_copy(update={"max_upload_bytes": UPLOAD_LIMIT})
    with running_app(api, limited) as url:
        yield url


@pytest.fixture(scope="module")
def gradio(gradio_app):
    from gradio_client import Client

    return Client(gradio_app, verbose=False)


@pytest.mark.parametrize(
    ("question", "says"),
    [("", "the question is empty"), (" \t\u3000\u200b ", "the question is empty"), (HUNDRED_KB, "the limit is 2000")],
    ids=["empty", "whitespace", "100kb"],
)
def test_gradio_ask_rejects_bad_questions(question, says, gradio, unchanged):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=says):
        gradio.predict(question, api_name="/ask")


@pytest.mark.parametrize(
    ("question", "task"),
    [
        ('<script>alert("x")</script>\x00\x1b[31m What does task 5 say?', 5),
        ("What does task 12 say about 金融保险 and страхование (التأمين)?", 12),
        ("'; DROP TABLE embeddings; -- What does task 3 say?", 3),
    ],
    ids=["html-and-control-chars", "mixed-scripts", "sql-looking"],
)
def test_gradio_ask_handles_hostile_text(question, task, gradio, unchanged):
    answer = gradio.predict(question, api_name="/ask")
    assert answer["citations"][0]["task"] == task and all(c["verified"] for c in answer["citations"])
    assert "<script" not in answer["answer"] and "\x00" not in answer["question"] and "\x1b" not in answer["question"]


def test_gradio_ask_without_a_question_says_so(gradio, unchanged):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="the question is empty"):  # was an object's repr
        gradio.predict(api_name="/ask")


def test_gradio_search_rejects_bad_k_and_survives_sql(gradio, unchanged):
    from gradio_client.exceptions import AppError

    for k in (0, "abc", 2.5, "5", True):  # each once a raw Python error or silently accepted
        with pytest.raises(AppError, match="k must be"):
            gradio.predict("cross-border data", k, api_name="/search")
    hits = gradio.predict("' OR 1=1; DROP TABLE collections; --", 3, api_name="/search")
    assert isinstance(hits, list) and len(hits) <= 3


def test_gradio_oversized_upload_is_refused_by_the_server(gradio_app, tmp_path, unchanged):
    import httpx

    big = tmp_path / "big.txt"
    big.write_bytes(b"Article 1 Harbour cranes.\n" * (UPLOAD_LIMIT // 20))
    with big.open("rb") as handle:
        response = httpx.post(f"{gradio_app}gradio_api/upload", files={"files": ("big.txt", handle)}, timeout=30)
    assert response.status_code == 413 and "size" in response.text.lower()


def test_upload_checks_refuse_hostile_files_and_neutralise_traversal_names(api, bad_settings, tmp_path, unchanged):
    """The checks the UI's upload runs before anything reaches the index (assistant.uploads.save_upload)."""
    from assistant.uploads import DuplicateUpload, UploadError, save_upload

    limited = bad_settings.model_copy(update={"max_upload_bytes": UPLOAD_LIMIT})
    upload_dir = bad_settings.upload_dir
    before = set(upload_dir.rglob("*")) if upload_dir.exists() else set()
    plan_copy = tmp_path / "plan-again.txt"
    shutil.copyfile(bad_settings.corpus_dir / PLAN_FILE, plan_copy)
    fake_pdf = tmp_path / "report.pdf"
    fake_pdf.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 20)
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ" * 100)
    big = tmp_path / "big.md"
    big.write_bytes(b"# Notice\n\n" + b"Article 1 Harbour cranes.\n" * (UPLOAD_LIMIT // 20))
    cases = [
        (plan_copy, "plan-again.txt", DuplicateUpload, "already in the index"),
        (fake_pdf, "report.pdf", UploadError, "not a PDF"),
        (program, "tool.exe", UploadError, "not accepted"),
        (big, "big.md", UploadError, "upload limit"),
    ]
    for source, name, error, says in cases:
        with pytest.raises(error, match=says):
            save_upload(source, limited, name, documents=api.documents())
    assert (set(upload_dir.rglob("*")) if upload_dir.exists() else set()) == before  # nothing stored

    # Traversal names are neutralised, not followed: the file lands inside the upload directory.
    notice = tmp_path / "notice.txt"
    notice.write_text("Article 1 The harbour crane notice applies to port operators.", encoding="utf-8")
    for name in ("../../../etc/cron.d/evil.txt", "..\\..\\windows\\evil.txt", "/etc/passwd.txt", ".hidden.txt"):
        saved = save_upload(notice, limited, name, documents=[])
        try:
            assert saved.path.resolve().parent == upload_dir.resolve()
            assert ".." not in saved.path.name and "/" not in saved.path.name and not saved.path.name.startswith(".")
        finally:
            saved.path.unlink()  # stored, never indexed: the index stays as it was
    assert not (bad_settings.corpus_dir.parent.parent / "etc").exists()


# --- Security defaults: loopback binding, secrets never shown --------------------------------


def _non_loopback_address() -> str | None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("10.255.255.255", 1))  # UDP: no packet is sent; this only picks an interface
            address = sock.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_ui_binds_loopback_by_default_and_never_shows_the_api_key(api, bad_settings, monkeypatch):
    import socket

    import httpx
    from pydantic import SecretStr

    from assistant.ui import build_app, launch

    settings = bad_settings.model_copy(
        update={
            "llm_backend": "openai",
            "llm_base_url": f"http://127.0.0.1:{free_port()}/v1",  # an LLM server that is down
            "llm_model": "some-model",
            "llm_api_key": SecretStr(SECRET),
            "llm_timeout_s": 3.0,
        }
    )
    assert SECRET not in repr(settings) and SECRET not in str(settings) and SECRET not in settings.model_dump_json()
    monkeypatch.delenv("GRADIO_SERVER_NAME", raising=False)
    port = free_port()
    demo = build_app(Assistant(settings, auto_ingest=False))
    launch(demo, settings, server_port=port, prevent_thread_lock=True, quiet=True)  # no server_name given
    try:
        assert demo.server_name == "127.0.0.1"
        address = _non_loopback_address()
        if address:  # the port is not reachable from other interfaces
            with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
                pass
        base = f"http://127.0.0.1:{port}/"
        pages = [httpx.get(base + path, timeout=30).text for path in ("", "config", "gradio_api/info")]
        from gradio_client import Client

        try:  # the LLM is down: whatever the app answers (an error or a fallback) must not carry the key
            pages.append(json.dumps(Client(base, verbose=False).predict("How do exports grow?", api_name="/ask")))
        except Exception as exc:
            pages.append(str(exc))
        assert all(SECRET not in page for page in pages)
    finally:
        demo.close()


def test_cli_logs_never_contain_the_api_key(api, bad_settings, tmp_path, unchanged):
    result = _cli(
        bad_settings,
        tmp_path,
        "-v",
        "ask",
        "--json",
        "How will the city help digital trade companies expand overseas?",
        ASSISTANT_LLM_BACKEND="openai",
        ASSISTANT_LLM_BASE_URL=f"http://127.0.0.1:{free_port()}/v1",
        ASSISTANT_LLM_MODEL="some-model",
        ASSISTANT_LLM_API_KEY=SECRET,
        ASSISTANT_LLM_TIMEOUT_S="3",
    )
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert "INFO" in output  # verbose logging was on, so a leak would have shown
    assert SECRET not in output and "DO-NOT-LEAK" not in output
