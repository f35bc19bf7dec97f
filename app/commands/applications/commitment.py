"""P2: the commitment letter (承诺书). An applicant enters a business only after choosing 我同意."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed
from app.daos.actors import person_of
from app.extensions import db
from app.models.applications import CommitmentAgreement
from app.services import audit
from app.workflow.states import BUSINESS_LABELS


def has_agreed(person_id: int, business: str) -> bool:
    return db.session.execute(select(CommitmentAgreement.id).where(
        CommitmentAgreement.person_id == person_id, CommitmentAgreement.business == business)).first() is not None


def applicant_for(user, business: str):
    """The Person behind `user` applying for `business`, or the refusal (an unknown business, not an
    individual applicant)."""
    if business not in BUSINESS_LABELS:
        raise Invalid(_l("Unknown business"))
    person = person_of(user)
    if person is None:
        raise NotAllowed(_l("Only an individual applicant can apply"))
    return person


class AgreeCommitmentCommand(BaseCommand):
    """Record 我同意 for one business (once; agreeing again changes nothing)."""

    def __init__(self, user, business: str):
        self.user, self.business = user, business
        self.person = None

    def validate(self) -> None:
        self.person = applicant_for(self.user, self.business)

    def run(self) -> CommitmentAgreement | None:
        self.validate()
        if has_agreed(self.person.id, self.business):
            return None
        row = CommitmentAgreement(person_id=self.person.id, business=self.business, agreed_at=utcnow())
        db.session.add(row)
        audit.record("commitment.agree", actor=self.user, object_type="person", object_id=self.person.id,
                     to_state=self.business)
        return row
