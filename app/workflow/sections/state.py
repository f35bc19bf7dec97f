"""The section-state queries: which sections a business shows (configured per committee and year),
what each holds, which the applicant may edit now, and what blocks 确认申报. They read only; the
commands in app/commands/applications/ write. The rules themselves are pure (rules.py)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.clock import utcnow
from app.extensions import db
from app.models.applications import (Application, ApplicationEvent, ApplicationSection, Attachment,
                                     BusinessSection, SectionEntry)
from app.workflow import states
from app.workflow.sections import rules
from app.workflow.sections.definitions import SECTIONS
from app.workflow.states import SectionStatus


def configured_sections(business: str, committee_id: int | None, year: int | None) -> list[BusinessSection]:
    """The sections `business` shows for this committee and year: an override row (committee_id and/or
    year set, matching) replaces the general row of the same section; the more specific override wins.
    Only shown rows, ordered by position."""
    rows = db.session.execute(select(BusinessSection).where(BusinessSection.business == business)
                              .order_by(BusinessSection.position, BusinessSection.id)).scalars().all()
    chosen: dict[str, tuple[int, BusinessSection]] = {}
    for row in rows:
        if row.committee_id is not None and row.committee_id != committee_id:
            continue
        if row.year is not None and row.year != year:
            continue
        specificity = (row.committee_id is not None) * 2 + (row.year is not None)
        current = chosen.get(row.section)
        if current is None or specificity > current[0]:
            chosen[row.section] = (specificity, row)
    ordered = sorted((row for _s, row in chosen.values()), key=lambda r: (r.position, r.id))
    return [row for row in ordered if row.shown and row.section in SECTIONS]


def configured_for(application: Application) -> list[BusinessSection]:
    return configured_sections(application.business, application.committee_id, application.year)


def section_config(application: Application, code: str) -> BusinessSection | None:
    return next((row for row in configured_for(application) if row.section == code), None)


def _entries(application_id: int, code: str | None = None) -> list[SectionEntry]:
    stmt = select(SectionEntry).where(SectionEntry.application_id == application_id)
    if code is not None:
        stmt = stmt.where(SectionEntry.section == code)
    return list(db.session.execute(stmt.order_by(SectionEntry.position, SectionEntry.id)).scalars())


def entries_of(application_id: int, code: str) -> list[SectionEntry]:
    return _entries(application_id, code)


def section_row(application_id: int, code: str) -> ApplicationSection | None:
    """The stored state of one section (None while nothing was saved: empty, version 1)."""
    return db.session.execute(select(ApplicationSection).where(
        ApplicationSection.application_id == application_id, ApplicationSection.section == code)).scalar_one_or_none()


def attachments_of(application_id: int, code: str) -> list[Attachment]:
    return list(db.session.execute(select(Attachment).where(
        Attachment.application_id == application_id, Attachment.section == code).order_by(Attachment.id)).scalars())


def _rows(application_id: int) -> dict[str, ApplicationSection]:
    return {row.section: row for row in db.session.execute(
        select(ApplicationSection).where(ApplicationSection.application_id == application_id)).scalars()}


def _counts(model, application_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(model.section, func.count(model.id))
                                   .where(model.application_id == application_id).group_by(model.section)).all())


def clean_entry(code: str, raw: dict, application: Application, entry_id: int | None = None,
                others: list[dict] | None = None) -> tuple[dict, dict[str, str]]:
    """(cleaned data, {field: message}) for one entry of section `code` (rules.clean_fields); the other
    entries of the section are read here unless given (an import passes them once for all its rows)."""
    spec = SECTIONS[code]
    if others is None and spec.entry_rule is not None:
        others = [e.data or {} for e in _entries(application.id, code) if e.id != entry_id]
    return rules.clean_fields(spec, raw, others or [], application, utcnow().date())


def text_errors(code: str, text: str, application: Application) -> str | None:
    """Why the text of section `code` cannot be saved, or None."""
    return rules.text_problem(SECTIONS[code], text, application)


@dataclass
class SectionState:
    code: str
    label: object
    kind: str
    required: bool
    status: str  # a SectionStatus value
    reason: str
    entry_count: int
    attachment_count: int
    editable: bool
    max_entries: int | None = None
    version: int = 1

    @property
    def rejected(self) -> bool:
        return self.status == SectionStatus.REJECTED


def section_states(application: Application) -> list[SectionState]:
    """One state per configured section (P6: grey empty, blue filled, red rejected); reads only."""
    rows = _rows(application.id)
    entries = _counts(SectionEntry, application.id)
    files = _counts(Attachment, application.id)
    editable = editable_sections(application, rows=rows)
    states_ = []
    for config in configured_for(application):
        code, spec = config.section, SECTIONS[config.section]
        row = rows.get(code)
        text = row.text if row is not None else ""
        status = rules.content_status(spec.kind, entries.get(code, 0), files.get(code, 0), text or "")
        if row is not None and row.status == SectionStatus.REJECTED:
            status = SectionStatus.REJECTED.value
        states_.append(SectionState(
            code=code, label=spec.label, kind=spec.kind, required=bool(config.required), status=status,
            reason=(row.reason or "") if row is not None else "", entry_count=entries.get(code, 0),
            attachment_count=files.get(code, 0), editable=code in editable, max_entries=config.max_entries,
            version=row.version if row is not None else 1))
    return states_


def section_problems(application: Application, config: BusinessSection, *, entries=None, text=None,
                     attachment_count=None) -> list[str]:
    """The reasons why one configured section blocks 确认申报 (empty when fine); reads its entries
    unless given."""
    spec = SECTIONS[config.section]
    if entries is None and spec.kind == "entries":
        entries = _entries(application.id, spec.code)
    return rules.section_problems(spec, config, application, [e.data or {} for e in entries or []],
                                  text or "", attachment_count or 0)


def missing_sections(application: Application) -> list[tuple[str, str]]:
    """(section label, reason) for every configured section that blocks 确认申报; [] means submittable."""
    rows = _rows(application.id)
    files = _counts(Attachment, application.id)
    all_entries: dict[str, list[SectionEntry]] = {}
    for entry in _entries(application.id):
        all_entries.setdefault(entry.section, []).append(entry)
    result = []
    for config in configured_for(application):
        code = config.section
        row = rows.get(code)
        for problem in section_problems(application, config, entries=all_entries.get(code, []),
                                        text=row.text if row is not None else "",
                                        attachment_count=files.get(code, 0)):
            result.append((str(SECTIONS[code].label), problem))
    return result


def _last_return_at(application: Application) -> dt.datetime | None:
    return db.session.execute(select(func.max(ApplicationEvent.at)).where(
        ApplicationEvent.application_id == application.id, ApplicationEvent.action == "return")).scalar()


def editable_sections(application: Application, rows: dict[str, ApplicationSection] | None = None) -> set[str]:
    """The sections the applicant may change now, as the lifecycle table says (states.SECTIONS_EDITABLE):
    in a draft every configured section; after a return (P9) the sections the unit marked 不通过 — those
    still rejected, and those the applicant has saved since that return (filled again, reason kept);
    in any other status none."""
    which = states.sections_editable(application.status)
    if not which:
        return set()
    configured = {row.section for row in configured_for(application)}
    if which == "all":
        return configured
    rows = rows if rows is not None else _rows(application.id)
    returned_at = _last_return_at(application)
    result = set()
    for code, row in rows.items():
        if code not in configured:
            continue
        if row.status == SectionStatus.REJECTED:
            result.add(code)
        elif row.reason and row.updated_at is not None and returned_at is not None and row.updated_at >= returned_at:
            result.add(code)
    return result
