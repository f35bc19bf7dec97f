"""P4–P6, P9: the applicant saves the sections of an own application — add, change or delete an entry,
save a text section. Each command loads the application through get_own_or_404 (locked), refuses a
section that is not editable now (`editable_sections`), refuses a stale version (two tabs at once),
validates, moves the section's state by its table (states.SECTION_TRANSITIONS), bumps its version and
audits, in one transaction; any error changes nothing.

`version` is the ApplicationSection.version shown with the form (1 while the section has no row);
`None` skips the check (internal callers only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from app.clock import utcnow
from app.commands import cas
from app.commands.applications.fields import invalid
from app.commands.base import BaseCommand
from app.commands.errors import ChangedMeanwhile, Invalid, NotAllowed, Stale
from app.daos.applications import get_own_or_404
from app.extensions import db
from app.models.applications import Application, ApplicationSection, Attachment, SectionEntry
from app.security import roles
from app.services import audit
from app.workflow import sections
from app.workflow.states import SectionStatus, section_transition, sections_editable

STALE_MESSAGE = _l("This content was changed in another window; reload the page and edit it again")


def after_commit(run):
    """Marks a subclass's run() that calls the parent's (transactional) run() and then does what must wait
    for the commit (remove a stored file): BaseCommand must not wrap it in a transaction of its own."""
    run._zc_transactional = True
    return run


def new_row(application_id: int, code: str) -> ApplicationSection:
    row = ApplicationSection(application_id=application_id, section=code, status=SectionStatus.EMPTY.value,
                             reason="", text="", version=1)
    db.session.add(row)
    return row


class SectionCommand(BaseCommand):
    """Shared steps: validate (load, check editable and version), then `change()`, then `finish()`: the
    section's state, version and audit row."""

    action = "save"
    kinds: tuple[str, ...] = ("entries",)

    def __init__(self, user, application_id: int, code: str, version=None):
        self.user, self.application_id, self.code, self.version = user, application_id, code, version
        self.application: Application | None = None
        self.row: ApplicationSection | None = None

    def validate(self) -> None:
        self.application = get_own_or_404(self.user, self.application_id, for_update=True)
        spec = sections.SECTIONS.get(self.code)
        if spec is None or spec.kind not in self.kinds:
            raise NotAllowed(_l("This section cannot be changed this way"))
        if self.code not in sections.editable_sections(self.application):
            if sections_editable(self.application.status) == "rejected":  # after a return
                raise NotAllowed(_l("After a return only the sections marked not passed can be changed"))
            raise NotAllowed(_l("This application can no longer be changed"))
        self.spec = spec
        self.config = sections.section_config(self.application, self.code)
        self.row = sections.section_row(self.application.id, self.code)
        current = self.row.version if self.row is not None else 1
        if self.version is not None and str(self.version).strip() != str(current):
            raise Stale(STALE_MESSAGE)

    def change(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def finish(self) -> None:
        application, now = self.application, utcnow()
        if self.row is None:
            self.row = new_row(application.id, self.code)
        row = self.row
        db.session.flush()
        entries = db.session.execute(select(func.count(SectionEntry.id)).where(
            SectionEntry.application_id == application.id, SectionEntry.section == self.code)).scalar()
        files = db.session.execute(select(func.count(Attachment.id)).where(
            Attachment.application_id == application.id, Attachment.section == self.code)).scalar()
        # a rejected section becomes filled (or empty) again once saved; its reason stays visible (P9)
        content = sections.content_status(self.spec.kind, entries, files, row.text or "")
        action = "fill" if content == SectionStatus.FILLED else "clear"
        row.status = section_transition(action, row.status, roles.INDIVIDUAL).value
        row.version = (row.version or 1) + 1
        row.updated_at = now
        cas.write(STALE_MESSAGE)  # the UPDATE is a compare-and-set on the version read (two tabs at once)
        audit.record("section_saved", actor=self.user, object_type="application", object_id=application.id,
                     opinion=f"{self.code}:{self.action}")

    def run(self):
        self.validate()
        try:
            result = self.change()
            self.finish()
        except StaleDataError:  # an autoflush lost the compare-and-set before finish() (R6)
            raise ChangedMeanwhile(STALE_MESSAGE) from None
        return result


class SaveEntryCommand(SectionCommand):
    """Add an entry (entry_id None) or change one of section `code`."""

    def __init__(self, user, application_id: int, code: str, data: dict, entry_id: int | None = None, version=None):
        super().__init__(user, application_id, code, version)
        self.data, self.entry_id = data or {}, entry_id
        self.action = "update_entry" if entry_id else "add_entry"

    def change(self) -> SectionEntry:
        application = self.application
        entry = None
        if self.entry_id:
            entry = db.session.get(SectionEntry, int(self.entry_id))
            if entry is None or entry.application_id != application.id or entry.section != self.code:
                raise NotAllowed(_l("This entry does not exist"))
        else:
            count = db.session.execute(select(func.count(SectionEntry.id)).where(
                SectionEntry.application_id == application.id, SectionEntry.section == self.code)).scalar()
            limit = self.config.max_entries if self.config is not None else None
            if limit and count >= limit:
                raise Invalid(_l("At most %(n)d entries can be entered in this section", n=limit))
        cleaned, errors = sections.clean_entry(self.code, self.data, application, entry_id=self.entry_id)
        if errors:
            raise invalid(errors)
        if entry is None:
            position = db.session.execute(select(func.coalesce(func.max(SectionEntry.position), 0)).where(
                SectionEntry.application_id == application.id, SectionEntry.section == self.code)).scalar()
            entry = SectionEntry(application_id=application.id, section=self.code, position=position + 1,
                                 data=cleaned)
            db.session.add(entry)
        else:
            entry.data = cleaned
        return entry


class DeleteEntryCommand(SectionCommand):
    action = "delete_entry"

    def __init__(self, user, application_id: int, code: str, entry_id: int, version=None):
        super().__init__(user, application_id, code, version)
        self.entry_id = entry_id

    def change(self) -> None:
        entry = db.session.get(SectionEntry, int(self.entry_id or 0))
        if entry is None or entry.application_id != self.application.id or entry.section != self.code:
            raise NotAllowed(_l("This entry does not exist"))
        attachments = list(db.session.execute(select(Attachment).where(Attachment.entry_id == entry.id)).scalars())
        self.files = [a.stored_name for a in attachments]
        for attachment in attachments:
            db.session.delete(attachment)
        db.session.delete(entry)

    @after_commit
    def run(self):
        result = super().run()
        from app.services import storage

        for name in getattr(self, "files", []):  # after the commit: a rollback keeps the files
            storage.remove(name)
        return result


class SaveTextCommand(SectionCommand):
    action = "save_text"
    kinds = ("text",)

    def __init__(self, user, application_id: int, code: str, text: str, version=None):
        super().__init__(user, application_id, code, version)
        self.text = (text or "").replace("\r\n", "\n").strip()

    def change(self) -> None:
        config = self.config
        if not self.text and config is not None and config.required:
            raise Invalid(_l("This field is required"), "text")
        error = sections.text_errors(self.code, self.text, self.application)
        if error:
            raise Invalid(error, "text")
        if self.row is None:
            self.row = new_row(self.application.id, self.code)
        self.row.text = self.text
