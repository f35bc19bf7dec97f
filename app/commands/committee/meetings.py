"""M1b 评审会议: the office creates a meeting (name, date, place, how many experts, 匿名评审, optionally one
specialty), adds applications that passed 资格复审 (加入会议) or takes them out again while it is being
prepared, and closes the online review. Each change is audited and a compare-and-set on the meeting."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.commands.committee.numbers import is_number
from app.clock import utcnow
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.daos.committee import office_application, office_committee, office_meeting
from app.extensions import db
from app.models.catalog import Specialty
from app.models.committee import Meeting, MeetingApplication
from app.security import roles
from app.services import audit
from app.workflow.committee_states import MeetingStatus, NotAllowedHere, label, target
from app.workflow.lifecycle import apply

REQUIRED = _l("This field is required")


def committee_move(row, kind: str, action: str, actor, opinion: str = "", *, stamp: str, refusal) -> None:
    """Check `action` in the `kind` table of app/workflow/committee_states.py (NotAllowed with
    `refusal(status label)` when it has no such step), then status, the time column `stamp`, version
    (compare-and-set) and the audit row `kind.action`."""
    try:
        new = target(kind, action, row.status)
    except NotAllowedHere:
        raise NotAllowed(refusal(label(row.status))) from None
    source = row.status
    row.status = new.value
    setattr(row, stamp, utcnow())
    cas.bump(row)
    cas.write()
    audit.record(f"{kind}.{action}", actor=actor, object_type=kind, object_id=row.id, from_state=source,
                 to_state=row.status, opinion=opinion)


def meeting_move(meeting: Meeting, action: str, actor, opinion: str = "") -> None:
    """Check `action` in the meeting table, then status, version (compare-and-set) and audit row."""
    committee_move(meeting, "meeting", action, actor, opinion, stamp="updated_at",
                   refusal=lambda status: _l("This cannot be done while the meeting is %(status)s", status=status))


class OfficeMeetingCommand(BaseCommand):
    """A step of the office on one of its own meetings: validate() loads the meeting through the office's row
    filter (locked for the change) and, when the step has a `status`, refuses any other with `wrong_status`."""

    status: MeetingStatus | None = None  # None: meeting_move() and the meeting table decide
    wrong_status = None

    def __init__(self, user, meeting_id: int):
        self.user, self.meeting_id = user, meeting_id

    def validate(self) -> None:
        self.meeting = office_meeting(self.user, self.meeting_id, for_update=True)
        if self.status is not None and self.meeting.status != self.status.value:
            raise NotAllowed(self.wrong_status)


class CreateMeetingCommand(BaseCommand):
    def __init__(self, user, data: dict):
        self.user, self.raw = user, data or {}

    def validate(self) -> None:
        self.committee = office_committee(self.user)
        raw = {k: str(self.raw.get(k) or "").strip() for k in ("name", "held_on", "place", "expert_count",
                                                                   "specialty")}
        for field in ("name", "held_on", "place", "expert_count"):
            if not raw[field]:
                raise Invalid(REQUIRED, field)
        if len(raw["name"]) > 128:
            raise Invalid(_l("At most %(n)d characters", n=128), "name")
        if len(raw["place"]) > 128:
            raise Invalid(_l("At most %(n)d characters", n=128), "place")
        try:
            held_on = dt.date.fromisoformat(raw["held_on"])
        except ValueError:
            raise Invalid(_l("Enter a date as YYYY-MM-DD"), "held_on") from None
        if held_on < utcnow().date():
            raise Invalid(_l("The meeting date has passed"), "held_on")
        if held_on.year > 2100:
            raise Invalid(_l("Enter a date as YYYY-MM-DD"), "held_on")
        most = int(current_app.config["MEETING_MAX_EXPERTS"])
        if not is_number(raw["expert_count"]) or not 1 <= int(raw["expert_count"]) <= most:
            raise Invalid(_l("Enter a whole number from 1 to %(n)d", n=most), "expert_count")
        specialty_id = None
        if raw["specialty"]:
            specialty_id = db.session.execute(select(Specialty.id).where(
                Specialty.id == (int(raw["specialty"]) if is_number(raw["specialty"]) else -1),
                Specialty.series_id == self.committee.series_id)).scalar()
            if specialty_id is None:
                raise Invalid(_l("Choose one from the list"), "specialty")
        anonymous = str(self.raw.get("anonymous") or "").lower() in {"1", "y", "on", "true", "yes"}
        self.values = dict(name=raw["name"], held_on=held_on, place=raw["place"],
                           expert_count=int(raw["expert_count"]), specialty_id=specialty_id, anonymous=anonymous)

    def run(self) -> Meeting:
        self.validate()
        now = utcnow()
        meeting = Meeting(committee_id=self.committee.id, status="preparing", created_by_id=self.user.id,
                          created_at=now, updated_at=now, version=1, **self.values)
        db.session.add(meeting)
        db.session.flush()
        audit.record("meeting.create", actor=self.user, object_type="meeting", object_id=meeting.id,
                     to_state="preparing", opinion=meeting.name)
        return meeting


class AddToMeetingCommand(OfficeMeetingCommand):
    """加入会议: applications of the office's committee that passed 资格复审 join a meeting being prepared."""

    def __init__(self, user, meeting_id: int, application_ids: list[int]):
        super().__init__(user, meeting_id)
        self.application_ids = sorted({int(i) for i in application_ids or [] if is_number(str(i))})

    def validate(self) -> None:
        super().validate()
        if not self.application_ids:
            raise Invalid(_l("Choose at least one application"), "application_ids")
        present = db.session.execute(select(func.count(MeetingApplication.id)).where(
            MeetingApplication.meeting_id == self.meeting.id)).scalar()
        most = int(current_app.config["MEETING_MAX_APPLICATIONS"])
        if present + len(self.application_ids) > most:
            raise Invalid(_l("A meeting covers at most %(n)d applications", n=most), "application_ids")
        # every row is the office's own (a forged id is NotFound, as in the list)
        self.applications = [office_application(self.user, i, for_update=True) for i in self.application_ids]

    def run(self) -> Meeting:
        self.validate()
        meeting_move(self.meeting, "add_application", self.user, ",".join(map(str, self.application_ids)))
        for application in self.applications:
            apply(application, "add_to_meeting", self.user, self.meeting.name, role=roles.COMMITTEE,
                  refusal=_l("Only an application that passed the eligibility check can join a meeting"))
            db.session.add(MeetingApplication(meeting_id=self.meeting.id, application_id=application.id,
                                              added_at=utcnow()))
        db.session.flush()
        return self.meeting


class RemoveFromMeetingCommand(OfficeMeetingCommand):
    def __init__(self, user, meeting_id: int, application_id: int):
        super().__init__(user, meeting_id)
        self.application_id = application_id

    def validate(self) -> None:
        super().validate()
        self.link = db.session.execute(select(MeetingApplication).where(
            MeetingApplication.meeting_id == self.meeting.id,
            MeetingApplication.application_id == self.application_id)).scalar_one_or_none()
        if self.link is None:
            raise NotFound(_l("No such application among yours"))
        self.application = office_application(self.user, self.application_id, for_update=True)

    def run(self) -> Meeting:
        self.validate()
        meeting_move(self.meeting, "remove_application", self.user, str(self.application_id))
        apply(self.application, "remove_from_meeting", self.user, self.meeting.name, role=roles.COMMITTEE)
        db.session.delete(self.link)
        db.session.flush()
        return self.meeting


class CloseReviewCommand(OfficeMeetingCommand):
    """信息评审结束: the experts can no longer change their scores; the office sees them."""

    def run(self) -> Meeting:
        self.validate()
        meeting_move(self.meeting, "close_review", self.user)
        self.meeting.closed_at = utcnow()
        return self.meeting


class CancelMeetingCommand(OfficeMeetingCommand):
    """取消会议 before the draw: its applications go back to 资格复审通过, free for another meeting."""

    def validate(self) -> None:
        super().validate()
        self.links = db.session.execute(select(MeetingApplication).where(
            MeetingApplication.meeting_id == self.meeting.id)).scalars().all()
        self.applications = [office_application(self.user, link.application_id, for_update=True)
                             for link in self.links]

    def run(self) -> Meeting:
        self.validate()
        meeting_move(self.meeting, "cancel", self.user)
        for application, link in zip(self.applications, self.links):
            apply(application, "remove_from_meeting", self.user, self.meeting.name, role=roles.COMMITTEE)
            db.session.delete(link)
        db.session.flush()
        return self.meeting
