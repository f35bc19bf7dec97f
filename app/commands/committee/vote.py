"""M2 the vote: on the meeting day the office records who is present; the vote opens only with a quorum
(present ≥ VOTE_QUORUM of the seated experts); each present expert casts one secret ballot per application
(同意 / 反对 / 弃权: the count grows, the choice is kept nowhere else), or the office enters a paper ballot's
counts (their sum at most the experts present); closing computes every result in integers
(同意 × denominator ≥ present × numerator of VOTE_PASS_RATIO). After closing nothing of the vote changes."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.clock import to_local, utcnow
from app.commands import cas
from app.commands.base import BaseCommand, transactional
from app.commands.committee.meetings import OfficeMeetingCommand, meeting_move
from app.commands.errors import Invalid, NotAllowed
from app.daos import committee as dao
from app.daos import committee_vote as votes
from app.extensions import db
from app.models.committee_vote import Attendance, BallotCast, MeetingVote, VoteResult
from app.services import audit
from app.services.workdays import at_least, fraction
from app.workflow.committee_states import MeetingStatus

CHOICES = {"agree": "agree", "against": "against", "abstain": "abstain"}  # 同意 / 反对 / 弃权
VOTE_CLOSED = _l("The vote of this meeting is closed; nothing about it can change")
VOTE_NOT_OPEN = _l("The vote of this meeting is not open")


def row_id(value) -> int | None:
    """A form's row id, or None (not a number, or beyond any id: the database is never asked)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def quorum_met(present: int, seated: int) -> bool:
    return seated > 0 and at_least(present, seated, fraction(current_app.config["VOTE_QUORUM"]))


def passes(agree: int, present: int) -> bool:
    return present > 0 and at_least(agree, present, fraction(current_app.config["VOTE_PASS_RATIO"]))


class RecordAttendanceCommand(OfficeMeetingCommand):
    """签到: the seated experts present on the meeting day (again as often as needed before the vote opens)."""

    status = MeetingStatus.REVIEW_CLOSED
    wrong_status = _l("Attendance is recorded after the online review is closed and before the vote")

    def __init__(self, user, meeting_id: int, assignment_ids):
        super().__init__(user, meeting_id)
        self.raw_ids = {row_id(i) for i in assignment_ids or []} - {None}

    def validate(self) -> None:
        super().validate()
        if to_local(utcnow()).date() != self.meeting.held_on:
            raise NotAllowed(_l("Attendance is recorded on the meeting day (%(day)s)",
                                day=self.meeting.held_on.isoformat()))
        seats = {a.id for a in votes.seated(self.meeting.id)}
        if not self.raw_ids <= seats:  # a forged id of another meeting's seat
            raise Invalid(_l("Choose the present experts from the list"), "present")
        self.seats = seats

    def run(self) -> int:
        self.validate()
        meeting_move(self.meeting, "record_attendance", self.user,
                     f"{len(self.raw_ids)}/{len(self.seats)}: {','.join(map(str, sorted(self.raw_ids)))}")
        db.session.execute(delete(Attendance).where(Attendance.meeting_id == self.meeting.id))
        for assignment_id in sorted(self.raw_ids):
            db.session.add(Attendance(meeting_id=self.meeting.id, assignment_id=assignment_id))
        db.session.flush()
        return len(self.raw_ids)


class OpenVoteCommand(OfficeMeetingCommand):
    """投票开始: refused without a quorum of the recorded attendance."""

    status, wrong_status = MeetingStatus.REVIEW_CLOSED, _l("The vote opens after the online review is closed, once")

    def validate(self) -> None:
        super().validate()
        self.seated = len(votes.seated(self.meeting.id))
        self.present = len(votes.present_ids(self.meeting.id))
        if not quorum_met(self.present, self.seated):
            raise NotAllowed(_l("No quorum: %(present)d of %(seated)d drawn experts are present, at least "
                                "%(ratio)s must be", present=self.present, seated=self.seated,
                                ratio=current_app.config["VOTE_QUORUM"]))

    def run(self) -> MeetingVote:
        self.validate()
        meeting_move(self.meeting, "open_vote", self.user, f"{self.present}/{self.seated}")
        vote = MeetingVote(meeting_id=self.meeting.id, seated=self.seated, present=self.present, opened_at=utcnow(),
                           version=1)
        db.session.add(vote)
        for application in dao.meeting_applications(self.meeting.id):
            db.session.add(VoteResult(meeting_id=self.meeting.id, application_id=application.id, version=1))
        db.session.flush()
        return vote


def _open_result(meeting_id: int, application_id) -> VoteResult:
    if row_id(application_id) is None:
        raise Invalid(_l("Choose one from the list"), "application_id")
    return votes.result_of(meeting_id, row_id(application_id), for_update=True)


def _second_ballot(err: Exception):
    """Two ballots of one seat on one application sent at once: the unique index keeps one."""
    return NotAllowed(_l("You have voted on this application")) if isinstance(err, IntegrityError) else None


class CastBallotCommand(BaseCommand):
    """One present expert's secret ballot on one application; cast once, never changed."""

    def __init__(self, user, meeting_id: int, application_id, choice: str):
        self.user, self.meeting_id, self.application_id = user, meeting_id, application_id
        self.choice = CHOICES.get((choice or "").strip())

    def validate(self) -> None:
        self.assignment = dao.own_assignment(self.user, self.meeting_id)
        if self.assignment.id not in votes.present_ids(self.meeting_id):
            raise NotAllowed(_l("Only the experts recorded present vote"))
        if self.assignment.meeting.status != MeetingStatus.VOTING.value:
            raise NotAllowed(VOTE_NOT_OPEN)
        if self.choice is None:
            raise Invalid(_l("Choose agree, against or abstain"), "choice")
        self.result = _open_result(self.meeting_id, self.application_id)
        if self.result.source == "paper":
            raise NotAllowed(_l("This application was voted on paper"))
        if self.result.application_id in votes.cast_by(self.assignment.id):
            raise NotAllowed(_l("You have voted on this application"))

    @transactional(on_error=_second_ballot)
    def run(self) -> None:
        self.validate()
        row = self.result
        setattr(row, self.choice, getattr(row, self.choice) + 1)
        row.source = "online"
        cas.bump(row)
        db.session.add(BallotCast(assignment_id=self.assignment.id, application_id=row.application_id))
        cas.write()
        # the audit says that a ballot was cast, never which
        audit.record("vote.ballot", actor=self.user, object_type="application", object_id=row.application_id,
                     to_state=str(self.meeting_id))


class PaperCountsCommand(OfficeMeetingCommand):
    """The counts of a paper ballot on one application (instead of online ballots on it)."""

    status, wrong_status = MeetingStatus.VOTING, VOTE_NOT_OPEN

    def __init__(self, user, meeting_id: int, application_id, counts: dict):
        super().__init__(user, meeting_id)
        self.application_id = application_id
        self.raw = {key: str((counts or {}).get(key) or "").strip() for key in CHOICES}

    def validate(self) -> None:
        super().validate()
        self.counts = {}
        for key, text in self.raw.items():
            if not (text.isascii() and text.isdigit()) or len(text) > 4:
                raise Invalid(_l("Enter a whole number, 0 or more"), key)
            self.counts[key] = int(text)
        self.vote = votes.vote_of(self.meeting.id, for_update=True)
        if sum(self.counts.values()) > self.vote.present:
            raise Invalid(_l("The counts add up to more than the %(n)d experts present", n=self.vote.present), "agree")
        self.result = _open_result(self.meeting.id, self.application_id)
        if self.result.source == "online":
            raise NotAllowed(_l("Experts have voted online on this application"))

    def run(self) -> VoteResult:
        self.validate()
        row = self.result
        row.agree, row.against, row.abstain, row.source = (self.counts["agree"], self.counts["against"],
                                                           self.counts["abstain"], "paper")
        cas.bump(row)
        cas.write()
        audit.record("vote.paper", actor=self.user, object_type="application", object_id=row.application_id,
                     to_state=f"{row.agree}/{row.against}/{row.abstain}", opinion=str(self.meeting_id))
        return row


class CloseVoteCommand(OfficeMeetingCommand):
    """投票结束: each result computed from its counts and the experts present."""

    status, wrong_status = MeetingStatus.VOTING, VOTE_CLOSED

    def validate(self) -> None:
        super().validate()
        self.vote = votes.vote_of(self.meeting.id, for_update=True)

    def run(self) -> list[VoteResult]:
        self.validate()
        meeting_move(self.meeting, "close_vote", self.user)
        self.vote.closed_at = utcnow()
        cas.bump(self.vote)
        rows = votes.results(self.meeting.id, for_update=True)
        for row in rows:
            row.passed = passes(row.agree, self.vote.present)
            cas.bump(row)
            audit.record("vote.result", actor=self.user, object_type="application", object_id=row.application_id,
                         to_state="passed" if row.passed else "failed",
                         opinion=f"{row.agree}/{row.against}/{row.abstain} of {self.vote.present}")
        cas.write()
        return rows
