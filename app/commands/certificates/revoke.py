"""注销: the bureau of the issuer's region or the unit that issued them revokes certificates with a
reason, all of the selected or none. A revoked certificate stays listed and verifiable as 已注销.

The rows are loaded through `managed_certificates()` (FAB's action_post loads rows without the list's
filter, so a forged id of another region's certificate must be refused here) and each change is a
compare-and-set on `version`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.clock import utcnow
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.daos.actors import role_names
from app.daos.certificates import managed_certificates
from app.extensions import db
from app.models.certificates import Certificate
from app.security import roles
from app.security.params import DB_INT_MAX
from app.services import audit
from app.workflow.certificate_states import (CertificateTransitionNotAllowed, certificate_label,
                                             certificate_transition)

REASON_MAX = 500
CHANGED_MEANWHILE = _l("Someone else has changed this certificate meanwhile; nothing was done. Reload the page.")


def acting_role(actor) -> str:
    names = role_names(actor)
    for role in (roles.BUREAU, roles.UNIT, roles.ADMIN):
        if role in names:
            return role if role != roles.ADMIN else roles.BUREAU
    return ""


def parse_ids(raw) -> list[int]:
    values = raw.split(",") if isinstance(raw, str) else list(raw or [])
    try:
        ids = sorted({int(str(v).strip()) for v in values if str(v).strip()})
    except ValueError:
        raise Invalid(_l("Select the certificates"), "ids") from None
    if not ids or len(ids) > 500 or not all(0 < i <= DB_INT_MAX for i in ids):
        raise Invalid(_l("Select the certificates"), "ids")
    return ids


class RevokeCertificatesCommand(BaseCommand):
    def __init__(self, actor, certificate_ids, reason: str | None):
        self.actor, self.raw_ids, self.reason = actor, certificate_ids, (reason or "").strip()

    def validate(self) -> None:
        ids = parse_ids(self.raw_ids)
        if not self.reason:
            raise Invalid(_l("Please give the reason for the revocation"), "reason")
        if len(self.reason) > REASON_MAX:
            raise Invalid(_l("At most %(n)d characters", n=REASON_MAX), "reason")
        self.role = acting_role(self.actor)
        stmt = (managed_certificates(self.actor).where(Certificate.id.in_(ids)).order_by(Certificate.id)
                .with_for_update().execution_options(populate_existing=True))
        self.certificates = list(db.session.execute(stmt).scalars())
        if len(self.certificates) != len(ids):
            raise NotFound(_l("No such certificate"))
        for certificate in self.certificates:
            try:
                certificate_transition("revoke", certificate.status, self.role)
            except CertificateTransitionNotAllowed:
                raise NotAllowed(_l("Certificate %(number)s is %(status)s and cannot be revoked; nothing was done",
                                    number=certificate.number, status=certificate_label(certificate.status))) from None

    def run(self) -> list[Certificate]:
        self.validate()
        now = utcnow()
        for certificate in self.certificates:
            source = certificate.status
            certificate.status = certificate_transition("revoke", source, self.role).value
            certificate.revoke_reason, certificate.revoked_at, certificate.revoked_by_id = self.reason, now, self.actor.id
            cas.bump(certificate)
            cas.write(CHANGED_MEANWHILE)
            audit.record("certificate.revoke", actor=self.actor, object_type="certificate", object_id=certificate.id,
                         from_state=source, to_state=certificate.status, opinion=self.reason)
        return self.certificates


def get_managed_or_none(actor, certificate_id: int) -> Certificate | None:
    return db.session.execute(managed_certificates(actor).where(Certificate.id == certificate_id)).scalar_one_or_none()


