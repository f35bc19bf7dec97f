"""职称证书补办/换发 (Z7, seed 004 ch. 5): the holder chooses one of their certificates, 评审/初定, 补办/换发,
the region and office (所属申报点), and uploads the three PDFs; the bureau of that region approves: a new
electronic certificate is issued (a new number and code, the title as on the old one) and the old one
becomes 已换发 with a link to it (app/workflow/certificate_states.py), or rejects with a reason."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.clock import to_local
from app.commands import cas
from app.commands.base import BaseCommand
from app.commands.certificates.historical import require_person
from app.commands.certificates.issue import issuer_for, new_certificate
from app.commands.certificates.request_files import DecideRequest, StoredPdfs, chosen, small_id, text
from app.commands.errors import Invalid, NotAllowed, NotFound
from app.daos import certificates_public as dao
from app.daos.certificates import managed_certificates
from app.daos.offices import reissue_offices_of
from app.extensions import db
from app.models.catalog import Region
from app.models.certificate_requests import ReissueRequest
from app.models.certificates import Certificate
from app.models.offices import AcceptingOffice
from app.services import audit
from app.services.catalog import region_and_ancestors
from app.workflow.certificate_states import (CertificateStatus, CertificateTransitionNotAllowed,
                                             certificate_transition)
from app.workflow.request_states import REISSUE_KINDS, REISSUE_MATERIALS, REVIEW_KINDS, RequestStatus

TITLE_COLUMNS = ("person_id", "holder_name", "holder_id_number", "series_id", "series_name", "level_id",
                 "level_name", "title_id", "title_name", "specialty_id", "specialty_name", "application_id")
NO_CERTIFICATE = _l("No certificate found; please register the historical title data first")


def own_valid_certificate(person, certificate_id) -> Certificate:
    certificate = db.session.execute(dao.own_certificates(person.id).where(
        Certificate.id == int(certificate_id or 0))).scalar_one_or_none()
    if certificate is None:
        raise NotFound(NO_CERTIFICATE)
    if certificate.status != CertificateStatus.VALID.value:
        raise NotAllowed(_l("Only a valid certificate can be reissued or replaced"))
    return certificate


class SubmitReissueCommand(BaseCommand):
    def __init__(self, user, certificate_id, data: dict, files: dict):
        self.user, self.certificate_id, self.data, self.files = user, certificate_id, data, files
        self.pdfs = StoredPdfs()

    def validate(self) -> None:
        self.person = require_person(self.user)
        self.certificate = own_valid_certificate(self.person, self.certificate_id)
        pending = db.session.execute(dao.own_reissues(self.person.id).where(
            ReissueRequest.certificate_id == self.certificate.id,
            ReissueRequest.status == RequestStatus.SUBMITTED.value)).first()
        if pending is not None:
            raise NotAllowed(_l("A reissue request for this certificate is already waiting for review"))
        self.review_kind = text(self.data, "review_kind", limit=16)
        if self.review_kind not in REVIEW_KINDS:
            raise Invalid(_l("Please choose the application type"), "review_kind")
        self.kind = text(self.data, "kind", limit=16)
        if self.kind not in REISSUE_KINDS:
            raise Invalid(_l("Please choose reissue or replacement"), "kind")
        self.region = db.session.get(Region, small_id(self.data, "region_id") or 0)
        # the bureau that answers must be the issuer's (its region or one above it)
        if self.region is None or self.region.id not in region_and_ancestors(self.certificate.region_id):
            raise Invalid(_l("Please choose the region of the issuing body"), "region_id")
        office_id = small_id(self.data, "office_id")
        self.office = db.session.execute(reissue_offices_of(self.region.id).where(
            AcceptingOffice.id == (office_id or 0))).scalar_one_or_none()
        if self.office is None:
            raise Invalid(_l("Please choose the office of the region"), "office_id")
        self.uploads = chosen(self.files, REISSUE_MATERIALS)
        missing = [name for name in REISSUE_MATERIALS if name not in self.uploads]
        if missing:
            raise Invalid(_l("This material is required (PDF)"), missing[0])

    def run(self) -> ReissueRequest:
        self.validate()
        return self.pdfs.submit(
            self.uploads, lambda: ReissueRequest(
                person_id=self.person.id, certificate_id=self.certificate.id, review_kind=self.review_kind,
                kind=self.kind, region_id=self.region.id, office_id=self.office.id),
            "reissue_id", actor=self.user, audit_action="reissue.submit", object_type="certificate_reissue",
            opinion=lambda row: f"{self.certificate.number} {self.kind}")


class DecideReissueCommand(DecideRequest):
    """通过: a new certificate is issued by the bureau and the old one becomes 已换发; 不通过 with a reason."""

    model, queue = ReissueRequest, staticmethod(dao.reissue_queue)
    missing, not_waiting = _l("No such request"), _l("This request is not waiting for review")
    approved_message = _l("Your certificate reissue request was approved")
    rejected_message = _l("Your certificate reissue request was not approved")
    audit_name, object_type = "reissue", "certificate_reissue"

    def validate(self) -> None:
        super().validate()
        if self.approve:
            self.issuer = issuer_for(self.user)
            if self.issuer is None or self.issuer.kind != "bureau":
                raise NotAllowed(_l("Only the bureau can issue the new certificate"))
            managed = db.session.execute(managed_certificates(self.user).where(
                Certificate.id == self.row.certificate_id)).first()
            if managed is None:  # a request addressed to this region for another region's certificate
                raise NotAllowed(_l("This certificate was not issued in your region; it cannot be replaced here"))
            try:
                self.old_target = certificate_transition("replace", self.row.certificate.status, "Bureau")
            except CertificateTransitionNotAllowed:
                raise NotAllowed(_l("Only a valid certificate can be reissued or replaced")) from None

    def approved(self, now) -> None:
        row = self.row
        old = row.certificate
        old.status, old.replaced_at = self.old_target.value, now
        cas.bump(old)
        cas.write()  # the old one leaves 有效 first: one valid certificate per application
        new = reissued_certificate(old, row, self.issuer, self.user, now)
        db.session.flush()
        old.replaced_by_id = new.id
        row.new_certificate_id = new.id
        db.session.flush()
        audit.record("certificate.replace", actor=self.user, object_type="certificate", object_id=old.id,
                     from_state=CertificateStatus.VALID.value, to_state=old.status, opinion=new.number)
        audit.record("certificate.issue", actor=self.user, object_type="certificate", object_id=new.id,
                     to_state=new.status, opinion=f"{new.number} {new.holder_name} ← {old.number}")


def reissued_certificate(old: Certificate, row: ReissueRequest, issuer, actor, now) -> Certificate:
    """The successor: the holder and title of the old certificate, a new number and code from the bureau."""
    title = {name: getattr(old, name) for name in TITLE_COLUMNS}
    title["business"] = old.business if old.business != "historical" else row.review_kind
    return new_certificate(issuer, actor, now, published_on=old.published_on, year=old.year,
                           number_year=to_local(now).year, **title)
