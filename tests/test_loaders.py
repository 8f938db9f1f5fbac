"""Loaders for every supported format, and clear per-file errors for unreadable ones."""

from __future__ import annotations

import pytest

from assistant.loaders import LoadError, discover_files, load_file
from tests.docfactory import write_docx, write_encrypted_pdf, write_pdf


def test_txt_with_sidecar_metadata(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text("Article 1 Firms may apply.\n", encoding="utf-8")
    (tmp_path / "notice.txt.meta.json").write_text('{"title": "A notice", "issuer": "Bureau X"}', encoding="utf-8")
    doc = load_file(path)
    assert doc.text.startswith("Article 1 Firms may apply.")
    assert doc.title == "A notice" and doc.metadata["issuer"] == "Bureau X"
    assert doc.file_type == "txt" and len(doc.sha256) == 64


def test_gb18030_text_is_decoded(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes("数字贸易实施方案".encode("gb18030"))
    assert load_file(path).text == "数字贸易实施方案"


def test_markdown(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# Guide\n\n## Scope\n\nSMEs may apply.", encoding="utf-8")
    doc = load_file(path)
    assert doc.file_type == "md" and "## Scope" in doc.text


def test_html_drops_scripts_navigation_and_keeps_headings(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>Home | About</nav>"
        "<h1>Data notice</h1><p>Cross-border data rules apply to <b>all</b> firms.</p>"
        "<ul><li>Item one</li></ul></body></html>",
        encoding="utf-8",
    )
    text = load_file(path).text
    assert "# Data notice" in text and "Cross-border data rules apply to all firms." in text
    assert "alert" not in text and "Home | About" not in text and "Item one" in text


def test_pdf_text_is_extracted(tmp_path):
    path = write_pdf(tmp_path / "circular.pdf", ["Article 1 Aircraft leasing firms may register.", "Article 2 Done."])
    doc = load_file(path)
    assert doc.file_type == "pdf"
    assert "Aircraft leasing firms may register." in doc.text


def test_docx_paragraphs_and_headings(tmp_path):
    path = write_docx(tmp_path / "opinion.docx", "Opinions", ["Article 1 Support service exports.", "Second."])
    doc = load_file(path)
    assert "# Opinions" in doc.text and "Support service exports." in doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable pdf"),
        ("broken.docx", b"PK\x03\x04 not a zip at all", "not a valid docx"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type"),
    ],
)
def test_unreadable_files_raise_clear_errors(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert name in str(info.value) and reason in str(info.value).lower()


def test_encrypted_pdf_is_refused_with_reason(tmp_path):
    path = write_encrypted_pdf(tmp_path / "locked.pdf")
    with pytest.raises(LoadError, match="encrypted"):
        load_file(path)


def test_discover_skips_sidecars_hidden_and_unsupported(tmp_path):
    for name in ("a.txt", "a.txt.meta.json", ".hidden.md", "b.pdf", "c.exe"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in discover_files(tmp_path)] == ["a.txt", "b.pdf"]
