"""What a historical registration and a reissue request share: the PDFs, each checked by its content (PDF
only) and size (CERT_REQUEST_PDF_MAX_BYTES), stored with app/services/storage.py (files are written before
the rows; a command that fails afterwards removes them with `discard`, so neither a file nor a row is left
half-made), the form's text fields, and the bureau's decision."""
from __future__ import annotations

import datetime as dt
import re

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound, Stale
from app.commands.units.scope import clean_reason
from app.extensions import db
from app.models.certificate_requests import RequestFile
from app.services import audit, notify, storage
from app.workflow.request_states import RequestStatus, request_target

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

    def submit(self, uploads: dict, make_row, owner: str, *, actor, audit_action: str, object_type: str,
               opinion):
        """Stores the PDFs, then the request `make_row()` (submitted now) with its files under `owner`,
        audited as `audit_action` with `opinion(row)`; on any failure the stored files are removed again."""
        now = utcnow()
        try:
            self.store(uploads, now)
            row = make_row()
            row.status, row.submitted_at, row.version = RequestStatus.SUBMITTED.value, now, 1
            db.session.add(row)
            db.session.flush()
            db.session.add_all(self.rows(**{owner: row.id}))
            audit.record(audit_action, actor=actor, object_type=object_type, object_id=row.id,
                         to_state=row.status, opinion=opinion(row))
            db.session.flush()
        except BaseException:
            self.discard()
            raise
        return row

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


class DecideRequest(BaseCommand):
    """通过 or 不通过 (with a reason) of a holder's request by the bureau of its region: the row from the
    bureau's queue (`queue(user)`), the version the page showed (compare-and-set), the request table's
    transition; then the decision, `approved()` of the subclass on 通过, the audit row and the holder's
    message. Subclasses name the queue, the model and the words."""

    model = None
    queue = None  # dao function: the SELECT of the rows the bureau `user` decides
    missing = not_waiting = approved_message = rejected_message = None
    audit_name = object_type = ""

    def __init__(self, user, row_id: int, approve: bool, reason: str | None = None, version=None):
        self.user, self.row_id, self.approve = user, row_id, approve
        self.reason, self.version = reason, version

    def validate(self) -> None:
        self.row = db.session.execute(type(self).queue(self.user).where(
            self.model.id == int(self.row_id))).scalar_one_or_none()
        if self.row is None:
            raise NotFound(self.missing)
        if self.version not in (None, "") and str(self.version) != str(self.row.version):
            raise Stale(cas.CHANGED_MEANWHILE)
        self.target = request_target("approve" if self.approve else "reject", self.row.status)
        if self.target is None:
            raise NotAllowed(self.not_waiting)
        self.opinion = "" if self.approve else clean_reason(self.reason)

    def approved(self, now: dt.datetime) -> None:
        """What 通过 makes, inside the decision's transaction."""

    def run(self):
        self.validate()
        row, source, now = self.row, self.row.status, utcnow()
        row.status, row.reason = self.target.value, self.opinion or None
        row.decided_at, row.decided_by_id = now, self.user.id
        cas.bump(row)
        cas.write()  # two bureau users at once: one decides, the other is told
        if self.approve:
            self.approved(now)
        audit.record(f"{self.audit_name}.{'approve' if self.approve else 'reject'}", actor=self.user,
                     object_type=self.object_type, object_id=row.id, from_state=source, to_state=row.status,
                     opinion=self.opinion)
        notify.notify_user(row.person.user, str(self.approved_message if self.approve else self.rejected_message),
                           self.opinion)
        return row
