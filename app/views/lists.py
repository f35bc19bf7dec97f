"""What the FAB lists and APIs share: the row filter (only the rows a DAO rule gives the signed-in account;
FAB's `action_post` loads rows without it, so the commands check each row again) and the interface that
loads the related rows a list shows in the same query."""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface


class SignedInRows(BaseFilter):
    """`value(user)` is the condition of the DAO rule for the signed-in account; None means every row."""

    name = "Mine"
    arg_name = None

    def apply(self, query, value):
        condition = value(g.user)
        return query if condition is None else query.filter(condition)


class EagerInterface(SQLAInterface):
    """Loads the related rows a list shows in the same query (no query per row)."""

    def __init__(self, obj, *eager):
        super().__init__(obj)
        self.eager = eager

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(*self.eager)
