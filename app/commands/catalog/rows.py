"""添加 / 修改 / 删除 of one catalog row through FAB's forms. The catalog views' hooks run these: the scope
check (app/commands/catalog/scope.py), the row written (a broken unique key is a clear message, not a
database error) and one audit row, committed together or not at all; FAB's own write after the hook then
finds nothing left to do (app/views/catalog/base.py, CatalogInterface)."""
from __future__ import annotations

from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.commands.base import BaseCommand
from app.commands.catalog import scope
from app.commands.errors import Invalid
from app.extensions import db
from app.services import audit

DUPLICATE = _l("The same entry already exists")
STILL_USED = _l("This row is still used elsewhere; it cannot be deleted")


def _flush(refusal) -> None:
    """Write now, so that a unique key or a reference the checks did not see is refused with `refusal`."""
    try:
        db.session.flush()
    except IntegrityError:
        raise Invalid(refusal) from None


class SaveCatalogRowCommand(BaseCommand):
    """Add or change `item` (filled in by FAB's form): `checks` run first, in order, each raising a
    CommandError to refuse; then the row and its audit entry ("catalog_added" / "catalog_changed")."""

    def __init__(self, user, item, *, action: str, object_type: str, checks: list[Callable],
                 describe: Callable, details: str = ""):
        self.user, self.item, self.action, self.object_type = user, item, action, object_type
        self.checks, self.describe, self.details = checks, describe, details

    def validate(self) -> None:
        db.session.add(self.item)  # first, so that the checks' autoflush sees a whole object graph
        for check in self.checks:
            check(self.item)

    def run(self):
        self.validate()
        _flush(DUPLICATE)
        audit.record(self.action, actor=self.user, object_type=self.object_type, object_id=self.item.id,
                     to_state=self.describe(self.item), opinion=self.details)
        return self.item


class DeleteCatalogRowCommand(BaseCommand):
    """Delete `item` after `checks`, when nothing refers to it any more; one "catalog_deleted" audit row."""

    def __init__(self, user, item, *, object_type: str, checks: list[Callable], describe: Callable):
        self.user, self.item, self.object_type = user, item, object_type
        self.checks, self.describe = checks, describe

    def validate(self) -> None:
        for check in self.checks:
            check(self.item)
        scope.check_not_referenced(self.item)

    def run(self) -> None:
        self.validate()
        audit.record("catalog_deleted", actor=self.user, object_type=self.object_type, object_id=self.item.id,
                     from_state=self.describe(self.item))
        db.session.delete(self.item)
        _flush(STILL_USED)
