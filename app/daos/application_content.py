"""What an application holds, for the pages that show it whole (the unit's review page): its section
rows, its entries in print order and its attachments, each grouped by section; three queries."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.extensions import db
from app.models.applications import ApplicationSection, Attachment, SectionEntry
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
