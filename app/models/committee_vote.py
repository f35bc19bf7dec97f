"""The meeting's vote (M2), publicity (M3) and its results: who was present, the counts per application
(never who voted what: a cast ballot is recorded apart from its choice), and the objections of publicity."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.applications import Application
from app.models.committee import Assignment, Meeting


class MeetingVote(Model):
    """One meeting's vote: the quorum it needed, how many were present, when it opened and closed, and
    its publicity (published on, the last day) and when the results became final."""

    __tablename__ = "meeting_vote"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), unique=True)
    meeting: Mapped[Meeting] = relationship()
    seated: Mapped[int] = mapped_column(Integer, default=0)  # drawn experts still holding a seat
    present: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    publicity_ends_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the last day of 公示
    finalized_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version


class Attendance(Model):
    """An expert recorded present on the meeting day (only those may vote)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "assignment_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("meeting_assignment.id", ondelete="CASCADE"))
    assignment: Mapped[Assignment] = relationship()


class VoteResult(Model):
    """The counts of one application of a meeting (online ballots or a paper ballot's counts), the result
    computed on closing, and an upheld objection that turned a pass into 未通过."""

    __tablename__ = "vote_result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    application: Mapped[Application] = relationship()
    agree: Mapped[int] = mapped_column(Integer, default=0)
    against: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(8), default="")  # online | paper ('' before any ballot)
    passed: Mapped[bool | None] = mapped_column(Boolean)  # set on closing the vote
    overturned: Mapped[bool] = mapped_column(Boolean, default=False)  # 异议成立
    overturn_reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version

    @property
    def final_pass(self) -> bool:
        return bool(self.passed) and not self.overturned


class BallotCast(Model):
    """That an expert voted on an application (one ballot each); the choice is only in the counts."""

    __tablename__ = "vote_ballot_cast"
    __table_args__ = (UniqueConstraint("assignment_id", "application_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("meeting_assignment.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))


class Objection(Model):
    """异议 filed by anyone during publicity against one result; the office finds it 不成立 or 成立."""

    __tablename__ = "publicity_objection"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"))
    application: Mapped[Application] = relationship()
    contact: Mapped[str] = mapped_column(String(128))
    text: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | rejected | upheld
    reason: Mapped[str] = mapped_column(Text, default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # CAS on version
