"""历史职称数据登记 (Z6, seed 004 ch. 4): the applicant enters an old certificate exactly as printed and
uploads at least two of 申报表 / 老证书 / 批文 (PDF); the bureau of the issuer's region approves, and the
record becomes a Certificate of business "historical" (verifiable as 历史证书, no electronic certificate),
or rejects it with a reason. Decisions are a compare-and-set on the registration's version, audited."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.clock import to_local, utcnow
from app.commands.base import BaseCommand
from app.commands.certificates.issue import Issuer, new_certificate
from app.commands.certificates.request_files import (NUMBER_PATTERN, DecideRequest, StoredPdfs, chosen, small_id,
                                                     text)
from app.commands.errors import Forbidden, Invalid, NotAllowed
from app.daos import certificates_public as dao
from app.daos.actors import person_account_of
from app.extensions import db
from app.models.catalog import Region, TitleLevel, TitleSeries
from app.models.certificate_requests import HistoricalRegistration
from app.models.certificates import Certificate
from app.services import audit
from app.workflow.certificate_states import CertificateStatus
from app.workflow.request_states import HISTORICAL_MATERIALS, HISTORICAL_MIN_MATERIALS, RequestStatus

OPEN = (RequestStatus.SUBMITTED.value, RequestStatus.APPROVED.value)


def require_person(user):
    person = person_account_of(user)
    if person is None:
        raise Forbidden(_l("Only an individual account can do this"))
    return person


def parse_date(data: dict, name: str) -> dt.date:
    raw = text(data, name)
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid(_l("Enter the date as YYYY-MM-DD"), name) from None
    if value > to_local(utcnow()).date() or value.year < 1950:
        raise Invalid(_l("Enter the date as printed on the certificate (not in the future)"), name)
    return value


class SubmitHistoricalCommand(BaseCommand):
    def __init__(self, user, data: dict, files: dict):
        self.user, self.data, self.files = user, data, files
        self.pdfs = StoredPdfs()

    def validate(self) -> None:
        self.person = require_person(self.user)
        data, values = self.data, {}
        values["series_name"] = text(data, "series_name")
        level = db.session.get(TitleLevel, small_id(data, "level_id") or 0)
        if level is None:
            raise Invalid(_l("Please choose the level"), "level_id")
        values["level_id"] = level.id
        values["title_name"] = text(data, "title_name")
        values["specialty_name"] = text(data, "specialty_name", required=False)
        number = text(data, "certificate_no", limit=32)
        if not NUMBER_PATTERN.fullmatch(number):
            raise Invalid(_l("Enter the certificate number as printed"), "certificate_no")
        values["certificate_no"] = number
        values["issuing_body"] = text(data, "issuing_body")
        values["issued_on"] = parse_date(data, "issued_on")
        region = db.session.get(Region, small_id(data, "region_id") or 0)
        if region is None:
            raise Invalid(_l("Please choose the region of the issuing body"), "region_id")
        values["region_id"] = region.id
        mine = db.session.execute(dao.own_historical(self.person.id).where(
            HistoricalRegistration.certificate_no == number, HistoricalRegistration.status.in_(OPEN))).first()
        taken = db.session.execute(select(Certificate.id).where(Certificate.number == number)).first()
        if mine is not None or taken is not None:
            raise Invalid(_l("This certificate number is already registered"), "certificate_no")
        self.uploads = chosen(self.files, HISTORICAL_MATERIALS)
        if len(self.uploads) < HISTORICAL_MIN_MATERIALS:
            raise Invalid(_l("Upload at least %(n)d of the materials (PDF)", n=HISTORICAL_MIN_MATERIALS),
                          next(name for name in HISTORICAL_MATERIALS if name not in self.uploads))
        self.values = values

    def run(self) -> HistoricalRegistration:
        self.validate()
        return self.pdfs.submit(
            self.uploads, lambda: HistoricalRegistration(
                person_id=self.person.id, holder_name=self.person.real_name,
                holder_id_number=self.person.id_number, **self.values),
            "historical_id", actor=self.user, audit_action="historical.submit",
            object_type="historical_registration", opinion=lambda row: row.certificate_no)


class DecideHistoricalCommand(DecideRequest):
    """通过 (the record becomes a verifiable 历史证书) or 不通过 with a reason, by the bureau of its region."""

    model, queue = HistoricalRegistration, staticmethod(dao.historical_queue)
    missing, not_waiting = _l("No such registration"), _l("This registration is not waiting for review")
    approved_message = _l("Your historical title registration was approved")
    rejected_message = _l("Your historical title registration was not approved")
    audit_name, object_type = "historical", "historical_registration"

    def validate(self) -> None:
        super().validate()
        if self.approve and db.session.execute(select(Certificate.id).where(
                Certificate.number == self.row.certificate_no)).first() is not None:
            raise NotAllowed(_l("A certificate with this number is already in the system"))

    def approved(self, now) -> None:
        row = self.row
        row.certificate = historical_certificate(row, self.user, now)
        try:
            db.session.flush()
        except IntegrityError:  # the same number issued meanwhile (the unique index decides)
            raise NotAllowed(_l("A certificate with this number is already in the system")) from None
        audit.record("certificate.issue", actor=self.user, object_type="certificate",
                     object_id=row.certificate.id, to_state=CertificateStatus.VALID.value,
                     opinion=f"{row.certificate_no} {row.holder_name} 历史证书")


def historical_certificate(row: HistoricalRegistration, actor, now) -> Certificate:
    """The verifiable record of an approved registration: the certificate as printed, no PDF."""
    series = db.session.execute(select(TitleSeries).where(TitleSeries.name == row.series_name)).scalar_one_or_none()
    return new_certificate(
        Issuer("historical", row.id, row.issuing_body, row.region_id), actor, now, published_on=row.issued_on,
        number=row.certificate_no, person_id=row.person_id, holder_name=row.holder_name,
        holder_id_number=row.holder_id_number, business="historical", series_id=series.id if series else None,
        series_name=row.series_name, level_id=row.level_id, level_name=row.level.name,
        title_name=row.title_name, specialty_name=row.specialty_name or "")
