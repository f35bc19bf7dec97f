"""Attachment files: stored under app.config["ATTACHMENT_DIR"] (outside the web root)
with random names; the type is decided by the file's first bytes (magic), never by its name or the
content type the browser sent. A file is written to a temporary name in the same directory and renamed
when complete, so a half-written file never carries a final name."""
from __future__ import annotations

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass

from flask import current_app

CHUNK = 64 * 1024
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# content type → (magic prefixes, extension used for the stored name and display)
TYPES: dict[str, tuple[tuple[bytes, ...], str]] = {
    "image/jpeg": ((b"\xff\xd8\xff",), ".jpg"),
    "image/png": ((b"\x89PNG\r\n\x1a\n",), ".png"),
    "image/gif": ((b"GIF87a", b"GIF89a"), ".gif"),
    "application/pdf": ((b"%PDF-",), ".pdf"),
}
ALLOWED_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".pdf"}


class StorageError(Exception):
    """A refused or failed upload; `message` is a lazy string for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TooLarge(StorageError):
    pass


class BadType(StorageError):
    pass


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def directory() -> str:
    path = current_app.config["ATTACHMENT_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is not an allowed type."""
    for content_type, (prefixes, _ext) in TYPES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    return None


def extension_allowed(filename: str) -> bool:
    return os.path.splitext((filename or "").lower())[1] in ALLOWED_EXTENSIONS


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def display_name(filename: str, content_type: str) -> str:
    """The original name for display and download: no path, no control or reserved characters,
    at most 255 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, ext = os.path.splitext(name)
    if not stem:
        stem = "附件"
    if ext.lower() not in ALLOWED_EXTENSIONS:
        ext = TYPES.get(content_type, ((), ""))[1]
    return stem[: 255 - len(ext)] + ext


def path_of(stored_name: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3}", stored_name or ""):
        raise FileNotFoundError(stored_name)
    return os.path.join(directory(), stored_name)


def save(stream, *, limit: int | None = None) -> StoredFile:
    """Copy `stream` to a new random file: refused (and nothing left on disk) when larger than `limit`
    bytes or when its first bytes are not JPEG, PNG, GIF or PDF."""
    from flask_babel import lazy_gettext as _l

    limit = max_bytes() if limit is None else limit
    folder = directory()
    token = secrets.token_hex(16)
    temp = os.path.join(folder, f".upload-{token}.part")
    size = 0
    head = b""
    try:
        with open(temp, "xb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise TooLarge(_l("The file is larger than %(mb)s MB", mb=_megabytes(limit)))
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise BadType(_l("The file is empty"))
        content_type = sniff(head)
        if content_type is None:
            raise BadType(_l("Only JPG, PNG, GIF and PDF files can be uploaded (checked by the file's content)"))
        stored_name = token + TYPES[content_type][1]
        os.replace(temp, os.path.join(folder, stored_name))
    except BaseException:
        _unlink(temp)
        raise
    return StoredFile(stored_name=stored_name, content_type=content_type, size=size)


def remove(stored_name: str) -> None:
    try:
        _unlink(path_of(stored_name))
    except FileNotFoundError:
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}"
