"""What an application holds, for the pages that show it whole (the unit's review page): its section
rows, its entries in print order and its attachments, each grouped by section (three queries); its
timeline; and one attachment, for the pages that change or download it."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.daos.applications import find_visible
from app.models.applications import Application, ApplicationEvent, ApplicationSection, Attachment, SectionEntry
from app.services import entry_order


def section_rows(application_id: int) -> dict[str, ApplicationSection]:
    return {row.section: row for row in db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application_id)).scalars()}


def entries_by_section(application_id: int) -> dict[str, list[SectionEntry]]:
    """{section: entries}, each list in the order the forms print them."""
    entries: dict[str, list[SectionEntry]] = defaultdict(list)
    for entry in db.session.execute(select(SectionEntry).where(SectionEntry.application_id == application_id)
                                    .order_by(SectionEntry.position, SectionEntry.id)).scalars():
        entries[entry.section].append(entry)
    for code in entries:
        entries[code] = entry_order.in_print_order(code, entries[code])
    return entries


def attachments_by_section(application_id: int) -> dict[str, list[Attachment]]:
    files: dict[str, list[Attachment]] = defaultdict(list)
    for item in db.session.execute(select(Attachment).where(Attachment.application_id == application_id)
                                   .order_by(Attachment.id)).scalars():
        files[item.section].append(item)
    return files


def timeline_events(application: Application) -> list[ApplicationEvent]:
    """状态跟踪: the events of an application the caller loaded through its row rule, oldest first."""
    return db.session.execute(select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
                              .order_by(ApplicationEvent.at, ApplicationEvent.id)).scalars().all()


def attachment_in(application_id: int, attachment_id: int) -> Attachment | None:
    """The file of that id if it belongs to that application, else None; whether the user may change the
    application is the command's check."""
    attachment = db.session.get(Attachment, attachment_id)
    return attachment if attachment is not None and attachment.application_id == application_id else None


def visible_attachment(user, attachment_id: int) -> Attachment | None:
    """The file of that id if `user` may see its application (app.daos.applications' row rule), else None."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or find_visible(user, attachment.application_id) is None:
        return None
    return attachment
