"""The committee's own lifecycles as data (SPEC §7 M1–M1c), beside the application's (states.py): the expert
in the pool, the meeting, and an expert's assignment to a meeting. Commands ask `move()`; nothing else
assigns these statuses. The application itself moves through states.TRANSITIONS (资格复审, 加入会议)."""
from __future__ import annotations

from enum import Enum

from flask_babel import lazy_gettext as _l


class ExpertStatus(str, Enum):
    IN_POOL = "in_pool"        # 入库: may be drawn
    OUT_OF_POOL = "out_of_pool"  # 出库: kept for history, never drawn


class MeetingStatus(str, Enum):
    PREPARING = "preparing"        # 筹备中: applications are added, experts not yet drawn
    REVIEWING = "reviewing"        # 信息评审中: experts drawn, online review open
    REVIEW_CLOSED = "review_closed"  # 信息评审结束: scores visible to the office; the vote follows
    CANCELLED = "cancelled"        # 已取消 (before any draw)
    VOTING = "voting"              # 投票中: attendance recorded with a quorum, present experts vote
    VOTE_CLOSED = "vote_closed"    # 投票结束: results computed, nothing about the vote changes any more
    PUBLICITY = "publicity"        # 公示中: results on the public page, objections may be filed
    FINALIZED = "finalized"        # 结果已确定: 评审通过 / 评审未通过, certificates issued


class AssignmentStatus(str, Enum):
    DRAWN = "drawn"          # 已抽取: notified, has not answered
    ACCEPTED = "accepted"    # 已接受: accepted the discipline pledge (评审专家纪律承诺书)
    DECLINED = "declined"    # 已谢绝: replaced by a second draw
    CONFLICT = "conflict"    # 申请回避: declared a conflict with the meeting; replaced by a second draw


LABELS = {
    ExpertStatus.IN_POOL: _l("In the pool"),
    ExpertStatus.OUT_OF_POOL: _l("Out of the pool"),
    MeetingStatus.PREPARING: _l("Preparing"),
    MeetingStatus.REVIEWING: _l("Online review"),
    MeetingStatus.REVIEW_CLOSED: _l("Online review closed"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
    MeetingStatus.VOTING: _l("Voting"),
    MeetingStatus.VOTE_CLOSED: _l("Vote closed"),
    MeetingStatus.PUBLICITY: _l("In publicity"),
    MeetingStatus.FINALIZED: _l("Results final"),
    AssignmentStatus.DRAWN: _l("Drawn"),
    AssignmentStatus.ACCEPTED: _l("Accepted"),
    AssignmentStatus.DECLINED: _l("Declined"),
    AssignmentStatus.CONFLICT: _l("Conflict declared"),
}

E, M, A = ExpertStatus, MeetingStatus, AssignmentStatus

# (action, source) → target; who may act is the command's business (office or the expert themself)
EXPERT_TRANSITIONS = {
    ("retire", E.IN_POOL): E.OUT_OF_POOL,     # 出库
    ("enroll", E.OUT_OF_POOL): E.IN_POOL,     # 入库
}
MEETING_TRANSITIONS = {
    ("add_application", M.PREPARING): M.PREPARING,
    ("remove_application", M.PREPARING): M.PREPARING,
    ("draw", M.PREPARING): M.REVIEWING,
    ("redraw", M.REVIEWING): M.REVIEWING,
    ("close_review", M.REVIEWING): M.REVIEW_CLOSED,
    ("cancel", M.PREPARING): M.CANCELLED,
    # the vote (M2), publicity (M3) and the final results (M4): app/commands/committee/vote.py, publicity.py
    ("record_attendance", M.REVIEW_CLOSED): M.REVIEW_CLOSED,
    ("open_vote", M.REVIEW_CLOSED): M.VOTING,
    ("close_vote", M.VOTING): M.VOTE_CLOSED,
    ("publish", M.VOTE_CLOSED): M.PUBLICITY,
    ("handle_objection", M.PUBLICITY): M.PUBLICITY,
    ("finalize", M.PUBLICITY): M.FINALIZED,
}
ASSIGNMENT_TRANSITIONS = {
    ("accept", A.DRAWN): A.ACCEPTED,
    ("decline", A.DRAWN): A.DECLINED,
    ("declare_conflict", A.DRAWN): A.CONFLICT,
    ("declare_conflict", A.ACCEPTED): A.CONFLICT,
}
TABLES = {"expert": EXPERT_TRANSITIONS, "meeting": MEETING_TRANSITIONS, "assignment": ASSIGNMENT_TRANSITIONS}

# an assignment that still counts for the meeting (the others were replaced by a second draw)
SEATED = (A.DRAWN.value, A.ACCEPTED.value)
# a meeting whose experts may read its applications
OPEN_FOR_EXPERTS = (M.REVIEWING.value, M.REVIEW_CLOSED.value, M.VOTING.value)


class NotAllowedHere(Exception):
    pass


def target(kind: str, action: str, source: str):
    """The status `action` leads to from `source` in the `kind` table, or NotAllowedHere."""
    try:
        return TABLES[kind][(action, type(next(iter(TABLES[kind].values())))(source))]
    except (KeyError, ValueError):
        raise NotAllowedHere(f"{kind}: {action} is not allowed from {source}") from None


def allowed(kind: str, source: str) -> list[str]:
    return [action for (action, src) in TABLES[kind] if src.value == source]


def label(status: str) -> str:
    for enum in (ExpertStatus, MeetingStatus, AssignmentStatus):
        try:
            return str(LABELS[enum(status)])
        except ValueError:
            continue
    return status or ""


# the draw's reasons for leaving an expert out (回避 and eligibility), recorded with every draw
EXCLUSION_REASONS = {
    "applicant_unit": _l("Works at an applicant's unit or a unit on its reporting chain"),
    "applicant": _l("Is an applicant in this meeting"),
    "term_ended": _l("The term has ended or not begun"),
    "specialty": _l("Another specialty"),
    "already_drawn": _l("Already drawn for this meeting"),
    "declined": _l("Declined or declared a conflict for this meeting"),
}
