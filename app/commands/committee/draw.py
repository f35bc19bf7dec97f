"""M1b 抽取专家: the experts of a meeting are drawn at random (`secrets`) from the committee's pool — 入库, of
the committee's series and, when the meeting sets one, of its specialty — never one who (回避):
- works at an applicant's unit, at the unit the applicant works for, or at any unit on the application's
  reporting chain (compared by the registered unit, and by name for an expert whose unit is not registered);
- is an applicant in this meeting (the same ID number or the same account);
- has a term that does not cover both today and the meeting's date;
- sits in the meeting already, or declined or declared a conflict for it.
Each draw is recorded (time, by whom, how many candidates, who was left out and why, who was drawn) and the
drawn experts are notified. A decline or a conflict is replaced by a second, recorded draw (`replace_seat`)."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.committee.meetings import OfficeMeetingCommand, meeting_move
from app.commands.errors import Invalid, NotAllowed
from app.daos.committee import draw_pool
from app.extensions import db
from app.models.accounts import Person
from app.models.applications import Application, ApplicationStep
from app.models.committee import Assignment, ExpertDraw, Meeting, MeetingApplication
from app.models.units import Unit
from app.services import audit, notify
from app.workflow.committee_states import SEATED, MeetingStatus


def _name_key(name: str | None) -> str:
    return "".join((name or "").split()).lower()


def conflicts_of(meeting: Meeting) -> dict:
    """What an expert must not share with the meeting's applications: their units (chain included) by id
    and by name, and the applicants' ID numbers and accounts."""
    app_ids = select(MeetingApplication.application_id).where(MeetingApplication.meeting_id == meeting.id)
    rows = db.session.execute(select(Application.unit_id, Application.is_work_unit, Application.work_unit_name,
                                     Person.id_number, Person.user_id)
                              .join(Person, Person.id == Application.person_id)
                              .where(Application.id.in_(app_ids))).all()
    unit_ids = {r.unit_id for r in rows}
    unit_ids |= set(db.session.execute(select(ApplicationStep.unit_id).where(
        ApplicationStep.application_id.in_(app_ids))).scalars())
    names = {_name_key(n) for n in db.session.execute(select(Unit.name).where(Unit.id.in_(unit_ids))).scalars()}
    names |= {_name_key(r.work_unit_name) for r in rows if r.work_unit_name}
    names.discard("")
    return {"unit_ids": unit_ids, "unit_names": names, "id_numbers": {r.id_number for r in rows},
            "user_ids": {r.user_id for r in rows}}


def exclusion(expert, meeting: Meeting, conflicts: dict, taken: dict[int, str], today) -> str | None:
    """Why `expert` may not be drawn for `meeting` (a code of EXCLUSION_REASONS), or None."""
    if expert.id in taken:
        return "already_drawn" if taken[expert.id] in SEATED else "declined"
    if expert.id_number in conflicts["id_numbers"] or expert.user_id in conflicts["user_ids"]:
        return "applicant"
    if (expert.work_unit_id is not None and expert.work_unit_id in conflicts["unit_ids"]) \
            or _name_key(expert.work_unit_name) in conflicts["unit_names"]:
        return "applicant_unit"
    if not (expert.term_start <= today <= expert.term_end and expert.term_start <= meeting.held_on <= expert.term_end):
        return "term_ended"
    if meeting.specialty_id is not None and expert.specialty_id != meeting.specialty_id:
        return "specialty"
    return None


def draw(meeting: Meeting, wanted: int, actor, *, kind: str, replaces: int | None = None,
         require_all: bool = True) -> ExpertDraw:
    """Draw `wanted` experts for `meeting`, record the draw and seat them (the caller's transaction).
    With `require_all`, fewer candidates than wanted refuse the draw; otherwise as many as there are."""
    today = utcnow().date()
    conflicts = conflicts_of(meeting)
    taken = {a.expert_id: a.status for a in db.session.execute(select(Assignment).where(
        Assignment.meeting_id == meeting.id)).scalars()}
    candidates, excluded = [], []
    for expert in draw_pool(meeting.committee_id, meeting.committee.series_id):
        reason = exclusion(expert, meeting, conflicts, taken, today)
        if reason is None:
            candidates.append(expert)
        else:
            excluded.append([expert.id, expert.name, reason])
    if require_all and len(candidates) < wanted:
        raise Invalid(_l("Only %(n)d experts of the pool can be drawn for this meeting; %(wanted)d are needed",
                         n=len(candidates), wanted=wanted), "expert_count")
    chosen = secrets.SystemRandom().sample(candidates, min(wanted, len(candidates)))
    record = ExpertDraw(meeting_id=meeting.id, at=utcnow(), by_id=getattr(actor, "id", None), kind=kind,
                        wanted=wanted, candidates=len(candidates), excluded=excluded,
                        drawn=[[e.id, e.name] for e in chosen], replaces_assignment_id=replaces)
    db.session.add(record)
    db.session.flush()
    for expert in chosen:
        db.session.add(Assignment(meeting_id=meeting.id, expert_id=expert.id, draw_id=record.id, status="drawn",
                                  reason="", version=1))
        notify.notify_user(expert.user, _("You were drawn as an expert for a review meeting"),
                           _("%(committee)s: %(meeting)s on %(date)s at %(place)s. Accept the discipline pledge "
                             "under 我的评审任务, or decline.", committee=meeting.committee.name,
                             meeting=meeting.name, date=meeting.held_on.isoformat(), place=meeting.place))
        notify.send_sms(expert.mobile, _("%(committee)s drew you for the review meeting %(meeting)s (%(date)s).",
                                         committee=meeting.committee.name, meeting=meeting.name,
                                         date=meeting.held_on.isoformat()))
    db.session.flush()
    audit.record(f"meeting.draw_{kind}", actor=actor, object_type="meeting", object_id=meeting.id,
                 opinion=_("%(n)d of %(c)d candidates drawn: %(names)s", n=len(chosen), c=len(candidates),
                           names="、".join(e.name for e in chosen) or "-"))
    return record


class DrawExpertsCommand(OfficeMeetingCommand):
    """The first draw of a meeting being prepared: it needs its applications and enough candidates."""

    status, wrong_status = MeetingStatus.PREPARING, _l("The experts of this meeting have been drawn already")

    def validate(self) -> None:
        super().validate()
        if not db.session.execute(select(MeetingApplication.id).where(
                MeetingApplication.meeting_id == self.meeting.id).limit(1)).first():
            raise NotAllowed(_l("Add the applications first: the draw leaves out experts by their units"))

    def run(self) -> ExpertDraw:
        self.validate()
        meeting_move(self.meeting, "draw", self.user)
        return draw(self.meeting, self.meeting.expert_count, self.user, kind="first")


def replace_seat(meeting: Meeting, assignment: Assignment, actor) -> ExpertDraw:
    """A second draw for the seat an expert gave up (decline or conflict); with no candidate left the draw
    is recorded empty and the office is told."""
    meeting_move(meeting, "redraw", actor, str(assignment.id))
    record = draw(meeting, 1, actor, kind="replacement", replaces=assignment.id, require_all=False)
    if not record.drawn:
        from flask import current_app

        office = db.session.get(current_app.appbuilder.sm.user_model, meeting.created_by_id) \
            if meeting.created_by_id else None
        if office is not None:
            notify.notify_user(office, _("No expert could replace a declined seat"),
                               _("%(meeting)s: the pool has no other expert who can be drawn.", meeting=meeting.name),
                               email=False)
    return record


class RedrawSeatsCommand(OfficeMeetingCommand):
    """补抽: the office draws again for seats still empty (a replacement that found nobody)."""

    def validate(self) -> None:
        super().validate()
        seated = db.session.execute(select(Assignment.id).where(Assignment.meeting_id == self.meeting.id,
                                                                Assignment.status.in_(SEATED))).all()
        self.missing = self.meeting.expert_count - len(seated)
        if self.missing <= 0:
            raise NotAllowed(_l("Every seat of this meeting is taken"))

    def run(self) -> ExpertDraw:
        self.validate()
        meeting_move(self.meeting, "redraw", self.user)
        return draw(self.meeting, self.missing, self.user, kind="replacement")
