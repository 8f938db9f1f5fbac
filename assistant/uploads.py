"""Uploaded documents: checked, named safely and stored under ``settings.upload_dir``.

An upload is refused with a clear message (``UploadError``) when its type is not on the
allow-list, it is empty or over ``settings.max_upload_bytes``, its content does not look like
its type, or the same content (by SHA-256) is already stored or indexed. A saved file appears
atomically (written to a temporary name, then renamed), so the indexer never reads half a file.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assistant.loaders import SIDECAR_SUFFIX, file_sha256, read_sidecar, shown_path
from assistant.settings import Settings

logger = logging.getLogger(__name__)

TEMP_PREFIX = ".upload-"
STALE_UPLOAD_S = 600.0  # an upload still being written after ten minutes was abandoned
ALLOWED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
MAX_NAME_CHARS = 100
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)  # \w keeps letters of every script, e.g. Chinese names


class UploadError(ValueError):
    """An upload that cannot be accepted; the message tells the user why and what to do."""


class DuplicateUpload(UploadError):
    """The same content is already stored or indexed."""

    def __init__(self, name: str, existing: str) -> None:
        self.existing = existing
        # Only the document's name: an absolute server path tells a web user nothing and
        # shows how the server is laid out.
        shown = Path(existing).name if existing else existing
        super().__init__(f"{name}: the same content is already in the index as {shown!r}; not added twice")


@dataclass
class SavedUpload:
    path: Path
    original_name: str
    sha256: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def sanitise_filename(name: str) -> str:
    """A safe file name: no directories, no hidden files, no odd characters, bounded length."""
    name = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1].strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = _UNSAFE.sub("", suffix).lower()[:10]
    stem = _UNSAFE.sub("_", stem).strip("._-")
    stem = re.sub(r"_{2,}", "_", stem)[: MAX_NAME_CHARS - len(suffix) - 1].rstrip("._-") or "document"
    return f"{stem}.{suffix}" if suffix else stem


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _check_content(path: Path, suffix: str, display: str) -> None:
    """Cheap signature checks, so a mislabelled file is refused before it reaches the index."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        raise UploadError(f"{display}: not a PDF file (it does not start with %PDF-)")
    if suffix == ".docx" and not head.startswith(b"PK\x03\x04"):
        raise UploadError(f"{display}: not a Word .docx file (a .doc from old Word versions must be saved as .docx)")
    if suffix in (".txt", ".md", ".html", ".htm") and b"\x00" in head:
        raise UploadError(f"{display}: binary content in a {suffix[1:]} file")


def known_hashes(upload_dir: Path, documents: list[dict] | None = None) -> dict[str, str]:
    """SHA-256 -> name of every indexed document and every file already in the upload directory."""
    hashes = {d["sha256"]: d.get("doc_id") or d.get("title", "") for d in documents or [] if d.get("sha256")}
    if upload_dir.is_dir():
        for path in upload_dir.iterdir():
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(SIDECAR_SUFFIX):
                try:
                    hashes.setdefault(file_sha256(path), path.name)
                except OSError:
                    continue
    return hashes


def save_upload(
    source: Path | str,
    settings: Settings,
    original_name: str | None = None,
    documents: list[dict] | None = None,
    owner: str | None = None,
) -> SavedUpload:
    """Check one uploaded file and store it under ``settings.upload_dir``; raises :class:`UploadError`.

    ``owner``: the logged-in user, recorded beside the file so only they can remove it.
    """
    source = Path(source)
    display = shown_path(original_name or source.name)
    suffix = Path(display).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise UploadError(
            f"{display}: file type {suffix or '(none)'} is not accepted; upload one of "
            + ", ".join(s[1:] for s in ALLOWED_SUFFIXES)
        )
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise UploadError(f"{display}: the upload could not be read ({exc.strerror}); try again") from exc
    if size == 0:
        raise UploadError(f"{display}: the file is empty")
    if size > settings.max_upload_bytes:
        raise UploadError(
            f"{display}: {_human(size)} is over the {_human(settings.max_upload_bytes)} upload limit "
            "(ASSISTANT_MAX_UPLOAD_BYTES)"
        )
    _check_content(source, suffix, display)

    upload_dir = settings.upload_dir
    assert upload_dir is not None  # set by Settings' validator
    upload_dir.mkdir(parents=True, exist_ok=True)
    sha = file_sha256(source)
    existing = known_hashes(upload_dir, documents).get(sha)
    if existing:
        raise DuplicateUpload(display, existing)

    name = sanitise_filename(display)
    if Path(name).suffix.lower() != suffix:  # sanitising must never change the type
        name = f"{Path(name).stem or 'document'}{suffix}"
    target = upload_dir / name
    counter = 2
    while target.exists():  # a different file of the same name: keep both
        target = upload_dir / f"{Path(name).stem}-{counter}{suffix}"
        counter += 1
    handle, temp_name = tempfile.mkstemp(dir=upload_dir, prefix=TEMP_PREFIX, suffix=".part")
    os.close(handle)
    try:
        shutil.copyfile(source, temp_name)
        if owner:  # the sidecar first: the document never appears without its owner
            sidecar = target.with_name(target.name + SIDECAR_SUFFIX)
            sidecar.write_text(json.dumps({"uploaded_by": owner}), encoding="utf-8")
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        target.with_name(target.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            raise UploadError(f"{display}: the server's disk is full; the file was not stored") from exc
        raise UploadError(f"{display}: could not be stored ({exc.strerror})") from exc
    logger.info("stored upload %s as %s (%d bytes)", display, shown_path(target), size)
    return SavedUpload(path=target, original_name=display, sha256=sha, size=size)


def clean_stale_uploads(settings: Settings, older_than_s: float = STALE_UPLOAD_S) -> list[Path]:
    """Delete temporary files that a killed process left half-written in the upload directory.

    Only files older than ``older_than_s``: another live process may be writing a younger one.
    """
    upload_dir = settings.upload_dir
    removed: list[Path] = []
    if upload_dir is None or not upload_dir.is_dir():
        return removed
    now = time.time()
    for path in upload_dir.glob(f"{TEMP_PREFIX}*.part"):
        try:
            if now - path.stat().st_mtime >= older_than_s:
                path.unlink()
                removed.append(path)
                logger.info("removed an unfinished upload left by an earlier run: %s", shown_path(path.name))
        except OSError:
            continue
    return removed


def is_upload(path: Path | str, settings: Settings) -> bool:
    """Whether ``path`` lies inside the upload directory (only those can be removed from the UI)."""
    assert settings.upload_dir is not None
    try:
        Path(path).resolve().relative_to(settings.upload_dir.resolve())
    except ValueError:
        return False
    return True


def uploaded_by(path: Path | str) -> str | None:
    """Who uploaded a file (when login was on), from its sidecar."""
    return read_sidecar(Path(path)).get("uploaded_by") or None


def delete_upload(path: Path | str, settings: Settings, user: str | None = None) -> None:
    """Delete an uploaded file (and its metadata sidecar, if any).

    A file uploaded by a logged-in user can be removed only by that user.
    """
    path = Path(path)
    if not is_upload(path, settings):
        raise UploadError(f"{path.name} is not an uploaded document; only uploads can be removed here")
    owner = uploaded_by(path)
    if owner and owner != user:
        raise UploadError(f"{path.name} was added by another user; only they can remove it")
    path.unlink(missing_ok=True)
    path.with_name(path.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
