"""P5: upload a scan to a section (optionally to one entry of it) and delete it again. Same
steps as the section commands (own application, editable section, version, audit, one commit). The
file is written before the row; when anything fails afterwards the file is removed and the row rolled
back, so neither remains."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.applications.sections import SectionCommand, after_commit
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.daos.applications import get_own_or_404
from app.extensions import db
from app.models.applications import Attachment, SectionEntry
from app.services import storage

MAX_FILES_PER_SECTION = 30


class UploadAttachmentCommand(SectionCommand):
    action = "upload"
    kinds = ("entries", "text", "attachments")

    def __init__(self, user, application_id: int, code: str, stream, filename: str, entry_id: int | None = None,
                 version=None):
        super().__init__(user, application_id, code, version)
        self.stream, self.filename, self.entry_id = stream, filename or "", entry_id
        self.stored: storage.StoredFile | None = None

    def change(self) -> Attachment:
        application = self.application
        if self.entry_id:
            entry = db.session.get(SectionEntry, int(self.entry_id))
            if entry is None or entry.application_id != application.id or entry.section != self.code:
                raise NotAllowed(_l("This entry does not exist"))
        count = len(db.session.execute(select(Attachment.id).where(
            Attachment.application_id == application.id, Attachment.section == self.code)).all())
        if count >= MAX_FILES_PER_SECTION:
            raise Invalid(_l("At most %(n)d files per section", n=MAX_FILES_PER_SECTION), "file")
        if self.stream is None or not self.filename:
            raise Invalid(_l("Choose a file to upload"), "file")
        if not storage.extension_allowed(self.filename):
            raise Invalid(_l("Only JPG, PNG, GIF and PDF files can be uploaded"), "file")
        try:
            self.stored = storage.save(self.stream)
        except storage.StorageError as error:
            raise Invalid(error.message, "file") from None
        attachment = Attachment(application_id=application.id, section=self.code, entry_id=self.entry_id or None,
                                original_name=storage.display_name(self.filename, self.stored.content_type),
                                stored_name=self.stored.stored_name, content_type=self.stored.content_type,
                                size=self.stored.size, uploaded_at=utcnow())
        db.session.add(attachment)
        return attachment

    @after_commit
    def run(self) -> Attachment:
        try:
            return super().run()
        except BaseException:
            if self.stored is not None:
                storage.remove(self.stored.stored_name)
            raise


class DeleteAttachmentCommand(SectionCommand):
    action = "delete_attachment"
    kinds = ("entries", "text", "attachments")

    def __init__(self, user, attachment_id: int, version=None):
        self.attachment_id = attachment_id
        self.attachment: Attachment | None = None
        super().__init__(user, 0, "", version)

    def validate(self) -> None:
        attachment = db.session.get(Attachment, int(self.attachment_id or 0))
        if attachment is None:
            raise NotFound(_l("This file does not exist"))
        get_own_or_404(self.user, attachment.application_id)  # someone else's file: 404
        self.attachment = attachment
        self.application_id, self.code = attachment.application_id, attachment.section
        super().validate()

    def change(self) -> str:
        self.stored_name = self.attachment.stored_name
        db.session.delete(self.attachment)
        return self.stored_name

    @after_commit
    def run(self) -> str:
        stored_name = super().run()
        storage.remove(stored_name)  # after the commit: a rollback keeps the file
        return stored_name
