"""The states of the units' own records as data, beside the application's (app/workflow/states.py):
职称申报权限申请 (U1), 上报路径 (U3/U4) and 终审权限申请 (U5). Each table lists every action, the state it
leaves, the state it reaches and the role that may take it; the unit commands ask `next_status()`."""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l

from app.workflow.states import Transition, TransitionNotAllowed


class PermissionStatus(str, Enum):
    DRAFT = "draft"            # 已保存未提交
    SUBMITTED = "submitted"    # 待审核
    APPROVED = "approved"      # 审核通过 (the unit has 职称申报权限)
    REJECTED = "rejected"      # 审核不通过 (edited and submitted again)


class PathStatus(str, Enum):
    PENDING = "pending"        # 未生效
    EFFECTIVE = "effective"    # 已生效
    REJECTED = "rejected"      # 审核不通过


class AuthorityStatus(str, Enum):
    PENDING = "pending"        # 待审核
    APPROVED = "approved"      # 审核通过 (the authority itself)
    REJECTED = "rejected"      # 审核不通过


P, R, A = PermissionStatus, PathStatus, AuthorityStatus
UNIT, BUREAU, COMMITTEE = "Unit", "Bureau", "Committee"

PERMISSION_TRANSITIONS: tuple[Transition, ...] = (
    # 保存申请 keeps the state: a draft stays a draft, a rejected application stays rejected until submitted
    Transition("save", P.DRAFT, P.DRAFT, UNIT),
    Transition("save", P.REJECTED, P.REJECTED, UNIT),
    # 提交申请: to the bureau of the region, or granted at once by the registry check
    Transition("submit", P.DRAFT, P.SUBMITTED, UNIT),
    Transition("submit", P.REJECTED, P.SUBMITTED, UNIT),
    Transition("auto_grant", P.DRAFT, P.APPROVED, UNIT),
    Transition("auto_grant", P.REJECTED, P.APPROVED, UNIT),
    Transition("approve", P.SUBMITTED, P.APPROVED, BUREAU),
    Transition("reject", P.SUBMITTED, P.REJECTED, BUREAU),
)
# a path is decided by its target: the superior unit (单位路径) or the committee (评委会路径)
PATH_TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", R.PENDING, R.EFFECTIVE, UNIT),
    Transition("reject", R.PENDING, R.REJECTED, UNIT),
    Transition("approve", R.PENDING, R.EFFECTIVE, COMMITTEE),
    Transition("reject", R.PENDING, R.REJECTED, COMMITTEE),
)
AUTHORITY_TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", A.PENDING, A.APPROVED, BUREAU),
    Transition("reject", A.PENDING, A.REJECTED, BUREAU),
)

# where a new record starts
PERMISSION_INITIAL, PATH_INITIAL, AUTHORITY_INITIAL = P.DRAFT, R.PENDING, A.PENDING
# the permission application the unit may still change (保存申请 / 提交申请)
PERMISSION_EDITABLE = frozenset({P.DRAFT.value, P.REJECTED.value})
# the authorities that hold a unit's one place per business and level (pending or granted)
AUTHORITY_OPEN = (A.PENDING.value, A.APPROVED.value)

PERMISSION_LABELS = {P.DRAFT.value: _l("Saved, not submitted"), P.SUBMITTED.value: _l("Waiting for review"),
                     P.APPROVED.value: _l("Approved"), P.REJECTED.value: _l("Not approved")}
PATH_LABELS = {R.PENDING.value: _l("Not effective"), R.EFFECTIVE.value: _l("Effective"),
               R.REJECTED.value: _l("Not approved")}
AUTHORITY_LABELS = {A.PENDING.value: _l("Waiting for review"), A.APPROVED.value: _l("Approved"),
                    A.REJECTED.value: _l("Not approved")}


def next_status(table: tuple[Transition, ...], action: str, source: str, role: str) -> str:
    """The state `action` leads to from `source` for `role` in `table`, or TransitionNotAllowed."""
    for t in table:
        if t.action == action and t.source == source and t.role == role:
            return t.target.value
    raise TransitionNotAllowed(f"{action} is not allowed from {source} for {role}")


def waiting(table: tuple[Transition, ...]) -> str:
    """The state a reviewer decides from (the source of `approve`): the queue's default tab."""
    return next(t.source.value for t in table if t.action == "approve")
