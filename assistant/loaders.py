"""Load source files (txt, md, html, pdf, docx) into plain text plus source metadata.

Each format uses a well-kept library (BeautifulSoup, pypdf, python-docx). A file that cannot
be read raises :class:`LoadError` naming the file and the reason; callers skip it and go on.
Source metadata (title, issuer, dates, URL) comes from an optional sidecar ``<file>.meta.json``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
SIDECAR_SUFFIX = ".meta.json"
MAX_FILE_BYTES = 50 * 1024 * 1024
# A docx is a zip: refuse archives that would inflate beyond this (decompression bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200


# Characters that would let a file name forge a log line or reorder what a reader sees:
# controls (newline, carriage return, escape) and bidi overrides.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_path(path: Path | str) -> str:
    """The path as printable, single-line UTF-8 for messages and logs: bytes that are not UTF-8,
    control characters and bidi overrides appear as escapes instead of breaking the output."""
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _is_utf8_name(path: Path | str) -> bool:
    try:
        os.fsencode(str(path)).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class LoadError(Exception):
    """A file that could not be turned into text; the message names the file and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = shown_path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class LoadLimits:
    """Per-document bounds (from Settings); each names its setting in the refusal message."""

    max_chars: int = 8_000_000
    max_pages: int = 3000


@dataclass
class LoadedDocument:
    doc_id: str  # stable id: path relative to the corpus directory
    path: Path
    text: str
    file_type: str
    sha256: str
    metadata: dict[str, str] = field(default_factory=dict)
    is_plan: bool = False  # decided by the index from the operator's marking, never by content

    @property
    def title(self) -> str:
        return self.metadata.get("title") or self.path.stem


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover_files(root: Path) -> list[Path]:
    """Every supported file below ``root`` (sidecars and hidden files excluded), sorted."""
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.name.endswith(SIDECAR_SUFFIX):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            found.append(path)
        else:
            logger.info("skipping %s: unsupported type %r", shown_path(path), path.suffix)
    return found


def check_file(path: Path) -> int:
    """Cheap checks before any byte is read; returns the size or raises :class:`LoadError`.

    Run before hashing too: a device or FIFO named on the command line (``/dev/zero``) would
    otherwise be read forever, and a huge file would be hashed before being refused.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(
            path, f"unsupported file type {suffix or '(none)'}; supported: " + ", ".join(sorted(SUPPORTED_SUFFIXES))
        )
    if not _is_utf8_name(path):  # undecodable bytes (e.g. a GBK name from a zip) cannot be stored as an id
        raise LoadError(path, "the file name is not valid UTF-8; rename the file")
    try:
        info = path.stat()
    except OSError as exc:
        raise LoadError(path, f"cannot read file ({exc.strerror})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise LoadError(path, "not a regular file (a directory, device or pipe cannot be indexed)")
    if info.st_size == 0:
        raise LoadError(path, "file is empty")
    if info.st_size > MAX_FILE_BYTES:
        raise LoadError(path, f"file is {info.st_size} bytes, larger than the {MAX_FILE_BYTES} byte limit")
    return info.st_size


def load_file(path: Path, doc_id: str | None = None, limits: LoadLimits | None = None) -> LoadedDocument:
    """Read one file into a :class:`LoadedDocument`, or raise :class:`LoadError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    limits = limits or LoadLimits()
    check_file(path)

    reader = _READERS[suffix]
    try:
        text = reader(path, limits) if suffix == ".pdf" else reader(path)
    except LoadError:
        raise
    except Exception as exc:  # any parser failure becomes a clear, per-file error
        raise LoadError(path, f"not a readable {suffix[1:]} file ({type(exc).__name__}: {exc})") from exc
    if len(text) > limits.max_chars:
        raise LoadError(
            path,
            f"the document has {len(text):,} characters, more than the limit of {limits.max_chars:,} "
            "per document (ASSISTANT_MAX_DOCUMENT_CHARS); split it into smaller files",
        )
    text = _normalise_text(text)
    if not text.strip():
        raise LoadError(path, "no text could be extracted")
    metadata = read_sidecar(path)
    for key, value in metadata_from_text(text).items():
        metadata.setdefault(key, value)
    return LoadedDocument(
        doc_id=doc_id or path.name,
        path=path,
        text=text,
        file_type={".htm": "html", ".markdown": "md"}.get(suffix, suffix[1:]),
        sha256=file_sha256(path),
        metadata=metadata,
    )


_DATE = re.compile(
    r"\b(20\d\d-[01]\d-[0-3]\d)\b"
    r"|\b((?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+20\d\d)\b"
    r"|(20\d\d年\d{1,2}月\d{1,2}日)"
)
_ISSUER = re.compile(
    r"^\s*(?:Issued by|Issuer|Issuing (?:authority|body)|发布(?:单位|机关)|印发单位)\s*[:：]\s*(.{3,150})$", re.M | re.I
)


def metadata_from_text(text: str) -> dict[str, str]:
    """Title, issuer and date read from the document itself (a sidecar, when present, wins).

    The title is the first heading or short first line; the issuer a line "Issued by: ...";
    the date the first date written in the opening of the document.
    """
    found: dict[str, str] = {}
    head = text[:3000]
    for raw in head.splitlines():
        line = raw.strip().lstrip("#").strip()
        if line:
            heading = raw.lstrip().startswith("#")
            if 3 <= len(line) <= 150 and (heading or not line.endswith((".", "。", ";", ":"))):
                found["title"] = line
            break
    if issuer := _ISSUER.search(head):
        found["issuer"] = issuer[1].strip()
    if date := _DATE.search(head):
        found["issued"] = next(g for g in date.groups() if g)
    return found


def read_sidecar(path: Path) -> dict[str, str]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable metadata file %s: %s", shown_path(sidecar), exc)
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str | int | float)}


# --- per-format readers --------------------------------------------------------------------


def _read_plain(path: Path) -> str:
    raw = path.read_bytes()
    # UTF-16 (what Windows Notepad calls "Unicode") is full of NUL bytes but announces itself
    # with a byte-order mark; it is text, not binary.
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError(path, "the text says it is UTF-16 but is not valid UTF-16") from exc
    if b"\x00" in raw[:8192]:
        raise LoadError(path, "binary content in a text file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes many binary byte runs without complaint: a text full of control
        # characters is binary data under a text extension, not a document.
        sample = text[:20000]
        if sample and len(_BINARY_CONTROL.findall(sample)) > 0.05 * len(sample):
            raise LoadError(path, "binary content in a text file")
        return text
    raise LoadError(path, "text is neither UTF-8 nor GB18030")


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_plain(path), "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "form", "iframe"]):
        tag.decompose()
    blocks = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "pre", "blockquote"]):
        if element.find(["p", "li", "td"]):  # the inner block carries the text
            continue
        text = element.get_text(" ", strip=True)
        if text:
            prefix = "#" * int(element.name[1]) + " " if element.name.startswith("h") else ""
            blocks.append(prefix + text)
    return "\n\n".join(blocks) if blocks else soup.get_text("\n", strip=True)


def _read_pdf(path: Path, limits: LoadLimits | None = None) -> str:
    from pypdf import PdfReader

    limits = limits or LoadLimits()
    reader = PdfReader(str(path))
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise LoadError(path, "PDF is encrypted (password protected)")
        except LoadError:
            raise
        except Exception as exc:
            raise LoadError(path, "PDF is encrypted (password protected)") from exc
    if len(reader.pages) > limits.max_pages:
        raise LoadError(
            path,
            f"the PDF has {len(reader.pages):,} pages, more than the limit of {limits.max_pages:,} "
            "per document (ASSISTANT_MAX_DOCUMENT_PAGES); split it into smaller files",
        )
    texts, total = [], 0
    for page in reader.pages:
        texts.append(page.extract_text() or "")
        total += len(texts[-1])
        if total > limits.max_chars:  # stop extracting early; load_file words the refusal
            break
    return "\n\n".join(texts)


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise LoadError(path, "not a valid docx (not a zip archive)")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
            raise LoadError(path, f"refused: archive would inflate to {total} bytes (possible decompression bomb)")
        if "word/document.xml" not in {info.filename for info in infos}:
            raise LoadError(path, "not a valid docx (no word/document.xml)")


def _read_docx(path: Path) -> str:
    import docx

    _check_zip(path)
    document = docx.Document(str(path))
    # Style names looked up once: python-docx's paragraph.style searches every style of the
    # document per paragraph, and a file with thousands of both took minutes of CPU.
    heading_level = {}
    for style in document.styles:
        name = (getattr(style, "name", "") or "").lower()
        if level := re.match(r"heading (\d)", name):
            heading_level[style.style_id] = int(level.group(1))
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style_id = paragraph._p.style  # the raw w:pStyle value, no style-part search
        level = heading_level.get(style_id) if style_id else None
        lines.append(("#" * level + " " + text) if level else text)
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
            if cells:
                lines.append(" | ".join(cells))
    return "\n\n".join(lines)


_READERS = {
    ".txt": _read_plain,
    ".md": _read_plain,
    ".markdown": _read_plain,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def _normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return re.sub(r"[ \t]+\n", "\n", text)
