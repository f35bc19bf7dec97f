"""M3 公示 and M4 the final results. The office publishes a closed vote (the period is PUBLICITY_WORKING_DAYS
working days after the day of publication); anyone may file an objection (异议) against a passed result; the
office finds it 不成立 or 成立 (with a reason: the result becomes 未通过). When the period is over, the scheduler
or the office makes the results final: 评审通过 / 评审未通过 through the lifecycle, the applicant told, and a
certificate for every pass, issued by the committee with 公布时间 the last day of publicity, in one transaction."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import to_local, utcnow
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.certificates.issue import IssueCertificatesCommand, Issuer
from app.commands.committee.meetings import OfficeMeetingCommand, meeting_move
from app.commands.committee.vote import row_id
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.daos import committee as dao
from app.daos import committee_vote as votes
from app.extensions import db
from app.models.catalog import Committee
from app.models.committee import Meeting
from app.models.committee_vote import Objection
from app.security import roles
from app.services import audit, notify
from app.services.workdays import last_working_day
from app.workflow.committee_states import MeetingStatus
from app.workflow.lifecycle import apply

CONTACT_MAX = 128


def today():
    return to_local(utcnow()).date()


class PublishResultsCommand(OfficeMeetingCommand):
    status, wrong_status = MeetingStatus.VOTE_CLOSED, _l("Only the results of a closed vote are published, once")

    def validate(self) -> None:
        super().validate()
        self.vote = votes.vote_of(self.meeting.id, for_update=True)

    def run(self):
        self.validate()
        published = today()
        self.vote.published_on = published
        self.vote.publicity_ends_on = last_working_day(published, int(current_app.config["PUBLICITY_WORKING_DAYS"]))
        cas.bump(self.vote)
        meeting_move(self.meeting, "publish", self.user, self.vote.publicity_ends_on.isoformat())
        return self.vote


class FileObjectionCommand(BaseCommand):
    """异议 by anyone (no login) against a passed result on the public page, until its last day."""

    def __init__(self, meeting_id: int, application_id, contact: str, text: str):
        self.meeting_id, self.application_id = meeting_id, application_id
        self.contact, self.text = (contact or "").strip(), (text or "").strip()

    def validate(self) -> None:
        self.meeting, self.vote = votes.public_meeting(self.meeting_id)
        if today() > self.vote.publicity_ends_on:
            raise NotAllowed(_l("The publicity period is over"))
        if row_id(self.application_id) is None:
            raise Invalid(_l("Choose the person the objection is about"), "application_id")
        try:
            result = votes.result_of(self.meeting.id, row_id(self.application_id))
        except NotFound:
            raise Invalid(_l("Choose the person the objection is about"), "application_id") from None
        if not result.final_pass:
            raise Invalid(_l("Choose the person the objection is about"), "application_id")
        if not self.contact:
            raise Invalid(_l("Give a way to contact you"), "contact")
        if len(self.contact) > CONTACT_MAX:
            raise Invalid(_l("At most %(n)d characters", n=CONTACT_MAX), "contact")
        most = int(current_app.config["OBJECTION_TEXT_MAX"])
        if not self.text:
            raise Invalid(_l("Write what the objection is"), "text")
        if len(self.text) > most:
            raise Invalid(_l("At most %(n)d characters", n=most), "text")
        self.result = result

    def run(self) -> Objection:
        self.validate()
        row = Objection(meeting_id=self.meeting.id, application_id=self.result.application_id, contact=self.contact,
                        text=self.text, filed_at=utcnow(), status="pending", version=1)
        db.session.add(row)
        db.session.flush()
        audit.record("objection.file", object_type="objection", object_id=row.id, to_state="pending",
                     opinion=f"application {row.application_id}")
        return row


class HandleObjectionCommand(OfficeMeetingCommand):
    """异议不成立 (reject) or 异议成立 (uphold, with a reason: that result becomes 未通过)."""

    status, wrong_status = MeetingStatus.PUBLICITY, _l("Objections are handled during publicity")

    def __init__(self, user, meeting_id: int, objection_id: int, decision: str, reason: str):
        super().__init__(user, meeting_id)
        self.objection_id = objection_id
        self.decision, self.reason = (decision or "").strip(), (reason or "").strip()

    def validate(self) -> None:
        super().validate()
        if row_id(self.objection_id) is None:
            raise NotFound(_l("No such objection"))
        self.objection = votes.objection_of(self.meeting.id, row_id(self.objection_id))
        if self.objection.status != "pending":
            raise NotAllowed(_l("This objection has been handled"))
        if self.decision not in ("reject", "uphold"):
            raise Invalid(_l("Choose whether the objection holds"), "decision")
        if self.decision == "uphold" and not self.reason:
            raise Invalid(_l("Give the reason the objection holds"), "reason")
        if len(self.reason) > 2000:
            raise Invalid(_l("At most %(n)d characters", n=2000), "reason")

    def run(self) -> Objection:
        self.validate()
        row = self.objection
        row.status, row.reason = ("upheld" if self.decision == "uphold" else "rejected"), self.reason
        row.handled_by_id, row.handled_at = self.user.id, utcnow()
        cas.bump(row)
        if row.status == "upheld":
            result = votes.result_of(self.meeting.id, row.application_id, for_update=True)
            result.overturned, result.overturn_reason = True, self.reason
            cas.bump(result)
        meeting_move(self.meeting, "handle_objection", self.user, f"{row.id} {row.status}")
        audit.record(f"objection.{row.status}", actor=self.user, object_type="objection", object_id=row.id,
                     from_state="pending", to_state=row.status, opinion=self.reason)
        return row


class FinalizeResultsCommand(BaseCommand):
    """The results become final after the last day of publicity: by the office (`user`), or by the scheduler
    (no user). Refused while an objection waits."""

    def __init__(self, meeting_id: int, user=None):
        self.meeting_id, self.user = meeting_id, user

    def validate(self) -> None:
        if self.user is not None:
            self.meeting = dao.office_meeting(self.user, self.meeting_id, for_update=True)
        else:
            self.meeting = db.session.execute(select(Meeting).where(Meeting.id == self.meeting_id).with_for_update()
                                              .execution_options(populate_existing=True)).scalar_one_or_none()
            if self.meeting is None:
                raise NotFound(_l("No such meeting among yours"))
        if self.meeting.status != MeetingStatus.PUBLICITY.value:
            raise NotAllowed(_l("The results of this meeting are not in publicity"))
        self.vote = votes.vote_of(self.meeting.id, for_update=True)
        if today() <= self.vote.publicity_ends_on:
            raise NotAllowed(_l("The publicity period ends on %(day)s", day=self.vote.publicity_ends_on.isoformat()))
        if any(o.status == "pending" for o in votes.objections(self.meeting.id)):
            raise NotAllowed(_l("Handle every objection first"))

    def run(self) -> list[int]:
        self.validate()
        meeting_move(self.meeting, "finalize", self.user)
        self.vote.finalized_at = utcnow()
        cas.bump(self.vote)
        passed = []
        for row in votes.results(self.meeting.id):
            application = row.application
            action = "review_pass" if row.final_pass else "review_fail"
            apply(application, action, self.user, row.overturn_reason, role=roles.COMMITTEE)
            notify.notify_user(application.person.user, str(_l("Your title review result: %(result)s",
                                                                result=_l("passed") if row.final_pass
                                                                else _l("not passed"))),
                               str(_l("%(meeting)s: the result is shown under My application information", meeting=self.meeting.name)))
            if row.final_pass:
                passed.append(application.id)
        if passed:
            committee = db.session.get(Committee, self.meeting.committee_id)
            issuer = Issuer("committee", committee.id, committee.name, committee.region_id, roles.COMMITTEE)
            IssueCertificatesCommand(self.user, passed, self.vote.publicity_ends_on, issuer=issuer).run()
        cas.write()
        return passed


def finalize_due() -> int:
    """The scheduler's work: every meeting whose publicity is over and has no objection waiting, each in its
    own transaction; a meeting already final (another worker, an earlier run) is skipped."""
    from app.commands.errors import CommandError

    done = 0
    for meeting_id in votes.due_for_final(today()):
        try:
            FinalizeResultsCommand(meeting_id).run()
            done += 1
        except CommandError:
            continue
    return done


finalize_due.runs_own_transactions = True  # the scheduler must not wrap the meetings in one transaction
