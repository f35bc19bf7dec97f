"""M1a: import experts into the office's pool from an Excel (.xlsx) or CSV list. Every row is checked with
the add form's rules (app/commands/committee/experts.py); the rows go in all together or, when any row is
wrong, none does and the page lists each wrong row with its reason."""
from __future__ import annotations

import csv
import io
import zipfile

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.committee.experts import add_expert, clean_expert
from app.commands.errors import CommandError, Invalid, NotFound
from app.daos.actors import committee_id_of
from app.extensions import db
from app.models.catalog import Committee

MAX_SHOWN_ERRORS = 30
# the sheet's headers: what the template says, and what a person typing a list is likely to use
HEADERS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "id_number"),
    "mobile": ("手机", "手机号", "手机号码", "mobile"),
    "email": ("电子邮箱", "邮箱", "email"),
    "work_unit_name": ("工作单位", "单位", "work_unit"),
    "specialty": ("专业", "从事专业", "specialty"),
    "level": ("现职称级别", "职称级别", "级别", "level"),
    "term_start": ("聘期开始", "聘期起", "term_start"),
    "term_end": ("聘期结束", "聘期止", "term_end"),
}
OPTIONAL = {"email", "specialty"}
TEMPLATE_HEADER = ["姓名", "身份证号", "手机号", "电子邮箱", "工作单位", "专业", "现职称级别", "聘期开始", "聘期结束"]
FIELD_LABELS = {"name": _l("Name"), "id_number": _l("ID number"), "mobile": _l("Mobile"),
                "email": _l("E-mail"), "work_unit_name": _l("Work unit"), "specialty": _l("Specialty"),
                "level": _l("Current title level"), "term_start": _l("Term starts on"),
                "term_end": _l("Term ends on")}


class ImportRefused(Invalid):
    """The file cannot be read or some rows are wrong; `details` lists them."""


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if hasattr(value, "year") else str(value).strip()


def _rows(content: bytes, limit: int) -> list[list]:
    if content.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
            raise ImportRefused(_l("The Excel file could not be read; save it again as .xlsx or as CSV"),
                                "file") from None
        try:
            rows = []
            for row in (workbook.worksheets[0].iter_rows(values_only=True) if workbook.worksheets else ()):
                rows.append([_cell(v) for v in row])
                if len(rows) > limit + 1:
                    break
            return rows
        finally:
            workbook.close()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused(_l("Old .xls files are not supported; save the sheet as .xlsx or CSV"), "file")
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_l("The file could not be read as CSV; save it as CSV (UTF-8) or Excel (.xlsx)"), "file")
    try:
        return [row for row in csv.reader(io.StringIO(text))][: limit + 2]
    except csv.Error:
        raise ImportRefused(_l("The file could not be read as CSV; save it as CSV (UTF-8) or Excel (.xlsx)"),
                            "file") from None


def _columns(header: list) -> dict[str, int] | None:
    cells = [str(c or "").strip().lower().replace(" ", "") for c in header]
    found = {}
    for field, names in HEADERS.items():
        index = next((i for i, cell in enumerate(cells) if cell in names), None)
        if index is not None:
            found[field] = index
    return found if set(HEADERS) - OPTIONAL <= set(found) else None


class ImportExpertsCommand(BaseCommand):
    def __init__(self, user, content: bytes):
        self.user, self.content = user, content or b""
        self.added: list = []

    def validate(self) -> None:
        committee_id = committee_id_of(self.user)
        if committee_id is None:
            raise NotFound(_l("Only a committee office can do this"))
        self.committee = db.session.get(Committee, committee_id)
        if not self.content:
            raise ImportRefused(_l("Choose the Excel or CSV file of the experts"), "file")
        if len(self.content) > int(current_app.config["EXPERT_IMPORT_MAX_BYTES"]):
            raise ImportRefused(_l("The file is too large"), "file")
        limit = int(current_app.config["EXPERT_IMPORT_MAX_ROWS"])
        rows = _rows(self.content, limit)
        header_at = next((i for i, row in enumerate(rows[:10]) if _columns(row)), None)
        if header_at is None:
            raise ImportRefused(_l("The first rows need the columns %(names)s", names="、".join(TEMPLATE_HEADER)),
                                "file")
        columns = _columns(rows[header_at])
        self.rows = []
        for line, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            values = {field: (row[index] if index < len(row) else "") for field, index in columns.items()}
            if any(str(v).strip() for v in values.values()):
                self.rows.append((line, values))
        if not self.rows:
            raise ImportRefused(_l("The file has no expert rows"), "file")
        if len(self.rows) > limit:
            raise ImportRefused(_l("At most %(n)d rows in one import", n=limit), "file")

    def run(self) -> list:
        self.validate()
        errors, seen = [], {}
        for line, values in self.rows:
            try:
                data = clean_expert(values, self.committee)
                if data.id_number in seen:
                    raise Invalid(_l("The same ID number as row %(n)d", n=seen[data.id_number]), "id_number")
                seen[data.id_number] = line
                # a wrong row is refused before it writes; any wrong row rolls back the whole file
                self.added.append(add_expert(self.committee, data, self.user))
            except Invalid as err:
                errors.append(_("Row %(line)d, %(field)s: %(message)s", line=line,
                                field=FIELD_LABELS.get(err.field, err.field or ""), message=err.message))
        if errors:
            raise ImportRefused(_l("Nothing was imported: %(n)d rows are wrong", n=len(errors)), "file",
                                details=errors[:MAX_SHOWN_ERRORS])
        return self.added
