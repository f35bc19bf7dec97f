"""The PDFs of a historical registration or a reissue request: each checked by its content (PDF only) and
size (CERT_REQUEST_PDF_MAX_BYTES), stored with app/services/storage.py. Files are written before the rows;
a command that fails afterwards removes them (`discard`), so neither a file nor a row is left half-made."""
from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.commands.errors import Invalid
from app.models.certificate_requests import RequestFile
from app.services import storage

TEXT_MAX = 128
# an old number as printed may hold Chinese (鲁职改字第0815号); no control characters, quotes or markup
NUMBER_PATTERN = re.compile(r"[^\x00-\x1f\x7f<>\"'\\]{1,32}")


def chosen(files: dict, names) -> dict:
    """The uploads among `names` that carry a file."""
    return {name: files[name] for name in names if files.get(name) is not None and getattr(files[name], "filename", "")}


class StoredPdfs:
    """Stores the chosen PDFs one by one; `rows()` makes their RequestFile rows, `discard()` removes the files."""

    def __init__(self):
        self.saved: list[tuple[str, str, storage.StoredFile]] = []

    def store(self, uploads: dict, now: dt.datetime) -> None:
        limit = int(current_app.config["CERT_REQUEST_PDF_MAX_BYTES"])
        self.now = now
        for material, upload in uploads.items():
            if not (upload.filename or "").lower().endswith(".pdf"):
                raise Invalid(_l("Only PDF files can be uploaded"), material)
            try:
                stored = storage.save(upload.stream, limit=limit)
            except storage.StorageError as err:
                raise Invalid(err.message, material) from None
            self.saved.append((material, upload.filename, stored))
            if stored.content_type != "application/pdf":
                raise Invalid(_l("Only PDF files can be uploaded (checked by the file's content)"), material)

    def rows(self, **owner) -> list[RequestFile]:
        return [RequestFile(material=material, original_name=storage.display_name(name, stored.content_type),
                            stored_name=stored.stored_name, size=stored.size, uploaded_at=self.now, **owner)
                for material, name, stored in self.saved]

    def discard(self) -> None:
        for _material, _name, stored in self.saved:
            storage.remove(stored.stored_name)
        self.saved = []


def text(data: dict, name: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (data.get(name) or "").strip() if isinstance(data.get(name), str) else ""
    if required and not value:
        raise Invalid(_l("This field is required"), name)
    if len(value) > limit:
        raise Invalid(_l("At most %(n)d characters", n=limit), name)
    return value


def small_id(data: dict, name: str) -> int | None:
    value = data.get(name)
    value = value.strip() if isinstance(value, str) else ""
    return int(value) if value.isdigit() and len(value) < 10 else None
