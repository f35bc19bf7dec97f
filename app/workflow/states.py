"""The application lifecycle as data (SPEC §11): every state, the actions that leave it, where they
lead and which role may take them. Commands ask `transition()`; nothing else changes a status."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from flask_babel import lazy_gettext as _l


class Status(str, Enum):
    DRAFT = "draft"                        # 草稿
    CANCELLED = "cancelled"                # 已取消
    PENDING_UNIT = "pending_unit"          # 待单位审核 (at current_unit)
    PASSED_UNIT = "passed_unit"            # 通过未上报 (at current_unit)
    RETURNED = "returned"                  # 已退回 (to the applicant)
    PENDING_COMMITTEE = "pending_committee"  # 待评审 (待资格复审)
    PENDING_OFFICE = "pending_office"      # 待受理部门审核 (职称初定, at its 报送受理部门)
    ELIGIBLE = "eligible"                  # 资格复审通过: may be added to a meeting
    IN_MEETING = "in_meeting"              # 评审中: covered by a meeting
    REVIEW_PASSED = "review_passed"        # 评审通过
    REVIEW_FAILED = "review_failed"        # 评审未通过
    CERTIFIED = "certified"                # 已发证
    FINAL_PASSED = "final_passed"          # 终审通过 (recognition, transfer-in)
    BLACKLISTED = "blacklisted"            # 黑名单


LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.CANCELLED: _l("Cancelled"),
    Status.PENDING_UNIT: _l("Pending unit review"),
    Status.PASSED_UNIT: _l("Passed, not reported"),
    Status.RETURNED: _l("Returned"),
    Status.PENDING_COMMITTEE: _l("Pending committee review"),
    Status.PENDING_OFFICE: _l("Pending review by the accepting office"),
    Status.ELIGIBLE: _l("Eligibility check passed"),
    Status.IN_MEETING: _l("In a review meeting"),
    Status.REVIEW_PASSED: _l("Review passed"),
    Status.REVIEW_FAILED: _l("Review failed"),
    Status.CERTIFIED: _l("Certificate issued"),
    Status.FINAL_PASSED: _l("Final review passed"),
    Status.BLACKLISTED: _l("Blacklisted"),
}


@dataclass(frozen=True)
class Transition:
    action: str
    source: Status
    target: Status
    role: str


S = Status
TRANSITIONS: tuple[Transition, ...] = (
    # applicant
    Transition("submit", S.DRAFT, S.PENDING_UNIT, "Individual"),
    Transition("cancel", S.DRAFT, S.CANCELLED, "Individual"),
    Transition("resubmit", S.RETURNED, S.PENDING_UNIT, "Individual"),
    # units (R1–R5); a return from a superior lands in the lower unit's queue as pending again
    Transition("pass", S.PENDING_UNIT, S.PASSED_UNIT, "Unit"),
    Transition("return", S.PENDING_UNIT, S.RETURNED, "Unit"),
    Transition("return", S.PASSED_UNIT, S.RETURNED, "Unit"),
    Transition("return_to_unit", S.PENDING_UNIT, S.PENDING_UNIT, "Unit"),
    Transition("return_to_unit", S.PASSED_UNIT, S.PENDING_UNIT, "Unit"),
    Transition("blacklist", S.PENDING_UNIT, S.BLACKLISTED, "Unit"),
    Transition("report", S.PASSED_UNIT, S.PENDING_UNIT, "Unit"),
    Transition("report_to_committee", S.PASSED_UNIT, S.PENDING_COMMITTEE, "Unit"),
    Transition("final_pass", S.PENDING_UNIT, S.FINAL_PASSED, "Unit"),
    # committee (M1–M4): 资格复审 passes it or returns it to the reporting unit (one level down)
    Transition("eligibility_pass", S.PENDING_COMMITTEE, S.ELIGIBLE, "Committee"),
    Transition("eligibility_return", S.PENDING_COMMITTEE, S.PENDING_UNIT, "Committee"),
    Transition("eligibility_return", S.ELIGIBLE, S.PENDING_UNIT, "Committee"),
    Transition("add_to_meeting", S.ELIGIBLE, S.IN_MEETING, "Committee"),
    Transition("remove_from_meeting", S.IN_MEETING, S.ELIGIBLE, "Committee"),
    Transition("review_pass", S.PENDING_COMMITTEE, S.REVIEW_PASSED, "Committee"),
    Transition("review_fail", S.PENDING_COMMITTEE, S.REVIEW_FAILED, "Committee"),
    Transition("review_pass", S.IN_MEETING, S.REVIEW_PASSED, "Committee"),
    Transition("review_fail", S.IN_MEETING, S.REVIEW_FAILED, "Committee"),
    Transition("certify", S.REVIEW_PASSED, S.CERTIFIED, "Bureau"),
    Transition("certify", S.REVIEW_PASSED, S.CERTIFIED, "Committee"),
    # 证书入库 after 终审通过: the unit with final-review authority, or the bureau of its region
    Transition("certify", S.FINAL_PASSED, S.CERTIFIED, "Unit"),
    Transition("certify", S.FINAL_PASSED, S.CERTIFIED, "Bureau"),
    # 职称初定: straight to the 报送受理部门 the applicant chose; the bureau of the office's region acts for
    # it: 通过 is its final review (then 证书入库 above, issuer = the office), 退回 goes back with a reason
    Transition("submit_to_office", S.DRAFT, S.PENDING_OFFICE, "Individual"),
    Transition("resubmit_to_office", S.RETURNED, S.PENDING_OFFICE, "Individual"),
    Transition("office_pass", S.PENDING_OFFICE, S.FINAL_PASSED, "Bureau"),
    Transition("office_return", S.PENDING_OFFICE, S.RETURNED, "Bureau"),
)


class TransitionNotAllowed(Exception):
    """The table has no such transition (app/workflow/lifecycle.py turns it into NotAllowed)."""


def transition(action: str, source: str, role: str, table: tuple[Transition, ...] = TRANSITIONS):
    """The state that `action` leads to from `source` for `role` in `table` (the application's unless
    given), or TransitionNotAllowed."""
    for t in table:
        if t.action == action and t.source == source and t.role == role:
            return t.target
    raise TransitionNotAllowed(f"{action} is not allowed from {source} for {role}")


def allowed_actions(source: str, role: str) -> list[str]:
    """The actions `role` may take on an application in status `source`, in table order."""
    return [t.action for t in TRANSITIONS if t.source == source and t.role == role]


# An application in any other status holds the person's one place per business and year (drafts, those
# under review, passed, 终审通过, certified); these end it without a title, so a new one may be made.
# Kept in step with the partial unique index uq_application_one_open_per_year (app/models/applications.py).
CLOSED_STATUSES = frozenset({S.CANCELLED.value, S.REVIEW_FAILED.value, S.BLACKLISTED.value})

# What the applicant may change in each status (app/workflow/sections/state.py asks these): the base form
# only in a draft; the sections all in a draft, after a return (P9) only those the unit marked 不通过.
BASE_FORM_EDITABLE = frozenset({S.DRAFT})
SECTIONS_EDITABLE = {S.DRAFT: "all", S.RETURNED: "rejected"}
EDITABLE_BY_APPLICANT = frozenset(SECTIONS_EDITABLE)


def base_form_editable(status: str) -> bool:
    """True while the applicant may still change the base information of an application in `status`."""
    return status in BASE_FORM_EDITABLE


def sections_editable(status: str) -> str:
    """"all", "rejected" (only the sections marked 不通过) or "" (none) for an application in `status`."""
    try:
        return SECTIONS_EDITABLE.get(Status(status), "")
    except ValueError:
        return ""


# --- the sections of an application (P6, P9): their own states and transitions, beside the application's


class SectionStatus(str, Enum):
    EMPTY = "empty"        # 未填写 (grey)
    FILLED = "filled"      # 已填写 (blue)
    REJECTED = "rejected"  # 不通过 (red): marked by a unit's 退回, with a reason


SECTION_LABELS = {
    SectionStatus.EMPTY: _l("Not filled"),
    SectionStatus.FILLED: _l("Filled"),
    SectionStatus.REJECTED: _l("Not passed"),
}

SS = SectionStatus
SECTION_TRANSITIONS: tuple[Transition, ...] = (
    # the applicant saves a section in any state: it is filled or empty by its content (a 不通过 mark
    # is lifted so, its reason kept); a unit's 退回 marks any section 不通过; passing clears the marks
    *(Transition("fill", source, SS.FILLED, "Individual") for source in SS),
    *(Transition("clear", source, SS.EMPTY, "Individual") for source in SS),
    *(Transition("reject", source, SS.REJECTED, "Unit") for source in SS),
    Transition("clear_mark", SS.REJECTED, SS.FILLED, "Unit"),
)


def section_transition(action: str, source: str, role: str) -> SectionStatus:
    """The section status that `action` leads to from `source` for `role`, or TransitionNotAllowed."""
    return transition(action, source, role, SECTION_TRANSITIONS)


def section_label(status: str) -> str:
    """The Chinese label of a section status (未填写, 已填写, 不通过)."""
    try:
        return str(SECTION_LABELS[SectionStatus(status)])
    except ValueError:
        return status or ""

# Who may see an application (app/daos/applications.py): a draft (or a cancelled draft) is the
# applicant's alone; a committee sees it from the moment it is reported to it (report_to_committee).
NEVER_SUBMITTED = (S.DRAFT.value, S.CANCELLED.value)
REPORTED_TO_COMMITTEE = (S.PENDING_COMMITTEE.value, S.ELIGIBLE.value, S.IN_MEETING.value, S.REVIEW_PASSED.value, S.REVIEW_FAILED.value,
                         S.CERTIFIED.value)

# P1: the four businesses an applicant may apply for (keys as in BusinessSection.business)
BUSINESS_LABELS = {
    "review": _l("Title review application"),          # 职称评审申报
    "recognition": _l("Full-time title recognition"),  # 全日制职称认定
    "transfer": _l("Transfer-in qualification confirmation"),  # 外地调入资格确认
    "initial": _l("Initial title determination"),      # 职称初定
}


def label(status: str) -> str:
    """The Chinese label of a status value ('' for none)."""
    try:
        return str(LABELS[Status(status)])
    except ValueError:
        return status or ""


# P8: how the timeline names each action
ACTION_LABELS = {
    "create": _l("Created"), "submit": _l("Submitted"), "resubmit": _l("Submitted again"),
    "cancel": _l("Cancelled"), "return": _l("Returned to the applicant"), "pass": _l("Passed"),
    "return_to_unit": _l("Returned to the lower unit"), "report": _l("Reported"),
    "report_to_committee": _l("Reported to the committee"), "blacklist": _l("Added to the blacklist"),
    "final_pass": _l("Final review passed"), "review_pass": _l("Review passed"),
    "review_fail": _l("Review failed"), "certify": _l("Certificate issued"),
    "eligibility_pass": _l("Eligibility check passed"),
    "eligibility_return": _l("Returned by the committee to the reporting unit"),
    "add_to_meeting": _l("Added to a review meeting"), "remove_from_meeting": _l("Removed from a review meeting"),
    "submit_to_office": _l("Submitted to the accepting office"),
    "resubmit_to_office": _l("Submitted to the accepting office again"),
    "office_pass": _l("Passed by the accepting office"), "office_return": _l("Returned by the accepting office"),
}


def action_label(action: str) -> str:
    """The Chinese name of a timeline action (状态跟踪)."""
    return str(ACTION_LABELS.get(action, action))
