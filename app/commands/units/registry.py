"""单位名录 import (U1): a CSV of 统一社会信用代码,单位名称 in UTF-8 or GBK. Every line is checked first;
any error rejects the whole file with its line numbers, otherwise all rows are added or renamed."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Forbidden, Invalid
from app.daos import units as units_dao
from app.daos.actors import role_names
from app.extensions import db
from app.models.units import UnitRegistryEntry
from app.security import roles
from app.security.validators import validate_credit_code
from app.services import audit

MAX_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 50
HEADER = ("统一社会信用代码", "单位名称")


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_l("The file is neither UTF-8 nor GBK text"), field="file")


def parse(raw: bytes) -> tuple[dict[str, str], list[str]]:
    """code → name, and the errors as "第 n 行：…" lines."""
    rows, errors, seen = {}, [], {}
    reader = csv.reader(io.StringIO(decode(raw)))
    for number, row in enumerate(reader, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and tuple(cells[:2]) == HEADER:
            continue
        if len(cells) != 2:
            errors.append(_("Line %(n)d: expected 2 columns (credit code, unit name), found %(k)d",
                            n=number, k=len(cells)))
            continue
        code, name = cells
        try:
            code = validate_credit_code(code)
        except ValueError as err:
            errors.append(_("Line %(n)d: %(reason)s", n=number, reason=str(err.args[0])))
            continue
        if not name or len(name) > 128:
            errors.append(_("Line %(n)d: the unit name is empty or longer than 128 characters", n=number))
            continue
        if code in seen:
            errors.append(_("Line %(n)d: the credit code repeats line %(m)d", n=number, m=seen[code]))
            continue
        seen[code] = number
        rows[code] = name
    return rows, errors


class ImportRegistryCommand(BaseCommand):
    def __init__(self, user, raw: bytes):
        self.user, self.raw = user, raw
        self.rows: dict[str, str] = {}

    def validate(self) -> None:
        if not role_names(self.user) & {roles.BUREAU, roles.ADMIN}:
            raise Forbidden(_l("Only the HR bureau imports the unit registry"))
        if not self.raw:
            raise Invalid(_l("Please choose a CSV file"), field="file")
        if len(self.raw) > MAX_BYTES:
            raise Invalid(_l("The file is larger than 5 MB"), field="file")
        rows, errors = parse(self.raw)
        if errors:
            raise Invalid(_l("Nothing was imported; correct these lines and import the file again"),
                          field="file", details=errors[:MAX_ERRORS])
        if not rows:
            raise Invalid(_l("The file has no rows"), field="file")
        self.rows = rows

    def run(self) -> int:
        self.validate()
        now = utcnow()
        existing = units_dao.registry_entries(list(self.rows))
        for code, name in self.rows.items():
            entry = existing.get(code)
            if entry is None:
                db.session.add(UnitRegistryEntry(credit_code=code, name=name, imported_at=now))
            elif entry.name != name:
                entry.name, entry.imported_at = name, now
        audit.record("unit_registry.import", actor=self.user, object_type="UnitRegistryEntry",
                     opinion=f"{len(self.rows)} rows")
        return len(self.rows)
