"""Uploads: safe names, type/size/content checks, duplicates, and indexing/removal without a restart."""

from __future__ import annotations

import pytest

from assistant.settings import Settings
from assistant.uploads import DuplicateUpload, UploadError, sanitise_filename, save_upload
from tests.conftest import make_settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    # No index is built for these: only the upload directory is used.
    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index", max_upload_bytes=4096)


def write(path, data: bytes | str):
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("hostile notes <b>.md", "hostile_notes_b.md"),
        (".hidden.pdf", "hidden.pdf"),
        ("C:\\Users\\me\\Report.DOCX", "Report.docx"),
        ("数字贸易 方案.pdf", "数字贸易_方案.pdf"),
        ("<>:|?.txt", "document.txt"),
    ],
)
def test_sanitised_names(name, expected):
    assert sanitise_filename(name) == expected


def test_long_names_are_cut_but_keep_their_type():
    name = sanitise_filename("a" * 300 + ".html")
    assert len(name) <= 100 and name.endswith(".html")


def test_a_good_upload_is_stored_under_the_upload_dir(settings, tmp_path):
    source = write(tmp_path / "Notice on trade <fairs>.txt", "Trade fairs will be supported.\n")
    saved = save_upload(source, settings)
    assert saved.path.parent == settings.upload_dir
    assert saved.path.name == "Notice_on_trade_fairs.txt"
    assert saved.path.read_text() == "Trade fairs will be supported.\n"
    assert not list(settings.upload_dir.glob(".upload-*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ...", "not accepted"),
        ("empty.txt", b"", "empty"),
        ("big.txt", b"x" * 5000, "over the"),
        ("fake.pdf", b"just text, not a pdf", "not a PDF"),
        ("old.docx", b"\xd0\xcf\x11\xe0 an OLE file", "not a Word .docx"),
        ("binary.txt", b"abc\x00def", "binary content"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(settings, tmp_path, name, data, message):
    source = write(tmp_path / name, data)
    with pytest.raises(UploadError, match=message):
        save_upload(source, settings)
    assert not settings.upload_dir.exists() or not any(settings.upload_dir.iterdir())


def test_duplicates_are_detected_by_content(settings, tmp_path):
    first = save_upload(write(tmp_path / "a.md", "# Same\n\nSame text.\n"), settings)
    with pytest.raises(DuplicateUpload, match="a.md"):
        save_upload(write(tmp_path / "b.md", "# Same\n\nSame text.\n"), settings)
    indexed = [{"doc_id": "plan.txt", "sha256": first.sha256}]
    first.path.unlink()
    with pytest.raises(DuplicateUpload, match="plan.txt"):  # already in the index under another name
        save_upload(write(tmp_path / "c.md", "# Same\n\nSame text.\n"), settings, documents=indexed)


def test_same_name_different_content_keeps_both(settings, tmp_path):
    one = save_upload(write(tmp_path / "notes.md", "first version\n"), settings)
    (tmp_path / "again").mkdir()
    two = save_upload(write(tmp_path / "again" / "notes.md", "second version\n"), settings)
    assert one.path.name == "notes.md" and two.path.name == "notes-2.md"
    assert one.path.read_text() == "first version\n"


@pytest.mark.slow
def test_uploaded_documents_are_searchable_and_removable_without_a_restart(tmp_path):
    from assistant.api import Assistant

    settings = make_settings(tmp_path)
    assistant = Assistant(settings)
    before = assistant.stats()["documents"]
    source = write(
        tmp_path / "ferry.md",
        "# Ferry notice\n\nThe hydrofoil ferry timetable for the islands changes every spring. "
        "Operators publish it one month ahead.\n",
    )
    saved = save_upload(source, settings, documents=assistant.documents())
    report = assistant.add_documents([saved.path])
    assert report.added == ["uploads/ferry.md"] and not report.errors
    assert assistant.stats()["documents"] == before + 1
    hits = assistant.search("hydrofoil ferry timetable", k=1)
    assert hits[0]["doc_id"] == "uploads/ferry.md"

    with pytest.raises(UploadError, match="part of the corpus"):  # corpus files are not removed here
        assistant.remove_document("shanghai-digital-trade-and-services-plan.txt")
    report = assistant.remove_document("uploads/ferry.md")
    assert report.removed == ["uploads/ferry.md"]
    assert not saved.path.exists()
    assert assistant.stats()["documents"] == before
    assert all(hit["doc_id"] != "uploads/ferry.md" for hit in assistant.search("hydrofoil ferry timetable", k=3))
