"""Rows of the vote and of publicity: the meeting's vote record, who is present, the counts, the objections,
and what the public page shows. Callers have loaded the meeting through app/daos/committee.py (the office's
own, or the expert's own assignment), so these take ids already checked."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.commands.errors import NotFound
from app.extensions import db
from app.models.applications import Application
from app.models.catalog import Committee
from app.models.committee import Assignment, Meeting
from app.models.committee_vote import Attendance, BallotCast, MeetingVote, Objection, VoteResult
from app.workflow.committee_states import SEATED, MeetingStatus


def vote_of(meeting_id: int, *, for_update: bool = False) -> MeetingVote | None:
    stmt = select(MeetingVote).where(MeetingVote.meeting_id == meeting_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return db.session.execute(stmt).scalar_one_or_none()


def seated(meeting_id: int) -> list[Assignment]:
    return list(db.session.execute(select(Assignment).where(
        Assignment.meeting_id == meeting_id, Assignment.status.in_(SEATED))
        .options(joinedload(Assignment.expert)).order_by(Assignment.id)).scalars())


def present_ids(meeting_id: int) -> set[int]:
    return set(db.session.execute(select(Attendance.assignment_id).where(
        Attendance.meeting_id == meeting_id)).scalars())


def results(meeting_id: int, *, for_update: bool = False) -> list[VoteResult]:
    stmt = (select(VoteResult).where(VoteResult.meeting_id == meeting_id)
            .options(joinedload(VoteResult.application).joinedload(Application.person),
                     joinedload(VoteResult.application).joinedload(Application.unit),
                     joinedload(VoteResult.application).joinedload(Application.title))
            .order_by(VoteResult.id))
    if for_update:
        stmt = stmt.with_for_update(of=VoteResult).execution_options(populate_existing=True)
    return list(db.session.execute(stmt).unique().scalars())


def result_of(meeting_id: int, application_id: int, *, for_update: bool = False) -> VoteResult:
    stmt = select(VoteResult).where(VoteResult.meeting_id == meeting_id, VoteResult.application_id == application_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    row = db.session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound(_l("No such application in this meeting"))
    return row


def cast_by(assignment_id: int) -> set[int]:
    """The applications this seat has voted on (not how)."""
    return set(db.session.execute(select(BallotCast.application_id).where(
        BallotCast.assignment_id == assignment_id)).scalars())


def objections(meeting_id: int) -> list[Objection]:
    return list(db.session.execute(select(Objection).where(Objection.meeting_id == meeting_id)
                                   .options(joinedload(Objection.application).joinedload(Application.person))
                                   .order_by(Objection.id).limit(500)).scalars())


def objection_of(meeting_id: int, objection_id: int) -> Objection:
    row = db.session.execute(select(Objection).where(Objection.meeting_id == meeting_id, Objection.id == objection_id)
                             .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if row is None:
        raise NotFound(_l("No such objection"))
    return row


def in_publicity(limit: int = 50) -> list[tuple[Meeting, MeetingVote, Committee]]:
    """The meetings whose results are on the public page now, the newest first."""
    return list(db.session.execute(
        select(Meeting, MeetingVote, Committee).join(MeetingVote, MeetingVote.meeting_id == Meeting.id)
        .join(Committee, Committee.id == Meeting.committee_id)
        .where(Meeting.status == MeetingStatus.PUBLICITY.value)
        .order_by(MeetingVote.published_on.desc(), Meeting.id.desc()).limit(limit)).all())


def public_meeting(meeting_id: int) -> tuple[Meeting, MeetingVote]:
    row = db.session.execute(select(Meeting, MeetingVote).join(MeetingVote, MeetingVote.meeting_id == Meeting.id)
                             .where(Meeting.id == meeting_id,
                                    Meeting.status == MeetingStatus.PUBLICITY.value)).first()
    if row is None:
        raise NotFound(_l("No such publicity"))
    return row[0], row[1]


def due_for_final(today: dt.date, limit: int = 100) -> list[int]:
    """Meetings in publicity whose last day is before `today`."""
    return list(db.session.execute(select(Meeting.id).join(MeetingVote, MeetingVote.meeting_id == Meeting.id)
                                   .where(Meeting.status == MeetingStatus.PUBLICITY.value,
                                          MeetingVote.publicity_ends_on < today)
                                   .order_by(Meeting.id).limit(limit)).scalars())


DECIDED = (MeetingStatus.VOTE_CLOSED.value, MeetingStatus.PUBLICITY.value, MeetingStatus.FINALIZED.value)


def decided_meetings(user):
    """Meetings whose vote is closed, of the committees `user` may read (the office its own, the bureau
    those of its region): where the counts are shown."""
    from sqlalchemy import false

    from app.daos.committee import readable_committee_ids

    ids = readable_committee_ids(user)
    query = select(Meeting).where(Meeting.status.in_(DECIDED))
    if isinstance(ids, list) and not ids:
        return query.where(false())
    return query.where(Meeting.committee_id.in_(ids))


def decided_meeting(user, meeting_id: int) -> Meeting:
    meeting = db.session.execute(decided_meetings(user).where(Meeting.id == meeting_id)).scalar_one_or_none()
    if meeting is None:
        raise NotFound(_l("No such meeting among yours"))
    return meeting
