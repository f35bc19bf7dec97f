"""The row filter of the FAB lists and APIs: only the rows a DAO rule gives the signed-in account. FAB's
`action_post` loads rows without it, so the commands check each row again."""
from __future__ import annotations

from flask import g
from flask_appbuilder.models.filters import BaseFilter


class SignedInRows(BaseFilter):
    """`value(user)` is the condition of the DAO rule for the signed-in account; None means every row."""

    name = "Mine"
    arg_name = None

    def apply(self, query, value):
        condition = value(g.user)
        return query if condition is None else query.filter(condition)
