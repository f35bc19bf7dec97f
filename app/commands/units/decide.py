"""The one decision command of every review queue of the units (职称申报权限审核, 单位路径审核 /
评委会路径审核, 终审权限审核): 审核通过 or 审核不通过 with a reason, for one row or several chosen rows. Each row
is loaded again through the reviewer's rule in app/daos/units.py (a list action posts bare ids), so a
row the reviewer may not see is a 404 and nothing of the batch is kept."""
from __future__ import annotations

from typing import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotFound
from app.commands.units.scope import clean_reason, move
from app.workflow.states import Transition

MAX_ROWS = 100


def row_ids(values: Iterable) -> list[int]:
    """The posted row ids as integers; NotFound for anything that cannot be a row id."""
    ids = []
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 9:
            raise NotFound(_l("No such row"))
        ids.append(int(text))
    return ids


class DecideCommand(BaseCommand):
    """Subclasses name their table, role and audit prefix and load a row through the reviewer's rule."""

    table: tuple[Transition, ...] = ()
    role = ""
    audit_prefix = ""
    # (a dict: ABCMeta looks at each class attribute, which would turn a lazy string into text at import)
    messages = {"not_found": _l("No such row"), "not_waiting": _l("This application is not waiting for review")}

    def __init__(self, user, ids, approve: bool, reason: str | None = None):
        self.user, self.approve, self.reason = user, approve, reason
        self.ids = [ids] if isinstance(ids, int) else row_ids(ids)
        self.rows: list = []
        self.clean_reason: str | None = None

    def load(self, row_id: int):
        """The row if `self.user` may decide it (locked for update), else None."""
        raise NotImplementedError

    def role_for(self, row) -> str:
        return self.role

    def check(self, row) -> None:
        """Further refusals before the row changes (raise a CommandError)."""

    def before(self, row) -> None:
        """Fields written with the decision."""

    def after(self, row) -> None:
        """Consequences of the decision, in the same transaction."""

    def integrity_error(self) -> Exception | None:
        """What a unique index refusing the decision means, if it can."""
        return None

    def validate(self) -> None:
        if not self.ids:
            raise Invalid(_l("Please choose at least one row"))
        if len(self.ids) > MAX_ROWS:
            raise Invalid(_l("At most %(n)d rows at once", n=MAX_ROWS))
        self.clean_reason = None if self.approve else clean_reason(self.reason)
        self.rows = []
        for row_id in dict.fromkeys(self.ids):
            row = self.load(row_id)
            if row is None:
                raise NotFound(self.messages["not_found"])
            self.rows.append(row)

    def run(self):
        """The decided row (or the rows, when several were chosen)."""
        self.validate()
        action = "approve" if self.approve else "reject"
        try:
            for row in self.rows:
                self.check(row)
                self.before(row)
                row.reason = self.clean_reason
                move(row, self.table, action, self.role_for(row), actor=self.user,
                     audit_action=f"{self.audit_prefix}.{action}", refusal=self.messages["not_waiting"],
                     opinion=self.clean_reason or "")
                self.after(row)
        except IntegrityError:
            replacement = self.integrity_error()
            if replacement is None:
                raise
            raise replacement from None
        return self.rows[0] if len(self.rows) == 1 else self.rows
