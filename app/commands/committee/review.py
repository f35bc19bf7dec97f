"""M1c 信息评审, the expert's side: accept the 评审专家纪律承诺书 (then the meeting's applications open),
decline the meeting or declare a conflict with it (a second draw replaces the seat), and score each
application 0–100 with an opinion, or declare a conflict with that one application. Only the expert's
own assignment is ever loaded (a forged meeting or application id is NotFound)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.commands.committee.numbers import is_number
from app.clock import utcnow
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.committee.draw import replace_seat
from app.commands.committee.meetings import committee_move
from app.commands.errors import Invalid, NotAllowed
from app.daos.committee import expert_application, own_assignment
from app.extensions import db
from app.models.committee import Assignment, Score
from app.services import audit
from app.workflow.committee_states import MeetingStatus

OPINION_MAX = 2000
REASON_MAX = 500
# 评审专家纪律承诺书: what a drawn expert accepts, on the meeting page and in the API alike
PLEDGE = (
    _l("I review fairly and objectively, by the standards of the title and the materials alone."),
    _l("I keep the applicants' materials, the scores and the discussion secret and copy nothing."),
    _l("I accept no gift, contact or request from an applicant or anyone on their behalf."),
    _l("I declare at once any conflict of interest with an applicant (work unit, relatives, teacher and student)."),
)


def assignment_move(assignment: Assignment, action: str, actor, opinion: str = "") -> None:
    """The expert's answer to a draw: `action` in the assignment table, answered now."""
    committee_move(assignment, "assignment", action, actor, opinion, stamp="answered_at",
                   refusal=lambda status: _l("This cannot be done any more (now: %(status)s)", status=status))


class AcceptPledgeCommand(BaseCommand):
    """The expert accepts the discipline pledge of a meeting they were drawn for."""

    def __init__(self, user, meeting_id: int, agreed: bool):
        self.user, self.meeting_id, self.agreed = user, meeting_id, agreed

    def validate(self) -> None:
        self.assignment = own_assignment(self.user, self.meeting_id, for_update=True)
        if not self.agreed:
            raise Invalid(_l("Read the pledge and choose I agree"), "agree")
        if self.assignment.meeting.status != MeetingStatus.REVIEWING.value:
            raise NotAllowed(_l("The online review of this meeting is not open"))

    def run(self) -> Assignment:
        self.validate()
        self.assignment.pledge_accepted_at = utcnow()
        assignment_move(self.assignment, "accept", self.user)
        return self.assignment


class DeclineCommand(BaseCommand):
    """谢绝 (before accepting) or 申请回避 for the whole meeting (also after accepting, before any score):
    the seat is drawn again at once."""

    def __init__(self, user, meeting_id: int, reason: str, conflict: bool = False):
        self.user, self.meeting_id, self.conflict = user, meeting_id, conflict
        self.reason = (reason or "").strip()

    def validate(self) -> None:
        self.assignment = own_assignment(self.user, self.meeting_id, for_update=True)
        if not self.reason:
            raise Invalid(_l("Give the reason"), "reason")
        if len(self.reason) > REASON_MAX:
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "reason")
        if self.assignment.meeting.status != MeetingStatus.REVIEWING.value:
            raise NotAllowed(_l("The online review of this meeting is not open"))
        if db.session.execute(select(Score.id).where(Score.assignment_id == self.assignment.id).limit(1)).first():
            raise NotAllowed(_l("You have scored applications of this meeting; declare a conflict per application"))

    def run(self) -> Assignment:
        self.validate()
        self.assignment.reason = self.reason
        assignment_move(self.assignment, "declare_conflict" if self.conflict else "decline", self.user, self.reason)
        meeting = self.assignment.meeting
        replace_seat(meeting, self.assignment, self.user)
        return self.assignment


class ScoreCommand(BaseCommand):
    """One application: a score 0–100 and an opinion, or a declared conflict (with a reason). Changeable
    until the office closes the online review; each save is a compare-and-set on the score row."""

    def __init__(self, user, meeting_id: int, application_id: int, score, opinion: str, conflict: bool = False,
                 seen_version=None):
        self.user, self.meeting_id, self.application_id = user, meeting_id, application_id
        self.raw_score = "" if score is None else str(score).strip()
        self.opinion, self.conflict = (opinion or "").strip(), conflict
        self.seen_version = str(seen_version or "").strip()

    def validate(self) -> None:
        self.assignment, self.application = expert_application(self.user, self.meeting_id, self.application_id)
        if self.assignment.meeting.status != MeetingStatus.REVIEWING.value:
            raise NotAllowed(_l("The online review of this meeting is closed"))
        if not self.opinion:
            raise Invalid(_l("Give the reason for the conflict") if self.conflict else _l("Write your opinion"),
                          "opinion")
        if len(self.opinion) > OPINION_MAX:
            raise Invalid(_l("At most %(n)d characters", n=OPINION_MAX), "opinion")
        self.score = None
        if not self.conflict:
            if not is_number(self.raw_score) or not 0 <= int(self.raw_score) <= 100:
                raise Invalid(_l("Enter a whole number from 0 to 100"), "score")
            self.score = int(self.raw_score)
        self.row = db.session.execute(select(Score).where(
            Score.assignment_id == self.assignment.id, Score.application_id == self.application.id)
            .with_for_update()).scalar_one_or_none()
        if self.row is not None and self.seen_version and self.seen_version != str(self.row.version):
            raise NotAllowed(_l("You changed this score in another window; reload the page"))

    def run(self) -> Score:
        self.validate()
        row = self.row
        if row is None:
            row = Score(assignment_id=self.assignment.id, application_id=self.application.id, version=1)
            db.session.add(row)
        else:
            cas.bump(row)
        row.score, row.opinion, row.conflict, row.submitted_at = self.score, self.opinion, self.conflict, utcnow()
        cas.write()
        # the audit row says that a score was given, never which: the office must not read it before closing
        audit.record("assignment.conflict" if self.conflict else "assignment.score", actor=self.user,
                     object_type="application", object_id=self.application.id, to_state=str(self.meeting_id))
        return row
