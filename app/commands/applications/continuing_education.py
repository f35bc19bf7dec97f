"""继续教育 import: the applicant uploads the CSV or Excel (.xlsx) export of the
continuing-education platform (year, course, hours); every row is checked with the section's own entry
rules and the rows are added all together or not at all. Rows equal to an entry already there (same
year, course and hours) are skipped, so importing the same export twice adds nothing."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands.applications.sections import SectionCommand
from app.commands.errors import Invalid
from app.commands.sheets import sheet_rows
from app.extensions import db
from app.models.applications import SectionEntry
from app.workflow import sections

CODE = "continuing_education"
DEFAULT_MAX_BYTES = 1024 * 1024
MAX_ROWS = 500
MAX_SHOWN_ERRORS = 20
# the headers of the platform's export, and those a person typing a sheet is likely to use
HEADERS = {
    "year": ("年度", "年份", "学年", "学习年度", "培训年度", "year"),
    "content": ("课程名称", "课程", "培训内容", "学习内容", "培训项目", "项目名称", "course"),
    "hours": ("学时", "学时数", "获得学时", "认定学时", "hours"),
}


def _header_map(row: list[str]) -> dict[str, int] | None:
    cells = [str(c or "").strip().lower().replace(" ", "").replace("（", "(").split("(")[0] for c in row]
    found = {}
    for field, names in HEADERS.items():
        for index, cell in enumerate(cells):
            if cell in names:
                found[field] = index
                break
    return found if len(found) == len(HEADERS) else None


def read_rows(content: bytes, filename: str) -> list[dict]:
    """[{year, content, hours, line}] of the file's data rows, or Invalid (with the wrong rows in `details`)."""
    if not content:
        raise Invalid(_l("Choose the file exported from the continuing-education platform"), "file")
    rows = sheet_rows(content, MAX_ROWS, field=None)
    header_at = next((i for i, row in enumerate(rows[:10]) if _header_map(row)), None)
    if header_at is None:
        raise Invalid(_l("The file needs the columns 年度, 课程名称 and 学时 in its first rows"), "file")
    columns = _header_map(rows[header_at])
    data = []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        values = {field: (row[index] if index < len(row) else "") for field, index in columns.items()}
        if not any(values.values()):
            continue  # blank lines at the end of a sheet
        data.append({**values, "line": offset})
    if not data:
        raise Invalid(_l("The file has no rows to import"), "file")
    if len(data) > MAX_ROWS:
        raise Invalid(_l("At most %(n)d rows can be imported at once", n=MAX_ROWS), "file")
    return data


def max_bytes() -> int:
    return int(current_app.config.get("CONTINUING_EDUCATION_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _key(data: dict) -> tuple:
    try:
        hours = float(data.get("hours") or 0)
    except (TypeError, ValueError):
        hours = data.get("hours")
    return (str(data.get("year") or ""), str(data.get("content") or "").strip(), hours)


class ImportContinuingEducationCommand(SectionCommand):
    """Add the rows of an export to 继续教育 of an own, editable application; returns (added, skipped)."""

    action = "import_entries"

    def __init__(self, user, application_id: int, content: bytes, filename: str = "", version=None):
        super().__init__(user, application_id, CODE, version)
        self.content, self.filename = content or b"", filename or ""

    def change(self) -> tuple[int, int]:
        if len(self.content) > max_bytes():
            raise Invalid(_l("The file is larger than %(kb)d KB", kb=max_bytes() // 1024), "file")
        rows = read_rows(self.content, self.filename)
        application = self.application
        existing = [e.data or {} for e in sections.entries_of(application.id, CODE)]
        seen = {_key(d) for d in existing}
        field_labels = {f.name: str(f.label) for f in self.spec.fields}
        problems, cleaned_rows, skipped = [], [], 0
        for row in rows:
            raw = {"year": row["year"], "content": row["content"], "hours": row["hours"]}
            cleaned, errors = sections.clean_entry(CODE, raw, application, others=existing)
            if errors:
                for field, message in errors.items():
                    problems.append(_("Row %(line)d, %(field)s: %(message)s", line=row["line"],
                                      field=field_labels.get(field, field), message=message))
                continue
            if _key(cleaned) in seen:
                skipped += 1
                continue
            seen.add(_key(cleaned))
            cleaned_rows.append(cleaned)
        if problems:
            shown = problems[:MAX_SHOWN_ERRORS]
            if len(problems) > MAX_SHOWN_ERRORS:
                shown.append(_("… and %(n)d more", n=len(problems) - MAX_SHOWN_ERRORS))
            raise Invalid(_l("Nothing was imported: correct these rows and import the file again"),
                          details=[("", p) for p in shown])
        limit = self.config.max_entries if self.config is not None else None
        count = len(existing)
        if limit and count + len(cleaned_rows) > limit:
            raise Invalid(_l("At most %(n)d entries can be entered in this section", n=limit))
        position = db.session.execute(select(func.coalesce(func.max(SectionEntry.position), 0)).where(
            SectionEntry.application_id == application.id, SectionEntry.section == CODE)).scalar()
        for cleaned in cleaned_rows:
            position += 1
            db.session.add(SectionEntry(application_id=application.id, section=CODE, position=position,
                                        data=cleaned))
        self.action = f"import_entries:{len(cleaned_rows)}"
        return len(cleaned_rows), skipped
