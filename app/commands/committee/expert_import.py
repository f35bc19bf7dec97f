"""M1a: import experts into the office's pool from an Excel (.xlsx) or CSV list. Every row is checked with
the add form's rules (app/commands/committee/experts.py); the rows go in all together or, when any row is
wrong, none does and the page lists each wrong row with its reason."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.commands.base import BaseCommand
from app.commands.committee.experts import add_expert, clean_expert
from app.commands.errors import Invalid
from app.commands.sheets import sheet_rows
from app.daos.committee import office_committee

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
        self.committee = office_committee(self.user)
        if not self.content:
            raise ImportRefused(_l("Choose the Excel or CSV file of the experts"), "file")
        if len(self.content) > int(current_app.config["EXPERT_IMPORT_MAX_BYTES"]):
            raise ImportRefused(_l("The file is too large"), "file")
        limit = int(current_app.config["EXPERT_IMPORT_MAX_ROWS"])
        rows = sheet_rows(self.content, limit, dates=True)
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
